//! Catalog lint: is this item *consistent*? (Whether it is well-formed is `validate`'s job.)
//!
//! Twelve rules from `shared/DOMAIN.md` ("Catalog lint"), most of them broken by the seed's
//! own county: an 即办件 promising 22 days, a 采矿权注销 with an 880-day legal limit where
//! the neighbours have 40, "不见面" items that still need a visit. Publishing refuses
//! [`Severity::Error`] findings and shows [`Severity::Warning`] ones.
//!
//! Pure functions, no I/O: the same code runs in the browser as staff type and in the
//! worker on save and publish. Every finding carries a stable rule id (see [`RULES`]), a
//! specific message in Chinese and the field paths it is about (`materials[2].originals`),
//! in the same path syntax as [`crate::FieldError`].

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::item::{Channel, Item, ItemType, Kind, OnlineDepth, Serves, TimeLimit};

/// How bad a finding is: errors block publishing, warnings are shown and counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "提醒",
        }
    }
}

/// One problem the lint found in one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable rule id, one of [`RULES`] (e.g. `"instant-must-be-instant"`).
    pub rule: String,
    pub severity: Severity,
    /// What is wrong, in Chinese, with the offending values.
    pub message: String,
    /// Field paths the finding is about, e.g. `"kind"`, `"materials[2].originals"`.
    pub fields: Vec<String>,
}

impl Finding {
    /// A finding of `rule`, with the rule's severity from [`RULES`].
    fn new(rule: &'static str, message: impl Into<String>, fields: &[&str]) -> Finding {
        Finding::with_fields(
            rule,
            message,
            fields.iter().map(|f| f.to_string()).collect(),
        )
    }

    fn with_fields(rule: &'static str, message: impl Into<String>, fields: Vec<String>) -> Finding {
        Finding {
            rule: rule.to_string(),
            severity: rule_info(rule).map_or(Severity::Error, |r| r.severity),
            message: message.into(),
            fields,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// True when any finding blocks publishing.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(Finding::is_error)
}

/// One lint rule, for UIs and docs that list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RuleInfo {
    /// Stable id, as in [`Finding::rule`].
    pub id: &'static str,
    /// Number of the rule in `shared/DOMAIN.md`.
    pub number: u8,
    pub severity: Severity,
    /// Short Chinese title.
    pub title: &'static str,
}

/// Stable rule ids.
pub mod rule_id {
    pub const INSTANT_MUST_BE_INSTANT: &str = "instant-must-be-instant";
    pub const PROMISED_WITHIN_LEGAL: &str = "promised-within-legal";
    pub const LIMIT_COMPRESSION: &str = "limit-compression";
    pub const LIMIT_OUTLIER: &str = "limit-outlier";
    pub const VISITS_CONSISTENT: &str = "visits-consistent";
    pub const FEES_CONSISTENT: &str = "fees-consistent";
    pub const CONTACT_PHONES: &str = "contact-phones";
    pub const RESULT_COMPLETE: &str = "result-complete";
    pub const PERMIT_COMPLETE: &str = "permit-complete";
    pub const SERVES_MATCHES_TOPIC: &str = "serves-matches-topic";
    pub const MATERIALS_COMPLETE: &str = "materials-complete";
    pub const REVIEW_STALE: &str = "review-stale";
}

use rule_id::*;

/// Every rule, in `DOMAIN.md` order.
pub const RULES: &[RuleInfo] = &[
    RuleInfo {
        id: INSTANT_MUST_BE_INSTANT,
        number: 1,
        severity: Severity::Error,
        title: "即办件的承诺时限应为即办",
    },
    RuleInfo {
        id: PROMISED_WITHIN_LEGAL,
        number: 2,
        severity: Severity::Error,
        title: "承诺时限不得超过法定时限",
    },
    RuleInfo {
        id: LIMIT_COMPRESSION,
        number: 3,
        severity: Severity::Warning,
        title: "承诺时限应压减至法定时限一半以内",
    },
    RuleInfo {
        id: LIMIT_OUTLIER,
        number: 4,
        severity: Severity::Warning,
        title: "时限明显偏离其他地区或超出合理范围",
    },
    RuleInfo {
        id: VISITS_CONSISTENT,
        number: 5,
        severity: Severity::Error,
        title: "到现场次数与办理形式一致",
    },
    RuleInfo {
        id: FEES_CONSISTENT,
        number: 6,
        severity: Severity::Error,
        title: "收费信息完整一致",
    },
    RuleInfo {
        id: CONTACT_PHONES,
        number: 7,
        severity: Severity::Error,
        title: "咨询、投诉电话齐全且带区号",
    },
    RuleInfo {
        id: RESULT_COMPLETE,
        number: 8,
        severity: Severity::Error,
        title: "审批结果注明类型和样本",
    },
    RuleInfo {
        id: PERMIT_COMPLETE,
        number: 9,
        severity: Severity::Error,
        title: "行政许可事项有常见问题和完整办理环节",
    },
    RuleInfo {
        id: SERVES_MATCHES_TOPIC,
        number: 10,
        severity: Severity::Error,
        title: "服务对象与主题分类一致",
    },
    RuleInfo {
        id: MATERIALS_COMPLETE,
        number: 11,
        severity: Severity::Error,
        title: "申请材料齐全（名称、形式、份数）",
    },
    RuleInfo {
        id: REVIEW_STALE,
        number: 12,
        severity: Severity::Warning,
        title: "办事指南超过一年未复核",
    },
];

/// The rule with this id.
pub fn rule_info(id: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| r.id == id)
}

