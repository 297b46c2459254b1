//! Posters' short addresses: `/q/{serial}` leads to what the poster is for (the guide, or
//! a hall's page for a zone's door poster) with the serial kept, so the page says whose
//! poster it is; `/qr/q/{serial}.svg` is the code printed on it. Each lookup is one KV
//! read of the serial's block (`q:{block}`, written by the editorial object) and one
//! count in its hall's scan object (`crate::scans`).

use std::collections::BTreeMap;

use worker::{Env, Request, Response};
use zhinan_domain::catalog::poster::{block_key, block_of, parse_serial, Poster};
use zhinan_ui::{Page, PageData};

use crate::citizen::html;
use crate::pages;
use crate::qr;
use crate::respond::{secure, Failure};

type Answer = Result<Response, Failure>;

/// The poster of `serial` as issued (retired ones too), `None` for a serial never issued.
pub async fn lookup(env: &Env, serial: &str) -> Result<Option<Poster>, Failure> {
    let Some(n) = parse_serial(serial) else {
        return Ok(None);
    };
    crate::ops::one();
    let Some(text) = env
        .kv("CATALOG")?
        .get(&block_key(block_of(n)))
        .text()
        .await?
    else {
        return Ok(None);
    };
    let block: BTreeMap<String, Poster> = serde_json::from_str(&text)
        .map_err(|e| Failure::Unavailable(format!("{}: {e}", block_key(block_of(n)))))?;
    Ok(block
        .into_values()
        .find(|p| parse_serial(&p.serial) == Some(n)))
}

/// `GET /q/{serial}`: a redirect to the poster's page; a serial never issued gets the
/// not-found page (a sticker that is not ours).
pub async fn short(env: &Env, origin: &str, raw: &str) -> Answer {
    let number = parse_serial(raw);
    let found = lookup(env, raw).await?;
    // Counted per serial and day only; a well-formed serial never issued counts apart.
    if let Some(n) = number {
        let hall = found.as_ref().map(|p| p.hall.as_str());
        let serial = zhinan_domain::catalog::poster::serial(n).unwrap_or_default();
        if let Err(e) = crate::scans::count(env, hall, &serial).await {
            worker::console_warn!("scan of {serial} not counted: {e}");
        }
    }
    match found {
        Some(poster) => {
            // Built by hand: a `Response.redirect` has immutable headers, and every answer
            // gets the security headers.
            let mut response = Response::empty()?.with_status(302);
            let headers = response.headers_mut();
            headers.set("Location", url(origin, &poster.target())?.as_str())?;
            // A retired poster's landing changes: never kept by a cache.
            headers.set("Cache-Control", "no-store")?;
            Ok(secure(response)?)
        }
        None => {
            let data = PageData {
                origin: origin.to_string(),
                page: Page::NotFound {
                    code: raw.chars().take(16).collect(),
                },
            };
            Ok(secure(html(pages::render_document(&data), 404)?)?)
        }
    }
}

fn url(origin: &str, path: &str) -> Result<worker::Url, Failure> {
    worker::Url::parse(&format!("{}{path}", origin.trim_end_matches('/')))
        .map_err(|e| Failure::Unavailable(format!("poster url: {e}")))
}

/// `GET /qr/q/{serial}.svg`: the code printed on a poster, for its short address.
pub fn qr_svg(req: &Request, origin: &str, raw: &str) -> Answer {
    let Some(n) = parse_serial(raw) else {
        return Err(Failure::not_found(
            "no_poster",
            format!(
                "没有编号为 {} 的海报",
                raw.chars().take(16).collect::<String>()
            ),
        ));
    };
    let serial = zhinan_domain::catalog::poster::serial(n).unwrap_or_default();
    let address = format!("{}/q/{serial}", origin.trim_end_matches('/'));
    let svg = qr::svg_for(&address).map_err(|e| Failure::Unavailable(format!("qr: {e:?}")))?;
    let etag = format!("\"qq-{serial}-{}\"", address.len());
    qr::svg_response(req, &etag, svg)
}
