//! `/staff/posters`: QR poster sheets for one item, a life event, a zone, a department or
//! a whole hall (1, 2, 4 or 8 per A4 page), a zone's door poster and a hall's bulletin
//! board poster (a village's). Each poster carries the item's
//! name, its QR code (vector, ≥ 3 cm, with its quiet zone), the short official address
//! written out, the item code, the hall and zone, the warning that a government code never
//! asks for payment, and its serial; printed with the browser's print (print CSS, no PDF
//! library). Below, the posters issued with their scans (never scanned, stopped, count
//! and last day) for the chosen hall, each retirable in one click, and any well-formed
//! serial scanned that was never printed.

use leptos::prelude::*;
use leptos::task::spawn_local;
use zhinan_domain::accounts::Role;
use zhinan_domain::catalog::poster::{
    IssuedPosters, Poster, PrintRequest, ScanSummary, NO_PAYMENT, STOPPED_AFTER_DAYS,
};

use crate::api::{self, ApiError};
use crate::session::use_session;
use crate::widgets::{error_line, focus, Loading};

/// Posters per A4 page the sheet offers.
const LAYOUTS: [u8; 4] = [1, 2, 4, 8];

fn given(value: String) -> Option<String> {
    let value = value.trim().to_string();
    (!value.is_empty()).then_some(value)
}

fn poster_card(poster: Poster, origin: String) -> impl IntoView {
    let address = format!("{origin}/q/{}", poster.serial);
    let qr = format!("/qr/q/{}.svg", poster.serial);
    let code = poster.code.clone();
    view! {
        <article class="poster" data-serial=poster.serial.clone()>
            <h2 class="poster-name">{poster.name.clone()}</h2>
            <img class="poster-qr" src=qr alt=format!("{}的二维码", poster.name) />
            <p class="poster-address">"扫码或输入网址：" <strong>{address}</strong></p>
            {code.map(|c| view! { <p class="poster-code">"事项编码 " {c}</p> })}
            <p class="poster-place">{poster.hall_name.clone()} " · " {poster.zone.clone()}</p>
            <p class="poster-warning">{NO_PAYMENT}</p>
            <p class="poster-serial">"海报编号 " {poster.serial.clone()}</p>
        </article>
    }
}

