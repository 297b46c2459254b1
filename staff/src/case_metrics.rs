//! The case half of `/staff/metrics` (办件指标): on-time rate, cases overdue now, days used
//! against the promise, the 好差评 distribution per hall, department and window, and the
//! cases to chase — overdue ones and 差评 waiting for a follow-up — by receipt number.

use leptos::prelude::*;
use zhinan_domain::cases::stats::{days, CaseGroup, CaseNotice, CaseReport, CaseTally};
use zhinan_domain::cases::Rating;
use zhinan_domain::metrics::percent;

/// One figure with its definition beside it.
fn figure(
    label: &'static str,
    id: &'static str,
    value: String,
    definition: &'static str,
) -> impl IntoView {
    view! {
        <div class="case-figure">
            <dt>{label}</dt>
            <dd>
                <span class="metric-value" data-testid=id>{value}</span>
                <span class="metric-definition">{definition}</span>
            </dd>
        </div>
    }
}

fn used_against_promised(tally: &CaseTally) -> String {
    format!(
        "{} / {}",
        days(tally.average_used()),
        days(tally.average_promised())
    )
}

/// A table of groups (halls, departments or windows) with every case figure.
fn group_table(caption: &'static str, kind: &'static str, groups: &[CaseGroup]) -> impl IntoView {
    let rows: Vec<(String, String, CaseTally)> = groups
        .iter()
        .map(|g| (g.id.clone(), g.name.clone(), g.tally.clone()))
        .collect();
    view! {
        <table class="table case-groups" data-kind=kind>
            <caption>{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">"名称"</th>
                    <th scope="col">"受理"</th>
                    <th scope="col">"办结"</th>
                    <th scope="col">"按时办结率"</th>
                    <th scope="col">"平均用时 / 承诺（天）"</th>
                    <th scope="col">"在办"</th>
                    <th scope="col">"当前超期"</th>
                    {Rating::ALL.iter().map(|r| view! { <th scope="col">{r.label()}</th> }).collect_view()}
                    <th scope="col">"差评待回访"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|(id, name, t)| view! {
                        <tr data-id=id>
                            <th scope="row">{name}</th>
                            <td>{t.accepted}</td>
                            <td>{t.decided}</td>
                            <td>{percent(t.on_time_rate())}</td>
                            <td>{used_against_promised(&t)}</td>
                            <td>{t.open}</td>
                            <td class:alert-cell={t.overdue > 0}>{t.overdue}</td>
                            {t.ratings.iter().map(|n| view! { <td>{*n}</td> }).collect_view()}
                            <td class:alert-cell={t.follow_up > 0}>{t.follow_up}</td>
                        </tr>
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

fn overdue_table(notices: &[CaseNotice], total: u64) -> impl IntoView {
    let rows = notices.to_vec();
    view! {
        <table class="table case-overdue">
            <caption>{format!("当前超期的办件（共 {total} 件，应办结日期最早的在前）")}</caption>
            <thead>
                <tr>
                    <th scope="col">"受理编号"</th>
                    <th scope="col">"事项"</th>
                    <th scope="col">"部门"</th>
                    <th scope="col">"窗口"</th>
                    <th scope="col">"受理日期"</th>
                    <th scope="col">"应办结日期"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|n| view! {
                        <tr>
                            <td class="number">{n.number}</td>
                            <td>{n.item_name}</td>
                            <td>{n.department}</td>
                            <td>{n.window}</td>
                            <td>{n.accepted_on.to_string()}</td>
                            <td>{n.due.to_string()}</td>
                        </tr>
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

fn follow_up_table(notices: &[CaseNotice], total: u64) -> impl IntoView {
    let rows = notices.to_vec();
    view! {
        <table class="table case-follow-up">
            <caption>{format!("差评待回访（共 {total} 件，最早的在前）")}</caption>
            <thead>
                <tr>
                    <th scope="col">"受理编号"</th>
                    <th scope="col">"事项"</th>
                    <th scope="col">"窗口"</th>
                    <th scope="col">"评价"</th>
                    <th scope="col">"意见"</th>
                    <th scope="col">"评价时间"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|n| view! {
                        <tr>
                            <td class="number">{n.number}</td>
                            <td>{n.item_name}</td>
                            <td>{n.window}</td>
                            <td>{n.rating.map(Rating::label).unwrap_or("—")}</td>
                            <td class="comment">{n.rating_comment.unwrap_or_default()}</td>
                            <td>{n.rated_at.unwrap_or_default()}</td>
                        </tr>
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// The case metrics of `report`.
pub fn case_metrics(report: &CaseReport) -> impl IntoView {
    let t = report.total.clone();
    let period = match (report.from, report.to) {
        (Some(from), Some(to)) => format!("{from} 至 {to}"),
        _ => "本年度".to_string(),
    };
    let today = report.today.map(|d| d.to_string()).unwrap_or_default();
    let summary = format!(
        "{period} 受理的办件 {} 件，办结 {} 件，在办 {} 件。当前超期和差评待回访按截至 {today} 的全部办件统计。",
        t.accepted, t.decided, t.open
    );
    view! {
        <section class="case-metrics" aria-labelledby="case-metrics-title">
            <h2 id="case-metrics-title">"办件指标"</h2>
            <p class="case-summary" role="status">{summary}</p>
            <dl class="case-figures">
                {figure("按时办结率", "case-on-time", percent(t.on_time_rate()), "在应办结日期当天或之前办结的件数 ÷ 办结件数（补正期间不计时）")}
                {figure("当前超期", "case-overdue", format!("{} 件", t.overdue), "仍在办理、计时未停且已过应办结日期的办件")}
                {figure("平均用时 / 平均承诺时限", "case-days", format!("{} 天", used_against_promised(&t)), "已办结件从受理到办结用去的天数（按事项的计时单位，补正期间不计）与承诺时限的平均")}
                {figure("好评率", "case-good", percent(t.good_rate()), "非常满意、满意、基本满意 ÷ 评价件数")}
                {figure("差评待回访", "case-follow-up", format!("{} 件", t.follow_up), "评价为不满意或非常不满意、尚待回访整改的办件")}
            </dl>
            <p class="rating-mix">
                "好差评分布："
                {Rating::ALL
                    .iter()
                    .zip(t.ratings)
                    .map(|(r, n)| format!("{} {n} 件", r.label()))
                    .collect::<Vec<_>>()
                    .join("，")}
            </p>
            {(!report.overdue.is_empty()).then(|| overdue_table(&report.overdue, t.overdue))}
            {(!report.follow_up.is_empty()).then(|| follow_up_table(&report.follow_up, t.follow_up))}
            {group_table("各服务中心", "halls", &report.halls)}
            {group_table("各部门", "departments", &report.departments)}
            {group_table("各窗口", "windows", &report.windows)}
        </section>
    }
}
