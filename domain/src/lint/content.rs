//! Rules 8–11: what the guide must contain — result, permit steps and FAQ, topics, materials.

use super::*;

/// Rule 8: a named result has its kind and a sample.
pub(super) fn check_result(item: &Item, out: &mut Vec<Finding>) {
    let Some(result) = &item.result else { return };
    if is_blank(&result.name) {
        return;
    }
    let mut missing = Vec::new();
    let mut fields = Vec::new();
    if result.kind.is_none() {
        missing.push("结果类型（出证/出文/审批办结）");
        fields.push("result.kind");
    }
    if is_blank_opt(&result.sample) {
        missing.push("结果样本");
        fields.push("result.sample");
    }
    if !missing.is_empty() {
        out.push(Finding::new(
            RESULT_COMPLETE,
            format!("审批结果“{}”缺少{}", result.name.trim(), missing.join("、")),
            &fields,
        ));
    }
}

/// Rule 9: a 行政许可 has FAQs and the full step list.
pub(super) fn check_permit(item: &Item, out: &mut Vec<Finding>) {
    if item.item_type != ItemType::Permit {
        return;
    }
    if item.faq.is_empty() {
        out.push(Finding::new(
            PERMIT_COMPLETE,
            "行政许可事项至少需要1条常见问题",
            &["faq"],
        ));
    }
    let missing: Vec<&str> = PERMIT_STEPS
        .iter()
        .copied()
        .filter(|want| !item.steps.iter().any(|s| s.name.contains(want)))
        .collect();
    if !missing.is_empty() {
        out.push(Finding::new(
            PERMIT_COMPLETE,
            format!(
                "行政许可事项的办理环节应包括受理、审核、审批、办结、送达，缺少：{}",
                missing.join("、")
            ),
            &["steps"],
        ));
    }
}

/// Rule 10: an item for 法人 only has no 自然人-only topic, and the reverse.
pub(super) fn check_serves_topics(item: &Item, out: &mut Vec<Finding>) {
    let (wrong, only_for) = match item.serves {
        Serves::Legal => (PERSON_ONLY_TOPICS, "自然人"),
        Serves::Person => (LEGAL_ONLY_TOPICS, "法人"),
        Serves::Both => return,
    };
    let mut topics = Vec::new();
    let mut fields = vec![FieldPath::new("serves")];
    for (i, topic) in item.topics.iter().enumerate() {
        if wrong.contains(&topic.trim()) {
            topics.push(format!("“{}”", topic.trim()));
            fields.push(FieldPath::new("topics").index(i));
        }
    }
    if !topics.is_empty() {
        out.push(Finding::with_fields(
            SERVES_MATCHES_TOPIC,
            format!(
                "服务对象为{}，但主题分类{}只面向{only_for}",
                item.serves.label(),
                topics.join("、")
            ),
            fields,
        ));
    }
}

/// Rule 11: a promised item lists materials; each has a name and a count.
pub(super) fn check_materials(item: &Item, out: &mut Vec<Finding>) {
    if item.kind == Kind::Promised && item.materials.is_empty() {
        out.push(Finding::new(
            MATERIALS_COMPLETE,
            "承诺件至少需要列出1项申请材料",
            &["materials"],
        ));
    }
    for (i, m) in item.materials.iter().enumerate() {
        if is_blank(&m.name) {
            out.push(Finding::with_fields(
                MATERIALS_COMPLETE,
                format!("第{}项材料未填写名称", i + 1),
                vec![FieldPath::new("materials").index(i).key("name")],
            ));
        }
        if u16::from(m.originals) + u16::from(m.copies) == 0 {
            let name = if is_blank(&m.name) {
                String::new()
            } else {
                format!("“{}”", m.name.trim())
            };
            out.push(Finding::with_fields(
                MATERIALS_COMPLETE,
                format!("第{}项材料{name}未填写份数，原件或复印件至少1份", i + 1),
                vec![
                    FieldPath::new("materials").index(i).key("originals"),
                    FieldPath::new("materials").index(i).key("copies"),
                ],
            ));
        }
    }
}
