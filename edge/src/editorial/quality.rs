//! `GET /api/v1/staff/quality[?format=csv]`: the catalog's lint findings by rule and by
//! department — drafts as staff see them, published items otherwise — so the centre can
//! chase departments (the source reports' rectification lists, in one screen). Editors
//! see their own department. Two SQL queries whatever the catalog's size.

use std::collections::BTreeMap;

use worker::Request;
use zhinan_domain::accounts::StaffUser;
use zhinan_domain::api::staff::{DepartmentQuality, QualityReport, RuleCount};
use zhinan_domain::catalog::sheet::Table;
use zhinan_domain::{Severity, RULES};

use super::common::{csv_bytes, download, json, query_param, Answer};
use super::office::Office;

fn rule_count(rule: &str, items: usize) -> RuleCount {
    let info = RULES.iter().find(|r| r.id == rule);
    RuleCount {
        rule: rule.to_string(),
        title: info.map_or_else(|| rule.to_string(), |r| r.title.to_string()),
        severity: info.map_or(Severity::Warning, |r| r.severity),
        items,
    }
}

/// Errors first, then most items.
fn ordered(mut counts: Vec<RuleCount>) -> Vec<RuleCount> {
    counts.sort_by(|a, b| {
        (b.severity == Severity::Error)
            .cmp(&(a.severity == Severity::Error))
            .then(b.items.cmp(&a.items))
            .then(a.rule.cmp(&b.rule))
    });
    counts
}

impl Office {
    pub(super) async fn quality(&self, user: &StaffUser, req: &Request) -> Answer {
        let department = match user.list_scope() {
            Some(own) => Some(own.to_string()),
            None => query_param(req, "department").filter(|d| !d.trim().is_empty()),
        };
        let (departments, rules) = self.index().await?.quality(department.as_deref())?;
        let mut totals: BTreeMap<String, usize> = BTreeMap::new();
        let mut per_department: BTreeMap<String, Vec<RuleCount>> = BTreeMap::new();
        for row in &rules {
            *totals.entry(row.rule.clone()).or_default() += row.items as usize;
            per_department
                .entry(row.department.clone())
                .or_default()
                .push(rule_count(&row.rule, row.items as usize));
        }
        let mut by_department: Vec<DepartmentQuality> = departments
            .into_iter()
            .map(|d| DepartmentQuality {
                rules: ordered(per_department.remove(&d.department).unwrap_or_default()),
                department: d.department,
                items: d.items as usize,
                with_errors: d.with_errors as usize,
                with_warnings: d.with_warnings as usize,
            })
            .collect();
        by_department.sort_by(|a, b| {
            b.with_errors
                .cmp(&a.with_errors)
                .then(b.with_warnings.cmp(&a.with_warnings))
                .then(a.department.cmp(&b.department))
        });
        let report = QualityReport {
            items: by_department.iter().map(|d| d.items).sum(),
            with_errors: by_department.iter().map(|d| d.with_errors).sum(),
            with_warnings: by_department.iter().map(|d| d.with_warnings).sum(),
            by_rule: ordered(
                totals
                    .into_iter()
                    .map(|(rule, items)| rule_count(&rule, items))
                    .collect(),
            ),
            by_department,
        };
        if query_param(req, "format").as_deref() != Some("csv") {
            return json(&report, 200);
        }
        let mut table = Table {
            headers: ["部门", "规则编号", "规则", "级别", "事项数"]
                .map(str::to_string)
                .to_vec(),
            rows: Vec::new(),
        };
        for department in &report.by_department {
            for rule in &department.rules {
                let severity = match rule.severity {
                    Severity::Error => "错误",
                    Severity::Warning => "提醒",
                };
                table.rows.push(vec![
                    department.department.clone(),
                    rule.rule.clone(),
                    rule.title.clone(),
                    severity.to_string(),
                    rule.items.to_string(),
                ]);
            }
        }
        download(
            csv_bytes(&table)?,
            "text/csv; charset=utf-8",
            "zhinan-quality.csv",
        )
    }
}
