//! Citizen-facing pages and poster QR codes: what a scan or a link opens.

use worker::{Env, Request, Response, Result};
use zhinan_domain::catalog::poster::Poster;
use zhinan_domain::{Catalog, Directory, Hall, Item, ItemCode, Withdrawal};
use zhinan_ui::{Page, PageData};

use crate::memo;
use crate::respond::{cached, secure, Failure};
use crate::store::CatalogStore;
use crate::{pages, parse_code, qr};

/// Pages revalidate every time (a 304 is tiny) so a publish shows at once.
const PAGE_CACHE: &str = "public, max-age=0, must-revalidate";

pub(crate) fn html(body: String, status: u16) -> Result<Response> {
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
            catalog: Directory::of(&catalog),
        },
    };
    Ok(cached(req, &etag, PAGE_CACHE, || {
        html(pages::render_document(&data), 200)
    })?)
}

/// `/h/{hall}`: a hall's own page, its items by zone; an unknown hall gets the not-found page.
pub async fn hall(
    req: &Request,
    env: &Env,
    origin: &str,
    id: &str,
) -> std::result::Result<Response, Failure> {
    let store = CatalogStore::open(env)?;
    let version = store.current_version().await?;
    let catalog = store.catalog(version).await?;
    let Some(hall) = catalog.hall(id).cloned() else {
        let data = PageData {
            origin: origin.to_string(),
            page: Page::NotFound {
                code: id.chars().take(64).collect(),
            },
        };
        return Ok(html(pages::render_document(&data), 404).and_then(secure)?);
    };
    // A zone's door poster leads here: say whose poster it is.
    let poster = match poster_param(req) {
        Some(serial) => crate::posters::lookup(env, &serial).await?,
        None => None,
    };
    let from = poster_tag(poster.as_ref());
    let etag = format!("\"hh{version}-{}-{}{from}\"", pages::build_id(), hall.id);
    if crate::respond::not_modified(req, &etag) {
        return Ok(cached(req, &etag, PAGE_CACHE, Response::empty)?);
    }
    let rows = store.rows(&catalog, &hall.id).await?;
    let data = PageData {
        origin: origin.to_string(),
        page: Page::Hall {
            hall,
            rows: (*rows).clone(),
        },
    };
    Ok(cached(req, &etag, PAGE_CACHE, || {
        let page = pages::render_document(&data);
        html(
            match &poster {
                Some(poster) => pages::with_poster_note(&page, poster),
                None => page,
            },
            200,
        )
    })?)
}

/// The part of a page's ETag for the poster it was opened from (its note changes when
/// the poster is retired).
fn poster_tag(poster: Option<&Poster>) -> String {
    poster
        .map(|p| {
            let retired = if p.retired_at.is_some() { "r" } else { "" };
            format!("-q{}{retired}", p.serial)
        })
        .unwrap_or_default()
}

/// The poster serial a page was opened with (`?q=`, from its short address).
fn poster_param(req: &Request) -> Option<String> {
    crate::explore::query_pairs(req)
        .into_iter()
        .find(|(k, _)| k == "q")
        .map(|(_, v)| v)
}

/// How an item page is shown: its ETag prefix (`g` guide, `p` print notice), in a
/// website's frame (the listed origins) or not, and the poster it was opened from.
pub struct Shown<'a> {
    pub kind: &'a str,
    pub embed: Option<&'a [String]>,
    pub poster: Option<&'a Poster>,
}

