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
    let local_dev = crate::local_dev(env);
    let mut found = None;
    for pair in keys.split(',') {
        if let Some((hall, key)) = pair.trim().split_once('=') {
            // A guessable key (e.g. the `.dev.vars` one) opens nothing in a deployment.
            let usable = !key.is_empty()
                && (local_dev || zhinan_domain::accounts::secret_problem(key).is_none());
            if usable && same(key.as_bytes(), presented.as_bytes()) {
                found = Some(hall.to_string());
            } else if !usable && !key.is_empty() {
                worker::console_error!("HALL_API_KEYS: the key of {hall} is weak and ignored");
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

/// Importing a case under a receipt number and query code issued elsewhere is allowed
/// only while a hall migrates: the request carries `X-Migration-Key`, equal to the
/// `CASE_MIGRATION_KEY` secret, which is set for the migration and removed after it.
pub fn require_migration(req: &Request, env: &Env) -> Result<(), Failure> {
    let expected = env
        .secret("CASE_MIGRATION_KEY")
        .map(|s| s.to_string())
        .unwrap_or_default();
    let presented = req
        .headers()
        .get("X-Migration-Key")
        .ok()
        .flatten()
        .unwrap_or_default();
    // A short secret would be guessable; an unset one means no migration is running.
    if expected.len() >= 16 && same(expected.as_bytes(), presented.as_bytes()) {
        Ok(())
    } else {
        Err(Failure::Forbidden(
            "导入既有受理编号和查询码（receipt）仅在迁移期间、凭迁移密钥（X-Migration-Key）进行"
                .into(),
        ))
    }
}
