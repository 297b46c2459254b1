//! The staff console (工作台) at `/staff`: a bundle of its own, so a citizen scanning a
//! QR code never downloads it.

mod api;
mod app;
mod audit;
mod case_metrics;
mod changes;
mod copy_item;
mod desk;
mod editor;
mod embed;
mod holidays;
mod import;
mod items;
mod metrics;
mod password;
mod posters;
mod publish;
mod quality;
mod receipt;
mod search_words;
mod session;
mod users;
mod widgets;

use leptos::prelude::*;

fn main() {
    console_error_panic_hook::set_once();
    // A receipt printout is a page of its own, usable without a staff session.
    match receipt::from_location() {
        Some((number, query_code)) => leptos::mount::mount_to_body(move || {
            view! { <receipt::ReceiptApp number query_code /> }
        }),
        None => leptos::mount::mount_to_body(app::App),
    }
    if let Some(html) = document().document_element() {
        let _ = html.set_attribute("data-app", "live");
    }
}
