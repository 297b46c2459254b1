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

/// Counts one request under `key` and refuses it (429 with the wait) over `limit` per
/// `window_ms`.
pub async fn admit(
    env: &Env,
    key: &str,
    limit: usize,
    window_ms: f64,
) -> std::result::Result<(), crate::respond::Failure> {
    let verdict = check(env, key, limit, window_ms).await?;
    if verdict.allowed {
        Ok(())
    } else {
        Err(crate::respond::Failure::TooMany(verdict.retry_after_secs))
    }
}

/// The client as limits count it: the address Cloudflare reports (`CF-Connecting-IP`),
/// an IPv6 address by its /64 (one subscriber usually holds a whole /64 and could
/// otherwise rotate through it); one bucket for unknowns.
pub fn client_of(req: &Request) -> String {
    let address = req.headers().get("CF-Connecting-IP").ok().flatten();
    client_bucket(address.as_deref().unwrap_or(""))
}

/// See [`client_of`]: `2001:db8:1:2::/64` for any address in that /64, an IPv4 address
/// as it is, `unknown` for anything that does not parse.
pub fn client_bucket(address: &str) -> String {
    match address.trim().parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(v4)) => v4.to_string(),
        Ok(std::net::IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                let prefix = std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                format!("{prefix}/64")
            }
        },
        Err(_) => "unknown".to_string(),
    }
}

/// Sign-in attempts let through to the editorial object per client per minute: each one
/// costs that single object a slow password hash, so a flood stops here, in the
/// client's own limiter object, before it reaches it.
const SIGN_INS_PER_MINUTE: usize = 30;

/// Refuses a sign-in over [`SIGN_INS_PER_MINUTE`] for its client (429, `Retry-After`).
pub async fn admit_sign_in(
    req: &Request,
    env: &Env,
) -> std::result::Result<(), crate::respond::Failure> {
    let key = format!("sign-in:{}", client_of(req));
    admit(env, &key, SIGN_INS_PER_MINUTE, 60_000.0).await
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

#[cfg(test)]
mod tests {
    use super::client_bucket;

    #[test]
    fn ipv6_clients_count_by_their_64_and_ipv4_by_address() {
        assert_eq!(client_bucket("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(
            client_bucket("2001:db8:1:2:ffff:ffff:ffff:ffff"),
            "2001:db8:1:2::/64"
        );
        assert_ne!(
            client_bucket("2001:db8:1:3::1"),
            client_bucket("2001:db8:1:2::1")
        );
        assert_eq!(client_bucket("203.0.113.7"), "203.0.113.7");
        assert_eq!(client_bucket(" 203.0.113.7 "), "203.0.113.7");
        assert_eq!(client_bucket("::ffff:203.0.113.7"), "203.0.113.7");
    }

    #[test]
    fn anything_else_shares_one_bucket() {
        for junk in ["", "unknown", "203.0.113", "1.2.3.4, 5.6.7.8", "<script>"] {
            assert_eq!(client_bucket(junk), "unknown", "{junk}");
        }
    }
}
