//! `/staff/items/{code}`: edit every guide field with the lint running as staff type,
//! preview the page exactly as citizens will see it, save drafts, and resolve conflicts.
//!
//! This file is the page (state, saving, the side panel); the form is in `sections` and
//! `groups`, built from `fields` and the one `list` editor; `checks` runs the lint;
//! `conflict` shows a save conflict.

mod checks;
mod conflict;
mod fields;
mod groups;
mod list;
mod sections;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use zhinan_domain::api::staff::{DraftConflict, StaffItem};
use zhinan_domain::{Finding, Hall, LintContext};
use zhinan_ui::GuidePage;

use self::checks::{check, today};
use self::conflict::ConflictView;
use self::fields::Ed;
use crate::api::{self, ApiError};
use crate::changes::path_label;
use crate::copy_item::CopyAsNew;
use crate::widgets::{error_line, Loading};

#[component]
fn Editor(data: StaffItem, hall: Option<Hall>) -> impl IntoView {
    let start = data
        .draft
        .as_ref()
        .map(|d| d.item.clone())
        .or_else(|| data.published.clone())
        .expect("an item has a draft or a published version");
    let has_published = data.published.is_some();
    let item = RwSignal::new(start.clone());
    let saved = RwSignal::new(start);
    let base_rev = RwSignal::new(data.draft.as_ref().map(|d| d.rev));
    let draft_by = RwSignal::new(
        data.draft
            .as_ref()
            .map(|d| (d.saved_by.clone(), d.saved_at.clone())),
    );
    let ctx = LintContext::new(today());
    let checks = Memo::new(move |_| item.with(|i| check(i, &ctx)));
    let ed = Ed {
        item,
        checks,
        readonly: !data.editable,
    };
    let dirty = Memo::new(move |_| item.with(|i| saved.with(|s| i != s)));
    let busy = RwSignal::new(false);
    let message = RwSignal::new(None::<(bool, String)>);
    let server_findings = RwSignal::new(None::<Vec<Finding>>);
    let conflict = RwSignal::new(None::<DraftConflict>);
    let preview = RwSignal::new(false);
    let confirm_discard = RwSignal::new(false);
    let origin = window().location().origin().unwrap_or_default();

    let save_from = move |base: Option<u64>| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        message.set(None);
        let sent = item.get_untracked();
        spawn_local(async move {
            match api::save_draft(sent.clone(), base).await {
                Ok(draft) => {
                    // Keep what was typed during the save; otherwise take the server's copy.
                    if item.with_untracked(|i| *i == sent) {
                        item.set(draft.item.clone());
                    }
                    saved.set(draft.item.clone());
                    base_rev.set(Some(draft.rev));
                    draft_by.set(Some((draft.saved_by.clone(), draft.saved_at.clone())));
                    let errors = draft.findings.iter().filter(|f| f.is_error()).count();
                    server_findings.set(Some(draft.findings));
                    conflict.set(None);
                    message.set(Some((
                        true,
                        format!(
                            "草稿已保存（第{}次保存）。服务器检查：{errors}个错误。",
                            draft.rev
                        ),
                    )));
                }
                Err(ApiError::Conflict(c)) => {
                    message.set(Some((
                        false,
                        "保存冲突：请在下方比较两个版本后选择。".into(),
                    )));
                    conflict.set(Some(*c));
                }
                Err(ApiError::Invalid(body)) => {
                    let fields = body
                        .fields
                        .iter()
                        .map(|f| format!("{}：{}", path_label(&f.field), f.message))
                        .collect::<Vec<_>>()
                        .join("；");
                    message.set(Some((false, format!("{} {fields}", body.error))));
                }
                Err(e) => {
                    if matches!(e, ApiError::Unauthorized) {
                        message.set(Some((
                            false,
                            "登录已失效：请在新标签页重新登录后再保存，本页修改仍保留。".into(),
                        )));
                    } else {
                        message.set(Some((false, e.to_string())));
                    }
                }
            }
            busy.set(false);
        });
    };
    let save = move |_| save_from(base_rev.get_untracked());
    let take_theirs = Callback::new(move |_: ()| {
        if let Some(c) = conflict.get_untracked() {
            item.set(c.theirs.item.clone());
            saved.set(c.theirs.item.clone());
            base_rev.set(Some(c.theirs.rev));
            draft_by.set(Some((c.theirs.saved_by.clone(), c.theirs.saved_at.clone())));
            server_findings.set(Some(c.theirs.findings.clone()));
        }
        conflict.set(None);
        message.set(Some((true, "已改用对方保存的版本。".into())));
    });
    let overwrite = Callback::new(move |rev: u64| save_from(Some(rev)));
    let code = item.with_untracked(|i| i.code.clone());
    let discard = {
        let code = code.clone();
        move |_| {
            let code = code.clone();
            confirm_discard.set(false);
            busy.set(true);
            spawn_local(async move {
                match api::discard_draft(&code).await {
                    Ok(()) => {
                        // A new item's only version was the draft: back to the list.
                        let _ = if has_published {
                            window().location().reload()
                        } else {
                            window().location().set_href("/staff")
                        };
                    }
                    Err(e) => message.set(Some((false, e.to_string()))),
                }
                busy.set(false);
            });
        }
    };
    let history_href = format!("/staff/publish?code={code}#diff");

    view! {
        <div class="editor" data-testid="editor">
            <header class="editor-head">
                <h1>{move || item.with(|i| i.name.clone())}</h1>
                <p class="muted">
                    <code>{code.clone()}</code>
                    " · "
                    {move || item.with(|i| i.department.clone())}
                </p>
                <p class="badges">
                    {move || match (base_rev.get(), draft_by.get()) {
                        (Some(rev), Some((by, at))) => view! {
                            <span class="badge badge-draft">{format!("草稿 第{rev}次保存（{by}，{at}）")}</span>
                        }.into_any(),
                        _ => view! { <span class="badge">{if has_published { "与已发布版本相同" } else { "新事项" }}</span> }.into_any(),
                    }}
                    {move || dirty.get().then(|| view! { <span class="badge badge-dirty">"有未保存的修改"</span> })}
                    {ed.readonly.then(|| view! { <span class="badge">"只读：您不能修改这个事项"</span> })}
                </p>
                <p><a href=history_href>"历史版本与差异"</a></p>
            </header>
            <div class="editor-body">
                <form class="editor-form" on:submit=move |ev| ev.prevent_default() aria-label="编辑办事指南">
                    {sections::identity(ed)}
                    {sections::time(ed)}
                    {sections::visits(ed)}
                    {sections::how(ed)}
                    {sections::result(ed)}
                    {sections::fees(ed)}
                    {sections::place(ed)}
                    {sections::faq(ed)}
                    {sections::withdrawn(ed)}
                </form>
                <aside class="editor-side" aria-label="检查与保存">
                    {checks::summary(ed)}
                    {move || server_findings.get().map(|f| {
                        let errors = f.iter().filter(|x| x.is_error()).count();
                        view! { <p class="muted small">{format!("上次保存时服务器检查：{errors}个错误，{}个提醒。", f.len() - errors)}</p> }
                    })}
                    <div class="actions">
                        <button
                            type="button"
                            class="btn btn-primary"
                            disabled=move || ed.readonly || busy.get()
                            on:click=save
                        >
                            {move || if busy.get() { "正在保存……" } else { "保存草稿" }}
                        </button>
                        <button
                            type="button"
                            class="btn"
                            aria-pressed=move || if preview.get() { "true" } else { "false" }
                            on:click=move |_| preview.update(|p| *p = !*p)
                        >
                            "群众看到的页面（预览）"
                        </button>
                        {move || (base_rev.get().is_some() && !ed.readonly).then(|| {
                            let discard = discard.clone();
                            if confirm_discard.get() {
                                view! {
                                    <span class="confirm">
                                        {if has_published { "放弃草稿后恢复为已发布版本。" } else { "这是尚未发布的新事项，放弃后将被删除。" }}
                                        <button type="button" class="btn btn-danger" on:click=discard>"确认放弃草稿"</button>
                                        <button type="button" class="btn" on:click=move |_| confirm_discard.set(false)>"取消"</button>
                                    </span>
                                }.into_any()
                            } else {
                                view! {
                                    <button type="button" class="btn" on:click=move |_| confirm_discard.set(true)>"放弃草稿"</button>
                                }.into_any()
                            }
                        })}
                    </div>
                    {move || message.get().map(|(ok, text)| view! {
                        <p class={if ok { "alert alert-ok" } else { "alert alert-error" }} role={if ok { "status" } else { "alert" }} data-testid="save-message">
                            {text}
                        </p>
                    })}
                    // In the side panel, which stays in view beside the form on a wide
                    // screen and follows the button on a narrow one: the field being
                    // edited and its effect are seen together.
                    {move || preview.get().then(|| {
                        let hall = hall.clone();
                        let origin = origin.clone();
                        view! {
                            <section class="preview" aria-label="预览：群众看到的办事指南" data-testid="preview">
                                <h2>"预览（与群众扫码看到的页面相同）"</h2>
                                <div class="preview-frame">
                                    <div class="page">
                                        {move || view! { <GuidePage item=item.get() hall=hall.clone() origin=origin.clone() /> }}
                                    </div>
                                </div>
                            </section>
                        }
                    })}
                    {(!ed.readonly).then(|| view! { <CopyAsNew item /> })}
                </aside>
            </div>
            {move || conflict.get().map(|c| view! {
                <ConflictView conflict=c on_take_theirs=take_theirs on_overwrite=overwrite />
            })}
        </div>
    }
}

