use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use zhinan_domain::ItemCode;
use zhinan_ui::{GuidePage, Layout, NotFoundPage, Page, VILLAGES_SHOWN};

use super::status::{error_view, Loading};
use crate::api::{self, ApiError};
use crate::app::{InitialPage, Origin};

/// The server-rendered page, if it is the guide (or the not-found page) of `code`.
fn initial_for(code: &str) -> Option<Page> {
    let InitialPage(page) = use_context::<InitialPage>()?;
    let wanted = ItemCode::parse(code)
        .map(|c| c.to_string())
        .unwrap_or_default();
    page.with_value(|p| match p {
        Some(Page::Guide { item, .. }) if item.code == wanted => p.clone(),
        Some(Page::NotFound { code: c }) if *c == wanted || c == code => p.clone(),
        _ => None,
    })
}

/// Fetches the item and its hall; an unknown or malformed code is a not-found page.
async fn load(code: String) -> Result<Page, ApiError> {
    let Ok(parsed) = ItemCode::parse(&code) else {
        return Ok(Page::NotFound { code });
    };
    match api::item(parsed.as_str()).await {
        Ok(item) => {
            let catalog = api::catalog().await.ok();
            let hall = catalog.as_ref().and_then(|c| c.hall(&item.hall).cloned());
            let (villages, more_villages) = match (&hall, &catalog) {
                (Some(hall), Some(catalog)) if item.village_can_handle() => {
                    hall.village_points_shown(&catalog.halls, VILLAGES_SHOWN)
                }
                _ => (Vec::new(), 0),
            };
            Ok(Page::Guide {
                item: Box::new(item),
                hall,
                villages,
                more_villages,
            })
        }
        Err(ApiError::NotFound) => Ok(Page::NotFound {
            code: parsed.to_string(),
        }),
        Err(e) => Err(e),
    }
}

fn page_body(page: Page, origin: String) -> AnyView {
    match page {
        Page::Guide {
            item,
            hall,
            villages,
            more_villages,
        } => view! { <GuidePage item=*item hall villages more_villages origin /> }.into_any(),
        Page::NotFound { code } => view! { <NotFoundPage code /> }.into_any(),
        _ => ().into_any(),
    }
}

/// `/g/{code}`: the guide of one item.
#[component]
pub fn GuideRoute() -> impl IntoView {
    let params = use_params_map();
    let code = Memo::new(move |_| params.read().get("code").unwrap_or_default());
    let origin = use_context::<Origin>().map(|o| o.0).unwrap_or_default();
    view! {
        <Layout>
            {move || {
                let code = code.get();
                let origin = origin.clone();
                if let Some(page) = initial_for(&code) {
                    return page_body(page, origin);
                }
                let page = LocalResource::new(move || load(code.clone()));
                view! {
                    <Transition fallback=Loading>
                        <ErrorBoundary fallback=error_view>
                            {move || {
                                let origin = origin.clone();
                                page.get().map(|result| result.map(|p| page_body(p, origin)))
                            }}
                        </ErrorBoundary>
                    </Transition>
                }
                    .into_any()
            }}
        </Layout>
    }
}
