//! 办件进度: the lookup form, the case timeline and the 好差评 form. Plain HTML forms, so
//! the page works with JavaScript off (the edge answers `POST /c`); the app adds
//! in-page lookups on top of the same markup.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use zhinan_domain::cases::progress::Progress;
use zhinan_domain::cases::{Delivery, ProxyProgress, Rating, TimelineEntry};

/// What the progress page shows: the form, maybe a result, maybe a message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Lookup {
    pub number: String,
    /// Kept only to re-submit the rating form; never rendered as text.
    pub query_code: String,
    pub progress: Option<Progress>,
    pub message: Option<String>,
    /// Set after a successful rating.
    pub rated: bool,
    /// A 代办 request under the number: the village leg, before and after the hall's
    /// case. Rendered by the edge only, so the citizen app skips it.
    #[cfg_attr(target_arch = "wasm32", serde(skip_deserializing))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy: Option<ProxyProgress>,
}

/// "2026-11-27T09:30:05+08:00" → "2026-11-27 09:30".
pub fn short_time(at: &str) -> String {
    match at.split_once('T') {
        Some((date, time)) => format!("{date} {}", time.get(..5).unwrap_or(time)),
        None => at.to_string(),
    }
}

/// The lookup form, with what the citizen typed kept (a refused lookup must not make
/// them type the code again; the page is answered to their own POST and not stored).
#[component]
pub fn LookupForm(number: String, query_code: String, again: bool) -> impl IntoView {
    view! {
        <form class="card lookup" method="post" action="/c" id="lookup-form">
            {if again {
                view! { <h2>"查询其他办件"</h2> }.into_any()
            } else {
                view! { <h1>"办件进度查询"</h1> }.into_any()
            }}
            <p class="muted">"请输入受理通知单上的受理编号和查询码。扫描通知单上的二维码可直接查看。"</p>
            <label class="field">
                <span>"受理编号"</span>
                <input
                    name="number"
                    id="number"
                    value=number
                    autocomplete="off"
                    autocapitalize="characters"
                    spellcheck="false"
                    placeholder="如 5DW9-6MM4-M27R"
                    required
                />
            </label>
            <label class="field">
                <span>"查询码（6位数字）"</span>
                <input
                    name="query_code"
                    id="query_code"
                    inputmode="numeric"
                    autocomplete="off"
                    pattern="[0-9]{6}"
                    maxlength="6"
                    value=query_code
                    required
                />
            </label>
            <button class="button" type="submit">"查询"</button>
        </form>
    }
}

#[component]
pub fn ProgressView(progress: Progress) -> impl IntoView {
    let status_class = if progress.overdue {
        "status status-overdue"
    } else {
        "status"
    };
    let used = format!(
        "已用 {} / 承诺 {}",
        progress.days_used, progress.promised_label
    );
    let delivery = match progress.delivery {
        Delivery::Window => "窗口领取",
        Delivery::Post => "邮寄送达",
    };
    view! {
        <section class="card progress" aria-labelledby="progress-title">
            <h2 id="progress-title">{progress.item_name.clone()}</h2>
            <p class="muted">
                "受理编号 " <code class="item-code">{progress.number.clone()}</code> " · 申请人 "
                {progress.applicant_masked.clone()}
            </p>
            {progress.overdue.then(|| view! { <OverdueHelp item_code=progress.item_code.clone() /> })}
            <p class=status_class>
                <span class="status-label">{progress.status_label.clone()}</span>
                {progress.overdue.then(|| view! { <span class="overdue-flag">"已超期"</span> })}
                {progress.paused.then(|| view! { <span class="paused-flag">"补正中，办理时限暂停计算"</span> })}
            </p>
            <dl class="facts case-facts">
                <div class="fact">
                    <dt>"承诺办结日期"</dt>
                    <dd class="fact-main due">{progress.due.to_string()}</dd>
                    {progress.due_is_estimate.then(|| view! { <dd class="fact-sub due-estimate">"预计：该年调休安排尚未公布，暂按双休日和法定节日计算"</dd> })}
                </div>
                <div class="fact">
                    <dt>"办理用时"</dt>
                    <dd class="fact-main days-used">{used}</dd>
                </div>
                <div class="fact">
                    <dt>"取件方式"</dt>
                    <dd class="fact-main">{delivery}</dd>
                </div>
                <div class="fact">
                    <dt>"受理窗口"</dt>
                    <dd class="fact-main">{progress.window.clone()}</dd>
                </div>
            </dl>
            {(!progress.missing.is_empty())
                .then(|| {
                    view! {
                        <div class="callout" role="note">
                            <strong>"请补交以下材料："</strong>
                            <ul class="missing">
                                {progress
                                    .missing
                                    .iter()
                                    .map(|m| view! { <li>{m.clone()}</li> })
                                    .collect_view()}
                            </ul>
                        </div>
                    }
                })}
            {progress
                .pickup_place
                .clone()
                .map(|p| view! { <p class="callout">"请到 " <strong>{p}</strong> " 领取办理结果。"</p> })}
            {progress
                .tracking
                .clone()
                .map(|t| view! { <p class="callout">"已邮寄：" <strong class="tracking">{t}</strong></p> })}
            <h3>"办理进度"</h3>
            {timeline(progress.timeline.clone())}
            {progress
                .rating
                .clone()
                .map(|r| {
                    view! {
                        <p class="rated">
                            "您的评价：" <strong>{r.level.label()}</strong>
                            {r.comment.map(|c| view! { <span class="muted">" “" {c} "”"</span> })}
                        </p>
                    }
                })}
        </section>
    }
}

