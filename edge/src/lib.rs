//! Zhinan's edge worker. Thin handlers: parse the request, read KV, call the shared
//! crates, map failures to HTTP answers. Static files (the app bundle) come from the
//! `ASSETS` binding; everything a QR code or the API reaches runs here first.

mod api;
mod openapi;
mod pages;
mod qr;
mod respond;
mod store;

use worker::{event, Context, Env, Method, Request, Response, Result};
use zhinan_domain::ItemCode;

use respond::Failure;

/// What a request asks for.
enum Route {
    Home,
    Guide(String),
    QrSvg(String),
    Ping,
    Catalog,
    Item(String),
    OpenApi,
    ApiUnknown,
    Asset,
}

fn route(method: &Method, path: &str) -> Route {
    if !matches!(method, Method::Get | Method::Head) {
        return if path.starts_with("/api/") {
            Route::ApiUnknown
        } else {
            Route::Asset
        };
    }
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match segments.as_slice() {
        [""] => Route::Home,
        ["g", code] | ["g", code, ""] => Route::Guide(decode(code)),
        ["qr", file] if file.ends_with(".svg") => {
            Route::QrSvg(decode(file.trim_end_matches(".svg")))
        }
        ["api", "v1", "ping"] => Route::Ping,
        ["api", "v1", "catalog"] => Route::Catalog,
        ["api", "v1", "items", code] => Route::Item(decode(code)),
        ["api", "v1", "openapi.json"] => Route::OpenApi,
        ["api", ..] => Route::ApiUnknown,
        _ => Route::Asset,
    }
}

/// Percent-decodes a path segment (codes are ASCII, but a pasted URL may be encoded).
fn decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 3 <= bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The configured public origin, e.g. `https://zhinan.example.gov.cn`.
fn public_origin(env: &Env) -> String {
    env.var("PUBLIC_ORIGIN")
        .map(|v| v.to_string())
        .unwrap_or_else(|_| "http://127.0.0.1:8787".to_string())
        .trim_end_matches('/')
        .to_string()
}

fn parse_code(raw: &str) -> std::result::Result<ItemCode, Failure> {
    ItemCode::parse(raw).map_err(|e| Failure::bad_request("bad_code", e.to_string(), "code"))
}

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    let path = req.path();
    let origin = public_origin(&env);
    let outcome = match route(&req.method(), &path) {
        Route::Home => pages_handlers::home(&req, &env, &origin).await,
        Route::Guide(code) => pages_handlers::guide(&req, &env, &origin, &code).await,
        Route::QrSvg(code) => pages_handlers::qr(&req, &env, &origin, &code).await,
        Route::Ping => api::ping(),
        Route::Catalog => api::catalog(&req, &env).await,
        Route::Item(code) => api::item(&req, &env, &code).await,
        Route::OpenApi => api::openapi(&req, &origin),
        Route::ApiUnknown => Err(Failure::not_found(
            "no_route",
            format!("没有这个接口：{} {path}", req.method()),
        )),
        Route::Asset => return env.assets("ASSETS")?.fetch_request(req).await,
    };
    match outcome {
        Ok(response) => Ok(response),
        Err(failure) if path.starts_with("/api/") || path.starts_with("/qr/") => {
            failure.into_json_response()
        }
        Err(failure) => pages_handlers::failure_page(failure),
    }
}

mod pages_handlers {
    //! Handlers of the public pages and poster QR codes.

    use worker::{Env, Request, Response, Result};
    use zhinan_ui::{Page, PageData};

    use crate::respond::{cached, secure, Failure};
    use crate::store::CatalogStore;
    use crate::{pages, parse_code, qr};

    /// Pages revalidate every time (a 304 is tiny) so a publish shows at once.
    const PAGE_CACHE: &str = "public, max-age=0, must-revalidate";

    fn html(body: String, status: u16) -> Result<Response> {
        let mut response = Response::from_html(body)?.with_status(status);
        response
            .headers_mut()
            .set("Content-Security-Policy", &pages::content_security_policy())?;
        Ok(response)
    }

