//! Passwords: PBKDF2-HMAC-SHA-256 from WebCrypto with a random salt, both kept as hex in
//! the stored account, and the check of a presented password against them.

use super::office::StoredUser;
use crate::clock;
use crate::respond::Failure;
use crate::webcrypto::{pbkdf2, same};

pub(super) const PBKDF2_ROUNDS: u32 = 100_000;

/// A new salt and the hash of `password` under it, as hex.
pub(super) async fn hash(password: &str) -> std::result::Result<(String, String), Failure> {
    let salt = clock::random_bytes(16)?;
    let hash = pbkdf2(password, &salt, PBKDF2_ROUNDS).await?;
    Ok((hex::encode(&salt), hex::encode(&hash)))
}

/// Whether `password` is the account's. A stored salt or hash that is not hex matches no
/// password (after the same work as a real check).
pub(super) async fn matches(
    stored: &StoredUser,
    password: &str,
) -> std::result::Result<bool, Failure> {
    let (Ok(salt), Ok(expected)) = (hex::decode(&stored.salt), hex::decode(&stored.hash)) else {
        waste(password).await?;
        return Ok(false);
    };
    let presented = pbkdf2(password, &salt, stored.rounds).await?;
    Ok(same(&presented, &expected))
}

/// The work of one check with nothing to check against, so timing does not tell an
/// unknown name (or a broken record) from a wrong password.
pub(super) async fn waste(password: &str) -> std::result::Result<(), Failure> {
    pbkdf2(password, &[0; 16], PBKDF2_ROUNDS).await?;
    Ok(())
}
