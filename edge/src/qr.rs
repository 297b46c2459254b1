//! QR codes for posters: each encodes the item's permanent official guide URL.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// SVG of a QR code for `url`. Level M survives a scuffed or slightly dirty poster.
pub fn svg_for(url: &str) -> Result<String, qrcode::types::QrError> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)?;
    Ok(code
        .render::<svg::Color>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build())
}

/// A QR picture as an answer: kept a day (it is a function of its URL alone, and printed
/// URLs never change), revalidated by `etag`.
pub fn svg_response(
    req: &worker::Request,
    etag: &str,
    svg: String,
) -> Result<worker::Response, crate::respond::Failure> {
    Ok(crate::respond::cached(
        req,
        etag,
        "public, max-age=86400",
        || {
            let mut response = worker::Response::ok(svg.clone())?;
            response
                .headers_mut()
                .set("Content-Type", "image/svg+xml")?;
            Ok(response)
        },
    )?)
}
