//! CORS for webmasters: the public read-only API (`/api/v1/items/{code}`, the catalog,
//! halls, holidays, the search index) answers the origins the deployment lists in
//! `EMBED_ORIGINS` (comma-separated, e.g. `https://www.xinxian.gov.cn`) with that origin
//! in `Access-Control-Allow-Origin` — never `*`, no credentials — and `Vary: Origin`, so
//! a cache never hands one origin's answer to another. Every other origin gets the answer
//! without the header, which its browser then withholds from the page.

use worker::{Env, Headers, Method, Request, Response, Result};

/// The public read-only API paths webmasters may read from their own pages.
pub fn is_public_read(path: &str) -> bool {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    matches!(
        segments.as_slice(),
        ["api", "v1", "items", _]
            | ["api", "v1", "catalog"]
            | ["api", "v1", "halls"]
            | ["api", "v1", "holidays"]
            | ["api", "v1", "search-index"]
            | ["api", "v1", "search"]
    )
}

/// Whether `origin` is one of `listed` (comma-separated origins, compared exactly after
/// trimming spaces and a trailing slash; `*` is never honoured).
pub fn origin_listed(listed: &str, origin: &str) -> bool {
    !origin.is_empty()
        && origin != "null"
        && listed
            .split(',')
            .map(|o| o.trim().trim_end_matches('/'))
            .any(|o| !o.is_empty() && o != "*" && o == origin)
}

/// The origins allowed to embed and read, as configured.
pub fn listed_origins(env: &Env) -> String {
    env.var("EMBED_ORIGINS")
        .map(|v| v.to_string())
        .unwrap_or_default()
}

/// The listed origins that are well-formed (`http(s)://host[:port]`): they go into the
/// embeds' `frame-ancestors` and the frames' script, so nothing else may.
pub fn embed_origins(env: &Env) -> Vec<String> {
    well_formed(&listed_origins(env))
}

fn well_formed(listed: &str) -> Vec<String> {
    listed
        .split(',')
        .map(|o| o.trim().trim_end_matches('/'))
        .filter(|o| {
            let Some(host) = o
                .strip_prefix("https://")
                .or_else(|| o.strip_prefix("http://"))
            else {
                return false;
            };
            !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
        })
        .map(str::to_string)
        .collect()
}

/// The request's `Origin` when it is listed.
pub fn allowed_origin(req: &Request, env: &Env) -> Option<String> {
    let origin = req.headers().get("Origin").ok().flatten()?;
    origin_listed(&listed_origins(env), &origin).then_some(origin)
}

/// Adds the CORS answer for `origin` (if allowed) and `Vary: Origin` (always: the answer
/// depends on it).
pub fn decorate(response: Response, origin: Option<&str>) -> Result<Response> {
    let headers = Headers::new();
    for (name, value) in response.headers().entries() {
        headers.append(&name, &value)?;
    }
    headers.append("Vary", "Origin")?;
    if let Some(origin) = origin {
        headers.set("Access-Control-Allow-Origin", origin)?;
        headers.set("Access-Control-Expose-Headers", "ETag")?;
    }
    Ok(response.with_headers(headers))
}

/// `OPTIONS` on a public read path: the preflight answer (204), permissive only for a
/// listed origin asking for GET.
pub fn preflight(req: &Request, env: &Env) -> Result<Response> {
    let method_ok = req
        .headers()
        .get("Access-Control-Request-Method")
        .ok()
        .flatten()
        .is_some_and(|m| m == "GET" || m == "HEAD");
    let response = crate::respond::secure(Response::empty()?.with_status(204))?;
    let origin = allowed_origin(req, env).filter(|_| method_ok);
    let mut response = decorate(response, origin.as_deref())?;
    let headers = response.headers_mut();
    headers.set("Allow", "GET, HEAD, OPTIONS")?;
    if origin.is_some() {
        headers.set("Access-Control-Allow-Methods", "GET, HEAD")?;
        headers.set("Access-Control-Allow-Headers", "If-None-Match")?;
        headers.set("Access-Control-Max-Age", "86400")?;
    }
    headers.set("Cache-Control", "no-store")?;
    Ok(response)
}

/// Whether `method` on `path` is a preflight this module answers.
pub fn is_preflight(method: &Method, path: &str) -> bool {
    *method == Method::Options && is_public_read(path)
}

#[cfg(test)]
mod tests {
    use super::{is_public_read, origin_listed};

    #[test]
    fn only_listed_origins_exactly() {
        let listed = "https://www.xinxian.gov.cn, http://localhost:8080/";
        assert!(origin_listed(listed, "https://www.xinxian.gov.cn"));
        assert!(origin_listed(listed, "http://localhost:8080"));
        for other in [
            "https://evil.example",
            "https://www.xinxian.gov.cn.evil.example",
            "http://www.xinxian.gov.cn",
            "http://localhost:8081",
            "null",
            "",
        ] {
            assert!(!origin_listed(listed, other), "{other}");
        }
        assert!(
            !origin_listed("*", "https://any.example"),
            "a wildcard is never honoured"
        );
        assert!(!origin_listed("", "https://www.xinxian.gov.cn"));
    }

    #[test]
    fn only_well_formed_origins_reach_a_policy() {
        assert_eq!(
            super::well_formed(" https://www.xinxian.gov.cn/, http://localhost:8080 ,*, 'none', https://a b, javascript:x, https://x;script-src *"),
            ["https://www.xinxian.gov.cn", "http://localhost:8080"]
        );
        assert!(super::well_formed("").is_empty());
    }

    #[test]
    fn the_public_read_paths() {
        for path in [
            "/api/v1/items/11411523MB1D00001A-000201001",
            "/api/v1/catalog",
            "/api/v1/halls",
            "/api/v1/holidays",
            "/api/v1/search-index",
            "/api/v1/search",
        ] {
            assert!(is_public_read(path), "{path}");
        }
        for path in [
            "/api/v1/staff/items",
            "/api/v1/cases/lookup",
            "/api/v1/halls/x/cases",
            "/g/x",
        ] {
            assert!(!is_public_read(path), "{path}");
        }
    }
}
