//! 受理登记: find the item (name, pinyin or code, the hall's published items), the
//! applicant, a phone, how the result is delivered; then the receipt to print.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;
use zhinan_domain::api::cases::Accepted;
use zhinan_domain::api::staff::StaffItemRow;

use crate::api::{self, ApiError, ItemQuery};
use crate::widgets::{error_line, focus};

/// Items offered per search.
const PICKS: usize = 8;

#[component]
pub fn RegisterCase(hall: String, refresh: RwSignal<u32>) -> impl IntoView {
    let search = RwSignal::new(String::new());
    let picks = RwSignal::new(Vec::<StaffItemRow>::new());
    let item = RwSignal::new(None::<StaffItemRow>);
    let applicant = RwSignal::new(String::new());
    let contact = RwSignal::new(String::new());
    let delivery = RwSignal::new("window".to_string());
    let busy = RwSignal::new(false);
    // Sent without an item picked from the list.
    let need_item = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<Accepted, ApiError>>);
    let hall = StoredValue::new(hall);
    // One key per registration: a retry after a dropped connection is the same one.
    let attempt = StoredValue::new(super::attempt_key("desk"));

    let find = move |text: String| {
        search.set(text.clone());
        if text.trim().is_empty() {
            picks.set(Vec::new());
            return;
        }
        let query = ItemQuery {
            q: text.clone(),
            hall: hall.get_value(),
            limit: PICKS * 2,
            ..ItemQuery::default()
        };
        spawn_local(async move {
            if let Ok(page) = api::items(&query).await {
                // Only what has been published can be accepted; answers to an older
                // search arriving late are dropped.
                if search.get_untracked() == text {
                    picks.set(
                        page.rows
                            .into_iter()
                            .filter(|i| !i.is_new && !i.withdrawn)
                            .take(PICKS)
                            .collect(),
                    );
                }
            }
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(chosen) = item.get_untracked() else {
            need_item.set(true);
            focus("desk-item-q");
            return;
        };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let contact_text = contact.get_untracked();
        let body = json!({
            "item_code": chosen.code,
            "applicant_name": applicant.get_untracked(),
            "contact": (!contact_text.trim().is_empty()).then_some(contact_text),
            "delivery": delivery.get_untracked(),
        });
        spawn_local(async move {
            let result = api::desk_accept(&hall.get_value(), &body, &attempt.get_value()).await;
            if result.is_ok() {
                attempt.set_value(super::attempt_key("desk"));
                item.set(None);
                search.set(String::new());
                picks.set(Vec::new());
                applicant.set(String::new());
                contact.set(String::new());
                refresh.update(|n| *n += 1);
            }
            outcome.set(Some(result));
            busy.set(false);
            focus("desk-accepted");
        });
    };
    view! {
        <section class="panel desk-register" aria-labelledby="desk-register-title">
            <h2 id="desk-register-title">"受理登记"</h2>
            <form id="desk-register" on:submit=submit>
                <div class="field">
                    <label for="desk-item-q">"事项（名称、拼音首字母或编码；回车选第一个）"</label>
                    <input id="desk-item-q" type="search" autocomplete="off"
                        aria-describedby="desk-item-hint"
                        prop:value=move || search.get()
                        on:input=move |ev| find(event_target_value(&ev))
                        on:keydown=move |ev| {
                            // Enter takes the first item found (clerks type, then Enter).
                            if ev.key() == "Enter" {
                                ev.prevent_default();
                                match picks.get_untracked().into_iter().next() {
                                    Some(first) => {
                                        need_item.set(false);
                                        item.set(Some(first));
                                        focus("desk-applicant");
                                    }
                                    None => need_item.set(true),
                                }
                            }
                        } />
                    <p id="desk-item-hint" class="field-error" role="alert">
                        {move || need_item.get().then_some("请先从列表中选择要办理的事项")}
                    </p>
                </div>
                {move || {
                    let list = picks.get();
                    (!list.is_empty() && item.with(Option::is_none)).then(|| view! {
                        <ul class="desk-picks" aria-label="找到的事项">
                            {list.into_iter().map(|row| {
                                let label = format!("{}（{}）", row.name, row.code);
                                let picked = row.clone();
                                view! {
                                    <li>
                                        <button type="button" class="pick-item" data-code=row.code.clone()
                                            on:click=move |_| {
                                                need_item.set(false);
                                                item.set(Some(picked.clone()));
                                                focus("desk-applicant");
                                            }>
                                            {label}
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    })
                }}
                {move || item.get().map(|row| view! {
                    <p class="desk-chosen" role="status">
                        "办理事项：" <strong>{row.name.clone()}</strong> {format!("（{}，{}）", row.code, row.department)}
                        " "
                        <button type="button" class="btn btn-small" on:click=move |_| {
                            item.set(None);
                            focus("desk-item-q");
                        }>"重选"</button>
                    </p>
                })}
                <super::ApplicantFields prefix="desk" name_label="申请人姓名"
                    phone_label="联系电话（补正和回访时联系，不对外显示）" applicant contact />
                <fieldset class="choice">
                    <legend>"取件方式"</legend>
                    <label><input type="radio" name="delivery" id="desk-delivery-window" value="window"
                        prop:checked=move || delivery.get() == "window"
                        on:change=move |_| delivery.set("window".into()) />"窗口领取"</label>
                    <label><input type="radio" name="delivery" id="desk-delivery-post" value="post"
                        prop:checked=move || delivery.get() == "post"
                        on:change=move |_| delivery.set("post".into()) />"邮寄送达"</label>
                </fieldset>
                <button class="btn btn-primary" type="submit" disabled=move || busy.get()>
                    "受理"
                </button>
            </form>
            {move || outcome.get().map(|result| match result {
                Ok(accepted) => {
                    // No code in the link: the receipt page reads it through the desk.
                    let href = format!("/staff/receipt/{}", super::compact(&accepted.number));
                    view! {
                        <div class="alert alert-ok" id="desk-accepted" tabindex="-1" role="status">
                            <p>
                                "已受理：" {accepted.case.item_name.clone()} "，受理编号 "
                                <strong class="accepted-number">{accepted.number.clone()}</strong>
                                "，查询码 " <strong class="accepted-code">{accepted.query_code.clone()}</strong>
                                "，承诺办结日期 " {accepted.due.to_string()} "。"
                            </p>
                            <p><a class="btn btn-primary" href=href target="_blank" rel="noopener">"打印受理通知单"</a></p>
                        </div>
                    }
                    .into_any()
                }
                Err(e) => view! { <div id="desk-accepted" tabindex="-1">{error_line(&e)}</div> }.into_any(),
            })}
        </section>
    }
}
