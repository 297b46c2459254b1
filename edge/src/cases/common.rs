//! What both sides of the case API share: JSON answers, body and field checks, and the
//! calls to a case's Durable Object with its failures passed on as ours.

use serde::Serialize;
use worker::{Env, Request, Response};
use zhinan_domain::api::{parse_body, ApiError};
use zhinan_domain::cases::receipt::ReceiptNumber;
use zhinan_domain::cases::Case;
use zhinan_domain::FieldPath;

use crate::case_object::{self, CaseCommand};
use crate::respond::{json_no_store, Failure};

pub(super) type Answer = Result<Response, Failure>;

pub(super) const MAX_NAME: usize = 30;
pub(super) const MAX_TEXT: usize = 200;

pub(super) fn json(value: &impl Serialize, status: u16) -> Answer {
    Ok(json_no_store(value, status)?)
}

pub(super) async fn body_of<T: serde::de::DeserializeOwned>(
    req: &mut Request,
) -> Result<T, Failure> {
    parse(&req.text().await?)
}

/// A JSON body, its fault named by field.
pub(super) fn parse<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Failure> {
    parse_body(text).map_err(|e| Failure::bad_request("bad_body", e.message, e.field))
}

/// A JSON body whose variant is chosen by its `type` (a `flatten`ed tagged enum): serde's
/// path hides the failing field there, so a body it cannot place names `type`.
pub(super) fn parse_tagged<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Failure> {
    parse_body(text).map_err(|e| {
        let field = if e.field == "body" {
            FieldPath::new("type")
        } else {
            e.field
        };
        Failure::bad_request("bad_body", e.message, field)
    })
}

/// A list row of `number` could not be written: its object rewrites the rows from its
/// alarm (the next change to it would too).
pub(super) async fn queue_reindex(env: &Env, number: &str, failure: &Failure) {
    worker::console_warn!("list rows of {number}: {failure:?}; repair queued");
    if let Err(again) =
        command_reply::<serde::de::IgnoredAny>(env, number, &CaseCommand::Reindex).await
    {
        worker::console_error!("queueing the repair of {number}: {again:?}");
    }
}

pub(super) fn text_field(field: &str, value: &str, max: usize) -> Result<(), Failure> {
    let count = value.trim().chars().count();
    if count == 0 {
        Err(Failure::bad_request("bad_body", "不能为空", field))
    } else if count > max {
        Err(Failure::bad_request(
            "bad_body",
            format!("不能超过 {max} 字"),
            field,
        ))
    } else {
        Ok(())
    }
}

pub(super) fn parse_number(raw: &str, field: &str) -> Result<ReceiptNumber, Failure> {
    ReceiptNumber::parse(raw).map_err(|e| Failure::bad_request("bad_number", e.to_string(), field))
}

/// Turns a case object's non-success answer into the same failure for our caller.
async fn object_failure(mut response: Response) -> Failure {
    let status = response.status_code();
    let body: ApiError = response
        .json()
        .await
        .unwrap_or_else(|_| ApiError::new("unavailable", "办件存储暂不可用"));
    match status {
        400 => Failure::BadRequest(body),
        404 => Failure::NotFound(body),
        409 => Failure::Conflict(body),
        429 => {
            let wait = response
                .headers()
                .get("Retry-After")
                .ok()
                .flatten()
                .and_then(|v| v.parse().ok())
                .unwrap_or(60);
            Failure::TooMany(wait)
        }
        _ => Failure::Unavailable(format!("case object answered {status}: {}", body.error)),
    }
}

pub(super) async fn command(env: &Env, number: &str, cmd: &CaseCommand) -> Result<Case, Failure> {
    command_reply(env, number, cmd).await
}

/// Like [`command`], for commands whose answer is not the case itself.
pub(super) async fn command_reply<T: serde::de::DeserializeOwned>(
    env: &Env,
    number: &str,
    cmd: &CaseCommand,
) -> Result<T, Failure> {
    let mut response = case_object::send(env, number, cmd).await?;
    if response.status_code() >= 300 {
        return Err(object_failure(response).await);
    }
    response
        .json()
        .await
        .map_err(|e| Failure::Unavailable(format!("case object reply: {e}")))
}
