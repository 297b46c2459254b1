use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use zhinan_domain::ItemCode;
use zhinan_ui::{Layout, NotFoundPage, NoticePage, Page};

use super::status::{error_view, Loading};
use crate::api::{self, ApiError};
use crate::app::{InitialPage, Origin};

fn initial_for(code: &str) -> Option<Page> {
    let InitialPage(page) = use_context::<InitialPage>()?;
    let wanted = ItemCode::parse(code).map(|c| c.to_string()).ok()?;
    page.with_value(|p| match p {
        Some(Page::Print { item, .. }) if item.code == wanted => p.clone(),
        _ => None,
    })
}

/// Without the server's page the QR code comes as the poster image (`/qr/{code}.svg`).
async fn load(code: String) -> Result<Page, ApiError> {
    let Ok(parsed) = ItemCode::parse(&code) else {
        return Ok(Page::NotFound { code });
    };
    match api::item(parsed.as_str()).await {
        Ok(item) => {
            let hall = api::catalog()
                .await
                .ok()
                .and_then(|c| c.hall(&item.hall).cloned());
            Ok(Page::Print {
                item: Box::new(item),
                hall,
                qr: None,
            })
        }
        Err(ApiError::NotFound) => Ok(Page::NotFound {
            code: parsed.to_string(),
        }),
        Err(e) => Err(e),
    }
}

fn body(page: Page, origin: String) -> AnyView {
    match page {
        Page::Print { item, hall, qr } => {
            view! { <NoticePage item=*item hall qr origin /> }.into_any()
        }
        Page::NotFound { code } => view! { <NotFoundPage code /> }.into_any(),
        _ => ().into_any(),
    }
}

/// `/g/{code}/print`: the one-page notice.
#[component]
pub fn PrintRoute() -> impl IntoView {
    let params = use_params_map();
    let code = Memo::new(move |_| params.read().get("code").unwrap_or_default());
    let origin = use_context::<Origin>().map(|o| o.0).unwrap_or_default();
    view! {
        <Layout>
            {move || {
                let code = code.get();
                let origin = origin.clone();
                if let Some(page) = initial_for(&code) {
                    return body(page, origin);
                }
                let page = LocalResource::new(move || load(code.clone()));
                view! {
                    <Transition fallback=Loading>
                        <ErrorBoundary fallback=error_view>
                            {move || {
                                let origin = origin.clone();
                                page.get().map(|r| r.map(|p| body(p, origin)))
                            }}
                        </ErrorBoundary>
                    </Transition>
                }
                    .into_any()
            }}
        </Layout>
    }
}
