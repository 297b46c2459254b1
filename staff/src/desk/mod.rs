//! `/staff/desk` (窗口工作台): a window clerk registers cases (受理) and prints the receipt
//! (`register`), sees the hall's cases — overdue first, then due soon, then 差评 waiting
//! for a call back — and records each step or call back of the one chosen (`handle`).
//! Clerks work at their own hall; admins and read-only accounts choose one. Everything
//! works from the keyboard: the forms are plain forms, the rows plain buttons.

mod handle;
mod proxy;
mod register;
mod slip;

use leptos::prelude::*;
use zhinan_domain::accounts::Role;
use zhinan_domain::cases::CaseRow;

use crate::api;
use crate::session::use_session;
use crate::widgets::{error_line, Loading};

use handle::HandleCase;
use proxy::{ProxyDesk, ProxyTable};
use register::RegisterCase;
pub use slip::ProxySlipRoute;

/// A fresh idempotency key for one registration (a case, a 代办 request).
pub(crate) fn attempt_key(prefix: &str) -> String {
    let random = (js_sys::Math::random() * 9_007_199_254_740_991.0) as u64;
    format!("{prefix}-{:x}-{random:x}", js_sys::Date::now() as u64)
}

/// The applicant's name and phone, as both registration forms ask them
/// (`{prefix}-applicant`, `{prefix}-contact`).
#[component]
fn ApplicantFields(
    prefix: &'static str,
    name_label: &'static str,
    phone_label: &'static str,
    applicant: RwSignal<String>,
    contact: RwSignal<String>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=format!("{prefix}-applicant")>{name_label}</label>
            <input id=format!("{prefix}-applicant") required maxlength="30" autocomplete="off"
                prop:value=move || applicant.get()
                on:input=move |ev| applicant.set(event_target_value(&ev)) />
        </div>
        <div class="field">
            <label for=format!("{prefix}-contact")>{phone_label}</label>
            <input id=format!("{prefix}-contact") type="tel" maxlength="30" autocomplete="off"
                prop:value=move || contact.get()
                on:input=move |ev| contact.set(event_target_value(&ev)) />
        </div>
    }
}

/// The receipt number without its hyphens, as receipt links carry it.
pub(crate) fn compact(number: &str) -> String {
    number.chars().filter(|c| *c != '-').collect()
}

/// What the row says about urgency, for the eye and for screen readers alike.
fn urgency(row: &CaseRow, today: zhinan_domain::Date) -> Vec<(&'static str, &'static str)> {
    let mut marks = Vec::new();
    if row.overdue {
        marks.push(("mark-overdue", "超期"));
    } else if row.due_soon(today) {
        marks.push(("mark-soon", "即将到期"));
    }
    if row.follow_up {
        marks.push(("mark-follow-up", "差评待回访"));
    }
    marks
}

