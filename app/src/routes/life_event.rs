use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use zhinan_domain::ItemCode;
use zhinan_ui::{Layout, LifeEventPage, NotFoundPage, Page};

use super::status::{error_view, Loading};
use crate::api::{self, ApiError};
use crate::app::InitialPage;

fn initial_for(id: &str) -> Option<Page> {
    let InitialPage(page) = use_context::<InitialPage>()?;
    page.with_value(|p| match p {
        Some(Page::LifeEvent { event, .. }) if event.id == id => p.clone(),
        _ => None,
    })
}

async fn load(id: String) -> Result<Page, ApiError> {
    let catalog = api::catalog().await?;
    let Some(event) = catalog.life_events.iter().find(|e| e.id == id).cloned() else {
        return Ok(Page::NotFound { code: id });
    };
    let mut items = Vec::new();
    for code in &event.items {
        if let Ok(code) = ItemCode::parse(code) {
            match api::item(code.as_str()).await {
                Ok(item) => items.push(item),
                Err(ApiError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(Page::LifeEvent {
        event,
        items,
        halls: catalog.halls.clone(),
    })
}

fn body(page: Page) -> AnyView {
    match page {
        Page::LifeEvent {
            event,
            items,
            halls,
        } => view! { <LifeEventPage event items halls /> }.into_any(),
        Page::NotFound { code } => view! { <NotFoundPage code /> }.into_any(),
        _ => ().into_any(),
    }
}

/// `/e/{id}`: a life event.
#[component]
pub fn LifeEventRoute() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    view! {
        <Layout>
            {move || {
                let id = id.get();
                if let Some(page) = initial_for(&id) {
                    return body(page);
                }
                let page = LocalResource::new(move || load(id.clone()));
                view! {
                    <Transition fallback=Loading>
                        <ErrorBoundary fallback=error_view>
                            {move || page.get().map(|r| r.map(body))}
                        </ErrorBoundary>
                    </Transition>
                }
                    .into_any()
            }}
        </Layout>
    }
}
