use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use zhinan_domain::progress::Progress;
use zhinan_ui::Layout;

use super::status::{error_view, Loading};
use crate::api::{self, ApiError};

/// The query code from the fragment (`/r/{number}#q=…`): it never reaches a server log.
fn query_code() -> String {
    let hash = window().location().hash().unwrap_or_default();
    hash.trim_start_matches('#')
        .split('&')
        .find_map(|p| p.strip_prefix("q="))
        .unwrap_or_default()
        .to_string()
}

async fn load(number: String) -> Result<(Progress, String), ApiError> {
    let code = query_code();
    let progress = api::lookup(&number, &code).await?;
    let qr = api::receipt_qr(&number, &code).await?;
    Ok((progress, qr))
}

#[component]
fn Receipt(progress: Progress, qr: String, query_code: String) -> impl IntoView {
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
                <dd>{zhinan_ui::progress::short_time(&progress.accepted_at)}</dd>
                <dt>"承诺办结日期"</dt>
                <dd class="receipt-due">{progress.due.to_string()}</dd>
                <dt>"受理窗口"</dt>
                <dd>{progress.window.clone()}</dd>
                <dt>"取件方式"</dt>
                <dd>{progress.delivery.label()}</dd>
            </dl>
            // The SVG is made by our edge from the number and code; it holds no catalog text.
            <div class="receipt-qr" inner_html=qr></div>
            <p class="muted">
                "扫描二维码或在本中心网站“办件进度查询”输入受理编号和查询码，即可查看办理进度。查询码请妥善保管，勿告知他人。"
            </p>
            <p class="no-print">
                <button class="button" type="button" on:click=|_| {
                    let _ = window().print();
                }>"打印受理通知单"</button>
            </p>
        </article>
    }
}

/// `/r/{number}#q=…`: the printable receipt the window hands over after 受理.
#[component]
pub fn ReceiptRoute() -> impl IntoView {
    let params = use_params_map();
    let number = params.read_untracked().get("number").unwrap_or_default();
    let receipt = LocalResource::new(move || load(number.clone()));
    view! {
        <Layout>
            <Transition fallback=Loading>
                <ErrorBoundary fallback=error_view>
                    {move || {
                        receipt
                            .get()
                            .map(|r| {
                                r.map(|(progress, qr)| {
                                    view! { <Receipt progress qr query_code=query_code() /> }
                                })
                            })
                    }}
                </ErrorBoundary>
            </Transition>
        </Layout>
    }
}
