use leptos::prelude::*;
use leptos::task::spawn_local;
use zhinan_ui::{Layout, Lookup, Page, ProgressPage};

use crate::api;
use crate::app::InitialPage;

/// `n` and `q` from a receipt QR's fragment (`/c#n=…&q=…`).
fn from_fragment(hash: &str) -> Option<(String, String)> {
    let mut number = None;
    let mut code = None;
    for pair in hash.trim_start_matches('#').split('&') {
        match pair.split_once('=') {
            Some(("n", v)) => number = Some(v.to_string()),
            Some(("q", v)) => code = Some(v.to_string()),
            _ => {}
        }
    }
    Some((number?, code?))
}

/// `/c`: progress lookup. Forms post to the edge (works without JavaScript); a receipt
/// QR carries the number and query code in the fragment, which never reaches a server
/// log, so the app reads it here, looks the case up and removes it from the address bar.
#[component]
pub fn ProgressRoute() -> impl IntoView {
    let initial = use_context::<InitialPage>().and_then(|InitialPage(page)| {
        page.try_update_value(|p| match p.take() {
            Some(Page::Progress { lookup }) => Some(*lookup),
            other => {
                *p = other;
                None
            }
        })
        .flatten()
    });
    let state = RwSignal::new(initial.unwrap_or_default());
    let location = window().location();
    if let Some((number, code)) = location.hash().ok().as_deref().and_then(from_fragment) {
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/c"));
        }
        state.set(Lookup {
            number: number.clone(),
            query_code: code.clone(),
            message: Some("正在查询……".into()),
            ..Lookup::default()
        });
        spawn_local(async move {
            let result = api::lookup(&number, &code).await;
            state.update(|s| match result {
                Ok(progress) => {
                    s.progress = Some(progress);
                    s.message = None;
                }
                Err(e) => s.message = Some(e.to_string()),
            });
        });
    }
    view! {
        <Layout>
            {move || view! { <ProgressPage lookup=state.get() /> }}
        </Layout>
    }
}
