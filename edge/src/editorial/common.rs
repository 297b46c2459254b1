//! What every editorial handler answers with and parses requests by: the JSON answers,
//! the 403, the body and query parsers and the item code.

use serde::{de::DeserializeOwned, Serialize};
use worker::{Request, Response};
use zhinan_domain::api::parse_body;
use zhinan_domain::catalog::sheet::Table;
use zhinan_domain::ItemCode;

use crate::respond::{json_no_store, secure, Failure};

pub(super) type Answer = std::result::Result<Response, Failure>;

pub(super) fn json(value: &impl Serialize, status: u16) -> Answer {
    Ok(json_no_store(value, status)?)
}

pub(super) fn no_content() -> Answer {
    Ok(secure(Response::empty()?.with_status(204))?)
}

pub(super) fn forbidden(message: &str) -> Failure {
    Failure::Forbidden(message.to_string())
}

pub(super) fn body_of<T: DeserializeOwned>(text: &str) -> std::result::Result<T, Failure> {
    parse_body(text).map_err(|e| Failure::bad_request("bad_body", e.message, e.field))
}

pub(super) fn query_param(req: &Request, name: &str) -> Option<String> {
    let url = req.url().ok()?;
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

pub(super) fn parse_code(code: &str) -> std::result::Result<ItemCode, Failure> {
    ItemCode::parse(code).map_err(|e| Failure::bad_request("bad_code", e.to_string(), "code"))
}

/// A table as CSV, with the BOM Excel needs to open UTF-8 as such.
pub(super) fn csv_bytes(table: &Table) -> std::result::Result<Vec<u8>, Failure> {
    let fail = |e: csv::Error| Failure::Unavailable(format!("csv: {e}"));
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record(&table.headers).map_err(fail)?;
    for row in &table.rows {
        writer.write_record(row).map_err(fail)?;
    }
    writer
        .into_inner()
        .map_err(|e| Failure::Unavailable(format!("csv: {e}")))
}

/// A file to save (an export), never cached.
pub(super) fn download(bytes: Vec<u8>, media: &str, name: &str) -> Answer {
    let mut response = Response::from_bytes(bytes)?;
    let headers = response.headers_mut();
    headers.set("Content-Type", media)?;
    headers.set(
        "Content-Disposition",
        &format!("attachment; filename=\"{name}\""),
    )?;
    headers.set("Cache-Control", "no-store")?;
    Ok(secure(response)?)
}
