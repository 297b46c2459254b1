use super::*;
use crate::lint::limits::middle;

// --- rule 1 ---

#[test]
fn seed_motor_vehicle_registration_instant_with_22_days() {
    // 公安局机动车登记: legal and promised both 22 days, "但还是即办件，自相矛盾".
    let mut item = sample();
    item.name = "机动车登记".into();
    item.department = "新县公安局".into();
    item.kind = Kind::Instant;
    item.legal_limit = days(22);
    item.promised_limit = days(22);
    let findings = lint(&item);
    let f = has(
        &findings,
        INSTANT_MUST_BE_INSTANT,
        Severity::Error,
        &["kind", "promised_limit"],
    );
    assert!(
        f.message
            .contains("即办件的承诺时限应为即办（0），当前为22日"),
        "{}",
        f.message
    );
    assert!(has_errors(&findings));
    // The fixture's limit note exempts it from compression; without it, rule 3 warns too.
    item.limit_note = None;
    has(
        &lint(&item),
        LIMIT_COMPRESSION,
        Severity::Warning,
        &["promised_limit", "limit_note"],
    );
}

#[test]
fn promised_item_with_zero_limit_is_an_error() {
    let mut item = sample();
    item.promised_limit = working(0);
    let f = only(
        &lint(&item),
        INSTANT_MUST_BE_INSTANT,
        Severity::Error,
        &["kind", "promised_limit"],
    );
    assert!(f.message.contains("应为即办件"), "{}", f.message);
    item.kind = Kind::Instant;
    assert_eq!(lint(&item), []);
}

// --- rule 2 ---

#[test]
fn promised_must_not_exceed_legal() {
    let mut item = sample();
    item.promised_limit = working(20);
    let f = only(
        &lint(&item),
        PROMISED_WITHIN_LEGAL,
        Severity::Error,
        &["promised_limit", "legal_limit"],
    );
    assert_eq!(f.message, "承诺时限20个工作日超过法定时限15个工作日");
}

#[test]
fn promised_vs_legal_compares_across_units() {
    let mut item = sample();
    item.legal_limit = working(15); // ≈ 21 calendar days
    item.promised_limit = days(21);
    assert_eq!(lint(&item), []);
    item.promised_limit = days(22);
    only(
        &lint(&item),
        PROMISED_WITHIN_LEGAL,
        Severity::Error,
        &["promised_limit", "legal_limit"],
    );
}

// --- rule 3 ---

#[test]
fn compression_below_half_warns_without_a_note() {
    let mut item = sample();
    item.limit_note = None;
    item.promised_limit = working(8); // 8 of 15: more than half
    let f = only(
        &lint(&item),
        LIMIT_COMPRESSION,
        Severity::Warning,
        &["promised_limit", "limit_note"],
    );
    assert!(f.message.contains("8个工作日"), "{}", f.message);
    assert!(!has_errors(&lint(&item)));
    // Exactly half is compressed enough.
    item.legal_limit = working(16);
    assert_eq!(lint(&item), []);
    // A note exempts, a blank one does not.
    item.legal_limit = working(15);
    item.limit_note = Some("  ".into());
    assert_eq!(lint(&item).len(), 1);
    item.limit_note = Some("上级条线规定，不得压减".into());
    assert_eq!(lint(&item), []);
}

#[test]
fn compression_skips_zero_legal_limit() {
    let mut item = sample();
    item.limit_note = None;
    item.kind = Kind::Instant;
    item.legal_limit = working(0);
    item.promised_limit = working(0);
    assert_eq!(lint(&item), []);
}

// --- rule 4 ---

fn mining_right_cancellation() -> Item {
    let mut item = sample();
    item.name = "采矿权注销登记".into();
    item.department = "新县自然资源局".into();
    item.legal_limit = days(880);
    item.promised_limit = working(10);
    item
}

#[test]
fn seed_mining_right_cancellation_880_days_vs_neighbours_40() {
    let item = mining_right_cancellation();
    let ctx = LintContext {
        today: today(),
        peers: vec![
            peer("采矿权注销登记", "guangshan", days(40)),
            peer("采矿权注销登记（县级）", "shangcheng", days(40)),
            peer("采矿权注销登记(延续)", "luoshan", days(40)),
            peer("采矿权新立登记", "luoshan", days(880)), // another item
        ],
    };
    let f = only(
        &lint_item(&item, &ctx),
        LIMIT_OUTLIER,
        Severity::Warning,
        &["legal_limit"],
    );
    assert!(
        f.message
            .starts_with("法定时限880日，远高于其他地区同一事项的40日"),
        "{}",
        f.message
    );
    assert!(f.message.contains("（比较了3个地区）"), "{}", f.message);
}