/// Topics (主题分类) that only concern natural persons (自然人).
pub const PERSON_ONLY_TOPICS: &[&str] = &["户籍办理", "婚姻生育", "社会救助", "养老服务", "教育"];
/// Topics that only concern legal persons (法人).
pub const LEGAL_ONLY_TOPICS: &[&str] = &["设立变更", "准营准办", "资质认证"];
/// Steps every 行政许可 guide must list, by step name.
pub const PERMIT_STEPS: &[&str] = &["受理", "审核", "审批", "办结", "送达"];
/// A limit longer than this many (approximate calendar) days is suspect (rule 4).
pub const SANE_LIMIT_DAYS: f64 = 365.0;
/// A legal limit more than this many times the peers' median, or less than its
/// inverse, is an outlier (rule 4). With an even number of peers it must be this far
/// from both middle values.
pub const OUTLIER_FACTOR: f64 = 3.0;
/// A guide not reviewed for more than this many days is stale (rule 12).
pub const STALE_AFTER_DAYS: i64 = 365;

/// The same item's legal limit elsewhere: another hall of the catalog, or a reference
/// (base) catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerLimit {
    /// Item name; matched exactly or ignoring text in parentheses (（县级）, (新办)).
    pub name: String,
    /// Hall id (or a label for a reference catalog). Peers in the linted item's own hall
    /// are ignored, so a caller may pass a whole catalog, the item's old version included.
    pub hall: String,
    pub legal_limit: TimeLimit,
}

impl From<&Item> for PeerLimit {
    fn from(item: &Item) -> Self {
        PeerLimit {
            name: item.name.clone(),
            hall: item.hall.clone(),
            legal_limit: item.legal_limit,
        }
    }
}

/// What the lint needs besides the item itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LintContext {
    /// Today, for staleness.
    pub today: Date,
    /// Legal limits of the same item elsewhere, for outliers.
    pub peers: Vec<PeerLimit>,
}

impl LintContext {
    /// A context with no peers.
    pub fn new(today: Date) -> LintContext {
        LintContext {
            today,
            peers: Vec::new(),
        }
    }
}

/// Lints one item. Empty result: nothing to report.
pub fn lint_item(item: &Item, ctx: &LintContext) -> Vec<Finding> {
    lint_with(item, ctx.today, &ctx.peers)
}

