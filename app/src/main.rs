//! Entry point: read the data the edge rendered the page from, then adopt the served
//! markup — hydrate it with the same components and data — instead of building it again.
//! Links between pages are ordinary page loads of edge-rendered (and cached) pages.

mod api;
mod search;

use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use zhinan_ui::{device, Page, PageData, PAGE_DATA_ID};

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

/// Marks the page as taken over (tests, and the boot script's stand-in for the 大字模式
/// button, wait for it).
fn mark_live(document: &web_sys::Document) {
    if let Some(html) = document.document_element() {
        let _ = html.set_attribute("data-app", "live");
    }
}

/// What the citizen typed into the served search box before the app took over.
fn typed_query(document: &web_sys::Document, served: &str) -> Option<String> {
    document
        .get_element_by_id("q")
        .and_then(|el| el.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|input| input.value())
        .filter(|typed| typed != served)
}

/// Hydrates `root` with `view` in a task of its own, then marks the page live.
fn adopt<V: IntoView + 'static>(
    root: web_sys::HtmlElement,
    served: web_sys::Document,
    view: impl FnOnce() -> V + 'static,
) {
    set_timeout(
        move || {
            device::adopting(|| leptos::mount::hydrate_from(root, view)).forget();
            mark_live(&served);
        },
        Duration::ZERO,
    );
}

fn main() {
    // Readable panics while developing; release builds abort and skip the formatting code.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    let document = document();
    let Some(PageData { origin, page }) = document
        .get_element_by_id(PAGE_DATA_ID)
        .and_then(|el| el.text_content())
        .and_then(|json| serde_json::from_str(&json).ok())
    else {
        // A page whose data the app does not read (a hall's page, whose variant it skips)
        // stays as served, with its buttons wired.
        wire_static(&document);
        mark_live(&document);
        return;
    };
    let Some(root) = document
        .get_element_by_id("app")
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    // The edge rendered `root`'s content from these components and this data: hydration
    // walks the served nodes and attaches handlers and state to them, so nothing is laid
    // out or painted again. It runs in a task of its own after the data is read, so
    // neither holds a tap waiting longer than it must.
    let served = document.clone();
    match page {
        Page::Guide {
            item,
            hall,
            villages,
            more_villages,
        } => adopt(root, served, move || {
            zhinan_ui::guide_view(*item, hall, villages, more_villages, origin)
        }),
        Page::Home { catalog } => adopt(root, served, move || zhinan_ui::home_view(catalog)),
        Page::NotFound { code } => adopt(root, served, move || zhinan_ui::not_found_view(code)),
        Page::Search {
            query,
            filters,
            results,
            choices,
        } => adopt(root, served, move || {
            let typed = typed_query(&document, &query);
            view! { <search::LiveSearch query filters results choices typed /> }
        }),
        // Print and life-event pages have no client state, and the lookup's forms
        // post to the edge: their markup stays as served and only their buttons are
        // wired up, which keeps their components out of the bundle.
        static_page => {
            wire_static(&document);
            if matches!(static_page, Page::Progress { .. }) {
                lookup_from_fragment(&document);
            }
            mark_live(&document);
        }
    }
}
