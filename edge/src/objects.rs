//! Calling our Durable Objects: a JSON command posted to the object of a name.

use serde::Serialize;
use worker::{Env, Method, Request, RequestInit, Response, Result};

/// Posts `command` as JSON to the object `name` of the namespace bound as `binding`.
pub async fn post(
    env: &Env,
    binding: &str,
    name: &str,
    command: &impl Serialize,
) -> Result<Response> {
    let stub = env
        .durable_object(binding)?
        .id_from_name(name)?
        .get_stub()?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_body(Some(serde_json::to_string(command)?.into()));
    let before = crate::ops::mark();
    let response = stub
        .fetch_with_request(Request::new_with_init("https://object/command", &init)?)
        .await?;
    crate::ops::absorb(before, &response);
    Ok(response)
}
