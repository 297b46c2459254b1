use leptos::prelude::*;
use zhinan_domain::catalog::hours::{china_time, hours_lines, open_status};
use zhinan_domain::catalog::phones::{phone_entries, tel_href};
use zhinan_domain::{Channel, Hall, HoursSpan, Item, Kind, Material, MaterialSource};

use crate::device;

/// A material with its position in the item, which keys its checkbox.
type Numbered = (usize, Material);

/// "不见面", "最多跑一次", "跑2次".
fn visits_label(visits: u8) -> String {
    match visits {
        0 => "不见面（无需到现场）".to_string(),
        1 => "最多跑一次".to_string(),
        n => format!("需到现场{n}次"),
    }
}

/// One phone field as tap-to-call links, one per number, each named with its office.
#[component]
fn PhoneLinks(label: &'static str, field: String) -> impl IntoView {
    let links = phone_entries(&field)
        .into_iter()
        .map(|entry| {
            let href = tel_href(&entry.number);
            let text = match entry.label {
                Some(office) => format!("{office}：{}", entry.number),
                None => entry.number,
            };
            view! { <a class="phone" href=href>{text}</a> }
        })
        .collect_view();
    view! { <li>{label} " " {links}</li> }
}

/// The official, permanent guide URL printed beside the QR code.
pub fn guide_url(origin: &str, code: &str) -> String {
    format!("{}/g/{code}", origin.trim_end_matches('/'))
}

/// A form or sample link a citizen can open: an address on the web. A path such as
/// `/forms/x.pdf` names a file this site does not serve (catalog files carry them from
/// the systems they were exported from), so it is not shown as a link.
pub fn web_link(href: &Option<String>) -> Option<String> {
    href.as_ref()
        .map(|h| h.trim())
        .filter(|h| h.starts_with("https://") || h.starts_with("http://"))
        .map(str::to_string)
}

/// One material with its tick box; the tick is remembered on this device, per item and
/// material (by its name, so a publish that inserts a material moves no tick).
#[component]
fn MaterialRow(material: Material, index: usize, code: String) -> impl IntoView {
    let id = format!("m{index}");
    let label_for = id.clone();
    // A box ticked before the app took over the served page keeps its tick and is
    // remembered with the ticks stored on this device.
    let checked = RwSignal::new(device::ticked_in_page(&id));
    let key = StoredValue::new(material.key());
    let stored_code = code.clone();
    Effect::new(move |_| {
        let stored = key.with_value(|k| device::ticked(&stored_code, k));
        if checked.get_untracked() && !stored {
            key.with_value(|k| device::set_ticked(&stored_code, k, true));
        }
        checked.set(stored || checked.get_untracked());
    });
    let on_change = move |ev| {
        let on = event_target_checked(&ev);
        checked.set(on);
        key.with_value(|k| device::set_ticked(&code, k, on));
    };
    let source = match &material.source {
        MaterialSource::Applicant => "申请人自备".to_string(),
        MaterialSource::Government { issuer } => format!("{issuer}核发"),
    };
    let blank_form = web_link(&material.blank_form);
    let sample = web_link(&material.sample);
    let at_window = match (
        material.blank_form.is_some() && blank_form.is_none(),
        material.sample.is_some() && sample.is_none(),
    ) {
        (true, true) => Some("空白表格和填写样例可在窗口领取、查看"),
        (true, false) => Some("空白表格可在窗口领取"),
        (false, true) => Some("填写样例可在窗口查看"),
        (false, false) => None,
    };
    view! {
        <li class="material">
            <input type="checkbox" id=id class="tick" prop:checked=checked on:change=on_change />
            <label for=label_for>
                <span class="material-name">{material.name.clone()}</span>
                <span class="material-meta">
                    {material.count_label()} " · " {material.form.label()} " · " {source}
                </span>
                {material
                    .needed_when
                    .clone()
                    .map(|when| view! { <span class="material-when">"需要的情形：" {when}</span> })}
                {material
                    .optional_when
                    .clone()
                    .map(|when| view! { <span class="material-when">"可免情形：" {when}</span> })}
                {material.note.clone().map(|note| view! { <span class="material-note">{note}</span> })}
                {at_window.map(|text| view! { <span class="material-note">{text}</span> })}
            </label>
            {blank_form.map(|href| view! { <a class="material-link" href=href rel="external">"下载空白表格"</a> })}
            {sample.map(|href| view! { <a class="material-link" href=href rel="external">"查看填写样例"</a> })}
        </li>
    }
}

