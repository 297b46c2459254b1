use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use zhinan_domain::catalog::search::{Filters, SearchIndex};
use zhinan_ui::device;
use zhinan_ui::search::{query_string, run, SearchChoices, SearchPage, SearchResult};

use crate::api;

/// A query no catalog holds, for the page that says nothing was found.
const NOWHERE: &str = "。。。";

/// How long typing pauses before the address bar shows the query.
const ADDRESS_DELAY: Duration = Duration::from_millis(300);

/// The browser compiles each wasm function on its first call: on the slowest phones that
/// was a fifth of the first keystroke (82 functions, 13 ms of 60 at a 4× CPU slowdown),
/// and later keystrokes that changed the page in a new way paid again. Once the index is
/// here, a copy of the search page that is never attached to the document takes the
/// keystrokes a citizen makes — a character of the catalog, a letter, something found
/// nowhere, the box cleared, a letter again — so the citizen's own find that code
/// compiled. One keystroke per task, so that the page stays responsive meanwhile; it
/// stops as soon as the citizen's own query changes (`typing`), which then goes first.
async fn rehearse(
    index: &SearchIndex,
    scope: StoredValue<Option<String>>,
    choices: SearchChoices,
    parent: Option<Owner>,
    typing: RwSignal<String>,
) {
    let Ok(stage) = document().create_element("div") else {
        return;
    };
    let typed_before = typing.get_untracked();
    let first_char = index
        .entries
        .first()
        .and_then(|entry| entry.name.chars().next())
        .map(String::from);
    let owner = parent.map_or_else(Owner::new, |parent| parent.child());
    let query = owner.with(|| RwSignal::new(String::new()));
    let unseen_page = owner.with(|| {
        let filters = RwSignal::new(Filters::default());
        let ready = RwSignal::new(true);
        let results = live_results(ready, scope, StoredValue::new(Vec::new()), query, filters);
        leptos::mount::mount_to(stage.unchecked_into(), move || {
            view! { <SearchPage query filters results=results.into() choices live=ready.into() /> }
        })
    });
    let keystrokes = ["a", NOWHERE, "", "a"].map(String::from);
    for typed in first_char.into_iter().chain(keystrokes) {
        // Building the page was a task of its own; each keystroke's effects run before
        // the next.
        device::next_task().await;
        if typing.with_untracked(|now| *now != typed_before) {
            break;
        }
        query.set(typed);
    }
    device::next_task().await;
    drop(unseen_page);
}

/// The results of the query and filters, derived in the same pass as they change (a
/// memo, not an effect that writes a signal): the page redraws once per keystroke. Until
/// the index is `ready`, the results the page came with.
fn live_results(
    ready: RwSignal<bool>,
    scope: StoredValue<Option<String>>,
    shown_first: StoredValue<Vec<SearchResult>>,
    query: RwSignal<String>,
    filters: RwSignal<Filters>,
) -> Memo<Vec<SearchResult>> {
    Memo::new(move |_| {
        let index = ready
            .get()
            .then(|| scope.with_value(|s| api::cached_search_index(s.as_deref())))
            .flatten();
        match index {
            Some(index) => query.with(|q| filters.with(|f| run(&index, q, f))),
            None => shown_first.get_value(),
        }
    })
}

/// The search page with live state, hydrated over the page the edge served: every
/// keystroke or filter change reruns the search against the index (downloaded once per
/// page load) and updates the address bar. `typed` is what the citizen typed into the
/// served page's box before the app took over; it becomes the query once it has.
#[component]
pub fn LiveSearch(
    query: String,
    filters: Filters,
    results: Vec<SearchResult>,
    choices: SearchChoices,
    typed: Option<String>,
) -> impl IntoView {
    let query = RwSignal::new(query);
    let filters = RwSignal::new(filters);
    let scope = StoredValue::new(choices.scope.clone().map(|(id, _)| id));
    // Without a county there is no index to search as one types (the page asks for one).
    let searchable = choices.areas.is_empty();
    let ready =
        RwSignal::new(scope.with_value(|s| api::cached_search_index(s.as_deref()).is_some()));
    if searchable && !ready.get_untracked() {
        let choices = choices.clone();
        let owner = Owner::current();
        leptos::task::spawn_local(async move {
            if let Ok(index) = api::search_index(scope.get_value().as_deref()).await {
                rehearse(&index, scope, choices, owner, query).await;
                ready.set(true);
            }
        });
    }
    let results = live_results(ready, scope, StoredValue::new(results), query, filters);
    // The address follows the query once typing pauses: rewriting it costs a phone a few
    // milliseconds a keystroke, and only a shared or reloaded page needs it.
    let pending = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        let address = query
            .with(|q| filters.with(|f| scope.with_value(|s| query_string(q, f, s.as_deref()))));
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let write = move || device::replace_query("/s", &address);
        pending.set_value(set_timeout_with_handle(write, ADDRESS_DELAY).ok());
    });
    let page = zhinan_ui::search_view(query, filters, results.into(), choices, ready.into());
    if let Some(typed) = typed {
        // Effects run after hydration, in the order they were made: the adopted page first
        // matches the server's, then the page takes the typed query as any other change
        // (a screenful of rows).
        Effect::new(move |_| query.set(typed.clone()));
    }
    page
}
