//! Routes of the citizen app. Paths are the same the edge renders, so every link works
//! with or without the app.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use zhinan_ui::{Layout, Page, PageData};

use crate::routes::{GuideRoute, HomeRoute, SearchRoute};

/// The official origin guide URLs use, from the server-rendered page.
#[derive(Clone)]
pub struct Origin(pub String);

/// The page the edge rendered, used once for the first view instead of a fetch.
#[derive(Clone, Copy)]
pub struct InitialPage(pub StoredValue<Option<Page>>);

fn window_origin() -> String {
    window().location().origin().unwrap_or_default()
}

#[component]
pub fn App(initial: Option<PageData>) -> impl IntoView {
    let origin = initial
        .as_ref()
        .map(|d| d.origin.clone())
        .unwrap_or_else(window_origin);
    if let Some(Page::Home { catalog }) = initial.as_ref().map(|d| &d.page) {
        crate::api::remember_catalog(catalog.clone());
    }
    provide_context(Origin(origin));
    provide_context(InitialPage(StoredValue::new(initial.map(|d| d.page))));
    view! {
        <Router>
            <Routes fallback=|| {
                view! {
                    <Layout>
                        <section class="card notice-card">
                            <h1>"页面不存在"</h1>
                            <p>
                                <a class="button" href="/">"查看全部办事事项"</a>
                            </p>
                        </section>
                    </Layout>
                }
            }>
                <Route path=path!("/") view=HomeRoute />
                <Route path=path!("/g/:code") view=GuideRoute />
                <Route path=path!("/s") view=SearchRoute />
            </Routes>
        </Router>
    }
}
