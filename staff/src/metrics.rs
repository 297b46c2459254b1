//! `/staff/metrics`: the figures the centre is assessed and ranked on (即办件率, time-limit
//! compression, 不见面, online depth, items with errors, stale guides) over the published
//! catalog — each with its definition beside it, the whole catalog, each hall, and for
//! each metric the departments ranked laggards first as a bar chart (SVG drawn here, no
//! chart library) linking to their items; then the case metrics of a period
//! (`case_metrics`). CSV export of both. Every role reads it.

use leptos::prelude::*;
use zhinan_domain::metrics::{mean_of, percent, ranking, Group, Metric, MetricsReport, Tally};

use crate::api;
use crate::case_metrics::case_metrics;
use crate::widgets::{error_line, Loading};

/// Departments drawn in a metric's chart (the full ranking is in the table below it).
const CHART_ROWS: usize = 12;
const BAR_WIDTH: f64 = 320.0;
const ROW_HEIGHT: f64 = 26.0;
const LABEL_WIDTH: f64 = 230.0;

/// The items list narrowed to a department.
fn department_href(department: &str) -> String {
    format!(
        "/staff?department={}",
        js_sys::encode_uri_component(department)
    )
}

/// A label that fits the chart's label column.
fn short(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    if chars.len() <= 14 {
        name.to_string()
    } else {
        format!("{}…", chars[..13].iter().collect::<String>())
    }
}

/// The bar chart of one metric: the laggards first, the whole catalog's figure as a
/// dashed line. Drawn as SVG; the ranking below it holds the same figures, with each
/// department a link to its items, for screen readers and for copying.
fn chart(metric: Metric, ranked: &[(&Group, Option<f64>)], overall: Option<f64>) -> impl IntoView {
    let shown: Vec<(String, Option<f64>)> = ranked
        .iter()
        .take(CHART_ROWS)
        .map(|(g, v)| (g.name.clone(), *v))
        .collect();
    let height = ROW_HEIGHT * shown.len() as f64 + 24.0;
    let width = LABEL_WIDTH + BAR_WIDTH + 70.0;
    let line = overall.map(|v| LABEL_WIDTH + v * BAR_WIDTH);
    let label = format!(
        "{}：各部门，最落后的在前（前 {} 个），全部事项 {}",
        metric.label(),
        shown.len(),
        percent(overall)
    );
    view! {
        <svg
            class="metric-chart"
            role="img"
            aria-label=label
            viewBox=format!("0 0 {width} {height}")
            width=width.to_string()
            height=height.to_string()
        >
            {shown
                .into_iter()
                .enumerate()
                .map(|(i, (name, value))| {
                    let y = ROW_HEIGHT * i as f64 + 4.0;
                    let bar = value.unwrap_or(0.0) * BAR_WIDTH;
                    view! {
                        <text class="label" x=(LABEL_WIDTH - 8.0).to_string() y=(y + 16.0).to_string() text-anchor="end">
                            {short(&name)}
                        </text>
                        <rect
                            class="bar"
                            x=LABEL_WIDTH.to_string()
                            y=y.to_string()
                            width=bar.max(1.0).to_string()
                            height=(ROW_HEIGHT - 8.0).to_string()
                        />
                        <text x=(LABEL_WIDTH + bar + 6.0).to_string() y=(y + 16.0).to_string()>
                            {percent(value)}
                        </text>
                    }
                })
                .collect_view()}
            {line.map(|x| view! {
                <line class="overall" x1=x.to_string() x2=x.to_string() y1="0" y2=(height - 18.0).to_string() />
                <text class="overall-label" x=x.to_string() y=(height - 4.0).to_string() text-anchor="middle">
                    {format!("全部 {}", percent(overall))}
                </text>
            })}
        </svg>
    }
}

/// One metric: its figure, definition, chart and the departments' full ranking.
fn metric_section(metric: Metric, report: &MetricsReport) -> impl IntoView {
    let overall = metric.value(&report.total);
    let ranked = ranking(&report.departments, metric);
    let mean = mean_of(&report.departments, metric);
    let id = format!("metric-{}", metric_key(metric));
    let rows: Vec<(usize, String, String, Option<f64>, u64)> = ranked
        .iter()
        .enumerate()
        .map(|(i, (g, v))| {
            (
                i + 1,
                g.name.clone(),
                department_href(&g.name),
                *v,
                g.tally.items,
            )
        })
        .collect();
    view! {
        <section class="metric" id=id.clone() aria-labelledby=format!("{id}-title")>
            <h2 id=format!("{id}-title")>
                {metric.label()} "："
                <span class="metric-value" data-testid=format!("{id}-value")>{percent(overall)}</span>
            </h2>
            <p class="metric-definition">"计算方法：" {metric.definition()}</p>
            <p class="metric-mean">"各部门平均（每个部门计一次）：" {percent(mean)}</p>
            {chart(metric, &ranked, overall)}
            <details>
                <summary>{format!("全部 {} 个部门的排名（最落后的在前）", rows.len())}</summary>
                <table class="table metric-ranking">
                    <thead>
                        <tr>
                            <th scope="col">"名次"</th>
                            <th scope="col">"部门"</th>
                            <th scope="col">{metric.label()}</th>
                            <th scope="col">"事项数"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|(rank, name, href, value, items)| view! {
                                <tr>
                                    <td>{rank}</td>
                                    <td><a href=href>{name}</a></td>
                                    <td>{percent(value)}</td>
                                    <td>{items}</td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </details>
        </section>
    }
}

fn metric_key(metric: Metric) -> &'static str {
    match metric {
        Metric::Instant => "instant",
        Metric::Compression => "compression",
        Metric::Halved => "halved",
        Metric::VisitsZero => "visits-zero",
        Metric::VisitsAtMostOne => "visits-one",
        Metric::FullOnline => "full-online",
        Metric::Errors => "errors",
        Metric::Stale => "stale",
    }
}

