use std::time::Duration;

use leptos::prelude::*;
use leptos::tachys::view::Render;
use zhinan_domain::catalog::search::Filters;
use zhinan_domain::catalog::search::SearchIndex;
use zhinan_ui::device;
use zhinan_ui::search::{query_string, result_rows, run, SearchChoices, SearchResult, FIRST_ROWS};

use crate::api;

/// How long typing pauses before the address bar shows the query.
const ADDRESS_DELAY: Duration = Duration::from_millis(300);

/// The browser compiles wasm functions on their first call, and a keystroke's first
/// results are the first rows drawn on the page: drawing a page of rows once when the
/// index arrives — never attached, so nothing shows or moves — spares the citizen's first
/// keystroke that compile.
fn warm_up(index: &SearchIndex) {
    let rows = run(index, "a", &Filters::default())
        .into_iter()
        .take(FIRST_ROWS);
    let _unseen = result_rows(rows).into_view().build();
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
        leptos::task::spawn_local(async move {
            if let Ok(index) = api::search_index(scope.get_value().as_deref()).await {
                warm_up(&index);
                ready.set(true);
            }
        });
    }
    // Derived in the same pass as the query (a memo, not an effect that writes a signal):
    // the page redraws once per keystroke. Until the index arrives, the results the
    // page came with.
    let shown_first = StoredValue::new(results);
    let results = Memo::new(move |_| {
        let index = ready
            .get()
            .then(|| scope.with_value(|s| api::cached_search_index(s.as_deref())))
            .flatten();
        match index {
            Some(index) => query.with(|q| filters.with(|f| run(&index, q, f))),
            None => shown_first.get_value(),
        }
    });
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