async fn load(code: String) -> Result<(StaffItem, Option<Hall>), ApiError> {
    let data = api::item(&code).await?;
    let hall_id = data
        .draft
        .as_ref()
        .map(|d| d.item.hall.clone())
        .or_else(|| data.published.as_ref().map(|p| p.hall.clone()))
        .unwrap_or_default();
    let hall = api::catalog()
        .await
        .ok()
        .and_then(|c| c.hall(&hall_id).cloned());
    Ok((data, hall))
}

#[component]
pub fn EditorRoute() -> impl IntoView {
    let params = use_params_map();
    let code = Memo::new(move |_| params.read().get("code").unwrap_or_default());
    view! {
        <p class="crumbs"><a href="/staff">"← 事项列表"</a></p>
        {move || {
            let code = code.get();
            let data = LocalResource::new(move || load(code.clone()));
            view! {
                <Transition fallback=Loading>
                    {move || data.get().map(|result| match result {
                        Ok((data, _)) if data.draft.is_none() && data.published.is_none() => {
                            view! { <p class="alert alert-error">"没有找到这个事项。"</p> }.into_any()
                        }
                        Ok((data, hall)) => view! { <Editor data hall /> }.into_any(),
                        Err(ApiError::Forbidden(_)) => view! {
                            <p class="alert alert-error" role="alert">"您没有权限查看或修改这个事项（只能修改本部门的事项）。"</p>
                        }.into_any(),
                        Err(ApiError::NotFound) => view! {
                            <p class="alert alert-error" role="alert">"没有找到这个事项。"</p>
                        }.into_any(),
                        Err(e) => error_line(&e),
                    })}
                </Transition>
            }
        }}
    }
}
