use leptos::prelude::*;
use zhinan_ui::{HomePage, Layout, Page};

use super::status::{error_view, Loading};
use crate::api;
use crate::app::InitialPage;

/// `/`: the hall home, from the server-rendered data on first load, fetched afterwards.
#[component]
pub fn HomeRoute() -> impl IntoView {
    let initial = use_context::<InitialPage>().and_then(|InitialPage(page)| {
        page.try_update_value(|p| match p.take() {
            Some(Page::Home { catalog }) => Some(catalog),
            other => {
                *p = other;
                None
            }
        })
        .flatten()
    });
    if let Some(catalog) = initial {
        return view! {
            <Layout>
                <HomePage catalog />
            </Layout>
        }
        .into_any();
    }
    let catalog = LocalResource::new(api::catalog);
    view! {
        <Layout>
            <Transition fallback=Loading>
                <ErrorBoundary fallback=error_view>
                    {move || {
                        catalog
                            .get()
                            .map(|result| {
                                result.map(|c| view! { <HomePage catalog=(*c).clone() /> })
                            })
                    }}
                </ErrorBoundary>
            </Transition>
        </Layout>
    }
    .into_any()
}