/// The steps so far, the last one marked current.
fn timeline(entries: Vec<TimelineEntry>) -> impl IntoView {
    let last = entries.len();
    view! {
        <ol class="timeline">
            {entries
                .into_iter()
                .enumerate()
                .map(|(i, e)| {
                    let class = if i + 1 == last { "step current" } else { "step" };
                    view! {
                        <li class=class>
                            <span class="step-label">{e.label}</span>
                            <time class="step-time">{short_time(&e.at)}</time>
                            {e.detail.map(|d| view! { <span class="step-detail">{d}</span> })}
                            {e.note.map(|n| view! { <span class="step-note">{n}</span> })}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

/// 村（社区）代办: where the file is, what the agent holds, and the village steps.
#[component]
pub fn ProxyView(proxy: ProxyProgress, with_case: bool) -> impl IntoView {
    view! {
        <section class="card progress proxy" aria-labelledby="proxy-title">
            <h2 id="proxy-title">"村（社区）代办：" {proxy.item_name.clone()}</h2>
            {(!with_case)
                .then(|| {
                    view! {
                        <p class="muted">
                            "受理编号 " <code class="item-code">{proxy.number.clone()}</code>
                            " · 申请人 " {proxy.applicant_masked.clone()}
                        </p>
                    }
                })}
            <p class="status">
                <span class="status-label">{proxy.status_label.clone()}</span>
            </p>
            <dl class="facts case-facts">
                <div class="fact">
                    <dt>"代办点"</dt>
                    <dd class="fact-main">{proxy.village_name.clone()}</dd>
                </div>
                <div class="fact">
                    <dt>"受理中心"</dt>
                    <dd class="fact-main">{proxy.to_hall_name.clone()}</dd>
                </div>
                <div class="fact">
                    <dt>"代办委托书"</dt>
                    <dd class="fact-main">{if proxy.mandate_signed { "已签字" } else { "未签字" }}</dd>
                </div>
            </dl>
            {(!with_case)
                .then(|| {
                    view! {
                        <p class="muted">
                            "受理中心受理后开始计算承诺办理时限，届时本页显示办理进度和承诺办结日期。"
                        </p>
                    }
                })}
            <h3>"代办员已收材料"</h3>
            <ul class="checklist">
                {proxy
                    .materials
                    .iter()
                    .map(|m| {
                        let mark = if m.received { "✓ 已收" } else if m.required { "✗ 未收" } else { "— 视情形" };
                        view! {
                            <li class=if m.received { "received" } else { "" }>
                                <span class="mark">{mark}</span>
                                " "
                                {m.name.clone()}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <h3>"代办进度"</h3>
            {timeline(proxy.timeline.clone())}
        </section>
    }
}

/// An overdue case: what to do, first — the item's phones are on its guide, and the
/// 12345 hotline takes complaints about any hall.
#[component]
fn OverdueHelp(item_code: String) -> impl IntoView {
    let guide = format!("/g/{item_code}#where-title");
    view! {
        <div class="callout overdue-help" role="alert">
            <strong>"已超过承诺办结日期，您可以："</strong>
            <ul>
                <li>
                    "先拨打受理窗口的咨询电话问明原因（见 "
                    <a href=guide>"办事指南 · 到哪里办"</a> "）；"
                </li>
                <li>
                    "仍未解决的，拨打 " <a class="phone" href="tel:12345">"12345"</a>
                    " 政务服务便民热线反映或投诉，并报上受理编号。"
                </li>
            </ul>
        </div>
    }
}

/// 好差评: five levels and an optional comment; offered once, after 办结.
#[component]
pub fn RatingForm(number: String, query_code: String) -> impl IntoView {
    view! {
        <form class="card rating" method="post" action="/c" id="rating-form">
            <h2>"请为本次服务评价"</h2>
            <input type="hidden" name="number" value=number />
            <input type="hidden" name="query_code" value=query_code />
            <fieldset>
                <legend>"满意程度"</legend>
                {Rating::ALL
                    .iter()
                    .map(|level| {
                        let value = serde_json::to_value(level)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                            .unwrap_or_default();
                        view! {
                            <label class="choice">
                                <input type="radio" name="level" value=value required />
                                <span>{level.label()}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <label class="field">
                <span>"意见建议（选填，300字以内）"</span>
                <textarea name="comment" maxlength="300" rows="3"></textarea>
            </label>
            <button class="button" type="submit">"提交评价"</button>
        </form>
    }
}

/// The whole progress page for a lookup state.
#[component]
pub fn ProgressPage(lookup: Lookup) -> impl IntoView {
    let can_rate = lookup.progress.as_ref().is_some_and(|p| p.can_rate);
    let number = lookup.number.clone();
    let with_case = lookup.progress.is_some();
    let found = with_case || lookup.proxy.is_some();
    // The answer first, then the form (again, for another case, when a case was found).
    view! {
        {found.then(|| view! { <h1>"办件进度"</h1> })}
        {lookup.message.clone().map(|m| view! { <p class="card notice" role="alert">{m}</p> })}
        {lookup.rated.then(|| view! { <p class="card notice" role="status">"感谢您的评价！"</p> })}
        {lookup.proxy.clone().map(|proxy| view! { <ProxyView proxy with_case /> })}
        {lookup.progress.clone().map(|progress| view! { <ProgressView progress /> })}
        {can_rate.then(|| view! { <RatingForm number query_code=lookup.query_code.clone() /> })}
        <LookupForm
            number=if found { String::new() } else { lookup.number.clone() }
            query_code=if found { String::new() } else { lookup.query_code.clone() }
            again=found
        />
    }
}