/// Lints a whole catalog. Peers of each item are the items of *other* halls plus
/// `reference` (a base catalog). Returns one `(code, findings)` per item, in input order,
/// including items without findings.
pub fn lint_catalog(
    items: &[Item],
    today: Date,
    reference: &[PeerLimit],
) -> Vec<(String, Vec<Finding>)> {
    let mut by_name: HashMap<String, Vec<PeerLimit>> = HashMap::new();
    for peer in items
        .iter()
        .map(PeerLimit::from)
        .chain(reference.iter().cloned())
    {
        by_name.entry(name_key(&peer.name)).or_default().push(peer);
    }
    items
        .iter()
        .map(|item| {
            let peers = by_name
                .get(&name_key(&item.name))
                .map_or(&[][..], Vec::as_slice);
            (item.code.clone(), lint_with(item, today, peers))
        })
        .collect()
}

fn lint_with(item: &Item, today: Date, peers: &[PeerLimit]) -> Vec<Finding> {
    let mut out = Vec::new();
    check_instant(item, &mut out);
    check_promised_within_legal(item, &mut out);
    check_compression(item, &mut out);
    check_outliers(item, peers, &mut out);
    check_visits(item, &mut out);
    check_fees(item, &mut out);
    check_contacts(item, &mut out);
    check_result(item, &mut out);
    check_permit(item, &mut out);
    check_serves_topics(item, &mut out);
    check_materials(item, &mut out);
    check_staleness(item, today, &mut out);
    out
}

fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

fn is_blank_opt(text: &Option<String>) -> bool {
    text.as_deref().is_none_or(is_blank)
}

/// Tolerance for comparing approximate day counts (working days × 7/5).
const EPS: f64 = 1e-9;

/// Rule 1: `Kind::Instant` ⇔ promised limit 0.
fn check_instant(item: &Item, out: &mut Vec<Finding>) {
    let promised = item.promised_limit;
    match item.kind {
        Kind::Instant if !promised.is_instant() => out.push(Finding::new(
            INSTANT_MUST_BE_INSTANT,
            format!(
                "即办件的承诺时限应为即办（0），当前为{}；确需{}办结的，应改为承诺件",
                promised.label(),
                promised.label()
            ),
            &["kind", "promised_limit"],
        )),
        Kind::Promised if promised.is_instant() => out.push(Finding::new(
            INSTANT_MUST_BE_INSTANT,
            "承诺时限为即办（0）的事项应为即办件，当前为承诺件",
            &["kind", "promised_limit"],
        )),
        _ => {}
    }
}

fn promised_exceeds_legal(item: &Item) -> bool {
    item.promised_limit.approx_calendar_days() > item.legal_limit.approx_calendar_days() + EPS
}

/// Rule 2: promised ≤ legal.
fn check_promised_within_legal(item: &Item, out: &mut Vec<Finding>) {
    if promised_exceeds_legal(item) {
        out.push(Finding::new(
            PROMISED_WITHIN_LEGAL,
            format!(
                "承诺时限{}超过法定时限{}",
                item.promised_limit.label(),
                item.legal_limit.label()
            ),
            &["promised_limit", "legal_limit"],
        ));
    }
}

/// Rule 3: promised at most half of legal, unless `limit_note` explains why not.
fn check_compression(item: &Item, out: &mut Vec<Finding>) {
    let legal = item.legal_limit.approx_calendar_days();
    let promised = item.promised_limit.approx_calendar_days();
    // Legal 0 cannot be halved; promised > legal is rule 2's error already.
    if legal <= 0.0 || promised_exceeds_legal(item) || !is_blank_opt(&item.limit_note) {
        return;
    }
    if promised * 2.0 > legal + EPS {
        out.push(Finding::new(
            LIMIT_COMPRESSION,
            format!(
                "承诺时限{}未压减到法定时限{}的一半以内；属特殊事项的，请在时限说明中注明原因",
                item.promised_limit.label(),
                item.legal_limit.label()
            ),
            &["promised_limit", "limit_note"],
        ));
    }
}

