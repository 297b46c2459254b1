//! Zhinan's edge worker. Thin handlers: parse the request, read KV, call the shared
//! crates, map failures to HTTP answers. Static files (the app bundle) come from the
//! `ASSETS` binding; everything a QR code or the API reaches runs here first.

mod api;
mod auth;
mod case_object;
mod cases;
mod citizen;
mod clock;
mod cors;
mod editorial;
mod explore;
mod found;
mod holidays;
mod limiter;
mod limits;
mod memo;
mod notice;
mod objects;
mod openapi;
mod ops;
mod pages;
mod posters;
mod qr;
mod respond;
mod scans;
mod store;
mod webcrypto;

use worker::{event, Context, Env, Method, Request, Response, Result};
use zhinan_domain::ItemCode;

use respond::Failure;

/// What a request asks for.
enum Route {
    Home,
    Hall(String),
    Guide(String),
    GuidePrint(String),
    Search,
    LifeEvent(String),
    SearchIndex,
    SearchApi,
    QrSvg(String),
    PosterQr(String),
    Poster(String),
    Ping,
    Catalog,
    Halls,
    Holidays,
    Item(String),
    OpenApi,
    ProgressPage,
    Staff,
    StaffConsole,
    HallCases(String),
    HallCase(String, String),
    HallCaseEvents(String, String),
    HallCaseFollowUp(String, String),
    CaseLookup,
    CaseRate,
    ReceiptQr,
    ApiUnknown,
    Robots,
    SitemapIndex,
    SitemapPages,
    SitemapHall(String),
    Favicon,
    EmbedGuide(String),
    EmbedSearch,
    EmbedProgress,
    Asset,
}

fn route(method: &Method, path: &str) -> Route {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    if let ["api", "v1", "staff", ..] = segments.as_slice() {
        return Route::Staff;
    }
    if *method == Method::Post {
        return match segments.as_slice() {
            ["api", "v1", "halls", hall, "cases"] => Route::HallCases(decode(hall)),
            ["api", "v1", "halls", hall, "cases", number, "events"] => {
                Route::HallCaseEvents(decode(hall), decode(number))
            }
            ["api", "v1", "halls", hall, "cases", number, "follow-ups"] => {
                Route::HallCaseFollowUp(decode(hall), decode(number))
            }
            ["api", "v1", "cases", "lookup"] => Route::CaseLookup,
            ["api", "v1", "cases", "rate"] => Route::CaseRate,
            ["api", "v1", "cases", "receipt-qr"] => Route::ReceiptQr,
            ["c"] => Route::ProgressPage,
            ["embed", "c"] => Route::EmbedProgress,
            ["api", ..] => Route::ApiUnknown,
            _ => Route::Asset,
        };
    }
    if !matches!(method, Method::Get | Method::Head) {
        return if path.starts_with("/api/") {
            Route::ApiUnknown
        } else {
            Route::Asset
        };
    }
    match segments.as_slice() {
        ["c"] => Route::ProgressPage,
        ["api", "v1", "halls", hall, "cases"] => Route::HallCases(decode(hall)),
        ["api", "v1", "halls", hall, "cases", number] => {
            Route::HallCase(decode(hall), decode(number))
        }
        // The staff console's single page, for every /staff path that is not one of its files.
        ["staff", ..] if !segments.last().is_some_and(|s| s.contains('.')) => Route::StaffConsole,
        [""] => Route::Home,
        ["h", id] | ["h", id, ""] => Route::Hall(decode(id)),
        ["g", code] | ["g", code, ""] => Route::Guide(decode(code)),
        ["g", code, "print"] => Route::GuidePrint(decode(code)),
        ["s"] => Route::Search,
        ["e", id] => Route::LifeEvent(decode(id)),
        ["api", "v1", "search-index"] => Route::SearchIndex,
        ["api", "v1", "search"] => Route::SearchApi,
        ["qr", file] if file.ends_with(".svg") => {
            Route::QrSvg(decode(file.trim_end_matches(".svg")))
        }
        ["qr", "q", file] if file.ends_with(".svg") => {
            Route::PosterQr(decode(file.trim_end_matches(".svg")))
        }
        ["q", serial] => Route::Poster(decode(serial)),
        ["api", "v1", "ping"] => Route::Ping,
        ["api", "v1", "catalog"] => Route::Catalog,
        ["api", "v1", "halls"] => Route::Halls,
        ["api", "v1", "holidays"] => Route::Holidays,
        ["api", "v1", "items", code] => Route::Item(decode(code)),
        ["api", "v1", "openapi.json"] => Route::OpenApi,
        ["api", ..] => Route::ApiUnknown,
        ["robots.txt"] => Route::Robots,
        ["sitemap.xml"] => Route::SitemapIndex,
        ["sitemap-pages.xml"] => Route::SitemapPages,
        [file] if file.starts_with("sitemap-hall-") && file.ends_with(".xml") => {
            let hall = &file["sitemap-hall-".len()..file.len() - ".xml".len()];
            Route::SitemapHall(decode(hall))
        }
        ["favicon.ico"] => Route::Favicon,
        ["embed", "g", code] => Route::EmbedGuide(decode(code)),
        ["embed", "s"] => Route::EmbedSearch,
        ["embed", "c"] => Route::EmbedProgress,
        _ => Route::Asset,
    }
}