/// "现在办公，17:30 下班": computed on the device after mount (the server's page may be
/// cached for a long time), in a line that keeps its height so nothing moves.
#[component]
pub fn OpenNow(hours: Vec<HoursSpan>) -> impl IntoView {
    let status = RwSignal::new(None::<(bool, String)>);
    let hours = StoredValue::new(hours);
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            // Offline, the weekly hours alone (the hours note names the holidays).
            let days = device::days_off().await.unwrap_or_default();
            if let Some(now) = device::now_ms() {
                let (today, minute) = china_time(now);
                let s = hours.with_value(|h| open_status(h, today, minute, &days));
                status.set(Some((s.is_open(), s.label())));
            }
        });
    });
    view! {
        <p
            class="open-now"
            class:is-open=move || status.with(|s| s.as_ref().is_some_and(|(open, _)| *open))
        >
            {move || status.with(|s| s.as_ref().map(|(_, label)| label.clone()).unwrap_or_default())}
        </p>
    }
}

/// Share the guide: the system share sheet, or the link copied where there is none.
#[component]
fn ShareButton(title: String, url: String) -> impl IntoView {
    let said = RwSignal::new(String::new());
    let share = move |_| {
        let (title, url) = (title.clone(), url.clone());
        leptos::task::spawn_local(async move {
            said.set(match device::share(&title, &url).await {
                Ok(true) => String::new(),
                Ok(false) => "链接已复制，可以粘贴发给家人。".to_string(),
                Err(()) => format!("请长按复制链接：{url}"),
            });
        });
    };
    view! {
        <p class="share js-only">
            <button type="button" class="button button-secondary" on:click=share>
                "分享本指南"
            </button>
            <span class="share-status" role="status">{move || said.get()}</span>
        </p>
    }
}

/// Village service points a guide lists by name (the rest are counted).
pub const VILLAGES_SHOWN: usize = 6;

