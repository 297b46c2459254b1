//! `/g/{code}/print`: the 一次性告知单, one A4 page a window hands out or a citizen
//! prints: every material with its count and form, where and when, the promised time,
//! the phones, and the item's QR code and code to come back to the guide.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use zhinan_domain::catalog::hours::hours_lines;
use zhinan_domain::{Hall, Item, MaterialSource};

use crate::device;
use crate::guide::{guide_url, web_link};

/// A QR code as one SVG path over a `size`×`size` module grid (dark modules only), so
/// it is drawn inline with no image request and no markup built from strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QrPath {
    pub size: u32,
    pub d: String,
}

impl QrPath {
    /// The path of a grid given row by row (`true` = dark).
    pub fn from_modules(size: u32, dark: impl IntoIterator<Item = bool>) -> QrPath {
        let mut d = String::new();
        for (i, is_dark) in dark.into_iter().enumerate() {
            if is_dark {
                let (x, y) = (i as u32 % size, i as u32 / size);
                d.push_str(&format!("M{x} {y}h1v1h-1z"));
            }
        }
        QrPath { size, d }
    }
}

#[component]
fn QrImage(qr: Option<QrPath>, code: String) -> impl IntoView {
    match qr {
        Some(qr) => {
            // Four modules of quiet zone around the code.
            let view_box = format!("-4 -4 {0} {0}", qr.size + 8);
            view! {
                <svg
                    class="qr"
                    viewBox=view_box
                    role="img"
                    aria-label="本事项办事指南二维码"
                    shape-rendering="crispEdges"
                >
                    <rect x="-4" y="-4" width="100%" height="100%" fill="#ffffff"></rect>
                    <path d=qr.d fill="#000000"></path>
                </svg>
            }
            .into_any()
        }
        None => {
            let src = format!("/qr/{code}.svg");
            view! { <img class="qr" src=src alt="本事项办事指南二维码" width="160" height="160" /> }
                .into_any()
        }
    }
}

/// The print view.
#[component]
pub fn NoticePage(
    item: Item,
    hall: Option<Hall>,
    qr: Option<QrPath>,
    origin: String,
) -> impl IntoView {
    let url = guide_url(&origin, &item.code);
    let back = format!("/g/{}", item.code);
    let hall_name = hall.as_ref().map(|h| h.name.clone()).unwrap_or_default();
    let hours = hours_lines(&item.place.hours).join("；");
    let limit = if item.promised_limit.is_instant() {
        "即办（当场办结）".to_string()
    } else {
        format!(
            "承诺{}（法定{}）",
            item.promised_limit.label(),
            item.legal_limit.label()
        )
    };
    let mut visits = match item.visits {
        0 => "不见面，无需到现场".to_string(),
        1 => "最多跑一次".to_string(),
        n => format!("需到现场{n}次"),
    };
    // Who may come instead: nobody (须本人到场), or a village agent (代办).
    match item.in_person.as_deref().filter(|r| !r.trim().is_empty()) {
        Some(reason) => visits.push_str(&format!("；须本人到场（{reason}），不能代办")),
        None if item.village_can_handle() => visits.push_str("；可委托他人或村（社区）代办员代办"),
        None => {}
    }
    let fees = if item.fees.charged {
        item.fees
            .items
            .iter()
            .map(|f| format!("{}：{}", f.item, f.standard))
            .collect::<Vec<_>>()
            .join("；")
    } else {
        "不收费".to_string()
    };
    let rows = item
        .materials
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let mut notes = Vec::new();
            if let Some(when) = &m.needed_when {
                notes.push(format!("仅以下情形需要：{when}"));
            }
            if let Some(when) = &m.optional_when {
                notes.push(format!("可免：{when}"));
            }
            if let MaterialSource::Government { issuer } = &m.source {
                notes.push(format!("{issuer}核发"));
            }
            if m.blank_form.is_some() {
                notes.push(match web_link(&m.blank_form) {
                    Some(href) => format!("空白表格：{href}"),
                    None => "空白表格可在窗口领取".to_string(),
                });
            }
            if m.sample.is_some() {
                notes.push("有填写样例".to_string());
            }
            view! {
                <tr>
                    <td class="n">{i + 1}</td>
                    <td>{m.name.clone()}</td>
                    <td>{m.count_label()}</td>
                    <td>{m.form.label()}</td>
                    <td>{notes.join("；")}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="print-tools no-print">
            <a href=back>"返回办事指南"</a>
            <button type="button" class="button js-only" on:click=|_| device::print()>
                "打印本页"
            </button>
        </div>
        <article class="notice" aria-labelledby="notice-title">
            <header class="notice-head">
                <div>
                    <p class="notice-kind">"一次性告知单"</p>
                    <h1 id="notice-title">{item.name.clone()}</h1>
                    <p class="notice-sub">
                        {hall_name.clone()} " · " {item.department.clone()}
                    </p>
                </div>
                <figure class="notice-qr">
                    <QrImage qr code=item.code.clone() />
                    <figcaption>
                        "扫码看办事指南" <br /> <span class="item-code">{item.code.clone()}</span>
                    </figcaption>
                </figure>
            </header>
            <h2>"请带齐以下材料"</h2>
            <table class="notice-materials">
                <thead>
                    <tr>
                        <th scope="col">"序号"</th>
                        <th scope="col">"材料名称"</th>
                        <th scope="col">"份数"</th>
                        <th scope="col">"形式"</th>
                        <th scope="col">"说明"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <dl class="notice-facts">
                <div>
                    <dt>"办理地点"</dt>
                    <dd>
                        {hall_name} " " {item.zone.clone()} " " {item.window.clone()} "（"
                        {item.place.address.clone()} "）"
                    </dd>
                </div>
                <div>
                    <dt>"办公时间"</dt>
                    <dd>
                        {hours} {item.place.hours_note.clone().map(|n| format!("（{n}）"))}
                    </dd>
                </div>
                <div>
                    <dt>"办理时限"</dt>
                    <dd>{limit}</dd>
                </div>
                <div>
                    <dt>"到现场次数"</dt>
                    <dd>{visits}</dd>
                </div>
                <div>
                    <dt>"收费"</dt>
                    <dd>{fees}</dd>
                </div>
                <div>
                    <dt>"咨询电话"</dt>
                    <dd>{item.consult_phone.clone()}</dd>
                </div>
                <div>
                    <dt>"投诉电话"</dt>
                    <dd>{item.complain_phone.clone()}</dd>
                </div>
            </dl>
            <p class="notice-foot">
                "官方网址 " <span class="official-url">{url}</span> " · 事项编码 "
                <span class="item-code">{item.code.clone()}</span> " · 第 " {item.version}
                " 版，更新于 " {item.updated_at.clone()}
            </p>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_path_draws_dark_modules_only() {
        let qr = QrPath::from_modules(2, [true, false, false, true]);
        assert_eq!(qr.d, "M0 0h1v1h-1zM1 1h1v1h-1z");
    }
}