/// Key under which peers match: the name without text in (full-width or ASCII)
/// parentheses and without whitespace.
fn name_key(name: &str) -> String {
    let mut depth = 0usize;
    let mut key = String::new();
    for c in name.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = depth.saturating_sub(1),
            c if depth == 0 && !c.is_whitespace() => key.push(c),
            _ => {}
        }
    }
    if key.is_empty() {
        name.chars().filter(|c| !c.is_whitespace()).collect()
    } else {
        key
    }
}

/// The middle of the peers' limits, sorted by length: the median for an odd count, the
/// two middle values for an even one (so one wild peer out of two cannot make a right
/// value look wrong).
fn middle(sorted: &[&PeerLimit]) -> (TimeLimit, TimeLimit) {
    let n = sorted.len();
    let high = sorted[n / 2].legal_limit;
    let low = if n.is_multiple_of(2) {
        sorted[n / 2 - 1].legal_limit
    } else {
        high
    };
    (low, high)
}

/// Rule 4: legal limit far from the same item elsewhere; any limit beyond a sane bound.
fn check_outliers(item: &Item, peers: &[PeerLimit], out: &mut Vec<Finding>) {
    let key = name_key(&item.name);
    let mut matched: Vec<&PeerLimit> = peers
        .iter()
        .filter(|p| p.hall != item.hall && name_key(&p.name) == key)
        .collect();
    let mut legal_flagged = false;
    if !matched.is_empty() {
        matched.sort_by(|a, b| {
            let (a, b) = (a.legal_limit, b.legal_limit);
            a.approx_calendar_days()
                .total_cmp(&b.approx_calendar_days())
        });
        let (low, high) = middle(&matched);
        let days = item.legal_limit.approx_calendar_days();
        let direction = if high.value > 0 && days > high.approx_calendar_days() * OUTLIER_FACTOR {
            Some(("远高于", high))
        } else if low.value > 0 && days < low.approx_calendar_days() / OUTLIER_FACTOR {
            Some(("远低于", low))
        } else {
            None
        };
        if let Some((direction, typical)) = direction {
            let among = if matched.len() > 1 {
                format!("（比较了{}个地区）", matched.len())
            } else {
                String::new()
            };
            out.push(Finding::new(
                LIMIT_OUTLIER,
                format!(
                    "法定时限{}，{direction}其他地区同一事项的{}{among}，请核对设定依据",
                    item.legal_limit.label(),
                    typical.label()
                ),
                &["legal_limit"],
            ));
            legal_flagged = true;
        }
    }
    for (field, what, limit, skip) in [
        ("legal_limit", "法定时限", item.legal_limit, legal_flagged),
        ("promised_limit", "承诺时限", item.promised_limit, false),
    ] {
        if !skip && limit.approx_calendar_days() > SANE_LIMIT_DAYS + EPS {
            out.push(Finding::new(
                LIMIT_OUTLIER,
                format!(
                    "{what}{}超过一年（{SANE_LIMIT_DAYS}日），请核对是否填写有误",
                    limit.label()
                ),
                &[field],
            ));
        }
    }
}

