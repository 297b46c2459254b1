//! 村（社区）代办 at the desks. At a village service point the agent registers a request
//! (an item of the township or county hall, the applicant, the 委托书 signed or not, the
//! guide's materials ticked as received), prints the 委托书 and checklist slip, and
//! records the village leg; the hall the file is handed to sees it in its inbox and
//! accepts it, which opens the case under the same receipt number.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;
use zhinan_domain::api::cases::ProxyIssued;
use zhinan_domain::api::staff::StaffItemRow;
use zhinan_domain::cases::{ProxyRow, ProxyStatus};
use zhinan_domain::Item;

use crate::api::{self, ApiError, ItemQuery};
use crate::widgets::{error_line, focus, Loading};

/// Items offered per search.
const PICKS: usize = 8;

fn slip_href(number: &str) -> String {
    format!("/staff/desk/slip/{}", super::compact(number))
}

/// The agent's registration form.
#[component]
fn RegisterProxy(village: String, refresh: RwSignal<u32>) -> impl IntoView {
    let search = RwSignal::new(String::new());
    let picks = RwSignal::new(Vec::<StaffItemRow>::new());
    let item = RwSignal::new(None::<Item>);
    let item_error = RwSignal::new(None::<String>);
    let received = RwSignal::new(Vec::<String>::new());
    let applicant = RwSignal::new(String::new());
    let contact = RwSignal::new(String::new());
    let signed = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<ProxyIssued, ApiError>>);
    let village = StoredValue::new(village);
    let attempt = StoredValue::new(super::attempt_key("proxy"));
    // The halls this village takes files to: its township's and its county's.
    let targets = LocalResource::new(move || async move {
        let directory = api::catalog().await?;
        let here = directory
            .halls
            .iter()
            .find(|h| h.id == village.get_value())
            .cloned();
        Ok::<Vec<String>, ApiError>(here.map_or_else(Vec::new, |h| {
            h.proxy_targets().into_iter().map(str::to_string).collect()
        }))
    });

    let find = move |text: String| {
        search.set(text.clone());
        if text.trim().is_empty() {
            picks.set(Vec::new());
            return;
        }
        spawn_local(async move {
            // Typed before the hall list arrived: wait for it rather than find nothing.
            // Only the latest text searches once it is there (the form may be gone too).
            let halls = targets.await;
            if search.try_get_untracked().as_deref() != Some(text.as_str()) {
                return;
            }
            let halls = match halls {
                Ok(halls) => halls,
                Err(e) => {
                    item_error.set(Some(e.to_string()));
                    return;
                }
            };
            let mut found = Vec::new();
            for hall in halls {
                let query = ItemQuery {
                    q: text.clone(),
                    hall,
                    limit: PICKS * 2,
                    ..ItemQuery::default()
                };
                if let Ok(page) = api::items(&query).await {
                    found.extend(page.rows.into_iter().filter(|i| !i.is_new && !i.withdrawn));
                }
            }
            if search.try_get_untracked().as_deref() == Some(text.as_str()) {
                found.truncate(PICKS);
                picks.set(found);
            }
        });
    };
    let choose = move |code: String| {
        item_error.set(None);
        received.set(Vec::new());
        spawn_local(async move {
            match api::item(&code).await.map(|i| i.published) {
                Ok(Some(published)) => {
                    if !published.village_can_handle() {
                        item_error.set(Some(match published.in_person.clone() {
                            Some(why) => format!("该事项须本人到场（{why}），不能代办"),
                            None => "该事项的办事指南未开放代办".to_string(),
                        }));
                    }
                    item.set(Some(published));
                    focus("proxy-applicant");
                }
                Ok(None) => item_error.set(Some("该事项尚未发布".into())),
                Err(e) => item_error.set(Some(e.to_string())),
            }
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(chosen) = item.get_untracked() else {
            item_error.set(Some("请先从列表中选择要代办的事项".into()));
            focus("proxy-item-q");
            return;
        };
        if busy.get_untracked() || !chosen.village_can_handle() {
            return;
        }
        busy.set(true);
        let contact_text = contact.get_untracked();
        let body = json!({
            "item_code": chosen.code,
            "applicant_name": applicant.get_untracked(),
            "contact": (!contact_text.trim().is_empty()).then_some(contact_text),
            "mandate_signed": signed.get_untracked(),
            "received": received.get_untracked(),
        });
        spawn_local(async move {
            let result =
                api::desk_proxy_register(&village.get_value(), &body, &attempt.get_value()).await;
            if result.is_ok() {
                attempt.set_value(super::attempt_key("proxy"));
                item.set(None);
                search.set(String::new());
                picks.set(Vec::new());
                applicant.set(String::new());
                contact.set(String::new());
                signed.set(false);
                received.set(Vec::new());
                refresh.update(|n| *n += 1);
            }
            outcome.set(Some(result));
            busy.set(false);
            focus("proxy-registered");
        });
    };
    view! {
        <section class="panel desk-register" aria-labelledby="proxy-register-title">
            <h2 id="proxy-register-title">"代办登记"</h2>
            <form id="proxy-register" on:submit=submit>
                <div class="field">
                    <label for="proxy-item-q">"事项（乡镇和县级事项；名称、拼音首字母或编码）"</label>
                    <input id="proxy-item-q" type="search" autocomplete="off"
                        prop:value=move || search.get()
                        on:input=move |ev| find(event_target_value(&ev))
                        on:keydown=move |ev| {
                            if ev.key() == "Enter" {
                                ev.prevent_default();
                                if let Some(first) = picks.get_untracked().into_iter().next() {
                                    picks.set(Vec::new());
                                    choose(first.code);
                                }
                            }
                        } />
                    <p class="field-error" role="alert">{move || item_error.get()}</p>
                </div>
                {move || {
                    let list = picks.get();
                    (!list.is_empty()).then(|| view! {
                        <ul class="desk-picks" aria-label="找到的事项">
                            {list.into_iter().map(|row| {
                                let label = format!("{}（{}，{}）", row.name, row.code, row.department);
                                let code = row.code.clone();
                                view! {
                                    <li>
                                        <button type="button" class="pick-item" data-code=row.code.clone()
                                            on:click=move |_| {
                                                picks.set(Vec::new());
                                                choose(code.clone());
                                            }>
                                            {label}
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    })
                }}
                {move || item.get().map(|it| {
                    let materials = it.materials.clone();
                    view! {
                        <p class="desk-chosen" role="status">
                            "代办事项：" <strong>{it.name.clone()}</strong> {format!("（{}）", it.code)}
                        </p>
                        <fieldset class="choice proxy-materials">
                            <legend>"已收到的申请材料（按办事指南）"</legend>
                            {materials.into_iter().enumerate().map(|(i, m)| {
                                let id = format!("proxy-material-{i}");
                                let name = m.name.clone();
                                let toggle = name.clone();
                                let when = m.needed_when.clone().map(|w| format!("（{w}）"));
                                view! {
                                    <label>
                                        <input type="checkbox" id=id
                                            prop:checked=move || received.with(|r| r.contains(&name))
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                received.update(|r| {
                                                    r.retain(|n| *n != toggle);
                                                    if on {
                                                        r.push(toggle.clone());
                                                    }
                                                });
                                            } />
                                        {m.name.clone()}
                                        {when}
                                    </label>
                                }
                            }).collect_view()}
                        </fieldset>
                    }
                })}
                <super::ApplicantFields prefix="proxy" name_label="申请人（委托人）姓名"
                    phone_label="联系电话（不对外显示）" applicant contact />
                <label class="check">
                    <input id="proxy-mandate" type="checkbox"
                        prop:checked=move || signed.get()
                        on:change=move |ev| signed.set(event_target_checked(&ev)) />
                    "代办委托书已由申请人签字"
                </label>
                <button class="btn btn-primary" type="submit"
                    disabled=move || busy.get() || item.with(|i| i.as_ref().is_some_and(|i| !i.village_can_handle()))>
                    "登记代办"
                </button>
            </form>
            {move || outcome.get().map(|result| match result {
                Ok(issued) => view! {
                    <div class="alert alert-ok" id="proxy-registered" tabindex="-1" role="status">
                        <p>
                            "已登记代办：" {issued.request.item_name.clone()} "，受理编号 "
                            <strong class="accepted-number">{issued.number.clone()}</strong>
                            "，查询码 " <strong class="accepted-code">{issued.query_code.clone()}</strong> "。"
                        </p>
                        <p>
                            <a class="btn btn-primary" href=slip_href(&issued.number) target="_blank" rel="noopener">
                                "打印代办委托书和资料清单"
                            </a>
                        </p>
                    </div>
                }.into_any(),
                Err(e) => view! { <div id="proxy-registered" tabindex="-1">{error_line(&e)}</div> }.into_any(),
            })}
        </section>
    }
}

/// What a desk can do next with a request, as (button label, step body).
fn next_steps(row: &ProxyRow, at_village: bool) -> Vec<(&'static str, &'static str)> {
    match (at_village, row.status) {
        (true, ProxyStatus::Registered) if !row.mandate_signed => {
            vec![("委托书已签字", "mandate_signed"), ("撤回", "withdrawn")]
        }
        (true, ProxyStatus::Registered) => {
            vec![("递交受理中心", "handed_over"), ("撤回", "withdrawn")]
        }
        (true, ProxyStatus::HandedOver) => vec![("撤回", "withdrawn")],
        (true, ProxyStatus::Accepted) if row.case_finished => vec![("结果已带回", "result_back")],
        (true, ProxyStatus::ResultBack) => vec![("已交付申请人", "delivered")],
        (false, ProxyStatus::HandedOver) => vec![("接收受理", "accept")],
        _ => Vec::new(),
    }
}

/// A desk's 代办 requests with the buttons for the next step. Whether the hall is a
/// village point (its agents' requests) or a receiving hall comes with the list.
#[component]
pub fn ProxyTable(hall: String, can_act: bool, refresh: RwSignal<u32>) -> impl IntoView {
    let all = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    let hall = StoredValue::new(hall);
    let list = LocalResource::new(move || {
        refresh.get();
        let all = all.get();
        async move { api::desk_proxies(&hall.get_value(), all).await }
    });
    let act = move |number: String, step: &'static str| {
        let reason = if step == "withdrawn" {
            match window().prompt_with_message("撤回原因").ok().flatten() {
                Some(reason) if !reason.trim().is_empty() => reason,
                _ => return,
            }
        } else {
            String::new()
        };
        spawn_local(async move {
            let result = if step == "accept" {
                api::desk_proxy_accept(&hall.get_value(), &number)
                    .await
                    .map(|_| ())
            } else {
                let body = if step == "withdrawn" {
                    json!({ "type": step, "reason": reason })
                } else {
                    json!({ "type": step })
                };
                api::desk_proxy_step(&hall.get_value(), &number, &body)
                    .await
                    .map(|_| ())
            };
            failure.set(result.err());
            refresh.update(|n| *n += 1);
        });
    };
    let title = move || match list.get().and_then(Result::ok).map(|l| l.at_village) {
        Some(true) => "本服务点代办件",
        _ => "村（社区）代办转来",
    };
    view! {
        <section class="panel desk-proxies" aria-labelledby="desk-proxies-title">
            <h2 id="desk-proxies-title">{title}</h2>
            <label class="check">
                <input id="proxy-all" type="checkbox"
                    prop:checked=move || all.get()
                    on:change=move |ev| all.set(event_target_checked(&ev)) />
                "含已交付和已撤回的"
            </label>
            {move || failure.get().map(|e| view! { <div role="alert">{error_line(&e)}</div> })}
            <Transition fallback=Loading>
                {move || list.get().map(|result| match result {
                    Err(e) => error_line(&e),
                    Ok(list) if list.requests.is_empty() => view! {
                        <p class="muted" role="status">"暂无代办件"</p>
                    }.into_any(),
                    Ok(list) => {
                        let at_village = list.at_village;
                        view! {
                        <table class="table proxy-table">
                            <thead>
                                <tr>
                                    <th scope="col">"受理编号"</th>
                                    <th scope="col">"事项"</th>
                                    <th scope="col">"申请人"</th>
                                    <th scope="col">{if at_village { "受理中心" } else { "代办点" }}</th>
                                    <th scope="col">"状态"</th>
                                    <th scope="col">"未收材料"</th>
                                    <th scope="col">"操作"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list.requests.into_iter().map(|row| {
                                    let steps = if can_act { next_steps(&row, at_village) } else { Vec::new() };
                                    let number = row.number.clone();
                                    view! {
                                        <tr data-number=row.number.clone() data-status=format!("{:?}", row.status)>
                                            <td class="number">{row.number.clone()}</td>
                                            <td>{row.item_name.clone()}</td>
                                            <td>{row.applicant_masked.clone()}</td>
                                            <td>{if at_village { row.to_hall_name.clone() } else { row.village_name.clone() }}</td>
                                            <td class="proxy-status">
                                                {row.status.label()}
                                                {(!row.mandate_signed).then(|| view! { " " <span class="mark mark-soon">"委托书未签"</span> })}
                                                {(row.case_finished && row.status == ProxyStatus::Accepted)
                                                    .then(|| view! { " " <span class="mark mark-follow-up">"结果已出，待带回"</span> })}
                                            </td>
                                            <td>{row.missing}</td>
                                            <td class="actions">
                                                {steps.into_iter().map(|(label, step)| {
                                                    let number = number.clone();
                                                    view! {
                                                        <button class="btn btn-small proxy-step" type="button" data-step=step
                                                            on:click=move |_| act(number.clone(), step)>
                                                            {label}
                                                        </button>
                                                        " "
                                                    }
                                                }).collect_view()}
                                                {can_act.then(|| view! {
                                                    <a class="btn btn-small" href=slip_href(&row.number) target="_blank" rel="noopener">"打印"</a>
                                                })}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        }.into_any()
                    }
                })}
            </Transition>
        </section>
    }
}

/// The village service point's desk.
#[component]
pub fn ProxyDesk(village: String, can_act: bool) -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    view! {
        {can_act.then(|| view! { <RegisterProxy village=village.clone() refresh /> })}
        <ProxyTable hall=village can_act refresh />
    }
}
