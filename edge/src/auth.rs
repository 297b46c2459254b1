//! Per-hall API keys for staff clients and back-office systems.
//!
//! The Worker secret `HALL_API_KEYS` holds `hall=key` pairs separated by commas
//! (`wrangler secret put HALL_API_KEYS`; locally in `.dev.vars`). A request proves its
//! hall with `Authorization: Bearer <key>`.

use worker::{Env, Request};

use crate::respond::Failure;
use crate::webcrypto::same;

/// The hall whose key the request carries, or 401.
pub fn hall_of(req: &Request, env: &Env) -> Result<String, Failure> {
    let header = req
        .headers()
        .get("Authorization")
        .ok()
        .flatten()
        .unwrap_or_default();
    let Some(presented) = header.strip_prefix("Bearer ").map(str::trim) else {
        return Err(Failure::Unauthorized);
    };
    let keys = env
        .secret("HALL_API_KEYS")
        .map(|s| s.to_string())
        .unwrap_or_default();
    let mut found = None;
    for pair in keys.split(',') {
        if let Some((hall, key)) = pair.trim().split_once('=') {
            if !key.is_empty() && same(key.as_bytes(), presented.as_bytes()) {
                found = Some(hall.to_string());
            }
        }
    }
    found.ok_or(Failure::Unauthorized)
}

/// The caller's hall must be the hall in the path, or 403.
pub fn require_hall(req: &Request, env: &Env, hall: &str) -> Result<(), Failure> {
    let own = hall_of(req, env)?;
    if own == hall {
        Ok(())
    } else {
        Err(Failure::Forbidden(format!(
            "此密钥属于其他中心，不能操作 {hall} 的办件"
        )))
    }
}
