//! `/api/v1` handlers: the catalog and items as JSON, for the app and for integrators.

use worker::{Env, Request, Response};

use crate::respond::{cached, json_headers, secure, Failure};
use crate::store::CatalogStore;
use crate::{openapi, parse_code};

/// Browsers may reuse API answers for a minute, then must revalidate (304 when unchanged).
const API_CACHE: &str = "public, max-age=60, must-revalidate";

type Answer = Result<Response, Failure>;

fn json_body(value: &impl serde::Serialize) -> worker::Result<Response> {
    Ok(Response::from_json(value)?.with_headers(json_headers()?))
}

pub fn ping() -> Answer {
    let mut response = json_body(&serde_json::json!({ "ok": true }))?;
    response.headers_mut().set("Cache-Control", "no-store")?;
    Ok(secure(response)?)
}

/// Catalog entries per page at most.
const MAX_PAGE: usize = 1_000;

/// `GET /api/v1/catalog`: the whole catalog summary, or — with `limit`, `cursor` or
/// `hall` — one page of its items (a prefecture's 20,000 need not travel at once), with the
/// `next` cursor while more remain.
pub async fn catalog(req: &Request, env: &Env) -> Answer {
    let store = CatalogStore::open(env)?;
    let version = store.current_version().await?;
    let pairs = crate::explore::query_pairs(req);
    let param = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let (limit, cursor, hall) = (param("limit"), param("cursor"), param("hall"));
    let paged = limit.is_some() || cursor.is_some() || hall.is_some();
    let number = |field: &str, value: Option<String>, default: usize| match value {
        None => Ok(default),
        Some(v) => v
            .parse::<usize>()
            .map_err(|_| Failure::bad_request("bad_query", format!("{field} 应为非负整数"), field)),
    };
    let limit = number("limit", limit, 200)?.clamp(1, MAX_PAGE);
    let start = number("cursor", cursor, 0)?;
    let etag = if paged {
        format!(
            "\"c{version}-{start}-{limit}-{}\"",
            hall.as_deref()
                .unwrap_or("")
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect::<String>()
        )
    } else {
        format!("\"c{version}\"")
    };
    if crate::respond::not_modified(req, &etag) {
        return Ok(cached(req, &etag, API_CACHE, Response::empty)?);
    }
    let catalog = store.catalog(version).await?;
    if !paged {
        return Ok(cached(req, &etag, API_CACHE, || json_body(&*catalog))?);
    }
    let mut matching = catalog
        .items
        .iter()
        .enumerate()
        .filter(|(_, e)| hall.as_deref().is_none_or(|h| e.hall == h))
        .skip_while(|(i, _)| *i < start);
    let items: Vec<_> = matching.by_ref().take(limit).collect();
    let next = matching.next().map(|(i, _)| i.to_string());
    let page = serde_json::json!({
        "version": catalog.version,
        "published_at": catalog.published_at,
        "halls": catalog.halls,
        "life_events": catalog.life_events,
        "items": items.into_iter().map(|(_, e)| e).collect::<Vec<_>>(),
        "next": next,
    });
    Ok(cached(req, &etag, API_CACHE, || json_body(&page))?)
}

pub async fn item(req: &Request, env: &Env, raw: &str) -> Answer {
    let code = parse_code(raw)?;
    let store = CatalogStore::open(env)?;
    let version = store.current_version().await?;
    let etag = format!("\"i{version}-{code}\"");
    if crate::respond::not_modified(req, &etag) {
        return Ok(cached(req, &etag, API_CACHE, Response::empty)?);
    }
    let item = store
        .item(version, &code)
        .await?
        .ok_or_else(|| Failure::not_found("no_item", format!("没有编码为 {code} 的事项")))?;
    Ok(cached(req, &etag, API_CACHE, || json_body(&item))?)
}

pub fn openapi(req: &Request, origin: &str) -> Answer {
    let doc = openapi::document(origin);
    Ok(cached(req, "\"openapi-1\"", "public, max-age=300", || {
        json_body(&doc)
    })?)
}
