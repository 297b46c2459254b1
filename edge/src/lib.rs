//! Zhinan's edge worker. Thin handlers: parse the request, read KV, call the shared
//! crates, map failures to HTTP answers. Static files (the app bundle) come from the
//! `ASSETS` binding; everything a QR code or the API reaches runs here first.

mod api;
mod citizen;
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
        Route::Home => citizen::home(&req, &env, &origin).await,
        Route::Guide(code) => citizen::guide(&req, &env, &origin, &code).await,
        Route::QrSvg(code) => citizen::qr(&req, &env, &origin, &code).await,
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
        Err(failure) => citizen::failure_page(failure),
    }
}