/// A page about one item (`/g/{code}`, `/g/{code}/print`): an unknown or malformed code
/// gets the friendly 404 page; otherwise the item and its hall, revalidated by an ETag
/// of the catalog version, the app build, the page kind and the code.
pub async fn item_page(
    req: &Request,
    env: &Env,
    origin: &str,
    raw: &str,
    shown: Shown<'_>,
    make: impl FnOnce(Item, Option<Hall>, &ItemCode, &Catalog) -> Page,
) -> std::result::Result<Response, Failure> {
    let Shown {
        kind,
        embed,
        poster,
    } = shown;
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
    let version = store.served_version().await?;
    let frame = if embed.is_some() { "e" } else { "" };
    let from = poster_tag(poster);
    let etag = format!(
        "\"{frame}{kind}{version}-{}-{code}{from}\"",
        pages::build_id()
    );
    if crate::respond::not_modified(req, &etag) {
        return Ok(cached(req, &etag, PAGE_CACHE, Response::empty)?);
    }
    // The page a poster's QR code opens, as it is scanned again and again: kept in
    // memory once rendered (an embed's frame or a poster's note vary by more).
    let keepable = embed.is_none() && poster.is_none();
    if keepable {
        if let Some(kept) = memo::get(&etag) {
            return Ok(memo::respond(req, &etag, PAGE_CACHE, &kept)?);
        }
    }
    let item = match store.item(version, &code).await? {
        Some(item) => item,
        // Printed codes live for years: an item this version lacks (a rollback past it)
        // keeps its page, saying so and where to ask, instead of a 404.
        None => match store.ever_published(&code).await? {
            Some(item) => adjusted(item),
            None => return not_found(code.as_str()),
        },
    };
    let catalog = store.catalog(version).await?;
    let hall = catalog.hall(&item.hall).cloned();
    let data = PageData {
        origin: origin.to_string(),
        page: make(item, hall, &code, &catalog),
    };
    // Only guides are embedded; their frame links to the full guide.
    let full_path = format!("/g/{code}");
    if keepable {
        let headers = vec![
            ("Content-Type", "text/html; charset=utf-8".to_string()),
            ("Content-Security-Policy", pages::content_security_policy()),
        ];
        let page = pages::render(&data, None, &full_path).into_bytes();
        return Ok(match memo::keep(&etag, headers, page) {
            Ok(kept) => memo::respond(req, &etag, PAGE_CACHE, &kept)?,
            Err(page) => cached(req, &etag, PAGE_CACHE, || {
                html(String::from_utf8_lossy(&page).into_owned(), 200)
            })?,
        });
    }
    Ok(cached(req, &etag, PAGE_CACHE, || {
        let page = pages::render(&data, embed, &full_path);
        html(
            match poster {
                Some(poster) => pages::with_poster_note(&page, poster),
                None => page,
            },
            200,
        )
    })?)
}

/// `/g/{code}`, or with `embed` (the listed origins) `/embed/g/{code}`.
pub async fn guide(
    req: &Request,
    env: &Env,
    origin: &str,
    raw: &str,
    embed: Option<&[String]>,
) -> std::result::Result<Response, Failure> {
    // Opened from a poster's short address: say whose poster it is (a serial never
    // issued says nothing; `/q/` already refused it).
    let poster = match (poster_param(req), embed) {
        (Some(serial), None) => crate::posters::lookup(env, &serial).await?,
        _ => None,
    };
    let shown = Shown {
        kind: "g",
        embed,
        poster: poster.as_ref(),
    };
    item_page(req, env, origin, raw, shown, |item, hall, _, catalog| {
        let (villages, more_villages) = match &hall {
            Some(hall) if item.village_can_handle() => {
                hall.village_points_shown(&catalog.halls, zhinan_ui::VILLAGES_SHOWN)
            }
            _ => (Vec::new(), 0),
        };
        Page::Guide {
            item: Box::new(item),
            hall,
            villages,
            more_villages,
        }
    })
    .await
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
    if store.item_hash(version, code.as_str()).await?.is_none()
        && store.ever_published(&code).await?.is_none()
    {
        return Err(Failure::not_found(
            "no_item",
            format!("没有编码为 {code} 的事项"),
        ));
    }
    let url = format!("{origin}/g/{code}");
    let svg = qr::svg_for(&url).map_err(|e| Failure::Unavailable(format!("qr: {e:?}")))?;
    // The picture is a function of the URL alone, and a code's URL never changes.
    let etag = format!("\"q-{code}-{}\"", url.len());
    qr::svg_response(req, &etag, svg)
}

/// A page-route failure: 400 never happens here (bad codes get the 404 page), so this
/// is the store being down. Say so in Chinese rather than showing a blank screen.
pub fn failure_page(failure: Failure) -> Result<Response> {
    if let Failure::Unavailable(detail) = &failure {
        worker::console_error!("page failed: {detail}");
    }
    let status = failure.status();
    let body = "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>暂时无法显示 · 办事指南</title></head><body style=\"font:18px/1.5 sans-serif;padding:1rem\"><h1>暂时无法显示办事指南</h1><p>请稍后刷新重试，或拨打 12345 政务服务便民热线咨询。</p><p><a href=\"/\">返回首页</a></p></body></html>";
    let mut response = Response::from_html(body)?.with_status(status);
    response.headers_mut().set("Cache-Control", "no-store")?;
    if status == 503 {
        response.headers_mut().set(
            "Retry-After",
            &crate::respond::UNAVAILABLE_RETRY_SECS.to_string(),
        )?;
    }
    secure(response)
}

/// A once-published item the current catalog lacks, shown as 此事项已调整.
fn adjusted(mut item: Item) -> Item {
    if item.withdrawn.is_none() {
        item.withdrawn = Some(Withdrawal {
            reason: "此事项已调整，当前办事指南目录中暂无该事项。".into(),
            instead: format!(
                "请拨打咨询电话 {} 或到服务中心咨询后再办理。",
                item.consult_phone.trim()
            ),
            replaced_by: None,
        });
    }
    item
}
