//! `/staff/desk/slip/{number}`: what the agent prints for the villager — the 代办委托书 to
//! sign, the 代办提交资料清单 (the guide's materials, ticked as received), and the receipt
//! number with the query code and QR to follow it at `/c`. Read through the desk with
//! the agent's (or the receiving clerk's) session.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use zhinan_domain::api::cases::ProxyIssued;
use zhinan_ui::progress::short_time;

use crate::api;
use crate::widgets::{error_line, Loading};

#[component]
fn Slip(issued: ProxyIssued) -> impl IntoView {
    let ProxyIssued {
        number,
        query_code,
        request,
        qr_svg,
    } = issued;
    let registered = request
        .steps
        .first()
        .map(|s| short_time(&s.at))
        .unwrap_or_default();
    let mandate = request
        .mandate_material
        .clone()
        .unwrap_or_else(|| "代办委托书".to_string());
    view! {
        <article class="receipt proxy-slip" aria-labelledby="slip-title">
            <h1 id="slip-title">"村（社区）代办委托书"</h1>
            <p>
                "委托人（申请人）" <span class="blank">"＿＿＿＿＿＿"</span> "（" {request.applicant_masked.clone()}
                "）委托 " <strong>{request.village_name.clone()}</strong> " 代办员，持本委托书及下列材料，代为向 "
                <strong>{request.to_hall_name.clone()}</strong> " 申请办理 “" <strong class="slip-item">{request.item_name.clone()}</strong>
                "”，并代为领取办理结果。"
            </p>
            <p class="muted">"所需委托材料：" {mandate}</p>
            <p class="signatures">
                "委托人签字：＿＿＿＿＿＿　　代办员签字：＿＿＿＿＿＿　　日期：＿＿＿＿＿＿"
            </p>
            <p class="slip-signed">
                {if request.mandate_signed { "登记时委托书已签字" } else { "登记时委托书尚未签字：签字后方可递交" }}
            </p>
            <h2>"代办提交资料清单"</h2>
            <table class="table slip-materials">
                <thead>
                    <tr>
                        <th scope="col">"材料"</th>
                        <th scope="col">"是否必需"</th>
                        <th scope="col">"代办员已收"</th>
                    </tr>
                </thead>
                <tbody>
                    {request.materials.iter().map(|m| view! {
                        <tr class:received=m.received>
                            <td>{m.name.clone()}</td>
                            <td>{if m.required { "必需" } else { "特定情形" }}</td>
                            <td class="slip-received">{if m.received { "✓ 已收" } else { "未收" }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <dl class="receipt-fields">
                <dt>"受理编号"</dt>
                <dd class="receipt-number">{number}</dd>
                <dt>"查询码"</dt>
                <dd class="receipt-code">{query_code}</dd>
                <dt>"登记时间"</dt>
                <dd>{registered}</dd>
            </dl>
            // The SVG comes from our edge (qrcode crate, from the number and code).
            <div class="receipt-qr" inner_html=qr_svg></div>
            <p class="muted">
                "受理中心受理后开始计算承诺时限。扫描二维码或在“办件进度查询”页面输入受理编号和查询码，可查看代办和办理进度。查询码请妥善保管。"
            </p>
            <p class="no-print">
                <button class="btn btn-primary" type="button" on:click=|_| {
                    let _ = window().print();
                }>"打印"</button>
            </p>
        </article>
    }
}

#[component]
pub fn ProxySlipRoute() -> impl IntoView {
    let params = use_params_map();
    let slip = LocalResource::new(move || {
        let number = params.read().get("number").unwrap_or_default();
        async move { api::desk_proxy_slip(&number).await }
    });
    view! {
        <Transition fallback=Loading>
            {move || slip.get().map(|result| match result {
                Ok(issued) => view! { <Slip issued /> }.into_any(),
                Err(e) => error_line(&e),
            })}
        </Transition>
    }
}
