//! `/staff/receipt/{number}#q=…`: the 受理通知单 a window prints after 受理. It lives in
//! the staff bundle (citizens never print receipts). The desk's link carries no code: the
//! page reads the receipt through the desk with the clerk's session (no public lookup
//! limit spent; printed again as often as needed). A back-office system's link carries the
//! query code in the fragment (never in a server log), and the page shows only what the
//! number and code already unlock on the public API.

use gloo_net::http::Request;
use leptos::prelude::*;
use serde::Serialize;
use zhinan_domain::api::ApiError as ErrorBody;
use zhinan_domain::cases::progress::Progress;
use zhinan_ui::progress::short_time;

use crate::widgets::Loading;

#[derive(Serialize)]
struct CaseKey<'a> {
    number: &'a str,
    query_code: &'a str,
}

async fn post(
    url: &str,
    number: &str,
    query_code: &str,
) -> Result<gloo_net::http::Response, String> {
    let response = Request::post(url)
        .json(&CaseKey { number, query_code })
        .map_err(|e| e.to_string())?
        .send()
        .await
        .map_err(|_| "网络连接失败，请检查网络后重试".to_string())?;
    if response.ok() {
        return Ok(response);
    }
    Err(match response.json::<ErrorBody>().await {
        Ok(body) => body.error,
        Err(_) => format!("服务器错误（{}）", response.status()),
    })
}

/// With the query code (the link a back-office system's acceptance gives), what the
/// public lookup shows; without one (the desk's link), through the desk for a signed-in
/// clerk — no public lookup limit spent, and the code comes from the case.
async fn load(number: String, query_code: String) -> Result<(Progress, String, String), String> {
    if query_code.is_empty() {
        return match crate::api::desk_receipt(&number).await {
            Ok(receipt) => Ok((receipt.progress, receipt.qr_svg, receipt.query_code)),
            Err(crate::api::ApiError::Unauthorized) => {
                Err("请先登录工作台，再从窗口工作台打印受理通知单".to_string())
            }
            Err(e) => Err(e.to_string()),
        };
    }
    let (progress, qr) = load_public(&number, &query_code).await?;
    Ok((progress, qr, query_code))
}

/// The case as the applicant sees it, and the receipt's QR code (SVG made by our edge).
async fn load_public(number: &str, query_code: &str) -> Result<(Progress, String), String> {
    let answer: serde_json::Value = post("/api/v1/cases/lookup", number, query_code)
        .await?
        .json()
        .await
        .map_err(|_| "服务器返回的数据无法读取".to_string())?;
    if answer.get("item_name").is_none() && answer.get("proxy").is_some() {
        return Err(
            "该编号是受理中心尚未受理的代办件：请从代办工作台打印代办委托书和资料清单".into(),
        );
    }
    let progress: Progress =
        serde_json::from_value(answer).map_err(|_| "服务器返回的数据无法读取".to_string())?;
    let qr = post("/api/v1/cases/receipt-qr", number, query_code)
        .await?
        .text()
        .await
        .map_err(|_| "服务器返回的数据无法读取".to_string())?;
    Ok((progress, qr))
}

/// The receipt number from the path and the query code from the fragment. The fragment
/// is then taken out of the address (so the code is not left in the history, a bookmark
/// or a screenshot of the address bar) and kept for this tab only, so a reload still
/// prints.
pub fn from_location() -> Option<(String, String)> {
    let location = window().location();
    let path = location.pathname().ok()?;
    let number = path
        .strip_prefix("/staff/receipt/")?
        .trim_matches('/')
        .to_string();
    let hash = location.hash().unwrap_or_default();
    let from_fragment = hash
        .trim_start_matches('#')
        .split('&')
        .find_map(|p| p.strip_prefix("q="))
        .map(str::to_string);
    let tab = window().session_storage().ok().flatten();
    let key = format!("zhinan:receipt:{number}");
    let code = match from_fragment {
        Some(code) => {
            if let Some(tab) = &tab {
                let _ = tab.set_item(&key, &code);
            }
            if let Ok(history) = window().history() {
                let _ =
                    history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
            }
            code
        }
        None => tab
            .and_then(|tab| tab.get_item(&key).ok().flatten())
            .unwrap_or_default(),
    };
    Some((number, code))
}

#[component]
fn ReceiptSheet(progress: Progress, qr: String, query_code: String) -> impl IntoView {
    view! {
        <article class="receipt" aria-labelledby="receipt-title">
            <h1 id="receipt-title">"受理通知单"</h1>
            <dl class="receipt-fields">
                <dt>"事项"</dt>
                <dd>{progress.item_name.clone()}</dd>
                <dt>"受理编号"</dt>
                <dd class="receipt-number">{progress.number.clone()}</dd>
                <dt>"查询码"</dt>
                <dd class="receipt-code">{query_code}</dd>
                <dt>"申请人"</dt>
                <dd>{progress.applicant_masked.clone()}</dd>
                <dt>"受理时间"</dt>
                <dd>{short_time(&progress.accepted_at)}</dd>
                <dt>"承诺办结日期"</dt>
                <dd class="receipt-due">{progress.due.to_string()}</dd>
                {progress.due_is_estimate.then(|| view! {
                    <dd class="receipt-estimate">"预计日期：该年节假日安排公布后按实际工作日调整"</dd>
                })}
                <dt>"受理窗口"</dt>
                <dd>{progress.window.clone()}</dd>
                <dt>"取件方式"</dt>
                <dd>{progress.delivery.label()}</dd>
            </dl>
            // The SVG comes from our edge (qrcode crate, from the number and code): no
            // catalog or applicant text in it.
            <div class="receipt-qr" inner_html=qr></div>
            <p class="muted">
                "扫描二维码或在“办件进度查询”页面输入受理编号和查询码，即可查看办理进度。查询码请妥善保管，勿告知他人。"
            </p>
            <p class="no-print">
                <button class="btn btn-primary" type="button" on:click=|_| {
                    let _ = window().print();
                }>"打印受理通知单"</button>
            </p>
        </article>
    }
}

/// The receipt page: its own small root, outside the signed-in console.
#[component]
pub fn ReceiptApp(number: String, query_code: String) -> impl IntoView {
    let receipt = LocalResource::new(move || load(number.clone(), query_code.clone()));
    view! {
        <main id="main" class="staff-main receipt-page">
            <Suspense fallback=Loading>
                {move || {
                    receipt
                        .get()
                        .map(|result| match result {
                            Ok((progress, qr, query_code)) => {
                                view! { <ReceiptSheet progress qr query_code /> }.into_any()
                            }
                            Err(message) => {
                                view! { <p class="alert alert-error" role="alert">{message}</p> }
                                    .into_any()
                            }
                        })
                }}
            </Suspense>
        </main>
    }
}
