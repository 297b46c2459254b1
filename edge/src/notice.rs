//! `/g/{code}/print`: the 一次性告知单 (one A4 page, print CSS, the QR code inline).

use qrcode::{Color, EcLevel, QrCode};
use worker::{Env, Request, Response};
use zhinan_ui::{Page, PageData, QrPath};

use crate::citizen::html;
use crate::pages;
use crate::respond::{cached, Failure};
use crate::store::CatalogStore;

const PAGE_CACHE: &str = "public, max-age=0, must-revalidate";

/// The QR code of `url` as an inline SVG path (same code as the poster's `/qr/…svg`).
pub fn qr_path(url: &str) -> Option<QrPath> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).ok()?;
    let size = code.width() as u32;
    Some(QrPath::from_modules(
        size,
        code.to_colors().into_iter().map(|c| c == Color::Dark),
    ))
}

pub async fn print(req: &Request, env: &Env, origin: &str, raw: &str) -> Result<Response, Failure> {
    let not_found = |code: &str| {
        let data = PageData {
            origin: origin.to_string(),
            page: Page::NotFound {
                code: code.to_string(),
            },
        };
        html(pages::render_document(&data), 404).map_err(Failure::from)
    };
    let Ok(code) = crate::parse_code(raw) else {
        return not_found(raw);
    };
    let store = CatalogStore::open(env)?;
    let version = store.current_version().await?;
    let etag = format!("\"p{version}-{}-{code}\"", pages::build_id());
    if crate::respond::not_modified(req, &etag) {
        return Ok(cached(req, &etag, PAGE_CACHE, Response::empty)?);
    }
    let Some(item) = store.item(version, &code).await? else {
        return not_found(code.as_str());
    };
    let catalog = store.catalog(version).await?;
    let hall = catalog.hall(&item.hall).cloned();
    let qr = qr_path(&format!("{origin}/g/{code}"));
    let data = PageData {
        origin: origin.to_string(),
        page: Page::Print {
            item: Box::new(item),
            hall,
            qr,
        },
    };
    Ok(cached(req, &etag, PAGE_CACHE, || {
        html(pages::render_document(&data), 200)
    })?)
}
