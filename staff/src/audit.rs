//! `/staff/audit`: the append-only audit log, newest first, a page at a time, filtered by
//! person, action or object; times in Beijing time, the halls' own.

use leptos::prelude::*;
use leptos::task::spawn_local;
use zhinan_domain::api::staff::AuditEntry;

use crate::api::{self, AuditQuery};
use crate::widgets::{error_line, Loading};

/// The actions the log records, with their names in the console.
const ACTIONS: &[(&str, &str)] = &[
    ("login", "登录"),
    ("login_failed", "登录失败"),
    ("logout", "退出"),
    ("save_draft", "保存草稿"),
    ("discard_draft", "放弃草稿"),
    ("publish", "发布"),
    ("publish_interrupted", "发布中断"),
    ("import", "导入"),
    ("rollback", "回滚"),
    ("create_user", "新建账号"),
    ("disable_user", "停用账号"),
    ("enable_user", "启用账号"),
    ("reset_password", "重设密码"),
    ("change_password", "修改密码"),
    ("password_check_failed", "密码确认失败"),
    ("enter_holidays", "录入节假日安排"),
    ("withdraw_holidays", "撤下节假日安排"),
    ("edit_search_words", "修改检索同义词"),
    ("print_posters", "打印海报"),
    ("retire_poster", "撤下海报"),
];

fn action_label(action: &str) -> &str {
    ACTIONS
        .iter()
        .find(|(key, _)| *key == action)
        .map_or(action, |(_, label)| label)
}

/// `2026-11-27T09:30:05+08:00` as `2026-11-27 09:30:05`: every stored time is Beijing
/// time already.
fn local_time(at: &str) -> String {
    at.get(..19).unwrap_or(at).replacen('T', " ", 1)
}

fn entry_row(e: AuditEntry) -> impl IntoView {
    let who = if e.who.is_empty() {
        "（未登录）".to_string()
    } else {
        e.who
    };
    view! {
        <tr data-action=e.action.clone()>
            <td><time datetime=e.at.clone()>{local_time(&e.at)}</time></td>
            <td>{who}</td>
            <td>{action_label(&e.action).to_string()}</td>
            <td><code>{e.target}</code></td>
            <td>{e.detail}</td>
        </tr>
    }
}

#[component]
pub fn AuditRoute() -> impl IntoView {
    let who = RwSignal::new(String::new());
    let action = RwSignal::new(String::new());
    let target = RwSignal::new(String::new());
    // The filters in force (set by the form), and the older pages loaded below the first.
    let query = RwSignal::new(AuditQuery::default());
    let first = LocalResource::new(move || {
        let q = query.get();
        async move { api::audit(&q).await }
    });
    let older = RwSignal::new(Vec::<AuditEntry>::new());
    let next = RwSignal::new(None::<i64>);
    let more_error = RwSignal::new(None::<api::ApiError>);
    let loading_more = RwSignal::new(false);
    Effect::new(move || {
        if let Some(Ok(page)) = first.get() {
            older.set(Vec::new());
            next.set(page.next_before);
            more_error.set(None);
        }
    });
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        query.set(AuditQuery {
            who: who.get_untracked(),
            action: action.get_untracked(),
            target: target.get_untracked(),
            before: None,
        });
    };
    let load_more = move |_| {
        let Some(before) = next.get_untracked() else {
            return;
        };
        if loading_more.get_untracked() {
            return;
        }
        loading_more.set(true);
        let q = AuditQuery {
            before: Some(before),
            ..query.get_untracked()
        };
        spawn_local(async move {
            match api::audit(&q).await {
                Ok(page) => {
                    older.update(|rows| rows.extend(page.entries));
                    next.set(page.next_before);
                    more_error.set(None);
                }
                Err(e) => more_error.set(Some(e)),
            }
            loading_more.set(false);
        });
    };
    view! {
        <section class="panel">
            <h1>"审计日志"</h1>
            <p class="muted">"每一次登录、保存、发布和回滚都记录在此，只增不改。时间为北京时间。"</p>
            <form class="filters" role="search" aria-label="筛选审计日志" on:submit=search>
                <div class="field field-inline">
                    <label for="audit-who">"操作人（用户名）"</label>
                    <input id="audit-who" autocomplete="off"
                        prop:value=move || who.get()
                        on:input=move |ev| who.set(event_target_value(&ev)) />
                </div>
                <div class="field field-inline">
                    <label for="audit-action">"操作"</label>
                    <select id="audit-action" on:change=move |ev| action.set(event_target_value(&ev))>
                        <option value="" selected=true>"全部"</option>
                        {ACTIONS
                            .iter()
                            .map(|(key, label)| view! { <option value=*key>{*label}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div class="field field-inline">
                    <label for="audit-target">"对象（事项编码、版本、用户名或地址）"</label>
                    <input id="audit-target" autocomplete="off"
                        prop:value=move || target.get()
                        on:input=move |ev| target.set(event_target_value(&ev)) />
                </div>
                <button class="btn" type="submit">"筛选"</button>
            </form>
            <Transition fallback=Loading>
                {move || {
                    first.get()
                        .map(|result| match result {
                            Err(e) => error_line(&e),
                            Ok(page) if page.entries.is_empty() => view! {
                                <p class="muted" role="status">"没有符合条件的记录。"</p>
                            }
                                .into_any(),
                            Ok(page) => view! {
                                <table class="table audit-table">
                                    <thead>
                                        <tr>
                                            <th scope="col">"时间"</th>
                                            <th scope="col">"操作人"</th>
                                            <th scope="col">"操作"</th>
                                            <th scope="col">"对象"</th>
                                            <th scope="col">"说明"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {page.entries.into_iter().map(entry_row).collect_view()}
                                        {move || older.get().into_iter().map(entry_row).collect_view()}
                                    </tbody>
                                </table>
                            }
                                .into_any(),
                        })
                }}
            </Transition>
            {move || more_error.get().map(|e| error_line(&e))}
            <Show when=move || next.get().is_some()>
                <button class="btn" type="button" on:click=load_more disabled=move || loading_more.get()>
                    "更早的记录"
                </button>
            </Show>
        </section>
    }
}
