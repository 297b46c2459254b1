use super::*;

// --- rule 5 ---

#[test]
fn seed_visit_without_reason_is_an_error() {
    let mut item = sample();
    item.visits = 1;
    item.online_depth = Some(OnlineDepth::Iii);
    let f = only(
        &lint(&item),
        VISITS_CONSISTENT,
        Severity::Error,
        &["visit_reason"],
    );
    assert!(f.message.contains("到现场次数为1次"), "{}", f.message);
    item.visit_reason = Some("需现场核验股东身份原件".into());
    assert_eq!(lint(&item), []);
}

#[test]
fn no_visit_without_online_handling_needs_post() {
    let mut item = sample();
    item.channels = vec![Channel::Window];
    item.online_depth = None;
    item.online_url = None;
    item.postal = Default::default();
    let f = only(
        &lint(&item),
        VISITS_CONSISTENT,
        Severity::Error,
        &["channels", "postal.materials", "postal.result"],
    );
    assert!(f.message.contains("未开通网上办理"), "{}", f.message);
    item.channels.push(Channel::Post);
    item.postal.materials = true;
    only(
        &lint(&item),
        VISITS_CONSISTENT,
        Severity::Error,
        &["postal.result"],
    );
    item.postal.result = true;
    assert_eq!(lint(&item), []);
}

#[test]
fn no_visit_with_partial_online_depth_still_needs_post() {
    let mut item = sample();
    item.online_depth = Some(OnlineDepth::Ii);
    item.channels = vec![Channel::Window, Channel::Online];
    let f = only(
        &lint(&item),
        VISITS_CONSISTENT,
        Severity::Error,
        &["channels"],
    );
    assert!(f.message.contains("未达到全程网办"), "{}", f.message);
}

#[test]
fn full_online_depth_means_no_visit() {
    let mut item = sample();
    item.visits = 1;
    item.visit_reason = Some("现场签字".into());
    let f = only(
        &lint(&item),
        VISITS_CONSISTENT,
        Severity::Error,
        &["online_depth", "visits"],
    );
    assert!(f.message.contains("全程网办"), "{}", f.message);
}

#[test]
fn in_person_item_cannot_be_proxied_nor_done_without_a_visit() {
    let mut item = sample();
    item.visits = 1;
    item.online_depth = Some(OnlineDepth::Iii);
    item.visit_reason = Some("采集指纹".into());
    item.in_person = Some("须本人到场采集人像和指纹".into());
    item.proxy = Some(crate::catalog::item::Proxy {
        allowed: true,
        material: None,
        note: None,
    });
    let f = only(
        &lint(&item),
        VISITS_CONSISTENT,
        Severity::Error,
        &["in_person", "proxy.allowed"],
    );
    assert!(f.message.contains("不能同时允许代办"), "{}", f.message);
    assert!(!item.village_can_handle());
    item.proxy = None;
    assert_eq!(lint(&item), []);
    item.visits = 0;
    item.visit_reason = None;
    let findings = lint(&item);
    assert!(
        findings
            .iter()
            .any(|f| f.fields == ["in_person", "visits"] && f.message.contains("不能为0")),
        "{findings:?}"
    );
}
