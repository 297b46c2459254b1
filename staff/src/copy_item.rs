//! 复制为新事项: a hall adds an item by starting from a similar one (same department,
//! same window, most materials alike), giving it its own code. The copy is saved as a
//! draft of the new code and published with the next version like any other draft.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use zhinan_domain::{Item, ItemCode};

use crate::api::{self, ApiError};

#[component]
pub fn CopyAsNew(item: RwSignal<Item>) -> impl IntoView {
    let code = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let new_code = match ItemCode::parse(code.get_untracked().trim()) {
            Ok(c) => c,
            Err(e) => {
                problem.set(Some(e.to_string()));
                return;
            }
        };
        let mut copy = item.get_untracked();
        copy.code = new_code.as_str().to_string();
        copy.version = 1;
        copy.withdrawn = None;
        busy.set(true);
        problem.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            // The code must be new: an existing item (or draft) is never overwritten here.
            match api::item(copy.code.as_str()).await {
                Err(ApiError::NotFound) => match api::save_draft(copy.clone(), None).await {
                    Ok(_) => navigate(&format!("/staff/items/{}", copy.code), Default::default()),
                    Err(ApiError::Invalid(body)) => problem.set(Some(body.error)),
                    Err(e) => problem.set(Some(e.to_string())),
                },
                Ok(_) | Err(ApiError::Forbidden(_)) => {
                    problem.set(Some("该编码已有事项，请换一个编码".into()))
                }
                Err(e) => problem.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };
    view! {
        <details class="copy-as-new">
            <summary>"复制为新事项"</summary>
            <form on:submit=submit>
                <div class="field">
                    <label for="copy-code">"新事项的编码"</label>
                    <input id="copy-code" autocomplete="off" spellcheck="false"
                        aria-describedby="copy-code-problem"
                        aria-invalid=move || problem.with(Option::is_some).to_string()
                        prop:value=move || code.get()
                        on:input=move |ev| code.set(event_target_value(&ev)) />
                    <p class="field-problem" id="copy-code-problem" role="status">{move || problem.get()}</p>
                </div>
                <button class="btn" type="submit" disabled=move || busy.get()>"复制并打开"</button>
            </form>
        </details>
    }
}
