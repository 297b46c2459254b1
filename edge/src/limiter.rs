//! Per-client rate limit for public lookups: one Durable Object per client address keeps
//! the times of its recent requests (a sliding window).

use serde::{Deserialize, Serialize};
use worker::{durable_object, DurableObject, Env, Request, Response, Result, State};

#[derive(Debug, Serialize, Deserialize)]
pub struct Check {
    pub limit: usize,
    pub window_ms: f64,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Verdict {
    pub allowed: bool,
    pub retry_after_secs: u32,
}

/// Counts one request of `client` against `limit` per `window_ms`.
pub async fn check(env: &Env, client: &str, limit: usize, window_ms: f64) -> Result<Verdict> {
    crate::objects::post(env, "LIMITER", client, &Check { limit, window_ms })
        .await?
        .json()
        .await
}

/// The client address Cloudflare reports (`CF-Connecting-IP`); one bucket for unknowns.
pub fn client_of(req: &Request) -> String {
    req.headers()
        .get("CF-Connecting-IP")
        .ok()
        .flatten()
        .unwrap_or_else(|| "unknown".to_string())
}

#[durable_object]
pub struct RateLimiter {
    state: State,
    env: Env,
}

impl DurableObject for RateLimiter {
    fn new(state: State, env: Env) -> Self {
        RateLimiter { state, env }
    }

    async fn fetch(&self, req: Request) -> Result<Response> {
        let start = crate::ops::mark();
        let response = self.handle(req).await?;
        Ok(crate::ops::reported(&self.env, start, response))
    }
}

impl RateLimiter {
    async fn handle(&self, mut req: Request) -> Result<Response> {
        let check: Check = req.json().await?;
        let now = js_sys::Date::now();
        let storage = self.state.storage();
        crate::ops::one();
        let mut hits: Vec<f64> = storage.get("hits").await?.unwrap_or_default();
        hits.retain(|t| now - t < check.window_ms);
        let verdict = if hits.len() >= check.limit {
            let oldest = hits.iter().copied().fold(f64::MAX, f64::min);
            Verdict {
                allowed: false,
                retry_after_secs: ((check.window_ms - (now - oldest)) / 1000.0)
                    .ceil()
                    .max(1.0) as u32,
            }
        } else {
            hits.push(now);
            Verdict {
                allowed: true,
                retry_after_secs: 0,
            }
        };
        crate::ops::one();
        storage.put("hits", hits).await?;
        Response::from_json(&verdict)
    }
}
