//! `/staff/quality`: the data-quality report — how many items break each lint rule, and
//! each department's share with links to its items — exportable as CSV, so the centre
//! can send each department its list (editors see their own department).

use leptos::prelude::*;
use zhinan_domain::api::staff::{QualityReport, RuleCount};
use zhinan_domain::Severity;

use crate::api;
use crate::widgets::{error_line, Loading};

fn severity_label(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "错误",
        Severity::Warning => "提醒",
    }
}

/// The items list narrowed to a department and a rule.
fn items_href(department: Option<&str>, rule: &str) -> String {
    let mut href = format!("/staff?rule={}", js_sys::encode_uri_component(rule));
    if let Some(d) = department {
        href.push_str(&format!("&department={}", js_sys::encode_uri_component(d)));
    }
    href
}

fn rule_link(department: Option<&str>, rule: &RuleCount) -> impl IntoView {
    let href = items_href(department, &rule.rule);
    view! {
        <li class=format!("rule-{}", severity_label(rule.severity))>
            <a href=href>{rule.title.clone()}</a>
            {format!("（{}）{} 项", severity_label(rule.severity), rule.items)}
        </li>
    }
}

fn report_view(report: QualityReport) -> impl IntoView {
    let summary = format!(
        "共 {} 个事项：{} 个有错误（不能发布），{} 个只有提醒。",
        report.items, report.with_errors, report.with_warnings
    );
    view! {
        <p class="summary" role="status">{summary}</p>
        <h2>"按规则"</h2>
        <table class="table quality-rules">
            <thead>
                <tr>
                    <th scope="col">"规则"</th>
                    <th scope="col">"级别"</th>
                    <th scope="col">"事项数"</th>
                </tr>
            </thead>
            <tbody>
                {report
                    .by_rule
                    .iter()
                    .map(|rule| {
                        view! {
                            <tr data-rule=rule.rule.clone()>
                                <td><a href=items_href(None, &rule.rule)>{rule.title.clone()}</a></td>
                                <td>{severity_label(rule.severity)}</td>
                                <td>{rule.items}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        <h2>"按部门"</h2>
        <table class="table quality-departments">
            <thead>
                <tr>
                    <th scope="col">"部门"</th>
                    <th scope="col">"事项"</th>
                    <th scope="col">"有错误"</th>
                    <th scope="col">"只有提醒"</th>
                    <th scope="col">"问题"</th>
                </tr>
            </thead>
            <tbody>
                {report
                    .by_department
                    .into_iter()
                    .filter(|d| !d.rules.is_empty())
                    .map(|d| {
                        let rules = d
                            .rules
                            .iter()
                            .map(|r| rule_link(Some(&d.department), r))
                            .collect_view();
                        view! {
                            <tr data-department=d.department.clone()>
                                <th scope="row">{d.department.clone()}</th>
                                <td>{d.items}</td>
                                <td>{d.with_errors}</td>
                                <td>{d.with_warnings}</td>
                                <td><ul class="quality-list">{rules}</ul></td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[component]
pub fn QualityRoute() -> impl IntoView {
    let report = LocalResource::new(api::quality);
    view! {
        <section class="panel">
            <h1>"数据质量报告"</h1>
            <p class="muted">
                "目录检查（与编辑时、发布时相同的规则）发现的问题，按规则和部门统计；草稿按草稿计。"
                "点规则查看相应事项。"
            </p>
            <p>
                <a class="btn" href="/api/v1/staff/quality?format=csv" download>
                    "导出 CSV"
                </a>
            </p>
            <Transition fallback=Loading>
                {move || {
                    report
                        .get()
                        .map(|result| match result {
                            Err(e) => error_line(&e).into_any(),
                            Ok(report) => report_view(report).into_any(),
                        })
                }}
            </Transition>
        </section>
    }
}
