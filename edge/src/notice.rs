//! `/g/{code}/print`: the 一次性告知单 (one A4 page, print CSS, the QR code inline).

use qrcode::{Color, EcLevel, QrCode};
use worker::{Env, Request, Response};
use zhinan_ui::{Page, QrPath};

use crate::citizen::{item_page, Shown};
use crate::respond::Failure;

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
    let shown = Shown {
        kind: "p",
        embed: None,
        poster: None,
    };
    item_page(req, env, origin, raw, shown, |item, hall, code, _| {
        Page::Print {
            qr: qr_path(&format!("{origin}/g/{code}")),
            item: Box::new(item),
            hall,
        }
    })
    .await
}