/// Percent-decodes a path segment (codes are ASCII, but a pasted URL may be encoded). A `%`
/// not followed by two hex digits stays as it is; bytes that are not UTF-8 become U+FFFD.
fn decode(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8_lossy()
        .into_owned()
}

/// The configured public origin, e.g. `https://zhinan.example.gov.cn`.
pub(crate) fn public_origin(env: &Env) -> String {
    env.var("PUBLIC_ORIGIN")
        .map(|v| v.to_string())
        .unwrap_or_else(|_| "http://127.0.0.1:8787".to_string())
        .trim_end_matches('/')
        .to_string()
}

/// Whether QR codes, posters and receipts may print `origin`: in production only an
/// https origin that is not this machine (printed codes live for years); in local
/// development (`LOCAL_DEV=1`, set by `make run` and the test scripts, never deployed)
/// whatever the instance answers on.
fn printable_origin(origin: &str, local_dev: bool) -> bool {
    if local_dev {
        return true;
    }
    let Some(host) = origin.strip_prefix("https://") else {
        return false;
    };
    let host = host.split(['/', ':']).next().unwrap_or("");
    !host.is_empty() && !matches!(host, "localhost" | "127.0.0.1" | "[" | "0.0.0.0")
}

/// Local development (`LOCAL_DEV=1`, set by `make run` and the test scripts, never in
/// `wrangler.toml`): placeholder secrets and a loopback origin are accepted.
pub(crate) fn local_dev(env: &Env) -> bool {
    env.var("LOCAL_DEV").is_ok_and(|v| v.to_string() == "1")
}

/// Fault injection for the tests (`FAULT_INJECTION=1`, set only by the test scripts,
/// never deployed): requests may then ask for a store read, a write or an object to fail.
pub(crate) fn fault_injection(env: &Env) -> bool {
    env.var("FAULT_INJECTION")
        .is_ok_and(|v| v.to_string() == "1")
}

/// The secret `name`, refused (503, naming it but never its value) when it is unset or,
/// outside local development, weak ([`zhinan_domain::accounts::secret_problem`]).
pub(crate) fn strong_secret(env: &Env, name: &str) -> std::result::Result<String, Failure> {
    let value = env
        .secret(name)
        .map(|s| s.to_string())
        .ok()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| Failure::Unavailable(format!("secret {name} is not set")))?;
    if !local_dev(env) {
        if let Some(problem) = zhinan_domain::accounts::secret_problem(&value) {
            return Err(Failure::Unavailable(format!(
                "secret {name} is weak ({problem}): set a random one with `wrangler secret put {name}`"
            )));
        }
    }
    Ok(value)
}