/// Rule 5: visits, reasons and channels agree.
fn check_visits(item: &Item, out: &mut Vec<Finding>) {
    if item.visits > 0 && is_blank_opt(&item.visit_reason) {
        out.push(Finding::new(
            VISITS_CONSISTENT,
            format!("到现场次数为{}次，需说明到现场的理由", item.visits),
            &["visit_reason"],
        ));
    }
    let fully_online =
        item.has_channel(Channel::Online) && item.online_depth == Some(OnlineDepth::Iv);
    if item.visits == 0 && !fully_online {
        let mut missing = Vec::new();
        let mut fields = Vec::new();
        if !item.has_channel(Channel::Post) {
            missing.push("开通邮寄办理");
            fields.push("channels");
        }
        if !item.postal.materials {
            missing.push("申请材料可邮寄");
            fields.push("postal.materials");
        }
        if !item.postal.result {
            missing.push("办理结果可邮寄");
            fields.push("postal.result");
        }
        if !missing.is_empty() {
            let online = if item.has_channel(Channel::Online) {
                "网上办理未达到全程网办（深度Ⅳ）"
            } else {
                "未开通网上办理"
            };
            out.push(Finding::new(
                VISITS_CONSISTENT,
                format!(
                    "到现场次数为0（不见面），但{online}，需{}；否则请如实填写到现场次数",
                    missing.join("、")
                ),
                &fields,
            ));
        }
    }
    if item.online_depth == Some(OnlineDepth::Iv) && item.visits > 0 {
        out.push(Finding::new(
            VISITS_CONSISTENT,
            format!(
                "网上办理深度为Ⅳ（全程网办），到现场次数应为0，当前为{}次",
                item.visits
            ),
            &["online_depth", "visits"],
        ));
    }
}

/// Rule 6: fees are described when charged, and absent when not.
fn check_fees(item: &Item, out: &mut Vec<Finding>) {
    let fees = &item.fees;
    if fees.charged {
        if fees.items.is_empty() {
            out.push(Finding::new(
                FEES_CONSISTENT,
                "收费事项需列出收费项目、收费标准和收费依据",
                &["fees.items"],
            ));
        }
        for (i, fee) in fees.items.iter().enumerate() {
            let mut missing = Vec::new();
            let mut fields = Vec::new();
            for (name, label, value) in [
                ("item", "收费项目", &fee.item),
                ("standard", "收费标准", &fee.standard),
                ("basis", "收费依据", &fee.basis),
            ] {
                if is_blank(value) {
                    missing.push(label);
                    fields.push(format!("fees.items[{i}].{name}"));
                }
            }
            if !missing.is_empty() {
                out.push(Finding::with_fields(
                    FEES_CONSISTENT,
                    format!("第{}项收费缺少{}", i + 1, missing.join("、")),
                    fields,
                ));
            }
        }
    } else {
        if fees.online_payment {
            out.push(Finding::new(
                FEES_CONSISTENT,
                "不收费事项不应开通网上缴费",
                &["fees.online_payment"],
            ));
        }
        if !fees.items.is_empty() {
            out.push(Finding::new(
                FEES_CONSISTENT,
                format!("不收费事项不应列出收费项目，当前列出{}项", fees.items.len()),
                &["fees.items"],
            ));
        }
    }
}

fn all_digits(text: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit())
}

/// 0 + 2–3 digits: 010, 0376.
fn is_area_code(text: &str) -> bool {
    text.starts_with('0') && all_digits(text, 3, 4)
}

/// Local number after an area code: 5–8 digits, not starting with 0 (12345, 2981201).
fn is_local_number(text: &str) -> bool {
    let digits: String = text.chars().filter(|&c| c != '-').collect();
    !text.starts_with('-') && !digits.starts_with('0') && all_digits(&digits, 5, 8)
}

/// One phone number someone outside the county can dial: with an area code
/// (0376-2981201, (0376)2981201, 03762981201), a 400/800 number, or a mobile number;
/// optionally with an extension (转801).
fn is_dialable_phone(raw: &str) -> bool {
    let text: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '－' | '—' | '–' | '‐' => '-',
            c => c,
        })
        .collect();
    let number = match text.split_once('转') {
        Some((number, ext)) if all_digits(ext, 1, 6) => number,
        Some(_) => return false,
        None => text.as_str(),
    };
    if let Some(rest) = number.strip_prefix('(') {
        return match rest.split_once(')') {
            Some((area, local)) => {
                is_area_code(area) && is_local_number(local.strip_prefix('-').unwrap_or(local))
            }
            None => false,
        };
    }
    let digits: String = number.chars().filter(|&c| c != '-').collect();
    if !all_digits(&digits, 1, 20) || number.ends_with('-') || number.contains("--") {
        return false;
    }
    if digits.starts_with("400") || digits.starts_with("800") {
        return digits.len() == 10;
    }
    if digits.starts_with('1') {
        // Mobile: 1[3-9] + 9 digits.
        return digits.len() == 11 && matches!(digits.as_bytes()[1], b'3'..=b'9');
    }
    if !digits.starts_with('0') {
        return false;
    }
    match number.split_once('-') {
        Some((area, local)) => is_area_code(area) && is_local_number(local),
        None => (10..=12).contains(&digits.len()) && digits.as_bytes()[1] != b'0',
    }
}

