//! Finding a guide: `/s` (search, server-rendered so it works without JavaScript),
//! `/api/v1/search-index` (the index the app searches as the citizen types) and
//! `/e/{id}` (a life event: its items in order and their materials once).

use worker::{Env, Request, Response};
use zhinan_domain::catalog::search::{Filters, SearchIndex};
use zhinan_domain::catalog::search_scope;
use zhinan_domain::{Catalog, ItemCode};
use zhinan_ui::search::{filters_from_params, run, SearchChoices};
use zhinan_ui::{Page, PageData};

use crate::citizen::html;
use crate::pages;
use crate::respond::{cached, json_headers, Failure};
use crate::store::{fnv, CatalogStore, CurrentWords};

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

/// The hall whose county a search covers, as `(id, name)`; `Err`: the counties to
/// choose from.
fn scope_of(
    catalog: &Catalog,
    hall: Option<&str>,
) -> std::result::Result<(String, String), Vec<(String, String)>> {
    let named = |h: &zhinan_domain::Hall| (h.id.clone(), h.name.clone());
    search_scope(&catalog.halls, hall)
        .map(named)
        .map_err(|counties| counties.into_iter().map(named).collect())
}

/// A query parameter's trimmed value, `None` when absent or blank.
pub fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// `GET /api/v1/search-index?hall=`: the search index of that hall's county (its hall and
/// the township and village halls under it), as stored; without `hall`, the only county's.
/// Its ETag is the index's content hash, so a publish elsewhere leaves phones' copies valid.
pub async fn search_index(req: &Request, env: &Env) -> Answer {
    let pairs = query_pairs(req);
    let hall = param(&pairs, "hall");
    let store = CatalogStore::open(env)?;
    let version = store.current_version().await?;
    let catalog = store.catalog(version).await?;
    if let Some(id) = hall.filter(|id| catalog.hall(id).is_none()) {
        return Err(Failure::bad_request(
            "no_hall",
            format!("没有编号为 {id} 的服务中心"),
            "hall",
        ));
    }
    let (scope, _) = scope_of(&catalog, hall).map_err(|areas| {
        Failure::bad_request(
            "hall_required",
            format!(
                "本目录有 {} 个县（市、区），请用 hall 指明服务中心",
                areas.len()
            ),
            "hall",
        )
    })?;
    let area = catalog.area_of(&scope).to_string();
    let words = store.staff_words().await?;
    let etag = format!(
        "\"f{}{}\"",
        catalog.search.get(&area).map_or("0", String::as_str),
        words_tag(&words),
    );
    if crate::respond::not_modified(req, &etag) {
        return Ok(cached(req, &etag, INDEX_CACHE, Response::empty)?);
    }
    let raw = match store.area_index_with(&catalog, &area, &words).await? {
        Some((raw, _)) => raw.to_string(),
        None => serde_json::to_string(&SearchIndex::new(0, Vec::new())).unwrap_or_default(),
    };
    Ok(cached(req, &etag, INDEX_CACHE, || {
        Ok(Response::ok(raw.clone())?.with_headers(json_headers()?))
    })?)
}

/// The part of a search ETag that changes when staff change the citizens' words.
fn words_tag(words: &CurrentWords) -> String {
    if words.tag.is_empty() {
        String::new()
    } else {
        format!("w{}", words.tag)
    }
}

