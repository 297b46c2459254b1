use std::time::Duration;

use leptos::prelude::*;
use leptos::tachys::view::Render;
use leptos_router::hooks::use_query_map;
use zhinan_domain::catalog::search::Filters;
use zhinan_domain::catalog::search::SearchIndex;
use zhinan_domain::catalog::search_scope;
use zhinan_ui::device;
use zhinan_ui::search::{
    filters_from_params, query_string, result_rows, run, SearchChoices, SearchResult, FIRST_ROWS,
};
use zhinan_ui::{Layout, Page, SearchPage};

use super::status::{error_view, Loading};
use crate::api::{self, ApiError};
use crate::app::InitialPage;

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

/// The search page with live state: every keystroke or filter change reruns the search
/// against the index (downloaded once per page load) and updates the address bar.
#[component]
fn LiveSearch(
    query: String,
    filters: Filters,
    results: Vec<SearchResult>,
    choices: SearchChoices,
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
    view! { <SearchPage query filters results=results.into() choices /> }
}

type Loaded = (String, Filters, Vec<SearchResult>, SearchChoices);

async fn load(query: String, filters: Filters, scope: Option<String>) -> Result<Loaded, ApiError> {
    let catalog = api::catalog().await?;
    let events = catalog
        .life_events
        .iter()
        .map(|e| (e.id.clone(), e.name.clone()))
        .collect();
    let named = |h: &zhinan_domain::Hall| (h.id.clone(), h.name.clone());
    let scope = match search_scope(&catalog.halls, scope.as_deref()) {
        Ok(hall) => named(hall),
        Err(counties) => {
            let choices = SearchChoices {
                life_events: events,
                areas: counties.into_iter().map(named).collect(),
                ..SearchChoices::default()
            };
            return Ok((query, filters, Vec::new(), choices));
        }
    };
    let index = api::search_index(Some(&scope.0)).await?;
    let results = run(&index, &query, &filters);
    let mut choices = SearchChoices::from_index(&index, events);
    choices.scope = Some(scope);
    Ok((query, filters, results, choices))
}

/// `/s`: search, from the server-rendered results on first load.
#[component]
pub fn SearchRoute() -> impl IntoView {
    let initial = use_context::<InitialPage>().and_then(|InitialPage(page)| {
        page.try_update_value(|p| match p.take() {
            Some(Page::Search {
                query,
                filters,
                results,
                choices,
            }) => Some((query, filters, results, choices)),
            other => {
                *p = other;
                None
            }
        })
        .flatten()
    });
    if let Some((query, filters, results, choices)) = initial {
        return view! {
            <Layout>
                <LiveSearch query filters results choices />
            </Layout>
        }
        .into_any();
    }
    let params = use_query_map().get_untracked();
    let query = params.get("q").unwrap_or_default();
    let pairs: Vec<(String, String)> = ["level", "zone", "dept", "serves"]
        .into_iter()
        .filter_map(|k| params.get(k).map(|v| (k.to_string(), v)))
        .collect();
    let filters = filters_from_params(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let scope = params.get("hall");
    let page = LocalResource::new(move || load(query.clone(), filters.clone(), scope.clone()));
    view! {
        <Layout>
            <Transition fallback=Loading>
                <ErrorBoundary fallback=error_view>{move || {
                    page.get()
                        .map(|r| {
                            r.map(|(query, filters, results, choices)| {
                                view! { <LiveSearch query filters results choices /> }
                            })
                        })
                }}</ErrorBoundary>
            </Transition>
        </Layout>
    }
    .into_any()
}
