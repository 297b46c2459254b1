//! Entry point: read the data the edge rendered the page from, then replace the static
//! markup with the live app built from the same data and components.

mod api;
mod app;
mod routes;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use zhinan_ui::{device, Page, PageData, PAGE_DATA_ID};

/// Pages the app does not render (the print view, a hall's page, life events and the progress lookup
/// have no client state; the lookup's forms post to the edge): the edge's markup stays,
/// and only its buttons are wired up. Keeps their components out of the bundle.
fn is_static(page: Option<&Page>) -> bool {
    matches!(
        page,
        Some(
            Page::Print { .. } | Page::LifeEvent { .. } | Page::Progress { .. } | Page::Hall { .. }
        )
    )
}

/// A receipt QR opens `/c#n=…&q=…`: the fragment never reaches a server log, so fill the
/// lookup form from it, drop it from the address bar and history, and submit the form.
fn lookup_from_fragment(document: &web_sys::Document) {
    let hash = window().location().hash().unwrap_or_default();
    let mut number = None;
    let mut code = None;
    for pair in hash.trim_start_matches('#').split('&') {
        match pair.split_once('=') {
            Some(("n", v)) => number = Some(v.to_string()),
            Some(("q", v)) => code = Some(v.to_string()),
            _ => {}
        }
    }
    let (Some(number), Some(code)) = (number, code) else {
        return;
    };
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/c"));
    }
    let set = |id: &str, value: &str| {
        if let Some(input) = document
            .get_element_by_id(id)
            .and_then(|el| el.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            input.set_value(value);
        }
    };
    set("number", &number);
    set("query_code", &code);
    if let Some(form) = document
        .get_element_by_id("lookup-form")
        .and_then(|el| el.dyn_into::<web_sys::HtmlFormElement>().ok())
    {
        let _ = form.request_submit();
    }
}

fn on_click(document: &web_sys::Document, selector: &str, handler: impl FnMut() + 'static) {
    if let Ok(Some(el)) = document.query_selector(selector) {
        let closure = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(handler);
        let _ = el.add_event_listener_with_callback("click", closure.as_ref().unchecked_ref());
        closure.forget();
    }
}

/// The 大字模式 button and the print button of a page the app leaves as served.
fn wire_static(document: &web_sys::Document) {
    let pressed = |document: &web_sys::Document, on: bool| {
        if let Ok(Some(button)) = document.query_selector(".mode-toggle") {
            let _ = button.set_attribute("aria-pressed", if on { "true" } else { "false" });
        }
    };
    pressed(document, device::elderly());
    let doc = document.clone();
    on_click(document, ".mode-toggle", move || {
        let on = !device::elderly();
        device::set_elderly(on);
        pressed(&doc, on);
    });
    on_click(document, ".print-tools button", device::print);
}

fn main() {
    // Readable panics while developing; release builds abort and skip the formatting code.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    let document = document();
    let initial: Option<PageData> = document
        .get_element_by_id(PAGE_DATA_ID)
        .and_then(|el| el.text_content())
        .and_then(|json| serde_json::from_str(&json).ok());
    if is_static(initial.as_ref().map(|d| &d.page)) {
        wire_static(&document);
        if matches!(
            initial.as_ref().map(|d| &d.page),
            Some(Page::Progress { .. })
        ) {
            lookup_from_fragment(&document);
        }
        if let Some(html) = document.document_element() {
            let _ = html.set_attribute("data-app", "live");
        }
        return;
    }
    let root = match document
        .get_element_by_id("app")
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    {
        Some(root) => root,
        None => {
            let root: web_sys::HtmlElement = document
                .create_element("div")
                .expect("create div")
                .unchecked_into();
            root.set_id("app");
            document
                .body()
                .expect("body")
                .append_child(&root)
                .expect("append root");
            root
        }
    };
    // The server markup and the first client render come from the same components and
    // data, so swapping them in one task shows no change on screen. The swap waits until
    // the server markup has been painted (two animation frames): the first paint stays
    // the page's largest contentful paint even when the bundle arrives before it.
    request_animation_frame(move || {
        request_animation_frame(move || {
            root.set_inner_html("");
            leptos::mount::mount_to(root, move || view! { <app::App initial /> }).forget();
            // Lets tests (and curious staff) see that the live app, not the static page, is on screen.
            if let Some(html) = document.document_element() {
                let _ = html.set_attribute("data-app", "live");
            }
        })
    });
}