/// Refuses printing with an origin citizens cannot reach (see [`printable_origin`]).
pub(crate) fn check_printable(env: &Env, origin: &str) -> std::result::Result<(), Failure> {
    let local_dev = local_dev(env);
    if printable_origin(origin, local_dev) {
        Ok(())
    } else {
        Err(Failure::Unavailable(format!(
            "PUBLIC_ORIGIN {origin} is not the official https origin: QR codes, posters and receipts are refused"
        )))
    }
}

fn parse_code(raw: &str) -> std::result::Result<ItemCode, Failure> {
    ItemCode::parse(raw).map_err(|e| Failure::bad_request("bad_code", e.to_string(), "code"))
}

/// The staff console is a single-page app with a bundle of its own (dist/staff/): every
/// `/staff` path that is not a file gets its one page, which no other site may frame.
async fn staff_console(req: &Request, env: &Env) -> Result<Response> {
    let url = req.url()?;
    let shell = format!("{}/staff/", url.origin().ascii_serialization());
    let page = env.assets("ASSETS")?.fetch(shell, None).await?;
    let headers = worker::Headers::new();
    for (name, value) in page.headers().entries() {
        headers.set(&name, &value)?;
    }
    headers.set("Cache-Control", "no-cache")?;
    headers.set("X-Frame-Options", "DENY")?;
    // Scripts: our files, the wasm, and Trunk's inline boot by its hash, nothing else.
    headers.set(
        "Content-Security-Policy",
        &format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
            pages::STAFF_SCRIPT_HASHES
        ),
    )?;
    respond::secure(page.with_headers(headers))
}

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    let start = ops::mark();
    let response = serve(req, &env).await?;
    Ok(ops::reported(&env, start, response))
}

/// The request's sizes against `limits`, before anything reads it.
fn oversize(req: &Request) -> Option<Failure> {
    let url_len = req.url().map(|u| u.as_str().len()).unwrap_or(0);
    let headers_len: usize = req
        .headers()
        .entries()
        .map(|(name, value)| name.len() + value.len() + 4)
        .sum();
    let content_length = req
        .headers()
        .get("Content-Length")
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse().ok());
    let chunked = req.headers().has("Transfer-Encoding").unwrap_or(false);
    limits::check(
        &req.method(),
        &req.path(),
        url_len,
        headers_len,
        content_length,
        chunked,
    )
    .err()
    .map(|refused| {
        let (code, field, message) = refused.describe();
        Failure::Oversize(
            refused.status(),
            zhinan_domain::api::ApiError::new(code, message.clone())
                .with_field(zhinan_domain::FieldPath::new(field), message),
        )
    })
}

