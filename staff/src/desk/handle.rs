//! One case at the desk: record its next step — 补正 asks which materials, from the
//! item's own list; 办结 with the result; pickup place or mail tracking — or a call back
//! about its 差评; print its receipt again. The case model refuses a step out of order,
//! and its reason is shown as it is.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Value};
use zhinan_domain::cases::CaseRow;

use crate::api::{self, ApiError};
use crate::widgets::{error_line, focus};

/// The steps a clerk records, as the API names them, with their labels.
const STEPS: [(&str, &str); 9] = [
    ("reviewing", "审查中"),
    ("correction_requested", "补正（一次性告知需补交的材料）"),
    ("correction_done", "补正完成"),
    ("approved", "办结（准予）"),
    ("rejected", "办结（不予）"),
    ("returned", "退回"),
    ("ready_for_pickup", "待领取"),
    ("picked_up", "已领取"),
    ("mailed", "已邮寄"),
];

#[component]
pub fn HandleCase(
    hall: String,
    row: CaseRow,
    can_record: bool,
    refresh: RwSignal<u32>,
    chosen: RwSignal<Option<CaseRow>>,
) -> impl IntoView {
    let hall = StoredValue::new(hall);
    let number = StoredValue::new(row.number.clone());
    let step = RwSignal::new("reviewing".to_string());
    let missing = RwSignal::new(Vec::<String>::new());
    let other = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let place = RwSignal::new(row.window.clone());
    let carrier = RwSignal::new("EMS".to_string());
    let tracking = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let outcome = RwSignal::new(String::new());
    let done = RwSignal::new(true);
    let busy = RwSignal::new(false);
    let message = RwSignal::new(None::<Result<String, ApiError>>);
    // The item's materials, for 补正.
    let code = row.item_code.clone();
    let materials = LocalResource::new(move || {
        let code = code.clone();
        async move {
            api::item(&code)
                .await
                .ok()
                .and_then(|i| i.published)
                .map(|item| {
                    item.materials
                        .into_iter()
                        .map(|m| m.name)
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        }
    });

    let finish = move |result: Result<String, ApiError>| {
        if result.is_ok() {
            refresh.update(|n| *n += 1);
            note.set(String::new());
        }
        message.set(Some(result));
        busy.set(false);
        focus("desk-case-message");
    };
    let submit_step = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let kind = step.get_untracked();
        let mut body = json!({ "type": kind });
        match kind.as_str() {
            "correction_requested" => {
                let mut list = missing.get_untracked();
                list.extend(
                    other
                        .get_untracked()
                        .split(['、', '，', ','])
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string),
                );
                body["missing"] = json!(list);
            }
            "rejected" | "returned" => body["reason"] = json!(reason.get_untracked()),
            "ready_for_pickup" => body["place"] = json!(place.get_untracked()),
            "mailed" => {
                body["carrier"] = json!(carrier.get_untracked());
                body["tracking"] = json!(tracking.get_untracked());
            }
            _ => {}
        }
        let text = note.get_untracked();
        if !text.trim().is_empty() {
            body["note"] = Value::String(text);
        }
        busy.set(true);
        spawn_local(async move {
            let result = api::desk_event(&hall.get_value(), &number.get_value(), &body)
                .await
                .map(|case| {
                    let label = case.events.last().map_or("", |e| e.kind.label());
                    format!("已登记：{label}")
                });
            if result.is_ok() {
                missing.set(Vec::new());
                other.set(String::new());
                reason.set(String::new());
            }
            finish(result);
        });
    };
    let submit_follow_up = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let body = json!({ "outcome": outcome.get_untracked(), "done": done.get_untracked() });
        spawn_local(async move {
            let result = api::desk_follow_up(&hall.get_value(), &number.get_value(), &body)
                .await
                .map(|case| {
                    if case.needs_follow_up() {
                        "已记录回访；该差评仍待回访".to_string()
                    } else {
                        "已记录回访，回访完成".to_string()
                    }
                });
            if result.is_ok() {
                outcome.set(String::new());
            }
            finish(result);
        });
    };

    let title = format!("办理 {} · {}", row.number, row.item_name);
    let receipt_href = format!("/staff/receipt/{}", super::compact(&row.number));
    let follow_up = row.follow_up;
    view! {
        <section class="panel desk-case" id="desk-case" aria-labelledby="desk-case-title">
            <h2 id="desk-case-title">{title}</h2>
            <p>
                "当前状态：" {row.status_label.clone()} "，应办结日期 " {row.due.to_string()} "。 "
                // The receipt shows the query code: only for who records cases here.
                {can_record.then(|| view! {
                    <a href=receipt_href target="_blank" rel="noopener">"补打受理通知单"</a>
                })}
                " "
                <button type="button" class="btn btn-small" on:click=move |_| chosen.set(None)>"关闭"</button>
            </p>
            {move || message.get().map(|m| match m {
                Ok(text) => view! { <p class="alert alert-ok" id="desk-case-message" tabindex="-1" role="status">{text}</p> }.into_any(),
                Err(e) => view! { <div id="desk-case-message" tabindex="-1">{error_line(&e)}</div> }.into_any(),
            })}
            {can_record.then(|| view! {
                <form class="desk-step" on:submit=submit_step>
                    <div class="field">
                        <label for="step-type">"登记环节"</label>
                        <select id="step-type" on:change=move |ev| step.set(event_target_value(&ev))>
                            {STEPS.iter().map(|(value, label)| view! {
                                <option value=*value selected=move || step.get() == *value>{*label}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <Show when=move || step.get() == "correction_requested">
                        <fieldset class="choice step-missing">
                            <legend>"需补交的材料"</legend>
                            {move || materials.get().map(|names| names.into_iter().map(|name| {
                                let value = name.clone();
                                let checked = name.clone();
                                view! {
                                    <label>
                                        <input type="checkbox" class="missing-material" value=name.clone()
                                            prop:checked=move || missing.with(|m| m.contains(&checked))
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                let value = value.clone();
                                                missing.update(|m| {
                                                    m.retain(|x| *x != value);
                                                    if on { m.push(value); }
                                                });
                                            } />
                                        {name}
                                    </label>
                                }
                            }).collect_view())}
                        </fieldset>
                        <div class="field">
                            <label for="step-other">"其他需补交的材料（用顿号分隔）"</label>
                            <input id="step-other" prop:value=move || other.get()
                                on:input=move |ev| other.set(event_target_value(&ev)) />
                        </div>
                    </Show>
                    <Show when=move || matches!(step.get().as_str(), "rejected" | "returned")>
                        <div class="field">
                            <label for="step-reason">"原因（告知申请人）"</label>
                            <textarea id="step-reason" maxlength="200" prop:value=move || reason.get()
                                on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                        </div>
                    </Show>
                    <Show when=move || step.get() == "ready_for_pickup">
                        <div class="field">
                            <label for="step-place">"领取地点"</label>
                            <input id="step-place" prop:value=move || place.get()
                                on:input=move |ev| place.set(event_target_value(&ev)) />
                        </div>
                    </Show>
                    <Show when=move || step.get() == "mailed">
                        <div class="field">
                            <label for="step-carrier">"快递公司"</label>
                            <input id="step-carrier" prop:value=move || carrier.get()
                                on:input=move |ev| carrier.set(event_target_value(&ev)) />
                            <label for="step-tracking">"运单号"</label>
                            <input id="step-tracking" prop:value=move || tracking.get()
                                on:input=move |ev| tracking.set(event_target_value(&ev)) />
                        </div>
                    </Show>
                    <div class="field">
                        <label for="step-note">"备注（可不填）"</label>
                        <input id="step-note" maxlength="200" prop:value=move || note.get()
                            on:input=move |ev| note.set(event_target_value(&ev)) />
                    </div>
                    <button class="btn btn-primary" type="submit" disabled=move || busy.get()>"登记"</button>
                </form>
            })}
            {(can_record && follow_up).then(|| view! {
                <form class="desk-follow-up" on:submit=submit_follow_up>
                    <h3>"差评回访"</h3>
                    <div class="field">
                        <label for="follow-outcome">"回访结果"</label>
                        <textarea id="follow-outcome" required maxlength="500" prop:value=move || outcome.get()
                            on:input=move |ev| outcome.set(event_target_value(&ev))></textarea>
                    </div>
                    <label class="check">
                        <input id="follow-done" type="checkbox" prop:checked=move || done.get()
                            on:change=move |ev| done.set(event_target_checked(&ev)) />
                        "回访完成（电话未接通等请取消勾选，该差评仍列为待回访）"
                    </label>
                    <button class="btn btn-primary" type="submit" disabled=move || busy.get()>"记录回访"</button>
                </form>
            })}
        </section>
    }
}
