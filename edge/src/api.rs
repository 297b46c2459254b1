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

pub async fn catalog(req: &Request, env: &Env) -> Answer {
    let store = CatalogStore::open(env)?;
    let version = store.current_version().await?;
    let etag = format!("\"c{version}\"");
    if crate::respond::not_modified(req, &etag) {
        return Ok(cached(req, &etag, API_CACHE, Response::empty)?);
    }
    let catalog = store.catalog(version).await?;
    Ok(cached(req, &etag, API_CACHE, || json_body(&*catalog))?)
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
