//! The OpenAPI 3.1 description of every `/api/v1` endpoint (`edge/openapi.json`). The
//! end-to-end suite calls each path listed there against the running worker, so the
//! document cannot drift from the router.

use serde_json::Value;

const DOCUMENT: &str = include_str!("../openapi.json");

/// The document with `servers` pointing at this deployment's public origin.
pub fn document(origin: &str) -> Value {
    let mut doc: Value = serde_json::from_str(DOCUMENT).expect("openapi.json is valid JSON");
    doc["servers"] = serde_json::json!([{ "url": origin }]);
    doc
}