#[component]
fn CaseTable(
    hall: String,
    refresh: RwSignal<u32>,
    chosen: RwSignal<Option<CaseRow>>,
) -> impl IntoView {
    let clerk = RwSignal::new(String::new());
    let all = RwSignal::new(false);
    let hall_for_list = hall.clone();
    let list = LocalResource::new(move || {
        refresh.get();
        let hall = hall_for_list.clone();
        let clerk = clerk.get();
        let all = all.get();
        async move { api::desk_cases(&hall, &clerk, all).await }
    });
    let csv_href = move || {
        format!(
            "/api/v1/staff/desk/{}/cases?format=csv&{}",
            js_sys::encode_uri_component(&hall),
            api::desk_query(&clerk.get(), all.get())
        )
    };
    view! {
        <section class="panel desk-cases" aria-labelledby="desk-cases-title">
            <h2 id="desk-cases-title">"本中心办件"</h2>
            <div class="desk-filters">
                <label for="desk-clerk">"经办人账号"</label>
                <input id="desk-clerk" type="search" placeholder="全部"
                    prop:value=move || clerk.get()
                    on:change=move |ev| clerk.set(event_target_value(&ev)) />
                <label class="check">
                    <input id="desk-all" type="checkbox"
                        prop:checked=move || all.get()
                        on:change=move |ev| all.set(event_target_checked(&ev)) />
                    "含已结束的办件"
                </label>
                <a class="btn" href=csv_href download="zhinan-cases.csv">"导出 CSV"</a>
            </div>
            <Transition fallback=Loading>
                {move || list.get().map(|result| match result {
                    Err(e) => error_line(&e),
                    Ok(list) if list.cases.is_empty() => view! {
                        <p class="muted" role="status">"暂无办件"</p>
                    }.into_any(),
                    Ok(list) => {
                        let today = list.today;
                        view! {
                            <table class="table desk-table">
                                <caption class="visually-hidden">"超期的在前，其次即将到期，再次差评待回访"</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"受理编号"</th>
                                        <th scope="col">"事项"</th>
                                        <th scope="col">"窗口"</th>
                                        <th scope="col">"应办结"</th>
                                        <th scope="col">"状态"</th>
                                        <th scope="col">"受理人"</th>
                                        <th scope="col">"操作"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {list.cases.into_iter().map(|row| {
                                        let marks = urgency(&row, today);
                                        let pick = row.clone();
                                        view! {
                                            <tr data-number=row.number.clone() class:row-overdue=row.overdue>
                                                <td class="number">{row.number.clone()}</td>
                                                <td>{row.item_name.clone()}</td>
                                                <td>{row.window.clone()}</td>
                                                <td>{row.due.to_string()}</td>
                                                <td>
                                                    {row.status_label.clone()}
                                                    {marks.into_iter().map(|(class, label)| view! {
                                                        " " <span class=format!("mark {class}")>{label}</span>
                                                    }).collect_view()}
                                                </td>
                                                <td>{row.clerk.clone().unwrap_or_else(|| "后台系统".into())}</td>
                                                <td>
                                                    <button class="btn handle" type="button"
                                                        on:click=move |_| chosen.set(Some(pick.clone()))>
                                                        "办理"
                                                    </button>
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

/// The desk of one hall.
#[component]
fn Desk(hall: String, can_record: bool) -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let chosen = RwSignal::new(None::<CaseRow>);
    let hall_for_handle = hall.clone();
    view! {
        {can_record.then(|| view! { <RegisterCase hall=hall.clone() refresh /> })}
        <ProxyTable hall=hall.clone() can_act=can_record refresh />
        <CaseTable hall=hall.clone() refresh chosen />
        {move || chosen.get().map(|row| view! {
            <HandleCase hall=hall_for_handle.clone() row can_record refresh chosen />
        })}
    }
}

/// The name of hall `id`, once the directory has loaded.
fn hall_name(id: String) -> impl Fn() -> Option<String> + Copy {
    let halls = LocalResource::new(api::catalog);
    let id = StoredValue::new(id);
    move || {
        halls
            .get()
            .and_then(Result::ok)
            .and_then(|d| {
                d.halls
                    .into_iter()
                    .find(|h| id.with_value(|id| h.id == *id))
            })
            .map(|h| h.name)
    }
}

#[component]
pub fn DeskRoute() -> impl IntoView {
    let session = use_session();
    let user = session
        .0
        .with_untracked(|s| s.as_ref().map(|s| s.user.clone()));
    let Some(user) = user else {
        return view! { <Loading /> }.into_any();
    };
    let heading = view! {
        <h1>"窗口工作台"</h1>
        <p class="muted">
            "受理登记并打印受理通知单，登记办理环节，跟踪超期和差评回访。每一步都以你的账号记入办件和审计日志。"
        </p>
    };
    match (user.role, user.hall.clone()) {
        (Role::Agent, Some(village)) => {
            let name = hall_name(village.clone());
            view! {
                <section class="panel desk">
                    <h1>"代办工作台"</h1>
                    <p class="muted">
                        "为村民登记代办：签代办委托书、按办事指南核收材料，递交乡镇或县服务中心，结果带回后交付本人。每一步都以你的账号记入代办件和审计日志。"
                    </p>
                    <p class="desk-hall">"代办点：" <strong>{move || name().unwrap_or_default()}</strong></p>
                </section>
                <ProxyDesk village can_act=true />
            }
            .into_any()
        }
        (Role::Clerk, Some(hall)) => {
            let name = hall_name(hall.clone());
            view! {
                <section class="panel desk">
                    {heading}
                    <p class="desk-hall">"服务中心：" <strong>{move || name().unwrap_or_default()}</strong></p>
                </section>
                <Desk hall can_record=true />
            }
            .into_any()
        }
        (Role::Admin | Role::Viewer, _) => {
            let halls = LocalResource::new(api::catalog);
            let picked = RwSignal::new(String::new());
            let can_record = user.role == Role::Admin;
            view! {
                <section class="panel desk">
                    {heading}
                    <label for="desk-hall">"服务中心"</label>
                    <select id="desk-hall" on:change=move |ev| picked.set(event_target_value(&ev))>
                        <option value="">"请选择"</option>
                        {move || halls.get().and_then(Result::ok).map(|d| {
                            d.halls.into_iter().map(|h| view! { <option value=h.id.clone()>{h.name}</option> }).collect_view()
                        })}
                    </select>
                </section>
                {move || {
                    let hall = picked.get();
                    let village = halls.get().and_then(Result::ok).is_some_and(|d| {
                        d.halls.iter().any(|h| h.id == hall && h.level == zhinan_domain::catalog::item::Level::Village)
                    });
                    (!hall.is_empty()).then(|| if village {
                        view! { <ProxyDesk village=hall can_act=can_record /> }.into_any()
                    } else {
                        view! { <Desk hall can_record /> }.into_any()
                    })
                }}
            }
            .into_any()
        }
        _ => view! {
            <section class="panel desk">
                {heading}
                <p class="alert" role="alert">"窗口工作台供窗口人员使用；部门编辑请到“事项”页维护办事指南。"</p>
            </section>
        }
        .into_any(),
    }
}
