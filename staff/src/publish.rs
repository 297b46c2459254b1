//! `/staff/publish`: drafts waiting to be published with their lint status, publishing
//! (admin; errors refuse it, warnings need an acknowledgement), every catalog version
//! with one-click rollback, and the diff of one item between any two versions.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use zhinan_domain::accounts::Role;
use zhinan_domain::api::staff::{ItemFindings, StaffItemRow, Versions};

use crate::api::{self, ApiError};
use crate::changes::ChangesTable;
use crate::session::use_session;
use crate::widgets::{error_line, Loading};

fn findings_list(title: &'static str, groups: Vec<ItemFindings>) -> impl IntoView {
    (!groups.is_empty()).then(|| {
        view! {
            <h3>{title}</h3>
            <ul class="findings">
                {groups
                    .into_iter()
                    .map(|g| {
                        let href = format!("/staff/items/{}", g.code);
                        view! {
                            <li>
                                <a href=href>{g.name}</a>
                                <ul>
                                    {g.findings
                                        .into_iter()
                                        .map(|f| view! { <li data-rule=f.rule.clone()>{f.message}</li> })
                                        .collect_view()}
                                </ul>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    })
}

#[component]
fn Drafts(
    rows: Vec<StaffItemRow>,
    refresh: RwSignal<u32>,
    outcome: RwSignal<Option<Result<String, ApiError>>>,
) -> impl IntoView {
    let admin = use_session().role() == Some(Role::Admin);
    let drafts: Vec<StaffItemRow> = rows.into_iter().filter(|r| r.has_draft).collect();
    let errors: usize = drafts.iter().map(|r| r.errors).sum();
    let warnings: usize = drafts.iter().map(|r| r.warnings).sum();
    // A draft with errors keeps only itself out; the others can go.
    let ready: Vec<String> = drafts
        .iter()
        .filter(|r| r.errors == 0)
        .map(|r| r.code.clone())
        .collect();
    let chosen = RwSignal::new(ready.clone());
    let acknowledged = RwSignal::new(false);
    let note = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let publish = move |_| {
        busy.set(true);
        outcome.set(None);
        let note = note.get_untracked();
        let ack = acknowledged.get_untracked();
        let codes = chosen.get_untracked();
        spawn_local(async move {
            let mut result =
                api::publish(ack, (!note.trim().is_empty()).then_some(note), Some(codes)).await;
            // A large publish goes on in the background: follow it until done.
            while let Ok(job) = &result {
                if job.state == "done" || job.state == "failed" {
                    break;
                }
                outcome.set(Some(Ok(format!(
                    "正在发布第{}版：已写入{}/{}个事项……",
                    job.version, job.done, job.total
                ))));
                sleep(1000).await;
                result = match api::publish_status().await {
                    Ok(Some(latest)) => Ok(latest),
                    Ok(None) => break,
                    Err(e) => Err(e),
                };
            }
            outcome.set(Some(result.map(|job| {
                match (&job.info, job.state.as_str()) {
                    (Some(info), _) => {
                        let left = if job.blocked.is_empty() {
                            String::new()
                        } else {
                            format!("{}个有错误的草稿未发布。", job.blocked.len())
                        };
                        format!(
                            "已发布第{}版，{}个事项有变化。{left}",
                            info.version,
                            info.changed.len()
                        )
                    }
                    (None, "failed") => format!("第{}版发布中断，草稿都还在。", job.version),
                    _ => format!("第{}版正在发布。", job.version),
                }
            })));
            busy.set(false);
            refresh.update(|n| *n += 1);
        });
    };
    let nothing = ready.is_empty();
    view! {
        <section class="panel" aria-labelledby="drafts-title">
            <h2 id="drafts-title">"待发布的草稿"</h2>
            {if nothing {
                view! { <p class="muted">"目前没有未发布的草稿。"</p> }.into_any()
            } else {
                view! {
                    <p role="status" class={if errors > 0 { "summary-line has-errors" } else { "summary-line" }}>
                        {format!("{}个事项有草稿：共{errors}个错误，{warnings}个提醒。", drafts.len())}
                        {(errors > 0).then_some("有错误的草稿不能发布，其余可以先发布。")}
                    </p>
                    <table class="table">
                        <thead>
                            <tr>
                                <th scope="col">"发布"</th>
                                <th scope="col">"事项"</th>
                                <th scope="col">"错误"</th>
                                <th scope="col">"提醒"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {drafts
                                .into_iter()
                                .map(|r| {
                                    let href = format!("/staff/items/{}", r.code);
                                    let code = r.code.clone();
                                    let toggled = r.code.clone();
                                    let label = format!("发布 {}", r.name);
                                    let has_errors = r.errors > 0;
                                    view! {
                                        <tr data-code=r.code.clone()>
                                            <td>
                                                <input
                                                    type="checkbox"
                                                    aria-label=label
                                                    disabled=has_errors
                                                    prop:checked=move || chosen.with(|c| c.contains(&code))
                                                    on:change=move |ev| {
                                                        let on = event_target_checked(&ev);
                                                        chosen.update(|c| {
                                                            c.retain(|x| x != &toggled);
                                                            if on {
                                                                c.push(toggled.clone());
                                                            }
                                                        });
                                                    }
                                                />
                                            </td>
                                            <td><a href=href>{r.name}</a></td>
                                            <td class={if r.errors > 0 { "count-error" } else { "" }}>{r.errors}</td>
                                            <td>{r.warnings}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                }
                    .into_any()
            }}
            {admin.then(|| view! {
                <form class="publish-form" on:submit=move |ev| ev.prevent_default()>
                    <div class="field">
                        <label for="publish-note">"发布说明（可留空）"</label>
                        <input id="publish-note" type="text" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev)) />
                    </div>
                    <label class="check">
                        <input
                            id="acknowledge-warnings"
                            type="checkbox"
                            prop:checked=move || acknowledged.get()
                            on:change=move |ev| acknowledged.set(event_target_checked(&ev))
                        />
                        "我已阅读全部提醒，确认发布"
                    </label>
                    <button
                        type="button"
                        class="btn btn-primary"
                        disabled=move || { busy.get() || nothing || chosen.with(Vec::is_empty) }
                        on:click=publish
                    >
                        "发布为新版本"
                    </button>
                </form>
            })}
            {move || outcome.get().map(|o| match o {
                Ok(text) => view! { <p class="alert alert-ok" role="status" data-testid="publish-result">{text}</p> }.into_any(),
                Err(ApiError::Refused(r)) => view! {
                    <div class="alert alert-error" role="alert" data-testid="publish-result">
                        <p>{r.error.clone()}</p>
                        {findings_list("错误（必须改正）", r.errors.clone())}
                        {findings_list("提醒（需确认）", r.warnings.clone())}
                    </div>
                }.into_any(),
                Err(e) => error_line(&e),
            })}
        </section>
    }
}

#[component]
fn VersionsList(
    versions: Versions,
    refresh: RwSignal<u32>,
    message: RwSignal<Option<Result<String, ApiError>>>,
) -> impl IntoView {
    let admin = use_session().role() == Some(Role::Admin);
    let busy = RwSignal::new(false);
    let current = versions.current;
    let mut list = versions.versions;
    list.sort_by_key(|v| std::cmp::Reverse(v.version));
    let rollback = move |version: u32| {
        busy.set(true);
        spawn_local(async move {
            let result = api::rollback(version).await;
            message.set(Some(
                result.map(|v| format!("已回滚：当前版本为第{}版。", v.current)),
            ));
            busy.set(false);
            refresh.update(|n| *n += 1);
        });
    };
    view! {
        <section class="panel" aria-labelledby="versions-title">
            <h2 id="versions-title">"目录版本"</h2>
            {move || message.get().map(|m| match m {
                Ok(text) => view! { <p class="alert alert-ok" role="status">{text}</p> }.into_any(),
                Err(e) => error_line(&e),
            })}
            <table class="table versions-table">
                <thead>
                    <tr>
                        <th scope="col">"版本"</th>
                        <th scope="col">"发布时间"</th>
                        <th scope="col">"发布人"</th>
                        <th scope="col">"说明"</th>
                        <th scope="col">"变化事项"</th>
                        <th scope="col">"操作"</th>
                    </tr>
                </thead>
                <tbody>
                    {list
                        .into_iter()
                        .map(|v| {
                            let version = v.version;
                            let is_current = version == current;
                            view! {
                                <tr data-version=version.to_string() class={if is_current { "current" } else { "" }}>
                                    <td>
                                        {format!("第{version}版")}
                                        {is_current.then(|| view! { <span class="badge badge-current">"当前"</span> })}
                                    </td>
                                    <td>{v.published_at}</td>
                                    <td>{v.published_by}</td>
                                    <td>{v.note.unwrap_or_default()}</td>
                                    <td>{format!("{}项（共{}项）", v.changed.len(), v.items)}</td>
                                    <td>
                                        {(admin && !is_current).then(|| view! {
                                            <button
                                                type="button"
                                                class="btn btn-small"
                                                disabled=move || busy.get()
                                                on:click=move |_| rollback(version)
                                            >
                                                {format!("回滚到第{version}版")}
                                            </button>
                                        })}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn DiffViewer(rows: Vec<StaffItemRow>, versions: Versions, initial_code: String) -> impl IntoView {
    // Suggest the drafts and the items the listed versions changed.
    let mut suggestions: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r.code.clone(), r.name.clone()))
        .collect();
    for version in &versions.versions {
        for changed in &version.changed {
            if !suggestions.iter().any(|(c, _)| c == changed) {
                suggestions.push((changed.clone(), format!("第{}版修改", version.version)));
            }
        }
    }
    let code = RwSignal::new(if initial_code.is_empty() {
        suggestions
            .first()
            .map(|(c, _)| c.clone())
            .unwrap_or_default()
    } else {
        initial_code
    });
    let mut numbers: Vec<u32> = versions.versions.iter().map(|v| v.version).collect();
    numbers.sort_unstable();
    let from = RwSignal::new(
        numbers
            .iter()
            .rev()
            .nth(1)
            .or(numbers.first())
            .map(u32::to_string)
            .unwrap_or_default(),
    );
    let to = RwSignal::new(versions.current.to_string());
    let result = RwSignal::new(
        None::<Result<(String, String, Vec<zhinan_domain::catalog::diff::Change>), ApiError>>,
    );
    let compare = move |_| {
        let (c, f, t) = (
            code.get_untracked(),
            from.get_untracked(),
            to.get_untracked(),
        );
        result.set(None);
        spawn_local(async move {
            let r = api::diff(&c, &f, &t).await.map(|changes| (f, t, changes));
            result.set(Some(r));
        });
    };
    let label = |v: &str| {
        if v == "draft" {
            "草稿".to_string()
        } else {
            format!("第{v}版")
        }
    };
    let version_options = move |selected: RwSignal<String>, with_draft: bool| {
        let mut options: Vec<(String, String)> = numbers
            .iter()
            .rev()
            .map(|n| (n.to_string(), format!("第{n}版")))
            .collect();
        if with_draft {
            options.insert(0, ("draft".into(), "草稿".into()));
        }
        options
            .into_iter()
            .map(|(value, text)| {
                let v = value.clone();
                view! { <option value=value prop:selected=move || selected.get() == v>{text}</option> }
            })
            .collect_view()
    };
    view! {
        <section class="panel" id="diff" aria-labelledby="diff-title">
            <h2 id="diff-title">"比较一个事项的两个版本"</h2>
            <div class="inline">
                <div class="field">
                    <label for="diff-code">"事项"</label>
                    <input
                        id="diff-code"
                        type="text"
                        list="diff-codes"
                        placeholder="事项编码"
                        prop:value=move || code.get()
                        on:input=move |ev| code.set(event_target_value(&ev))
                    />
                    <datalist id="diff-codes">
                        {suggestions
                            .into_iter()
                            .map(|(c, name)| view! { <option value=c>{name}</option> })
                            .collect_view()}
                    </datalist>
                </div>
                <div class="field">
                    <label for="diff-from">"从"</label>
                    <select id="diff-from" on:change=move |ev| from.set(event_target_value(&ev))>
                        {version_options(from, false)}
                    </select>
                </div>
                <div class="field">
                    <label for="diff-to">"到"</label>
                    <select id="diff-to" on:change=move |ev| to.set(event_target_value(&ev))>
                        {version_options(to, true)}
                    </select>
                </div>
            </div>
            <button type="button" class="btn btn-primary" on:click=compare>"比较"</button>
            {move || result.get().map(|r| match r {
                Ok((f, t, changes)) => view! {
                    <ChangesTable changes before_label=label(&f) after_label=label(&t) />
                }.into_any(),
                Err(e) => error_line(&e),
            })}
        </section>
    }
}

#[component]
pub fn PublishRoute() -> impl IntoView {
    let query = use_query_map();
    let initial_code = query.with_untracked(|q| q.get("code").unwrap_or_default());
    let refresh = RwSignal::new(0u32);
    // Outlive the reload that follows a publish or a rollback.
    let published = RwSignal::new(None);
    let rolled_back = RwSignal::new(None);
    let data = LocalResource::new(move || {
        refresh.track();
        async move {
            let drafts = api::ItemQuery {
                status: "draft".into(),
                limit: 200,
                ..Default::default()
            };
            let rows = api::items(&drafts).await?.rows;
            let versions = api::versions().await?;
            Ok::<_, ApiError>((rows, versions))
        }
    });
    view! {
        <h1>"发布与版本"</h1>
        <Transition fallback=Loading>
            {move || {
                let initial_code = initial_code.clone();
                data.get().map(|r| match r {
                    Ok((rows, versions)) => view! {
                        <Drafts rows=rows.clone() refresh outcome=published />
                        <VersionsList versions=versions.clone() refresh message=rolled_back />
                        <DiffViewer rows versions initial_code />
                    }.into_any(),
                    Err(e) => error_line(&e),
                })
            }}
        </Transition>
    }
}

/// Waits `ms` milliseconds (between progress polls).
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
