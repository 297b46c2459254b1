//! Lint tests: shared helpers and the rule table; one file per rule family.

use super::*;
use crate::catalog::item::{DayUnit, FeeItem, MaterialForm, Step};

const FIXTURE: &str = include_str!("../../catalog/fixtures/item.json");

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
    assert_eq!(RULES.len(), 13);
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

mod complete;
mod contacts;
mod content;
mod fees;
mod limits;
mod review;
mod visits;
