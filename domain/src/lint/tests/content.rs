use super::*;

// --- rule 8 ---

#[test]
fn named_result_needs_kind_and_sample() {
    let mut item = sample();
    let result = item.result.as_mut().unwrap();
    result.kind = None;
    result.sample = None;
    let f = only(
        &lint(&item),
        RESULT_COMPLETE,
        Severity::Error,
        &["result.kind", "result.sample"],
    );
    assert!(
        f.message.starts_with("审批结果“营业执照”缺少"),
        "{}",
        f.message
    );
    item.result = None;
    assert_eq!(lint(&item), []);
}

// --- rule 9 ---

#[test]
fn permits_need_faq_and_all_steps() {
    let mut item = sample();
    item.faq.clear();
    item.steps.retain(|s| s.name != "审批" && s.name != "送达");
    let findings = lint(&item);
    assert_eq!(findings.len(), 2, "{findings:#?}");
    has(&findings, PERMIT_COMPLETE, Severity::Error, &["faq"]);
    let f = has(&findings, PERMIT_COMPLETE, Severity::Error, &["steps"]);
    assert!(f.message.ends_with("缺少：审批、送达"), "{}", f.message);
    // Step names may carry more words.
    item.faq = sample().faq;
    item.steps.push(Step {
        name: "审批决定".into(),
        who: "局长".into(),
        limit: "即时".into(),
        standard: String::new(),
    });
    item.steps.push(Step {
        name: "邮寄送达".into(),
        who: "出证窗口".into(),
        limit: "即时".into(),
        standard: String::new(),
    });
    assert_eq!(lint(&item), []);
    // Other item types need neither.
    item.item_type = ItemType::PublicService;
    item.faq.clear();
    item.steps.clear();
    assert_eq!(lint(&item), []);
}

// --- rule 10 ---

#[test]
fn legal_person_item_with_person_topic() {
    let mut item = sample();
    item.topics.push("户籍办理".into());
    let f = only(
        &lint(&item),
        SERVES_MATCHES_TOPIC,
        Severity::Error,
        &["serves", "topics[2]"],
    );
    assert_eq!(
        f.message,
        "服务对象为法人，但主题分类“户籍办理”只面向自然人"
    );
    item.serves = Serves::Both;
    assert_eq!(lint(&item), []);
}

#[test]
fn person_item_with_legal_topic() {
    let mut item = sample();
    item.serves = Serves::Person;
    let f = only(
        &lint(&item),
        SERVES_MATCHES_TOPIC,
        Severity::Error,
        &["serves", "topics[0]", "topics[1]"],
    );
    assert!(
        f.message.contains("“设立变更”、“准营准办”只面向法人"),
        "{}",
        f.message
    );
}

// --- rule 11 ---

#[test]
fn promised_item_needs_materials() {
    let mut item = sample();
    item.materials.clear();
    only(
        &lint(&item),
        MATERIALS_COMPLETE,
        Severity::Error,
        &["materials"],
    );
    item.kind = Kind::Instant;
    item.promised_limit = working(0);
    assert_eq!(lint(&item), []);
}

#[test]
fn materials_need_name_and_count() {
    let mut item = sample();
    item.materials[2].originals = 0;
    item.materials[2].copies = 0;
    item.materials[2].form = MaterialForm::Electronic;
    let f = only(
        &lint(&item),
        MATERIALS_COMPLETE,
        Severity::Error,
        &["materials[2].originals", "materials[2].copies"],
    );
    assert!(
        f.message.starts_with("第3项材料“股东的主体资格文件"),
        "{}",
        f.message
    );
    item.materials[2].copies = 1;
    item.materials[4].name = " ".into();
    only(
        &lint(&item),
        MATERIALS_COMPLETE,
        Severity::Error,
        &["materials[4].name"],
    );
}