/// The online depth mix of `tally` as one stacked bar with a legend.
fn depth_mix(tally: &Tally) -> impl IntoView {
    let labels = [
        "无网办",
        "Ⅰ 咨询下载",
        "Ⅱ 网上预审",
        "Ⅲ 网上受理",
        "Ⅳ 全程网办",
    ];
    let total = tally.items.max(1) as f64;
    let mut x = 0.0;
    let parts: Vec<(f64, f64, usize, u64)> = (0..5)
        .map(|d| {
            let w = tally.depth[d] as f64 / total * 600.0;
            let part = (x, w, d, tally.depth[d]);
            x += w;
            part
        })
        .collect();
    let label = labels
        .iter()
        .zip(tally.depth)
        .map(|(l, n)| format!("{l} {n} 项"))
        .collect::<Vec<_>>()
        .join("，");
    view! {
        <svg class="depth-mix" role="img" aria-label=format!("网办深度分布：{label}") viewBox="0 0 600 28" width="600" height="28">
            {parts
                .into_iter()
                .map(|(x, w, d, _)| view! {
                    <rect class=format!("depth-{d}") x=x.to_string() y="0" width=w.to_string() height="28" />
                })
                .collect_view()}
        </svg>
        <ul class="depth-legend">
            {labels
                .iter()
                .enumerate()
                .map(|(d, l)| view! {
                    <li><span class=format!("swatch depth-{d}") aria-hidden="true"></span>
                        {format!("{l}：{} 项（{}）", tally.depth[d], percent((tally.items > 0).then(|| tally.depth[d] as f64 / total)))}
                    </li>
                })
                .collect_view()}
        </ul>
    }
}

fn halls_table(report: &MetricsReport) -> impl IntoView {
    view! {
        <table class="table metric-halls">
            <thead>
                <tr>
                    <th scope="col">"服务中心"</th>
                    <th scope="col">"事项数"</th>
                    {Metric::ALL.iter().map(|m| view! { <th scope="col">{m.label()}</th> }).collect_view()}
                </tr>
            </thead>
            <tbody>
                {report
                    .halls
                    .iter()
                    .map(|h| {
                        let tally = h.tally.clone();
                        view! {
                            <tr data-hall=h.id.clone()>
                                <th scope="row">{h.name.clone()}</th>
                                <td>{tally.items}</td>
                                {Metric::ALL.iter().map(|m| view! { <td>{percent(m.value(&tally))}</td> }).collect_view()}
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

fn report_view(report: MetricsReport, query: String) -> impl IntoView {
    let summary = format!(
        "目录第 {} 版，已发布事项 {} 个，{} 个服务中心，{} 个部门。",
        report.version,
        report.total.items,
        report.halls.len(),
        report.departments.len()
    );
    view! {
        <p class="summary" role="status">{summary}</p>
        {(report.uncounted > 0).then(|| view! {
            <p class="alert">
                {format!("另有 {} 个事项在指标上线前发布，尚未计入；再次发布后计入。", report.uncounted)}
            </p>
        })}
        <p>
            <a class="btn" href=format!("/api/v1/staff/metrics?format=csv&{query}") download="zhinan-metrics.csv">
                "导出 CSV（事项指标和办件指标）"
            </a>
        </p>
        <h2>"网办深度分布"</h2>
        {depth_mix(&report.total)}
        <h2>"各服务中心"</h2>
        {halls_table(&report)}
        {Metric::ALL.iter().map(|m| metric_section(*m, &report)).collect_view()}
        {case_metrics(&report.cases)}
    }
}

/// The period of the case metrics: dates of acceptance, empty for this year.
#[component]
fn PeriodForm(query: RwSignal<String>) -> impl IntoView {
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        query.set(api::metrics_query(&from.get(), &to.get()));
    };
    view! {
        <form class="period-form" on:submit=submit>
            <fieldset>
                <legend>"办件指标的统计期间（按受理日期；不填为本年度）"</legend>
                <label for="period-from">"从"</label>
                <input id="period-from" type="date" bind:value=from />
                <label for="period-to">"至"</label>
                <input id="period-to" type="date" bind:value=to />
                <button class="btn" type="submit">"统计"</button>
            </fieldset>
        </form>
    }
}

#[component]
pub fn MetricsRoute() -> impl IntoView {
    let query = RwSignal::new(String::new());
    let report = LocalResource::new(move || api::metrics(query.get()));
    view! {
        <section class="panel metrics">
            <h1>"考核指标"</h1>
            <p>
                "按已发布事项统计，与省政务服务网考核口径一致：即办件率、时限压缩、不见面、网办深度；"
                "另列有错误的事项和超过一年未复核的指南。每项指标按部门排名，最落后的在前，点部门名称查看其事项。"
                "页末为办件指标：按时办结率、当前超期、用时与承诺、好差评。"
            </p>
            <PeriodForm query />
            <Transition fallback=Loading>
                {move || report.get().map(|result| match result {
                    Ok(report) => report_view(report, query.get_untracked()).into_any(),
                    Err(e) => error_line(&e),
                })}
            </Transition>
        </section>
    }
}
