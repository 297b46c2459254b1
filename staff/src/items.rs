//! `/staff`: the items this user may see, with their lint status and draft badge.

use leptos::prelude::*;
use zhinan_domain::api::staff::StaffItemRow;

use crate::api;
use crate::widgets::{error_line, Loading};

fn row_view(row: StaffItemRow) -> impl IntoView {
    let href = format!("/staff/items/{}", row.code);
    let status = if row.errors > 0 {
        view! { <span class="count count-error">{format!("{}个错误", row.errors)}</span> }
            .into_any()
    } else {
        view! { <span class="count count-ok">"无错误"</span> }.into_any()
    };
    let warnings = (row.warnings > 0).then(
        || view! { <span class="count count-warning">{format!("{}个提醒", row.warnings)}</span> },
    );
    view! {
        <tr data-code=row.code.clone()>
            <td>
                <a href=href>{row.name.clone()}</a>
                <div class="muted small"><code>{row.code.clone()}</code></div>
            </td>
            <td>{row.department.clone()}</td>
            <td class="status">
                {status}
                {warnings}
                {row.is_new.then(|| view! { <span class="badge badge-draft">"新事项，未发布"</span> })}
                {(row.has_draft && !row.is_new).then(|| view! { <span class="badge badge-draft">"草稿未发布"</span> })}
                {row.withdrawn.then(|| view! { <span class="badge badge-withdrawn">"已取消"</span> })}
                {(!row.editable).then(|| view! { <span class="badge">"只读"</span> })}
            </td>
        </tr>
    }
}

#[component]
pub fn ItemsRoute() -> impl IntoView {
    let rows = LocalResource::new(api::items);
    let filter = RwSignal::new(String::new());
    let drafts_only = RwSignal::new(false);
    view! {
        <section class="panel">
            <h1>"事项"</h1>
            <div class="toolbar">
                <div class="field field-inline">
                    <label for="item-filter">"查找事项"</label>
                    <input
                        id="item-filter"
                        type="search"
                        placeholder="名称、编码或部门"
                        prop:value=move || filter.get()
                        on:input=move |ev| filter.set(event_target_value(&ev))
                    />
                </div>
                <label class="check">
                    <input
                        type="checkbox"
                        prop:checked=move || drafts_only.get()
                        on:change=move |ev| drafts_only.set(event_target_checked(&ev))
                    />
                    "只看有草稿的事项"
                </label>
            </div>
            <Transition fallback=Loading>
                {move || {
                    rows.get()
                        .map(|result| match result {
                            Err(e) => error_line(&e),
                            Ok(rows) => {
                                let total = rows.len();
                                let errors = rows.iter().filter(|r| r.errors > 0).count();
                                let warnings = rows.iter().filter(|r| r.warnings > 0).count();
                                let drafts = rows.iter().filter(|r| r.has_draft).count();
                                let needle = filter.get().trim().to_lowercase();
                                let only = drafts_only.get();
                                let shown: Vec<StaffItemRow> = rows
                                    .into_iter()
                                    .filter(|r| !only || r.has_draft)
                                    .filter(|r| {
                                        needle.is_empty()
                                            || r.name.to_lowercase().contains(&needle)
                                            || r.code.to_lowercase().contains(&needle)
                                            || r.department.contains(&needle)
                                    })
                                    .collect();
                                view! {
                                    <p class="summary" role="status">
                                        {format!(
                                            "共{total}项：{errors}项有错误，{warnings}项有提醒，{drafts}项有未发布的草稿。",
                                        )}
                                    </p>
                                    <table class="table items-table">
                                        <thead>
                                            <tr>
                                                <th scope="col">"事项"</th>
                                                <th scope="col">"实施主体"</th>
                                                <th scope="col">"检查结果"</th>
                                            </tr>
                                        </thead>
                                        <tbody>{shown.into_iter().map(row_view).collect_view()}</tbody>
                                    </table>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Transition>
        </section>
    }
}
