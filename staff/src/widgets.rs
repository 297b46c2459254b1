//! Small pieces every page uses: the loading line, the error line of a failed request,
//! the browser's yes/no question and moving keyboard focus.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::api::ApiError;
use crate::session::Session;

/// What a failed request shows; a lapsed session sends the user back to the login form.
pub fn error_line(error: &ApiError) -> AnyView {
    if matches!(error, ApiError::Unauthorized) {
        if let Some(session) = use_context::<Session>() {
            session.0.set(None);
        }
    }
    view! {
        <p class="alert alert-error" role="alert">
            {error.to_string()}
        </p>
    }
    .into_any()
}

/// Asks the browser's yes/no question; `false` when it cannot be asked.
pub fn confirm(question: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(question).ok())
        .unwrap_or(false)
}

#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <p class="loading" role="status">
            "正在加载……"
        </p>
    }
}

/// Moves keyboard focus to the element with `id` (after a row it was in is removed, or
/// when a form or message it belongs to appears).
pub fn focus(id: &str) {
    if let Some(el) = document()
        .get_element_by_id(id)
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}
