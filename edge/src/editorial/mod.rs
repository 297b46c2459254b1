//! The editorial office: one Durable Object that owns everything staff change — accounts,
//! sessions, drafts, publishing, rollback and the audit log. Being one object, its steps
//! never interleave: two saves of one draft are ordered, so the second sees the first
//! and gets a conflict instead of silently overwriting it; two publishes never mix.
//!
//! Published catalog versions live in KV (readers never touch this object). A publish
//! writes every key of the new version first and moves `meta:current` last, so a reader
//! sees the whole old version or the whole new one, even if the publish stops half-way.
//!
//! This file holds the object and its fetch, which only dispatches; each capability has
//! its own file, all of them methods of [`office::Office`] (the object's storage and
//! secrets), importing shared answers from `common` and never this file:
//! `router` (method and path to handler), `session` (cookies, signing, CSRF, sign-in
//! limits), `passwords`, `accounts`, `drafts`, `publish`, `versions` (versions, diff,
//! rollback), `audit` and `calendar`.

mod accounts;
mod audit;
mod calendar;
mod common;
mod desk;
mod drafts;
mod export;
mod import;
mod index;
mod metrics;
mod office;
mod passwords;
mod posters;
mod publish;
mod quality;
mod router;
mod sections;
mod session;
mod versions;
mod words;

use worker::{durable_object, DurableObject, Env, Request, Response, Result, State};

use crate::ops;
use office::Office;

/// Forwards a `/api/v1/staff/*` request to the one editorial object.
pub async fn forward(req: Request, env: &Env) -> Result<Response> {
    let before = ops::mark();
    if req.method() == worker::Method::Post
        && req.path().trim_end_matches('/') == "/api/v1/staff/login"
    {
        if let Err(refused) = crate::limiter::admit_sign_in(&req, env).await {
            return refused.into_json_response();
        }
    }
    let response = env
        .durable_object("EDITORIAL")?
        .id_from_name("catalog")?
        .get_stub()?
        .fetch_with_request(req)
        .await?;
    ops::absorb(before, &response);
    Ok(response)
}

#[durable_object]
pub struct Editorial {
    office: Office,
}

impl DurableObject for Editorial {
    fn new(state: State, env: Env) -> Self {
        Editorial {
            office: Office::new(state, env),
        }
    }

    async fn fetch(&self, req: Request) -> Result<Response> {
        let start = ops::mark();
        let response = match router::handle(&self.office, req).await {
            Ok(response) => response,
            Err(failure) => failure.into_json_response()?,
        };
        Ok(ops::reported(&self.office.env, start, response))
    }

    /// Publishes too large for one request go on here, a budget's worth at a time.
    async fn alarm(&self) -> Result<Response> {
        if let Err(failure) = self.office.publish_alarm().await {
            worker::console_error!("publish alarm: {failure:?}");
        }
        Response::empty()
    }
}