async fn serve(req: Request, env: &Env) -> Result<Response> {
    let env = env.clone();
    if let Some(refused) = oversize(&req) {
        return refused.into_json_response();
    }
    store::inject_read_fault(&env, &req);
    if cors::is_preflight(&req.method(), &req.path()) {
        return cors::preflight(&req, &env);
    }
    let path = req.path();
    let origin = public_origin(&env);
    let route = route(&req.method(), &path);
    let prints = matches!(
        route,
        Route::QrSvg(_)
            | Route::PosterQr(_)
            | Route::Poster(_)
            | Route::GuidePrint(_)
            | Route::ReceiptQr
    ) || matches!(route, Route::HallCases(_) if req.method() == Method::Post);
    if prints {
        if let Err(failure) = check_printable(&env, &origin) {
            return if path.starts_with("/api/") || path.starts_with("/qr/") {
                failure.into_json_response()
            } else {
                citizen::failure_page(failure)
            };
        }
    }
    // Read before the handlers take the request: the public API's CORS answer.
    let cors_origin = cors::is_public_read(&path).then(|| cors::allowed_origin(&req, &env));
    // Embeds: the websites listed may frame them (and nobody else).
    let embedded = matches!(
        route,
        Route::EmbedGuide(_) | Route::EmbedSearch | Route::EmbedProgress
    );
    let embed_origins = cors::embed_origins(&env);
    let embed = Some(embed_origins.as_slice());
    let outcome = match route {
        Route::Home => citizen::home(&req, &env, &origin).await,
        Route::Hall(id) => citizen::hall(&req, &env, &origin, &id).await,
        Route::Guide(code) => citizen::guide(&req, &env, &origin, &code, None).await,
        Route::EmbedGuide(code) => citizen::guide(&req, &env, &origin, &code, embed).await,
        Route::EmbedSearch => explore::search_page(&req, &env, &origin, embed).await,
        Route::EmbedProgress if req.method() == Method::Post => {
            cases::lookup::page_post(req, &env, &origin, embed).await
        }
        Route::EmbedProgress => cases::lookup::page(&origin, embed),
        Route::GuidePrint(code) => notice::print(&req, &env, &origin, &code).await,
        Route::Search => explore::search_page(&req, &env, &origin, None).await,
        Route::LifeEvent(id) => explore::life_event(&req, &env, &origin, &id).await,
        Route::SearchIndex => explore::search_index(&req, &env).await,
        Route::SearchApi => explore::search_api(&req, &env, &origin).await,
        Route::QrSvg(code) => citizen::qr(&req, &env, &origin, &code).await,
        Route::PosterQr(serial) => posters::qr_svg(&req, &origin, &serial),
        Route::Poster(serial) => posters::short(&env, &origin, &serial).await,
        Route::Ping => api::ping(),
        Route::Catalog => api::catalog(&req, &env).await,
        Route::Halls => api::halls(&req, &env).await,
        Route::Holidays => holidays::list(&env).await,
        Route::Item(code) => api::item(&req, &env, &code).await,
        Route::OpenApi => api::openapi(&req, &origin),
        Route::ProgressPage if req.method() == Method::Post => {
            cases::lookup::page_post(req, &env, &origin, None).await
        }
        Route::ProgressPage => cases::lookup::page(&origin, None),
        Route::Staff => return editorial::forward(req, &env).await,
        Route::StaffConsole => return staff_console(&req, &env).await,
        Route::HallCases(hall) if req.method() == Method::Post => {
            cases::hall_api::accept(req, &env, &hall, &origin).await
        }
        Route::HallCases(hall) => cases::hall_api::list(&req, &env, &hall).await,
        Route::HallCase(hall, number) => cases::hall_api::get(&req, &env, &hall, &number).await,
        Route::HallCaseEvents(hall, number) => {
            cases::hall_api::append(req, &env, &hall, &number).await
        }
        Route::HallCaseFollowUp(hall, number) => {
            cases::hall_api::follow_up(req, &env, &hall, &number).await
        }
        Route::CaseLookup => cases::lookup::lookup(req, &env).await,
        Route::CaseRate => cases::lookup::rate(req, &env).await,
        Route::ReceiptQr => cases::lookup::receipt_qr(req, &env, &origin).await,
        Route::ApiUnknown => Err(Failure::not_found(
            "no_route",
            format!("没有这个接口：{} {path}", req.method()),
        )),
        Route::Robots => found::robots(&origin),
        Route::SitemapIndex => found::summary_sitemap(&req, &env, &origin, false).await,
        Route::SitemapPages => found::summary_sitemap(&req, &env, &origin, true).await,
        Route::SitemapHall(hall) => found::hall_sitemap_answer(&req, &env, &origin, &hall).await,
        Route::Favicon => found::favicon(),
        Route::Asset => return found::asset(req, &env).await,
    };
    let outcome = match outcome {
        Ok(mut response) if embedded => {
            response.headers_mut().set(
                "Content-Security-Policy",
                &pages::embed_security_policy(&embed_origins),
            )?;
            Ok(response)
        }
        other => other,
    };
    let outcome = match (outcome, cors_origin) {
        (Ok(response), Some(origin)) => {
            cors::decorate(response, origin.as_deref()).map_err(Failure::from)
        }
        (other, _) => other,
    };
    match outcome {
        Ok(response) => Ok(response),
        Err(failure) if path.starts_with("/api/") || path.starts_with("/qr/") => {
            failure.into_json_response()
        }
        Err(failure) => citizen::failure_page(failure),
    }
}

#[cfg(test)]
mod tests {
    use super::{decode, route, Route};
    use worker::Method;

