//! `/staff/import`: a hall's guides from its provincial platform's spreadsheet (XLSX or
//! CSV in the national 实施清单 layout) or JSON. First a check that writes nothing and
//! reports every row — new, changed, unchanged or unreadable, with the lint's findings and
//! what could not be read — then, when confirmed, the same file becomes drafts. An import
//! never publishes.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use zhinan_domain::api::staff::{ImportReport, ImportRow, ImportStatus};
use zhinan_domain::Severity;

use crate::api;

fn status_label(status: ImportStatus) -> &'static str {
    match status {
        ImportStatus::New => "新增",
        ImportStatus::Changed => "修改",
        ImportStatus::Unchanged => "未变",
        ImportStatus::Unreadable => "无法读取",
    }
}

#[component]
fn ReportRow(row: ImportRow) -> impl IntoView {
    let status = row.status;
    let errors = row
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let href = row
        .code
        .clone()
        .filter(|_| status != ImportStatus::Unreadable)
        .map(|c| format!("/staff/items/{c}"));
    let notes: Vec<String> = row
        .problems
        .iter()
        .map(|p| format!("{}：{}", p.field, p.message))
        .chain(row.findings.iter().map(|f| {
            let fields: Vec<String> = f.fields.iter().map(|p| p.to_string()).collect();
            format!("[{}] {}（{}）", f.rule, f.message, fields.join("、"))
        }))
        .collect();
    view! {
        <tr data-status=format!("{status:?}").to_lowercase()>
            <td>{row.row}</td>
            <td>
                {match href {
                    Some(href) => view! { <a href=href><code>{row.code.clone()}</code></a> }.into_any(),
                    None => view! { <code>{row.code.clone().unwrap_or_default()}</code> }.into_any(),
                }}
            </td>
            <td>{row.name.unwrap_or_default()}</td>
            <td class=format!("import-{}", format!("{status:?}").to_lowercase())>
                {status_label(status)}
            </td>
            <td>{errors}</td>
            <td>
                <ul class="import-notes">
                    {notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                </ul>
            </td>
        </tr>
    }
}

#[component]
fn Report(report: ImportReport) -> impl IntoView {
    let summary = format!(
        "共 {} 行：新增 {}、修改 {}、未变 {}、无法读取 {}",
        report.rows.len(),
        report.new,
        report.changed,
        report.unchanged,
        report.unreadable
    );
    let unknown = (!report.unknown_columns.is_empty()).then(|| {
        view! {
            <p class="alert alert-warning" role="status">
                "以下列无法识别，未导入：" {report.unknown_columns.join("、")}
            </p>
        }
    });
    let done = (!report.dry_run).then(|| {
        view! {
            <p class="alert alert-ok" role="status">
                "已保存为草稿，不会自动发布。请在"
                <a href="/staff/publish">"发布"</a>
                "页检查后发布。各部门的问题见"
                <a href="/staff/quality">"数据质量报告"</a>
                "。"
            </p>
        }
    });
    view! {
        <section class="import-report" aria-label="导入检查结果">
            {done}
            <p class="import-summary" role="status">{summary}</p>
            {unknown}
            <table class="table import-table">
                <thead>
                    <tr>
                        <th scope="col">"行"</th>
                        <th scope="col">"实施编码"</th>
                        <th scope="col">"事项名称"</th>
                        <th scope="col">"结果"</th>
                        <th scope="col">"错误"</th>
                        <th scope="col">"问题与提醒"</th>
                    </tr>
                </thead>
                <tbody>
                    {report.rows.into_iter().map(|row| view! { <ReportRow row /> }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
pub fn ImportRoute() -> impl IntoView {
    let file = StoredValue::new_local(None::<web_sys::File>);
    let chosen = RwSignal::new(String::new());
    let report = RwSignal::new(None::<ImportReport>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let on_file = move |ev: leptos::ev::Event| {
        let picked = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        chosen.set(picked.as_ref().map(|f| f.name()).unwrap_or_default());
        file.set_value(picked);
        report.set(None);
        error.set(None);
    };
    let run = move |dry_run: bool| {
        let Some(picked) = file.get_value() else {
            error.set(Some("请先选择文件".into()));
            return;
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match api::import(picked, dry_run).await {
                Ok(r) => report.set(Some(r)),
                Err(e) => error.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };
    let can_write = move || {
        report.with(|r| {
            r.as_ref()
                .is_some_and(|r| r.dry_run && r.new + r.changed > 0)
        })
    };
    view! {
        <section class="panel">
            <h1>"导入事项"</h1>
            <p class="muted">
                "上传省级平台导出的实施清单（XLSX：事项一张表、申请材料一张表，按实施编码对应；"
                "或 CSV：申请材料列每行一项），或本系统导出的 JSON。先检查，确认后导入为草稿；导入不会发布。"
            </p>
            <div class="field">
                <label for="import-file">"文件"</label>
                <input
                    id="import-file"
                    type="file"
                    accept=".xlsx,.csv,.json"
                    on:change=on_file
                />
            </div>
            <div class="actions">
                <button
                    class="btn"
                    type="button"
                    disabled=move || busy.get() || chosen.with(String::is_empty)
                    on:click=move |_| run(true)
                >
                    "检查（不写入）"
                </button>
                <button
                    class="btn btn-primary"
                    type="button"
                    disabled=move || busy.get() || !can_write()
                    on:click=move |_| run(false)
                >
                    "确认导入为草稿"
                </button>
            </div>
            {move || error.get().map(|e| view! { <p class="alert alert-error" role="alert">{e}</p> })}
            {move || report.get().map(|report| view! { <Report report /> })}
        </section>
        <section class="panel" aria-labelledby="export-title">
            <h2 id="export-title">"导出"</h2>
            <p class="muted">
                "同样的格式导出，改好后可再导入（编辑只导出本部门）。事项很多时请按部门导出。"
            </p>
            <ul class="export-links">
                {[("published", "已发布的事项"), ("drafts", "草稿")]
                    .into_iter()
                    .map(|(scope, label)| {
                        view! {
                            <li>
                                {label} "："
                                {["xlsx", "csv", "json"]
                                    .into_iter()
                                    .map(|format| {
                                        let href = format!(
                                            "/api/v1/staff/export?format={format}&scope={scope}",
                                        );
                                        view! {
                                            <a class="btn" href=href download>
                                                {format.to_uppercase()}
                                            </a>
                                            " "
                                        }
                                    })
                                    .collect_view()}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
