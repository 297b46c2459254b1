//! The OpenAPI 3.1 description of every `/api/v1` endpoint (`edge/openapi.json`), with the
//! refusals any request may get before it is read (411, 413, 414, 431: `limits.rs`) as
//! shared `components/responses`. The end-to-end suite (`tests/authz.test.mjs`) calls each
//! path and method listed there against the running worker and checks that every route of
//! `fn route` and the staff router is listed, so the document cannot drift from either.

use serde_json::Value;

const DOCUMENT: &str = include_str!("../openapi.json");

/// The document with `servers` pointing at this deployment's public origin.
pub fn document(origin: &str) -> Value {
    let mut doc: Value = serde_json::from_str(DOCUMENT).expect("openapi.json is valid JSON");
    doc["servers"] = serde_json::json!([{ "url": origin }]);
    doc
}
