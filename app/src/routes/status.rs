//! Loading and error states shared by every route that fetches.

use leptos::prelude::*;

#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <p class="loading" role="status">
            "正在加载……"
        </p>
    }
}

/// What a failed fetch shows: the reason and a way to retry.
pub fn error_view(errors: ArcRwSignal<Errors>) -> impl IntoView {
    view! {
        <section class="card notice-card" role="alert">
            <h1>"暂时无法显示"</h1>
            <ul>
                {move || {
                    errors
                        .get()
                        .into_iter()
                        .map(|(_, e)| view! { <li>{e.to_string()}</li> })
                        .collect_view()
                }}
            </ul>
            <p>
                <a class="button" href=move || window().location().href().unwrap_or_default()>
                    "重新加载"
                </a>
            </p>
        </section>
    }
}
