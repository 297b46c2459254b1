//! What every editorial handler answers with and parses requests by: the JSON answers,
//! the 403, the body and query parsers and the item code.

use serde::{de::DeserializeOwned, Serialize};
use worker::{Request, Response};
use zhinan_domain::api::parse_body;
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
