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
//! as [`crate::FieldPath`]s.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::calendar::date::Date;
use crate::catalog::item::{Channel, Item, ItemType, Kind, OnlineDepth, Serves, TimeLimit};
use crate::field_path::FieldPath;

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
    pub fields: Vec<FieldPath>,
}

impl Finding {
    /// A finding of `rule`, with the rule's severity from [`RULES`].
    fn new(rule: &'static str, message: impl Into<String>, fields: &[&str]) -> Finding {
        Finding::with_fields(
            rule,
            message,
            fields.iter().map(|&f| FieldPath::from(f)).collect(),
        )
    }

    fn with_fields(
        rule: &'static str,
        message: impl Into<String>,
        fields: Vec<FieldPath>,
    ) -> Finding {
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
    pub const GUIDE_COMPLETE: &str = "guide-complete";
}

use rule_id::*;

/// Every rule, in `DOMAIN.md` order; rule 13 (guide-complete) holds the gaps real guides
/// arrive with, which shape validation used to refuse.
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
    RuleInfo {
        id: GUIDE_COMPLETE,
        number: 13,
        severity: Severity::Error,
        title: "办事指南要素齐全",
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
    check_complete(item, &mut out);
    out
}

fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

fn is_blank_opt(text: &Option<String>) -> bool {
    text.as_deref().is_none_or(is_blank)
}

/// Tolerance for comparing approximate day counts (working days × 7/5).
mod complete;
mod contacts;
mod content;
mod fees;
mod limits;
mod review;
mod visits;

use complete::check_complete;
use contacts::check_contacts;
use content::{check_materials, check_permit, check_result, check_serves_topics};
use fees::check_fees;
pub use limits::name_key;
use limits::{check_compression, check_instant, check_outliers, check_promised_within_legal};
use review::check_staleness;
use visits::check_visits;

#[cfg(test)]
mod tests;
