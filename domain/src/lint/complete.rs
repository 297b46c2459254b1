//! Rule 13: the guide has every part a citizen needs. Real guides arrive incomplete
//! (imported from a provincial platform, typed in by a department): they are accepted as
//! drafts and this rule names each gap with its field, so only that item's publish waits.
//! What cannot be read at all (no code, no name, a value of the wrong type, an unsafe
//! link) is refused earlier by shape validation.

use super::*;
use crate::catalog::hours::parse_hhmm;
use crate::catalog::item::MaterialSource;
use crate::field_path::FieldPath;

fn missing(out: &mut Vec<Finding>, field: FieldPath, what: &str) {
    out.push(Finding::with_fields(
        GUIDE_COMPLETE,
        format!("请填写{what}"),
        vec![field],
    ));
}

fn wrong(out: &mut Vec<Finding>, field: FieldPath, message: impl Into<String>) {
    out.push(Finding::with_fields(GUIDE_COMPLETE, message, vec![field]));
}

/// Each blank entry of a list of texts (`topics[2]`).
fn blank_entries(out: &mut Vec<Finding>, list: &str, what: &str, values: &[String]) {
    for (i, value) in values.iter().enumerate() {
        if is_blank(value) {
            missing(out, FieldPath::new(list).index(i), what);
        }
    }
}

pub(super) fn check_complete(item: &Item, out: &mut Vec<Finding>) {
    for (field, what, value) in [
        ("department", "实施主体", &item.department),
        ("hall", "办理的服务中心", &item.hall),
        ("zone", "办理专区", &item.zone),
        ("window", "办理窗口", &item.window),
        ("updated_at", "更新日期", &item.updated_at),
        ("reviewed_at", "复核日期", &item.reviewed_at),
    ] {
        if is_blank(value) {
            missing(out, FieldPath::new(field), what);
        }
    }
    blank_entries(out, "topics", "主题分类", &item.topics);
    blank_entries(out, "keywords", "关键词", &item.keywords);
    blank_entries(out, "conditions", "受理条件", &item.conditions);

    if item.channels.is_empty() {
        missing(out, FieldPath::new("channels"), "办理形式");
    }
    for (i, channel) in item.channels.iter().enumerate() {
        if item.channels[..i].contains(channel) {
            wrong(out, FieldPath::new("channels").index(i), "办理形式重复");
        }
    }
    match (item.has_channel(Channel::Online), item.online_depth) {
        (true, None) => missing(out, FieldPath::new("online_depth"), "网上办理深度"),
        (false, Some(_)) => wrong(
            out,
            FieldPath::new("online_depth"),
            "未开通网上办理，不应填写网上办理深度",
        ),
        _ => {}
    }
    if let Some(url) = &item.online_url {
        if url.pc.is_none() && url.mobile.is_none() {
            missing(out, FieldPath::new("online_url"), "网上办理地址");
        }
    }

    for (i, step) in item.steps.iter().enumerate() {
        let at = |f: &str| FieldPath::new("steps").index(i).key(f);
        for (field, what, value) in [
            ("name", "环节名称", &step.name),
            ("who", "办理人员或机构", &step.who),
            ("limit", "环节时限", &step.limit),
        ] {
            if is_blank(value) {
                missing(out, at(field), what);
            }
        }
    }
    for (i, material) in item.materials.iter().enumerate() {
        if let MaterialSource::Government { issuer } = &material.source {
            if is_blank(issuer) {
                missing(
                    out,
                    FieldPath::new("materials")
                        .index(i)
                        .key("source")
                        .key("issuer"),
                    "出具材料的部门",
                );
            }
        }
    }

    if is_blank(&item.place.address) {
        missing(out, FieldPath::new("place").key("address"), "办理地点");
    }
    if item.place.hours.is_empty() {
        missing(out, FieldPath::new("place").key("hours"), "办公时间");
    }
    for (i, span) in item.place.hours.iter().enumerate() {
        let at = |f: &str| FieldPath::new("place").key("hours").index(i).key(f);
        if span.weekdays.is_empty() || span.weekdays.iter().any(|d| !(1..=7).contains(d)) {
            wrong(out, at("weekdays"), "星期应为 1（周一）到 7（周日）");
        }
        match (parse_hhmm(&span.open), parse_hhmm(&span.close)) {
            (Some(open), Some(close)) if open < close => {}
            (Some(_), Some(_)) => wrong(out, at("close"), "下班时间应晚于上班时间"),
            (None, _) => wrong(out, at("open"), "时间格式应为 HH:MM"),
            (_, None) => wrong(out, at("close"), "时间格式应为 HH:MM"),
        }
    }

    for (i, faq) in item.faq.iter().enumerate() {
        if is_blank(&faq.q) {
            missing(out, FieldPath::new("faq").index(i).key("q"), "问题");
        }
        if is_blank(&faq.a) {
            missing(out, FieldPath::new("faq").index(i).key("a"), "解答");
        }
    }
    for (i, basis) in item.legal_basis.iter().enumerate() {
        if is_blank(&basis.law) {
            missing(
                out,
                FieldPath::new("legal_basis").index(i).key("law"),
                "法规名称",
            );
        }
    }
    if let Some(w) = &item.withdrawn {
        if is_blank(&w.reason) {
            missing(out, FieldPath::new("withdrawn").key("reason"), "调整原因");
        }
        if is_blank(&w.instead) {
            missing(
                out,
                FieldPath::new("withdrawn").key("instead"),
                "群众今后到哪里办",
            );
        }
    }
}
