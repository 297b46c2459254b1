//! Finding a guide: `/s` (search, server-rendered so it works without JavaScript),
//! `/api/v1/search-index` (the index the app searches as the citizen types) and
//! `/e/{id}` (a life event: its items in order and their materials once).

use worker::{Env, Request, Response};
use zhinan_domain::catalog::search::Filters;
use zhinan_domain::ItemCode;
use zhinan_ui::search::{filters_from_params, run, SearchChoices};
use zhinan_ui::{Page, PageData};

use crate::citizen::html;
use crate::pages;
use crate::respond::{cached, json_headers, Failure};
use crate::store::CatalogStore;

/// Pages revalidate every time (a 304 is tiny) so a publish shows at once.
const PAGE_CACHE: &str = "public, max-age=0, must-revalidate";
/// The index changes only on publish; phones may keep it a few minutes, then revalidate.
const INDEX_CACHE: &str = "public, max-age=300, must-revalidate";
/// Longest query or filter value taken from a URL; longer ones are cut.
const MAX_PARAM_CHARS: usize = 64;

type Answer = Result<Response, Failure>;

/// The query string's pairs, percent-decoded (`+` is a space), values capped in length.
pub fn query_pairs(req: &Request) -> Vec<(String, String)> {
    let url = req.inner().url();
    let Some((_, query)) = url.split_once('?') else {
        return Vec::new();
    };
    let query = query.split('#').next().unwrap_or("");
    form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.chars().take(MAX_PARAM_CHARS).collect()))
        .collect()
}

/// Short stable hash for ETags of pages that depend on the query string.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf29ce484222325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    })
}

/// `GET /api/v1/search-index`: the index of the current catalog version, as stored.
pub async fn search_index(req: &Request, env: &Env) -> Answer {
    let store = CatalogStore::open(env)?;
    let version = store.current_version().await?;
    let etag = format!("\"s{version}\"");
    if crate::respond::not_modified(req, &etag) {
        return Ok(cached(req, &etag, INDEX_CACHE, Response::empty)?);
    }
    let (raw, _) = store.search_index(version).await?;
    Ok(cached(req, &etag, INDEX_CACHE, || {
        Ok(Response::ok(raw.to_string())?.with_headers(json_headers()?))
    })?)
}

/// `GET /s?q=…&level=…&zone=…&dept=…&serves=…`: the search page with its results.
pub async fn search_page(req: &Request, env: &Env, origin: &str) -> Answer {
    let pairs = query_pairs(req);
    let query = pairs
        .iter()
        .find(|(k, _)| k == "q")
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default();
    let filters: Filters = filters_from_params(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let store = CatalogStore::open(env)?;
    let version = store.current_version().await?;
    let etag = format!(
        "\"q{version}-{}-{:x}\"",
        pages::build_id(),
        fnv(&format!("{query}\u{0}{filters:?}"))
    );
    if crate::respond::not_modified(req, &etag) {
        return Ok(cached(req, &etag, PAGE_CACHE, Response::empty)?);
    }
    let (_, index) = store.search_index(version).await?;
    let catalog = store.catalog(version).await?;
    let results = run(&index, &query, &filters);
    let events = catalog
        .life_events
        .iter()
        .map(|e| (e.id.clone(), e.name.clone()))
        .collect();
    let data = PageData {
        origin: origin.to_string(),
        page: Page::Search {
            query,
            filters,
            results,
            choices: SearchChoices::from_index(&index, events),
        },
    };
    Ok(cached(req, &etag, PAGE_CACHE, || {
        html(pages::render_document(&data), 200)
    })?)
}

/// `GET /e/{id}`: a life event; an unknown id gets the friendly not-found page.
pub async fn life_event(req: &Request, env: &Env, origin: &str, id: &str) -> Answer {
    let store = CatalogStore::open(env)?;
    let version = store.current_version().await?;
    let catalog = store.catalog(version).await?;
    let Some(event) = catalog.life_events.iter().find(|e| e.id == id).cloned() else {
        let data = PageData {
            origin: origin.to_string(),
            page: Page::NotFound {
                code: id.chars().take(MAX_PARAM_CHARS).collect(),
            },
        };
        return Ok(html(pages::render_document(&data), 404)?);
    };
    let etag = format!("\"e{version}-{}-{id}\"", pages::build_id());
    if crate::respond::not_modified(req, &etag) {
        return Ok(cached(req, &etag, PAGE_CACHE, Response::empty)?);
    }
    let mut items = Vec::with_capacity(event.items.len());
    for code in &event.items {
        let Ok(code) = ItemCode::parse(code) else {
            continue;
        };
        if let Some(item) = store.item(version, &code).await? {
            items.push(item);
        }
    }
    let data = PageData {
        origin: origin.to_string(),
        page: Page::LifeEvent {
            event,
            items,
            halls: catalog.halls.clone(),
        },
    };
    Ok(cached(req, &etag, PAGE_CACHE, || {
        html(pages::render_document(&data), 200)
    })?)
}