    #[test]
    fn robots_sitemaps_and_favicon_have_routes_and_other_paths_go_to_the_files() {
        let get = |path| route(&Method::Get, path);
        assert!(matches!(get("/robots.txt"), Route::Robots));
        assert!(matches!(get("/sitemap.xml"), Route::SitemapIndex));
        assert!(matches!(get("/sitemap-pages.xml"), Route::SitemapPages));
        assert!(
            matches!(get("/sitemap-hall-xinxian.xml"), Route::SitemapHall(h) if h == "xinxian")
        );
        assert!(matches!(get("/sitemap-hall-a%2Fb.xml"), Route::SitemapHall(h) if h == "a/b"));
        assert!(matches!(get("/sitemap-hall-.xml"), Route::SitemapHall(h) if h.is_empty()));
        assert!(matches!(get("/favicon.ico"), Route::Favicon));
        for path in [
            "/forms/x.pdf",
            "/no-such-page",
            "/sitemap-hall-x.txt",
            "/sw.js",
            "/pkg/app.wasm",
        ] {
            assert!(matches!(get(path), Route::Asset), "{path}");
        }
        assert!(matches!(get("/api/v1/nothing"), Route::ApiUnknown));
    }

    #[test]
    fn embeds_and_the_search_api_have_routes() {
        let get = |path| route(&Method::Get, path);
        assert!(matches!(get("/embed/g/A-1"), Route::EmbedGuide(c) if c == "A-1"));
        assert!(matches!(get("/embed/s"), Route::EmbedSearch));
        assert!(matches!(get("/embed/c"), Route::EmbedProgress));
        assert!(matches!(
            route(&Method::Post, "/embed/c"),
            Route::EmbedProgress
        ));
        assert!(matches!(get("/api/v1/search"), Route::SearchApi));
        // Not embeds: the print notice and anything deeper are files (404 pages).
        assert!(matches!(get("/embed/g/A-1/print"), Route::Asset));
        assert!(matches!(get("/embed.js"), Route::Asset));
        assert!(matches!(route(&Method::Post, "/embed/g/A-1"), Route::Asset));
    }

    #[test]
    fn posters_short_addresses_and_their_codes_have_routes() {
        let get = |path| route(&Method::Get, path);
        assert!(matches!(get("/q/7KM3X"), Route::Poster(s) if s == "7KM3X"));
        assert!(matches!(get("/qr/q/7KM3X.svg"), Route::PosterQr(s) if s == "7KM3X"));
        // An item code's QR is still its own route, and /q/ has nothing deeper.
        assert!(matches!(get("/qr/A-1.svg"), Route::QrSvg(c) if c == "A-1"));
        assert!(matches!(get("/q/7KM3X/x"), Route::Asset));
    }

    #[test]
    fn codes_print_only_the_official_https_origin_outside_local_dev() {
        use super::printable_origin;
        assert!(printable_origin("https://zhinan.xinxian.gov.cn", false));
        assert!(printable_origin("https://zhinan.xinxian.gov.cn:443", false));
        // The default of wrangler.toml, a forgotten http, a loopback https: refused.
        assert!(!printable_origin("http://127.0.0.1:8787", false));
        assert!(!printable_origin("http://zhinan.xinxian.gov.cn", false));
        assert!(!printable_origin("https://localhost:8787", false));
        assert!(!printable_origin("https://127.0.0.1", false));
        assert!(!printable_origin("", false));
        // Local development prints the address it answers on.
        assert!(printable_origin("http://127.0.0.1:8787", true));
    }

    #[test]
    fn path_segments_are_percent_decoded() {
        assert_eq!(decode("11510100MB0000001"), "11510100MB0000001");
        assert_eq!(decode("%E5%8A%9E%E4%BA%8B"), "办事");
        assert_eq!(decode("a%20b"), "a b");
        // `+` is a plus in a path, not a space.
        assert_eq!(decode("a+b"), "a+b");
    }

    #[test]
    fn a_percent_without_two_hex_digits_stays() {
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%4"), "%4");
        assert_eq!(decode("%zz1"), "%zz1");
        assert_eq!(decode("%ff"), "\u{fffd}");
    }
}