#[test]
fn outlier_below_peers_and_single_peer() {
    let mut item = sample();
    item.legal_limit = working(5);
    item.promised_limit = working(1);
    let mut ctx = LintContext::new(today());
    ctx.peers = vec![peer("企业设立登记", "shangcheng", working(20))];
    let f = only(
        &lint_item(&item, &ctx),
        LIMIT_OUTLIER,
        Severity::Warning,
        &["legal_limit"],
    );
    assert_eq!(
        f.message,
        "法定时限5个工作日，远低于其他地区同一事项的20个工作日，请核对设定依据"
    );
    // Within a factor of three: fine.
    ctx.peers[0].legal_limit = working(15);
    assert_eq!(lint_item(&item, &ctx), []);
}

#[test]
fn outlier_ignores_peers_in_the_same_hall() {
    let item = mining_right_cancellation();
    let mut ctx = LintContext::new(today());
    ctx.peers = vec![peer("采矿权注销登记", &item.hall, days(40))];
    // Only the sane-bound warning, not the peer comparison.
    let f = only(
        &lint_item(&item, &ctx),
        LIMIT_OUTLIER,
        Severity::Warning,
        &["legal_limit"],
    );
    assert!(f.message.contains("超过一年"), "{}", f.message);
}

#[test]
fn limits_beyond_a_year_warn_without_peers() {
    let item = mining_right_cancellation();
    let f = only(
        &lint(&item),
        LIMIT_OUTLIER,
        Severity::Warning,
        &["legal_limit"],
    );
    assert_eq!(
        f.message,
        "法定时限880日超过一年（365日），请核对是否填写有误"
    );
    let mut item = sample();
    item.legal_limit = days(900);
    item.promised_limit = days(400);
    has(
        &lint(&item),
        LIMIT_OUTLIER,
        Severity::Warning,
        &["promised_limit"],
    );
}

#[test]
fn an_even_number_of_peers_compares_with_both_middle_values() {
    let mut item = sample();
    item.legal_limit = days(40);
    item.promised_limit = days(10);
    let mut ctx = LintContext::new(today());
    ctx.peers = vec![
        peer("企业设立登记", "a", days(40)),
        peer("企业设立登记", "b", days(880)),
    ];
    assert_eq!(
        middle(&ctx.peers.iter().collect::<Vec<_>>()),
        (days(40), days(880))
    );
    // 40 is not far from 40, though far from 880: the peers disagree, not the item.
    assert_eq!(lint_item(&item, &ctx), []);
    item.legal_limit = days(10);
    item.promised_limit = days(5);
    let f = only(
        &lint_item(&item, &ctx),
        LIMIT_OUTLIER,
        Severity::Warning,
        &["legal_limit"],
    );
    assert_eq!(
        f.message,
        "法定时限10日，远低于其他地区同一事项的40日（比较了2个地区），请核对设定依据"
    );
}

#[test]
fn names_match_ignoring_parenthesised_text() {
    assert_eq!(name_key("采矿权注销（县级）"), "采矿权注销");
    assert_eq!(name_key("采矿权注销 (县级)"), "采矿权注销");
    assert_eq!(name_key("采矿权（（嵌套）)注销"), "采矿权注销");
    assert_eq!(name_key("（仅括号）"), "（仅括号）");
}

#[test]
fn catalog_lint_uses_other_halls_and_the_reference() {
    let mut here = mining_right_cancellation();
    here.code = "11411523MB1D00001A-000201009".into();
    let mut there = mining_right_cancellation();
    there.hall = "guangshan".into();
    there.code = "11411522MB1C00001A-000201009".into();
    there.legal_limit = days(40);
    let clean = sample();
    let reference = [peer("采矿权注销登记", "省级基准目录", days(40))];
    let items = [here.clone(), there, clean.clone()];
    let report = lint_catalog(&items, today(), &reference);
    assert_eq!(report.len(), 3);
    assert_eq!(report[0].0, here.code);
    let f = only(
        &report[0].1,
        LIMIT_OUTLIER,
        Severity::Warning,
        &["legal_limit"],
    );
    assert!(
        f.message
            .contains("远高于其他地区同一事项的40日（比较了2个地区）"),
        "{}",
        f.message
    );
    // 40 against 880 here and 40 in the reference: the right value is not flagged.
    assert_eq!(report[1].1, []);
    assert_eq!(report[2], (clean.code, vec![]));
}