/// The posters as pages of `per_page`.
fn sheet(issued: IssuedPosters, per_page: u8) -> impl IntoView {
    let pages: Vec<Vec<Poster>> = issued
        .posters
        .chunks(usize::from(per_page))
        .map(<[Poster]>::to_vec)
        .collect();
    let count = pages.len();
    let origin = issued.origin;
    view! {
        <p class="no-print" role="status" id="sheet-status">
            {format!("已生成 {} 张海报，共 {count} 页（每页 {per_page} 张）。打印时请选 A4、缩放 100%。", issued.posters.len())}
        </p>
        <p class="no-print">
            <button type="button" class="btn btn-primary" on:click=|_| {
                if let Some(w) = web_sys::window() {
                    let _ = w.print();
                }
            }>"打印"</button>
        </p>
        <div class=format!("sheet per-{per_page}")>
            {pages
                .into_iter()
                .map(|posters| {
                    let origin = origin.clone();
                    view! {
                        <section class="sheet-page">
                            {posters.into_iter().map(|p| poster_card(p, origin.clone())).collect_view()}
                        </section>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// What the scans say of a poster: never scanned, stopped, or its count and last day.
fn scan_state(poster: &Poster, scans: &[ScanSummary], today: &str) -> (String, &'static str) {
    let Some(s) = scans.iter().find(|s| s.serial == poster.serial) else {
        return ("从未扫码".to_string(), "scan-never");
    };
    let last = s.last_day.clone().unwrap_or_default();
    let quiet = days_between(&last, today).is_some_and(|d| d > STOPPED_AFTER_DAYS);
    let text = format!("{} 次，最近 {last}", s.total);
    if quiet {
        (format!("{text}（已停止）"), "scan-stopped")
    } else {
        (text, "scan-live")
    }
}

/// Whole days from `a` to `b` (both `YYYY-MM-DD`).
fn days_between(a: &str, b: &str) -> Option<i64> {
    let a = zhinan_domain::Date::parse(a).ok()?;
    let b = zhinan_domain::Date::parse(b).ok()?;
    Some(a.days_until(b))
}

fn issued_list(refresh: RwSignal<u32>, hall: RwSignal<String>, can_retire: bool) -> impl IntoView {
    let listing = LocalResource::new(move || {
        refresh.get();
        api::posters(hall.get())
    });
    let today = zhinan_domain::catalog::hours::china_time(js_sys::Date::now())
        .0
        .to_string();
    let retire = move |serial: String| {
        spawn_local(async move {
            let _ = api::retire_poster(&serial).await;
            refresh.update(|n| *n += 1);
        });
    };
    view! {
        <h2 class="no-print">"已打印的海报"</h2>
        <Transition fallback=Loading>
            {move || listing.get().map(|result| match result {
                Err(e) => error_line(&e),
                Ok(listing) => {
                    let scans = listing.scans.clone();
                    let today = today.clone();
                    let show_scans = !hall.get_untracked().is_empty();
                    let unknown = listing.unknown.clone();
                    view! {
                    {(!show_scans).then(|| view! {
                        <p class="no-print muted">"选择服务中心后显示各海报的扫码情况。"</p>
                    })}
                    <table class="table posters-table no-print">
                        <thead>
                            <tr>
                                <th scope="col">"编号"</th>
                                <th scope="col">"事项"</th>
                                <th scope="col">"服务中心 · 专区"</th>
                                <th scope="col">"打印日期"</th>
                                <th scope="col">"扫码"</th>
                                <th scope="col">"状态"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {listing.posters.into_iter().map(|p| {
                                let serial = p.serial.clone();
                                let retired = p.retired_at.clone();
                                let (scanned, class) = if show_scans {
                                    scan_state(&p, &scans, &today)
                                } else {
                                    (String::new(), "")
                                };
                                view! {
                                    <tr data-serial=p.serial.clone()>
                                        <td>{p.serial.clone()}</td>
                                        <td>{p.name.clone()}</td>
                                        <td>{p.hall_name.clone()} " · " {p.zone.clone()}</td>
                                        <td>{p.printed_at.clone()}</td>
                                        <td class=class>{scanned}</td>
                                        <td>{match retired {
                                            Some(day) => format!("{day} 已撤下").into_any(),
                                            None if can_retire => view! {
                                                <button type="button" class="btn btn-small"
                                                    on:click=move |_| retire(serial.clone())>
                                                    "撤下"
                                                </button>
                                            }.into_any(),
                                            None => "张贴中".into_any(),
                                        }}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    <h3 class="no-print">"未登记的编号被扫描"</h3>
                    {if unknown.is_empty() {
                        view! { <p class="no-print muted">"没有：扫到的编号都是本中心打印的海报。"</p> }.into_any()
                    } else {
                        view! {
                            <p class="no-print alert alert-error">
                                "以下编号格式正确，但从未打印过，可能是仿冒的贴纸，请到张贴处核查："
                            </p>
                            <ul class="no-print unknown-serials">
                                {unknown.into_iter().map(|u| view! {
                                    <li>{format!("{}：{} 次，最近 {}", u.serial, u.total, u.last_day.unwrap_or_default())}</li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                    }.into_any()
                }
            })}
        </Transition>
    }
}

#[component]
pub fn PostersRoute() -> impl IntoView {
    let role = use_session().role();
    let can_print = matches!(role, Some(Role::Admin) | Some(Role::Editor));
    let halls = LocalResource::new(api::catalog);
    let hall = RwSignal::new(String::new());
    let zone = RwSignal::new(String::new());
    let department = RwSignal::new(String::new());
    let codes = RwSignal::new(String::new());
    let per_page = RwSignal::new(4u8);
    let door = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let issued = RwSignal::new(None::<IssuedPosters>);
    let refresh = RwSignal::new(0u32);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let chosen: Vec<String> = codes
            .get_untracked()
            .split([',', '，', '、', ' ', '\n'])
            .map(|c| c.trim().to_uppercase())
            .filter(|c| !c.is_empty())
            .collect();
        let request = PrintRequest {
            codes: (!chosen.is_empty()).then_some(chosen),
            hall: given(hall.get_untracked()),
            zone: given(zone.get_untracked()),
            department: given(department.get_untracked()),
            door: door.get_untracked(),
        };
        busy.set(true);
        problem.set(None);
        spawn_local(async move {
            match api::print_posters(&request).await {
                Ok(sheet) => {
                    issued.set(Some(sheet));
                    refresh.update(|n| *n += 1);
                    focus("sheet-status");
                }
                Err(ApiError::Invalid(body)) => problem.set(Some(body.error)),
                Err(e) => problem.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };

    view! {
        <section class="panel posters-page">
            <h1 class="no-print">"二维码海报"</h1>
            {can_print.then(|| view! {
                <form class="poster-form no-print" on:submit=submit>
                    <p>"选服务中心（可再选专区或部门），或直接填写事项编码。每张海报都有编号和短网址，可在下方撤下。"</p>
                    <div class="field field-inline">
                        <label for="poster-hall">"服务中心"</label>
                        <select id="poster-hall" on:change=move |ev| hall.set(event_target_value(&ev))>
                            <option value="">"（按事项编码打印）"</option>
                            <Transition fallback=|| ()>
                                {move || halls.get().and_then(Result::ok).map(|d| {
                                    d.halls.into_iter().map(|h| view! {
                                        <option value=h.id.clone()>{h.name.clone()}</option>
                                    }).collect_view()
                                })}
                            </Transition>
                        </select>
                    </div>
                    <div class="field field-inline">
                        <label for="poster-event">"一件事"</label>
                        <select id="poster-event" on:change=move |ev| {
                            let id = event_target_value(&ev);
                            let items = halls.get_untracked().and_then(Result::ok).and_then(|d| {
                                d.life_events.into_iter().find(|e| e.id == id).map(|e| e.items)
                            });
                            codes.set(items.unwrap_or_default().join(" "));
                        }>
                            <option value="">"（不按一件事）"</option>
                            <Transition fallback=|| ()>
                                {move || halls.get().and_then(Result::ok).map(|d| {
                                    d.life_events.into_iter().map(|e| view! {
                                        <option value=e.id.clone()>{e.name.clone()}</option>
                                    }).collect_view()
                                })}
                            </Transition>
                        </select>
                    </div>
                    <div class="field field-inline">
                        <label for="poster-zone">"专区"</label>
                        <input id="poster-zone" prop:value=move || zone.get()
                            on:input=move |ev| zone.set(event_target_value(&ev)) />
                    </div>
                    <div class="field field-inline">
                        <label for="poster-department">"部门"</label>
                        <input id="poster-department" prop:value=move || department.get()
                            on:input=move |ev| department.set(event_target_value(&ev)) />
                    </div>
                    <div class="field field-inline">
                        <label for="poster-codes">"事项编码（可多个）"</label>
                        <input id="poster-codes" prop:value=move || codes.get()
                            on:input=move |ev| codes.set(event_target_value(&ev)) />
                    </div>
                    <div class="field field-inline">
                        <label for="poster-layout">"每页张数"</label>
                        <select id="poster-layout" on:change=move |ev| {
                            per_page.set(event_target_value(&ev).parse().unwrap_or(4));
                        }>
                            {LAYOUTS.iter().map(|n| view! {
                                <option value=n.to_string() selected=*n == 4>{n.to_string()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field field-inline">
                        <input id="poster-door" type="checkbox" prop:checked=move || door.get()
                            on:change=move |ev| door.set(event_target_checked(&ev)) />
                        <label for="poster-door">"门牌或公告栏海报（一张二维码通往该专区或整个服务中心的事项清单，如村公告栏）"</label>
                    </div>
                    {move || problem.get().map(|p| view! { <p class="alert alert-error" role="alert">{p}</p> })}
                    <button class="btn btn-primary" type="submit" disabled=move || busy.get()>"生成海报"</button>
                </form>
            })}
            {move || issued.get().map(|sheet_data| sheet(sheet_data, per_page.get_untracked()))}
            {issued_list(refresh, hall, can_print)}
        </section>
    }
}
