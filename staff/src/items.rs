//! `/staff`: the items this user may see, with their lint status and draft badge: one
//! page at a time, filtered and searched on the server (the catalog may hold 20,000).

use leptos::prelude::*;
use zhinan_domain::api::staff::StaffItemRow;

use crate::api::{self, ItemQuery};
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

/// Statuses the list can be narrowed to, as the API names them.
const STATUSES: &[(&str, &str)] = &[
    ("", "全部"),
    ("errors", "有错误"),
    ("warnings", "只有提醒"),
    ("clean", "无问题"),
    ("draft", "有草稿"),
    ("new", "新事项"),
    ("withdrawn", "已取消"),
];

#[component]
pub fn ItemsRoute() -> impl IntoView {
    // The data-quality report links here with a department and a rule.
    let params = leptos_router::hooks::use_query_map().get_untracked();
    let query = RwSignal::new(ItemQuery {
        department: params.get("department").unwrap_or_default(),
        rule: params.get("rule").unwrap_or_default(),
        ..ItemQuery::default()
    });
    // The `after` of each page seen, so 上一页 goes back.
    let pages: RwSignal<Vec<String>> = RwSignal::new(Vec::new());
    let rows = LocalResource::new(move || {
        let q = query.get();
        async move { api::items(&q).await }
    });
    let set_filter = move |change: &dyn Fn(&mut ItemQuery)| {
        pages.set(Vec::new());
        query.update(|q| {
            change(q);
            q.after.clear();
        });
    };
    view! {
        <section class="panel">
            <h1>"事项"</h1>
            <div class="toolbar">
                <div class="field field-inline">
                    <label for="item-filter">"查找事项"</label>
                    <input
                        id="item-filter"
                        type="search"
                        placeholder="名称、编码、拼音或首字母"
                        prop:value=move || query.with(|q| q.q.clone())
                        on:input=move |ev| {
                            let text = event_target_value(&ev);
                            set_filter(&|q| q.q = text.clone());
                        }
                    />
                </div>
                <div class="field field-inline">
                    <label for="item-status">"检查结果"</label>
                    <select
                        id="item-status"
                        on:change=move |ev| {
                            let status = event_target_value(&ev);
                            set_filter(&|q| q.status = status.clone());
                        }
                    >
                        {STATUSES
                            .iter()
                            .map(|(value, label)| view! { <option value=*value>{*label}</option> })
                            .collect_view()}
                    </select>
                </div>
            </div>
            {move || {
                let (department, rule) = query.with(|q| (q.department.clone(), q.rule.clone()));
                (!department.is_empty() || !rule.is_empty()).then(|| {
                    let title = zhinan_domain::RULES
                        .iter()
                        .find(|r| r.id == rule)
                        .map_or(rule.clone(), |r| r.title.to_string());
                    let parts: Vec<String> = [(department, "部门"), (title, "规则")]
                        .into_iter()
                        .filter(|(v, _)| !v.is_empty())
                        .map(|(v, label)| format!("{label}：{v}"))
                        .collect();
                    view! {
                        <p class="active-filter" role="status">
                            {parts.join(" · ")} " "
                            <button
                                type="button"
                                class="btn btn-small"
                                on:click=move |_| {
                                    set_filter(&|q| {
                                        q.department.clear();
                                        q.rule.clear();
                                    })
                                }
                            >
                                "清除"
                            </button>
                        </p>
                    }
                })
            }}
            <Transition fallback=Loading>
                {move || {
                    rows.get()
                        .map(|result| match result {
                            Err(e) => error_line(&e),
                            Ok(page) => {
                                let total = page.total;
                                let next = page.next.clone();
                                let first = pages.with(Vec::is_empty);
                                let shown = page.rows.len();
                                view! {
                                    <p class="summary" role="status">
                                        {format!("共{total}项，本页{shown}项。")}
                                    </p>
                                    <table class="table items-table">
                                        <thead>
                                            <tr>
                                                <th scope="col">"事项"</th>
                                                <th scope="col">"实施主体"</th>
                                                <th scope="col">"检查结果"</th>
                                            </tr>
                                        </thead>
                                        <tbody>{page.rows.into_iter().map(row_view).collect_view()}</tbody>
                                    </table>
                                    <nav class="pager" aria-label="翻页">
                                        <button
                                            type="button"
                                            class="btn"
                                            disabled=first
                                            on:click=move |_| {
                                                let mut seen = pages.get_untracked();
                                                let back = seen.pop().unwrap_or_default();
                                                pages.set(seen);
                                                query.update(|q| q.after = back);
                                            }
                                        >
                                            "上一页"
                                        </button>
                                        <button
                                            type="button"
                                            class="btn"
                                            disabled=next.is_none()
                                            on:click=move |_| {
                                                if let Some(after) = next.clone() {
                                                    let here = query.with_untracked(|q| q.after.clone());
                                                    pages.update(|p| p.push(here));
                                                    query.update(|q| q.after = after);
                                                }
                                            }
                                        >
                                            "下一页"
                                        </button>
                                    </nav>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Transition>
        </section>
    }
}