    pub async fn home(
        req: &Request,
        env: &Env,
        origin: &str,
    ) -> std::result::Result<Response, Failure> {
        let store = CatalogStore::open(env)?;
        let version = store.current_version().await?;
        let etag = format!("\"h{version}-{}\"", pages::build_id());
        if crate::respond::not_modified(req, &etag) {
            return Ok(cached(req, &etag, PAGE_CACHE, Response::empty)?);
        }
        let catalog = store.catalog(version).await?;
        let data = PageData {
            origin: origin.to_string(),
            page: Page::Home {
                catalog: (*catalog).clone(),
            },
        };
        Ok(cached(req, &etag, PAGE_CACHE, || {
            html(pages::render_document(&data), 200)
        })?)
    }

    pub async fn guide(
        req: &Request,
        env: &Env,
        origin: &str,
        raw: &str,
    ) -> std::result::Result<Response, Failure> {
        let not_found = |code: &str| {
            let data = PageData {
                origin: origin.to_string(),
                page: Page::NotFound {
                    code: code.to_string(),
                },
            };
            html(pages::render_document(&data), 404)
                .and_then(secure)
                .map_err(Failure::from)
        };
        let Ok(code) = parse_code(raw) else {
            return not_found(raw);
        };
        let store = CatalogStore::open(env)?;
        let version = store.current_version().await?;
        let etag = format!("\"g{version}-{}\"", pages::build_id());
        if crate::respond::not_modified(req, &etag) {
            return Ok(cached(req, &etag, PAGE_CACHE, Response::empty)?);
        }
        let Some(item) = store.item(version, &code).await? else {
            return not_found(code.as_str());
        };
        let catalog = store.catalog(version).await?;
        let hall = catalog.hall(&item.hall).cloned();
        let data = PageData {
            origin: origin.to_string(),
            page: Page::Guide {
                item: Box::new(item),
                hall,
            },
        };
        Ok(cached(req, &etag, PAGE_CACHE, || {
            html(pages::render_document(&data), 200)
        })?)
    }

    pub async fn qr(
        req: &Request,
        env: &Env,
        origin: &str,
        raw: &str,
    ) -> std::result::Result<Response, Failure> {
        let code = parse_code(raw)?;
        let store = CatalogStore::open(env)?;
        let version = store.current_version().await?;
        if store.item(version, &code).await?.is_none() {
            return Err(Failure::not_found(
                "no_item",
                format!("没有编码为 {code} 的事项"),
            ));
        }
        let url = format!("{origin}/g/{code}");
        let svg = qr::svg_for(&url).map_err(|e| Failure::Unavailable(format!("qr: {e:?}")))?;
        // The URL of a code never changes, so neither does its picture.
        let etag = format!("\"q-{}\"", url.len() + svg.len());
        Ok(cached(req, &etag, "public, max-age=86400", || {
            let mut response = Response::ok(svg.clone())?;
            response
                .headers_mut()
                .set("Content-Type", "image/svg+xml")?;
            Ok(response)
        })?)
    }

    /// A page-route failure: 400 never happens here (bad codes get the 404 page), so this
    /// is the store being down. Say so in Chinese rather than showing a blank screen.
    pub fn failure_page(failure: Failure) -> Result<Response> {
        let status = match &failure {
            Failure::BadRequest(_) => 400,
            Failure::NotFound(_) => 404,
            Failure::Unavailable(detail) => {
                worker::console_error!("page failed: {detail}");
                503
            }
        };
        let body = "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>暂时无法显示 · 办事指南</title></head><body style=\"font:18px/1.5 sans-serif;padding:1rem\"><h1>暂时无法显示办事指南</h1><p>请稍后刷新重试，或拨打 12345 政务服务便民热线咨询。</p><p><a href=\"/\">返回首页</a></p></body></html>";
        let mut response = Response::from_html(body)?.with_status(status);
        response.headers_mut().set("Cache-Control", "no-store")?;
        secure(response)
    }
}
