use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use zhinan_domain::catalog::search::Filters;
use zhinan_ui::device;
use zhinan_ui::search::{filters_from_params, query_string, run, SearchChoices, SearchResult};
use zhinan_ui::{Layout, Page, SearchPage};

use super::status::{error_view, Loading};
use crate::api::{self, ApiError};
use crate::app::InitialPage;

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
    let results = RwSignal::new(results);
    let ready = RwSignal::new(api::cached_search_index().is_some());
    if !ready.get_untracked() {
        leptos::task::spawn_local(async move {
            if api::search_index().await.is_ok() {
                ready.set(true);
            }
        });
    }
    Effect::new(move |_| {
        let q = query.get();
        let f = filters.get();
        if ready.get() {
            if let Some(index) = api::cached_search_index() {
                let fresh = run(&index, &q, &f);
                if results.with_untracked(|r| *r != fresh) {
                    results.set(fresh);
                }
            }
        }
        device::replace_query("/s", &query_string(&q, &f));
    });
    view! { <SearchPage query filters results=results.into() choices /> }
}

type Loaded = (String, Filters, Vec<SearchResult>, SearchChoices);

async fn load(query: String, filters: Filters) -> Result<Loaded, ApiError> {
    let index = api::search_index().await?;
    let events = api::catalog()
        .await
        .map(|c| {
            c.life_events
                .iter()
                .map(|e| (e.id.clone(), e.name.clone()))
                .collect()
        })
        .unwrap_or_default();
    let results = run(&index, &query, &filters);
    let choices = SearchChoices::from_index(&index, events);
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
    let page = LocalResource::new(move || load(query.clone(), filters.clone()));
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