/// A phone field may hold several numbers: "0376-2981201、0376-2981202".
fn phone_numbers(field: &str) -> impl Iterator<Item = &str> {
    field
        .split(['、', '，', ',', ';', '；', '/'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
}

fn phone_key(field: &str) -> String {
    field.chars().filter(char::is_ascii_digit).collect()
}

/// Rule 7: consultation and complaint phones present, different, with area code.
fn check_contacts(item: &Item, out: &mut Vec<Finding>) {
    let phones = [
        ("consult_phone", "咨询电话", &item.consult_phone),
        ("complain_phone", "投诉电话", &item.complain_phone),
    ];
    for (field, label, value) in phones {
        if is_blank(value) {
            out.push(Finding::new(
                CONTACT_PHONES,
                format!("请填写{label}"),
                &[field],
            ));
            continue;
        }
        let bad: Vec<&str> = phone_numbers(value)
            .filter(|n| !is_dialable_phone(n))
            .collect();
        if !bad.is_empty() {
            out.push(Finding::new(
                CONTACT_PHONES,
                format!(
                    "{label}“{}”缺少区号或格式有误，外地群众无法拨通；应写作 0376-2981201 的形式",
                    bad.join("、")
                ),
                &[field],
            ));
        }
    }
    let (consult, complain) = (
        phone_key(&item.consult_phone),
        phone_key(&item.complain_phone),
    );
    if !consult.is_empty() && consult == complain {
        out.push(Finding::new(
            CONTACT_PHONES,
            format!(
                "咨询电话与投诉电话相同（{}），投诉电话应另设",
                item.complain_phone.trim()
            ),
            &["consult_phone", "complain_phone"],
        ));
    }
}

/// Rule 8: a named result has its kind and a sample.
fn check_result(item: &Item, out: &mut Vec<Finding>) {
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
fn check_permit(item: &Item, out: &mut Vec<Finding>) {
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
fn check_serves_topics(item: &Item, out: &mut Vec<Finding>) {
    let (wrong, only_for) = match item.serves {
        Serves::Legal => (PERSON_ONLY_TOPICS, "自然人"),
        Serves::Person => (LEGAL_ONLY_TOPICS, "法人"),
        Serves::Both => return,
    };
    let mut topics = Vec::new();
    let mut fields = vec!["serves".to_string()];
    for (i, topic) in item.topics.iter().enumerate() {
        if wrong.contains(&topic.trim()) {
            topics.push(format!("“{}”", topic.trim()));
            fields.push(format!("topics[{i}]"));
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
fn check_materials(item: &Item, out: &mut Vec<Finding>) {
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
                vec![format!("materials[{i}].name")],
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
                    format!("materials[{i}].originals"),
                    format!("materials[{i}].copies"),
                ],
            ));
        }
    }
}

/// Rule 12: reviewed within the last year. An unparsable date is shape validation's.
fn check_staleness(item: &Item, today: Date, out: &mut Vec<Finding>) {
    let Ok(reviewed) = Date::parse(&item.reviewed_at) else {
        return;
    };
    let age = reviewed.days_until(today);
    if age > STALE_AFTER_DAYS {
        out.push(Finding::new(
            REVIEW_STALE,
            format!("办事指南已{age}天未复核（上次复核于{reviewed}），请核实内容是否仍然准确"),
            &["reviewed_at"],
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::item::{DayUnit, FeeItem, MaterialForm, Step};

    const FIXTURE: &str = include_str!("fixtures/item.json");

    fn sample() -> Item {
        crate::parse_item(FIXTURE).expect("fixture is valid")
    }

    fn today() -> Date {
        Date::parse("2026-11-27").unwrap()
    }

    fn lint(item: &Item) -> Vec<Finding> {
        lint_item(item, &LintContext::new(today()))
    }

    fn days(value: u32) -> TimeLimit {
        TimeLimit {
            value,
            unit: DayUnit::CalendarDays,
        }
    }

    fn working(value: u32) -> TimeLimit {
        TimeLimit {
            value,
            unit: DayUnit::WorkingDays,
        }
    }

    fn peer(name: &str, hall: &str, legal: TimeLimit) -> PeerLimit {
        PeerLimit {
            name: name.into(),
            hall: hall.into(),
            legal_limit: legal,
        }
    }

    /// Asserts the findings are exactly one of `rule`, with that severity and fields.
    #[track_caller]
    fn only(findings: &[Finding], rule: &str, severity: Severity, fields: &[&str]) -> Finding {
        assert_eq!(
            findings.len(),
            1,
            "expected one {rule} finding, got {findings:#?}"
        );
        let f = &findings[0];
        assert_eq!(f.rule, rule, "{f:#?}");
        assert_eq!(f.severity, severity, "{f:#?}");
        assert_eq!(f.fields, fields, "{f:#?}");
        f.clone()
    }

    /// Asserts `findings` has one finding of `rule` on exactly `fields`.
    #[track_caller]
    fn has(findings: &[Finding], rule: &str, severity: Severity, fields: &[&str]) -> Finding {
        let hits: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.rule == rule && f.fields == fields)
            .collect();
        assert_eq!(
            hits.len(),
            1,
            "expected {rule} on {fields:?}, got {findings:#?}"
        );
        assert_eq!(hits[0].severity, severity, "{:#?}", hits[0]);
        hits[0].clone()
    }

    #[test]
    fn fixture_is_clean() {
        assert_eq!(lint(&sample()), Vec::<Finding>::new());
    }

    #[test]
    fn rules_table_is_complete_and_consistent() {
        assert_eq!(RULES.len(), 12);
        for (i, rule) in RULES.iter().enumerate() {
            assert_eq!(usize::from(rule.number), i + 1);
            assert_eq!(rule_info(rule.id), Some(rule));
            assert!(!rule.title.is_empty());
        }
        let warnings: Vec<u8> = RULES
            .iter()
            .filter(|r| r.severity == Severity::Warning)
            .map(|r| r.number)
            .collect();
        assert_eq!(warnings, [3, 4, 12]);
    }

    #[test]
    fn findings_round_trip_as_json() {
        let mut item = sample();
        item.kind = Kind::Instant;
        let findings = lint(&item);
        let json = serde_json::to_string(&findings).unwrap();
        assert!(json.contains(r#""severity":"error""#), "{json}");
        assert!(
            json.contains(r#""rule":"instant-must-be-instant""#),
            "{json}"
        );
        let back: Vec<Finding> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, findings);
        assert!(has_errors(&findings));
        assert!(!has_errors(&[]));
    }

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

    // --- rule 6 ---

    #[test]
    fn charged_items_need_complete_fee_lines() {
        let mut item = sample();
        item.fees.charged = true;
        only(
            &lint(&item),
            FEES_CONSISTENT,
            Severity::Error,
            &["fees.items"],
        );
        item.fees.items = vec![
            FeeItem {
                item: "工本费".into(),
                standard: "每证10元".into(),
                basis: "豫发改收费〔2020〕1号".into(),
                waivable: false,
            },
            FeeItem {
                item: "登记费".into(),
                standard: String::new(),
                basis: " ".into(),
                waivable: true,
            },
        ];
        let f = only(
            &lint(&item),
            FEES_CONSISTENT,
            Severity::Error,
            &["fees.items[1].standard", "fees.items[1].basis"],
        );
        assert_eq!(f.message, "第2项收费缺少收费标准、收费依据");
        item.fees.items.truncate(1);
        item.fees.online_payment = true;
        assert_eq!(lint(&item), []);
    }

    #[test]
    fn free_items_have_no_payment_or_fee_lines() {
        let mut item = sample();
        item.fees.online_payment = true;
        only(
            &lint(&item),
            FEES_CONSISTENT,
            Severity::Error,
            &["fees.online_payment"],
        );
        item.fees.online_payment = false;
        item.fees.items = vec![FeeItem {
            item: "工本费".into(),
            standard: "10元".into(),
            basis: "某文件".into(),
            waivable: false,
        }];
        only(
            &lint(&item),
            FEES_CONSISTENT,
            Severity::Error,
            &["fees.items"],
        );
    }

    // --- rule 7 ---

    #[test]
    fn phones_need_an_area_code() {
        for good in [
            "0376-2981201",
            "0376-12345",
            "(0376)2981201",
            "（0376）2981201",
            "(0376)-2981201",
            "010-12345678",
            "0376 2981201",
            "03762981201",
            "400-123-4567",
            "4001234567",
            "800-820-8820",
            "13812345678",
            "0376-2981201转801",
            "0376－2981201",
        ] {
            assert!(is_dialable_phone(good), "{good}");
        }
        for bad in [
            "2981201",
            "12345",
            "0376-",
            "0376-0298120",
            "(0376)",
            "376-2981201",
            "0376-298120123",
            "400-123-456",
            "12812345678",
            "0376--2981201",
            "电话0376-2981201",
            "0376-2981201转",
        ] {
            assert!(!is_dialable_phone(bad), "{bad}");
        }
    }

    #[test]
    fn bare_local_phone_is_an_error() {
        let mut item = sample();
        item.consult_phone = "2981201".into();
        let f = only(
            &lint(&item),
            CONTACT_PHONES,
            Severity::Error,
            &["consult_phone"],
        );
        assert!(f.message.contains("“2981201”缺少区号"), "{}", f.message);
        item.consult_phone = "0376-2981201、2981202".into();
        let f = only(
            &lint(&item),
            CONTACT_PHONES,
            Severity::Error,
            &["consult_phone"],
        );
        assert!(f.message.contains("“2981202”"), "{}", f.message);
        item.consult_phone = "0376-2981201、0376-2981202".into();
        assert_eq!(lint(&item), []);
    }

    #[test]
    fn phones_present_and_different() {
        let mut item = sample();
        item.complain_phone = " ".into();
        let f = only(
            &lint(&item),
            CONTACT_PHONES,
            Severity::Error,
            &["complain_phone"],
        );
        assert_eq!(f.message, "请填写投诉电话");
        item.complain_phone = "(0376)2981201".into();
        only(
            &lint(&item),
            CONTACT_PHONES,
            Severity::Error,
            &["consult_phone", "complain_phone"],
        );
    }

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

    // --- rule 12 ---

    #[test]
    fn guides_unreviewed_for_a_year_are_stale() {
        let mut item = sample();
        item.reviewed_at = "2025-11-27".into(); // exactly 365 days
        assert_eq!(lint(&item), []);
        item.reviewed_at = "2025-11-26".into();
        let f = only(
            &lint(&item),
            REVIEW_STALE,
            Severity::Warning,
            &["reviewed_at"],
        );
        assert!(f.message.contains("已366天未复核"), "{}", f.message);
        assert!(!has_errors(&lint(&item)));
        item.reviewed_at = "去年".into();
        assert_eq!(lint(&item), []);
    }
}
