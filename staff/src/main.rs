//! The staff console (工作台) at `/staff`: a bundle of its own, so a citizen scanning a
//! QR code never downloads it.

mod api;
mod app;
mod audit;
mod changes;
mod editor;
mod fields;
mod items;
mod publish;

use leptos::prelude::*;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
    if let Some(html) = document().document_element() {
        let _ = html.set_attribute("data-app", "live");
    }
}