/// 可在村（社区）代办: the village points whose agents take this item to its hall, so a
/// villager need not travel. A plain function, not a component: it is rendered once.
fn village_points(villages: Vec<Hall>, more: u32, hall_name: String) -> impl IntoView {
    let more =
        (more > 0).then(|| format!("另有 {more} 个村（社区）代办点，可向所在村（社区）询问。"));
    view! {
        <section class="card villages" aria-labelledby="villages-title">
            <h2 id="villages-title">"可在村（社区）代办"</h2>
            <p>
                "不必跑到" {hall_name}
                "：带上申请材料到村（社区）党群服务中心，由代办员签代办委托书、核对材料，送到受理中心办理并把结果带回。"
            </p>
            <ul class="plain village-points">
                {villages
                    .into_iter()
                    .map(|v| {
                        let tel = format!("tel:{}", v.phone);
                        let rest = format!(" {} {}", v.address, hours_lines(&v.hours).join("；"));
                        view! {
                            <li>
                                <strong>{v.name}</strong>
                                {rest}
                                " "
                                <a class="phone" href=tel>{v.phone}</a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {more.map(|text| view! { <p class="muted">{text}</p> })}
        </section>
    }
}

/// The whole guide (办事指南) of one item, citizen's questions first: what to bring,
/// where to go, how long it takes.
#[component]
pub fn GuidePage(
    item: Item,
    hall: Option<Hall>,
    /// Village points that take the item over (代办); none in the console's preview.
    #[prop(optional)]
    villages: Vec<Hall>,
    #[prop(optional)] more_villages: u32,
    origin: String,
) -> impl IntoView {
    let url = guide_url(&origin, &item.code);
    let hall_name = hall.map(|h| h.name).unwrap_or_default();
    let proxy_ok = item.village_can_handle();
    let villages_hall = hall_name.clone();
    let kind_class = match item.kind {
        Kind::Instant => "badge badge-instant",
        Kind::Promised => "badge",
    };
    let online = item.has_channel(Channel::Online);
    let channels = item
        .channels
        .iter()
        .map(|c| c.label())
        .collect::<Vec<_>>()
        .join("、");
    let fee_summary = if item.fees.charged {
        "收费（见下方收费标准）"
    } else {
        "不收费"
    };
    let (required, optional): (Vec<Numbered>, Vec<Numbered>) = item
        .materials
        .iter()
        .cloned()
        .enumerate()
        .partition(|(_, m)| m.is_required());
    let required_count = required.len();
    let exempt_count = required
        .iter()
        .filter(|(_, m)| m.optional_when.is_some())
        .count();
    let hours = hours_lines(&item.place.hours);
    let spans = item.place.hours.clone();
    let print_href = format!("/g/{}/print", item.code);
    let share_title = format!("{} · 办事指南", item.name);
    let share_url = url.clone();
    let legal_label = item.legal_limit.label();
    let promised_label = item.promised_limit.label();

    view! {
        <article class="guide" aria-labelledby="guide-title">
            <p class="crumbs">
                {hall_name.clone()} " · " {item.zone.clone()}
            </p>
            <h1 id="guide-title">{item.name.clone()}</h1>
            {item
                .withdrawn
                .clone()
                .map(|w| {
                    view! {
                        <div class="card withdrawn" role="alert">
                            <h2>"本事项已停止办理"</h2>
                            <p>{w.reason}</p>
                            <p>
                                <strong>"请改为："</strong>
                                {w.instead}
                            </p>
                            {w
                                .replaced_by
                                .map(|code| {
                                    let href = format!("/g/{code}");
                                    view! {
                                        <p>
                                            <a class="button" href=href>"查看新事项的办事指南"</a>
                                        </p>
                                    }
                                })}
                        </div>
                    }
                })}
            // Plain words first for citizens, the official term kept beside them for staff.
            <p class="badges">
                <span class=kind_class>
                    {match item.kind {
                        Kind::Instant => "当场办结".to_string(),
                        Kind::Promised => format!("受理后{}内办结", item.promised_limit.label()),
                    }} "（" {item.kind.label()} "）"
                </span>
                <span class="badge">{item.item_type.plain()} "（" {item.item_type.label()} "）"</span>
                <span class="badge">{item.serves.label()}</span>
                {item
                    .online_depth
                    .map(|d| {
                        view! {
                            <span class="badge badge-online">
                                {d.label()} "（网办深度" {d.numeral()} "）"
                            </span>
                        }
                    })}
            </p>

            <dl class="facts">
                <div class="fact">
                    <dt>"承诺时限"</dt>
                    <dd class="fact-main">{promised_label}</dd>
                    <dd class="fact-sub">"法定时限 " {legal_label}</dd>
                </div>
                <div class="fact">
                    <dt>"到现场次数"</dt>
                    <dd class="fact-main">{visits_label(item.visits)}</dd>
                    {item.visit_reason.clone().map(|r| view! { <dd class="fact-sub">{r}</dd> })}
                </div>
                <div class="fact">
                    <dt>"办理形式"</dt>
                    <dd class="fact-main">{channels}</dd>
                </div>
                <div class="fact">
                    <dt>"是否收费"</dt>
                    <dd class="fact-main">{fee_summary}</dd>
                </div>
            </dl>
            {item.limit_note.clone().map(|n| view! { <p class="muted">{n}</p> })}

            <section class="card" aria-labelledby="materials-title">
                <h2 id="materials-title">"需要带的材料"</h2>
                <p class="muted">
                    "共 " {required_count} " 项必交材料"
                    {(exempt_count > 0)
                        .then(|| format!("（其中 {exempt_count} 项在所注情形下可免交，不确定时请带上）"))}
                    "。带齐后可在下方逐项打勾核对。"
                </p>
                <ul class="checklist">
                    {required
                        .into_iter()
                        .map(|(index, material)| view! { <MaterialRow material index code=item.code.clone() /> })
                        .collect_view()}
                </ul>
                {(!optional.is_empty())
                    .then(|| {
                        view! {
                            <h3>"特定情形才需要的材料"</h3>
                            <ul class="checklist">
                                {optional
                                    .into_iter()
                                    .map(|(index, material)| view! { <MaterialRow material index code=item.code.clone() /> })
                                    .collect_view()}
                            </ul>
                        }
                    })}
            </section>

            <section class="card" aria-labelledby="where-title">
                <h2 id="where-title">"到哪里办"</h2>
                <p class="where-main">{hall_name} " " {item.zone.clone()} " " {item.window.clone()}</p>
                <p>{item.place.address.clone()}</p>
                {item.place.directions.clone().map(|d| view! { <p class="muted">{d}</p> })}
                <h3>"办公时间"</h3>
                <OpenNow hours=spans />
                <ul class="plain">
                    {hours.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                </ul>
                {item.place.hours_note.clone().map(|n| view! { <p class="muted">{n}</p> })}
                <ul class="plain phones">
                    <PhoneLinks label="咨询电话" field=item.consult_phone.clone() />
                    <PhoneLinks label="投诉电话" field=item.complain_phone.clone() />
                </ul>
                {(item.kind == Kind::Promised)
                    .then(|| {
                        view! {
                            <p class="progress-link">
                                "受理后可凭受理通知单 " <a href="/c">"查办件进度"</a>
                                "（受理编号和查询码印在通知单上）。"
                            </p>
                        }
                    })}
            </section>

            <section class="card" aria-labelledby="ways-title">
                <h2 id="ways-title">"不用跑腿的办法"</h2>
                <ul class="plain ways">
                    {online
                        .then(|| {
                            let depth = item.online_depth.map(|d| d.label()).unwrap_or_default();
                            let urls = item.online_url.clone().unwrap_or_default();
                            view! {
                                <li>
                                    <strong>"网上办理："</strong>
                                    {depth}
                                    {urls
                                        .mobile
                                        .map(|href| view! { " " <a href=href>"手机办理入口"</a> })}
                                    {urls.pc.map(|href| view! { " " <a href=href>"电脑办理入口"</a> })}
                                </li>
                            }
                        })}
                    {(item.postal.materials || item.postal.result)
                        .then(|| {
                            let what = match (item.postal.materials, item.postal.result) {
                                (true, true) => "申请材料可邮寄提交，办理结果可免费邮寄送达",
                                (true, false) => "申请材料可邮寄提交",
                                _ => "办理结果可邮寄送达",
                            };
                            view! {
                                <li>
                                    <strong>"邮寄："</strong>
                                    {what}
                                </li>
                            }
                        })}
                    {item
                        .proxy
                        .clone()
                        .filter(|_| proxy_ok)
                        .map(|p| {
                            view! {
                                <li>
                                    <strong>"代办："</strong>
                                    "可委托他人或村（社区）代办员代办"
                                    {p.material.map(|m| view! { "，需带" {m} })}
                                    {p.note.map(|n| view! { "。" {n} })}
                                </li>
                            }
                        })}
                    {item
                        .appointment
                        .clone()
                        .map(|a| {
                            view! {
                                <li>
                                    <strong>"预约："</strong>
                                    {a}
                                </li>
                            }
                        })}
                    {match item.in_person.clone().filter(|r| !r.trim().is_empty()) {
                        Some(reason) => {
                            Some(
                                view! {
                                    <li class="in-person">
                                        <strong>"须本人到场："</strong>
                                        {reason}
                                        "，不能委托他人或代办员代办。"
                                    </li>
                                }
                                    .into_any(),
                            )
                        }
                        None => {
                            (!online && !item.postal.materials && !item.postal.result && !proxy_ok)
                                .then(|| view! { <li>"本事项需本人到窗口办理。"</li> }.into_any())
                        }
                    }}
                </ul>
            </section>
            {(proxy_ok && !villages.is_empty())
                .then(|| village_points(villages, more_villages, villages_hall))}

            {(!item.conditions.is_empty())
                .then(|| {
                    view! {
                        <section class="card" aria-labelledby="cond-title">
                            <h2 id="cond-title">"办理条件"</h2>
                            <ul>
                                {item
                                    .conditions
                                    .iter()
                                    .map(|c| view! { <li>{c.clone()}</li> })
                                    .collect_view()}
                            </ul>
                        </section>
                    }
                })}

            {(!item.steps.is_empty())
                .then(|| {
                    view! {
                        <section class="card" aria-labelledby="steps-title">
                            <h2 id="steps-title">"办理流程"</h2>
                            <ol class="steps">
                                {item
                                    .steps
                                    .iter()
                                    .map(|s| {
                                        view! {
                                            <li>
                                                <strong>{s.name.clone()}</strong>
                                                " · " {s.who.clone()} " · " {s.limit.clone()}
                                                {(!s.standard.is_empty())
                                                    .then(|| view! { <span class="muted step-std">{s.standard.clone()}</span> })}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ol>
                            {item
                                .result
                                .clone()
                                .map(|r| {
                                    view! {
                                        <p>
                                            "办理结果：" {r.name}
                                            {r.kind.map(|k| view! { "（" {k.label()} "）" })}
                                        </p>
                                    }
                                })}
                        </section>
                    }
                })}

            {item
                .fees
                .charged
                .then(|| {
                    view! {
                        <section class="card" aria-labelledby="fees-title">
                            <h2 id="fees-title">"收费标准"</h2>
                            <ul>
                                {item
                                    .fees
                                    .items
                                    .iter()
                                    .map(|f| {
                                        view! {
                                            <li>
                                                <strong>{f.item.clone()}</strong>
                                                "：" {f.standard.clone()}
                                                <span class="muted">"（依据：" {f.basis.clone()} "）"</span>
                                                {f.waivable.then_some("，符合条件可减免")}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                            {item.fees.online_payment.then(|| view! { <p>"支持网上缴费。"</p> })}
                        </section>
                    }
                })}

            {(!item.faq.is_empty())
                .then(|| {
                    view! {
                        <section class="card" aria-labelledby="faq-title">
                            <h2 id="faq-title">"常见问题"</h2>
                            {item
                                .faq
                                .iter()
                                .map(|f| {
                                    view! {
                                        <details class="faq">
                                            <summary>{f.q.clone()}</summary>
                                            <p>{f.a.clone()}</p>
                                        </details>
                                    }
                                })
                                .collect_view()}
                        </section>
                    }
                })}

            {(!item.legal_basis.is_empty())
                .then(|| {
                    view! {
                        <details class="card legal">
                            <summary>"设定依据"</summary>
                            <ul>
                                {item
                                    .legal_basis
                                    .iter()
                                    .map(|b| {
                                        view! {
                                            <li>
                                                <strong>{b.law.clone()}</strong>
                                                " " {b.article.clone()}
                                                <span class="muted">" " {b.text.clone()}</span>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </details>
                    }
                })}

            <p class="guide-actions">
                <a class="button" href=print_href rel="external">
                    "打印一次性告知单"
                </a>
            </p>
            <ShareButton title=share_title url=share_url />

            <section class="verify" aria-label="核对信息">
                <p>
                    "事项编码 " <code class="item-code">{item.code.clone()}</code>
                </p>
                <p>"官方网址 " <span class="official-url">{url}</span></p>
                <p class="muted">
                    "第 " {item.version} " 版 · 更新于 " {item.updated_at.clone()}
                    " · 实施主体 " {item.department.clone()}
                </p>
            </section>
        </article>
    }
}
