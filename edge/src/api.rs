//! `/api/v1` handlers: the catalog and items as JSON, for the app and for integrators.

use worker::{Env, Request, Response};

use crate::respond::{cached, json_headers, secure, Failure, JSON_TYPE};
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
/// Hall row lists one page reads at most: a page across many small village halls ends
/// early, with its cursor, rather than reading them all.
const MAX_HALLS_PER_PAGE: usize = 8;

/// `GET /api/v1/halls`: the catalog's directory — halls, each hall's item count, life
/// events (one read, whatever the catalog's size).
pub async fn halls(req: &Request, env: &Env) -> Answer {
    let store = CatalogStore::open(env)?;
    let version = store.current_version().await?;
    let etag = format!("\"h{version}\"");
    if crate::respond::not_modified(req, &etag) {
        return Ok(cached(req, &etag, API_CACHE, Response::empty)?);
    }
    let catalog = store.catalog(version).await?;
    let directory = zhinan_domain::Directory::of(&catalog);
    Ok(cached(req, &etag, API_CACHE, || json_body(&directory))?)
}

/// `GET /api/v1/catalog?limit=&cursor=&hall=`: one page of the catalog's items (200 by
/// default, at most 1,000), in hall order, with the halls and life events, the total and
/// the `next` cursor while more remain; `hall` keeps one hall's items.
pub async fn catalog(req: &Request, env: &Env) -> Answer {
    let store = CatalogStore::open(env)?;
    let version = store.current_version().await?;
    let pairs = crate::explore::query_pairs(req);
    let param = |name: &str| crate::explore::param(&pairs, name);
    let (limit, cursor, hall) = (param("limit"), param("cursor"), param("hall"));
    let number = |field: &str, value: Option<&str>, default: usize| match value {
        None => Ok(default),
        Some(v) => v
            .parse::<usize>()
            .map_err(|_| Failure::bad_request("bad_query", format!("{field} 应为非负整数"), field)),
    };
    let limit = number("limit", limit, 200)?.clamp(1, MAX_PAGE);
    let start = number("cursor", cursor, 0)?;
    let etag = format!(
        "\"c{version}-{start}-{limit}-{}\"",
        hall.unwrap_or("")
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect::<String>()
    );
    if crate::respond::not_modified(req, &etag) {
        return Ok(cached(req, &etag, API_CACHE, Response::empty)?);
    }
    let catalog = store.catalog(version).await?;
    let order: Vec<&str> = match hall {
        Some(hall) => vec![hall],
        None => catalog.hall_order(),
    };
    let total: usize = order.iter().map(|h| catalog.count_of(h) as usize).sum();
    let mut items = Vec::new();
    let mut skip = start;
    let mut read = 0;
    for id in order {
        let count = catalog.count_of(id) as usize;
        if skip >= count {
            skip -= count;
            continue;
        }
        if items.len() == limit || read == MAX_HALLS_PER_PAGE {
            break;
        }
        let rows = store.rows(&catalog, id).await?;
        read += 1;
        items.extend(rows.iter().skip(skip).take(limit - items.len()).cloned());
        skip = 0;
    }
    let end = start + items.len();
    let page = serde_json::json!({
        "version": catalog.version,
        "published_at": catalog.published_at,
        "total": total,
        "halls": catalog.halls,
        "life_events": catalog.life_events,
        "items": items,
        "next": (end < total).then(|| end.to_string()),
    });
    Ok(cached(req, &etag, API_CACHE, || json_body(&page))?)
}

pub async fn item(req: &Request, env: &Env, raw: &str) -> Answer {
    let code = parse_code(raw)?;
    let store = CatalogStore::open(env)?;
    let version = store.served_version().await?;
    let etag = format!("\"i{version}-{code}\"");
    if crate::respond::not_modified(req, &etag) {
        return Ok(cached(req, &etag, API_CACHE, Response::empty)?);
    }
    if let Some(kept) = crate::memo::get(&etag) {
        return Ok(crate::memo::respond(req, &etag, API_CACHE, &kept)?);
    }
    let item = store
        .item(version, &code)
        .await?
        .ok_or_else(|| Failure::not_found("no_item", format!("没有编码为 {code} 的事项")))?;
    let body = serde_json::to_vec(&item).map_err(|e| Failure::Unavailable(e.to_string()))?;
    let headers = vec![("Content-Type", JSON_TYPE.to_string())];
    match crate::memo::keep(&etag, headers, body) {
        Ok(kept) => Ok(crate::memo::respond(req, &etag, API_CACHE, &kept)?),
        Err(_) => Ok(cached(req, &etag, API_CACHE, || json_body(&item))?),
    }
}

pub fn openapi(req: &Request, origin: &str) -> Answer {
    let doc = openapi::document(origin);
    // The tag follows the text: a client revalidating after a deploy gets the new one.
    let etag = format!("\"openapi-{:016x}\"", crate::store::fnv(&doc.to_string()));
    Ok(cached(req, &etag, "public, max-age=300", || {
        json_body(&doc)
    })?)
}