/// What a search asks, from its query parameters: the text, the hall whose county is
/// searched, and the filters.
fn search_params(pairs: &[(String, String)]) -> (String, Option<&str>, Filters) {
    let query = param(pairs, "q").unwrap_or_default().to_string();
    let hall = param(pairs, "hall");
    let filters = filters_from_params(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    (query, hall, filters)
}

/// `GET /s?q=…&hall=…&level=…&zone=…&dept=…&serves=…`: the search page with its results,
/// over the county of `hall` (or the only county); with several counties and no hall, the
/// page asks for one.
/// With `embed` (the listed origins) the same as `/embed/s`.
pub async fn search_page(
    req: &Request,
    env: &Env,
    origin: &str,
    embed: Option<&[String]>,
) -> Answer {
    let pairs = query_pairs(req);
    let (query, hall, filters) = search_params(&pairs);
    let store = CatalogStore::open(env)?;
    let version = store.current_version().await?;
    let words = store.staff_words().await?;
    let etag = format!(
        "\"{}q{version}{}-{}-{:x}\"",
        if embed.is_some() { "e" } else { "" },
        words_tag(&words),
        pages::build_id(),
        fnv(&format!(
            "{query}\u{0}{}\u{0}{filters:?}",
            hall.unwrap_or("")
        ))
    );
    if crate::respond::not_modified(req, &etag) {
        return Ok(cached(req, &etag, PAGE_CACHE, Response::empty)?);
    }
    let catalog = store.catalog(version).await?;
    let events: Vec<(String, String)> = catalog
        .life_events
        .iter()
        .map(|e| (e.id.clone(), e.name.clone()))
        .collect();
    let (results, choices) = match scope_of(&catalog, hall) {
        Ok(scope) => {
            let area = catalog.area_of(&scope.0).to_string();
            let index = match store.area_index_with(&catalog, &area, &words).await? {
                Some((_, index)) => index,
                None => std::rc::Rc::new(SearchIndex::new(0, Vec::new())),
            };
            let mut choices = SearchChoices::from_index(&index, events);
            choices.scope = Some(scope);
            (run(&index, &query, &filters), choices)
        }
        Err(areas) => (
            Vec::new(),
            SearchChoices {
                life_events: events,
                areas,
                ..SearchChoices::default()
            },
        ),
    };
    let full_path = match req.url().ok().and_then(|u| u.query().map(str::to_string)) {
        Some(query) => format!("/s?{query}"),
        None => "/s".to_string(),
    };
    let data = PageData {
        origin: origin.to_string(),
        page: Page::Search {
            query,
            filters,
            results,
            choices,
        },
    };
    Ok(cached(req, &etag, PAGE_CACHE, || {
        html(pages::render(&data, embed, &full_path), 200)
    })?)
}

/// Results one `GET /api/v1/search` answers at most.
const API_RESULTS: usize = 50;

/// One result of `GET /api/v1/search`.
#[derive(serde::Serialize)]
struct ApiResult {
    code: String,
    name: String,
    department: String,
    zone: String,
    level: zhinan_domain::Level,
    /// The keyword or department that matched when the name did not.
    #[serde(skip_serializing_if = "Option::is_none")]
    matched: Option<String>,
    url: String,
}

#[derive(serde::Serialize)]
struct ApiResults {
    query: String,
    hall: String,
    total: usize,
    results: Vec<ApiResult>,
}

/// `GET /api/v1/search?q=…&hall=…` (and the page's filters): the search page's results as
/// JSON, the best 50, for websites that show a search in their own pages (`zhinan.js`).
pub async fn search_api(req: &Request, env: &Env, origin: &str) -> Answer {
    let pairs = query_pairs(req);
    let (query, hall, filters) = search_params(&pairs);
    let store = CatalogStore::open(env)?;
    let version = store.current_version().await?;
    let catalog = store.catalog(version).await?;
    if let Some(hall) = hall.filter(|h| catalog.hall(h).is_none()) {
        let hall: String = hall.chars().take(MAX_PARAM_CHARS).collect();
        return Err(Failure::bad_request(
            "no_hall",
            format!("没有编号为 {hall} 的服务中心"),
            "hall",
        ));
    }
    let scope = scope_of(&catalog, hall).map_err(|areas| {
        let ids: Vec<String> = areas.into_iter().map(|(id, _)| id).collect();
        Failure::bad_request(
            "hall_required",
            format!("目录含多个县（区），请用 hall 指定其一：{}", ids.join("、")),
            "hall",
        )
    })?;
    let words = store.staff_words().await?;
    let etag = format!(
        "\"sq{version}{}-{:x}\"",
        words_tag(&words),
        fnv(&format!("{query}\u{0}{}\u{0}{filters:?}", scope.0))
    );
    if crate::respond::not_modified(req, &etag) {
        return Ok(cached(req, &etag, INDEX_CACHE, Response::empty)?);
    }
    let area = catalog.area_of(&scope.0).to_string();
    let results = match store.area_index_with(&catalog, &area, &words).await? {
        Some((_, index)) => run(&index, &query, &filters),
        None => Vec::new(),
    };
    let origin = origin.trim_end_matches('/');
    let body = ApiResults {
        query,
        hall: scope.0,
        total: results.len(),
        results: results
            .into_iter()
            .take(API_RESULTS)
            .map(|r| ApiResult {
                url: format!("{origin}/g/{}", r.hit.code),
                code: r.hit.code,
                name: r.hit.name,
                department: r.department,
                zone: r.zone,
                level: r.level,
                matched: r.hit.matched_text,
            })
            .collect(),
    };
    Ok(cached(req, &etag, INDEX_CACHE, || {
        Ok(Response::from_json(&body)?.with_headers(json_headers()?))
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
