//! argon2id hashing on the blocking pool, at most one hash per core at a time.

use super::AuthLimits;
use crate::ServiceError;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};

/// A fixed hash verified when the login is unknown, so both paths cost the same.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$6pH3r7qUJ6YkEJ2zEG6jOkq8Yl9JjH8X5hFq0mV8Zc4";

pub async fn hash_password(limits: &AuthLimits, password: &str) -> Result<String, ServiceError> {
    let _permit = limits.hashing.acquire().await.map_err(|_| ServiceError::Conflict("shutting down".into()))?;
    let pw = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default().hash_password(pw.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await
    .map_err(|_| ServiceError::Conflict("hashing interrupted".into()))?
    .map_err(|e| ServiceError::invalid("password", e.to_string()))
}

/// Verifies against a stored PHC string; `None` runs a dummy verification and fails.
pub async fn verify_password(limits: &AuthLimits, password: &str, stored: Option<&str>) -> bool {
    let Ok(_permit) = limits.hashing.acquire().await else { return false };
    let pw = password.to_owned();
    let known = stored.is_some();
    let hash = stored.unwrap_or(DUMMY_HASH).to_owned();
    tokio::task::spawn_blocking(move || {
        let ok = PasswordHash::new(&hash).is_ok_and(|h| Argon2::default().verify_password(pw.as_bytes(), &h).is_ok());
        ok && known
    })
    .await
    .unwrap_or(false)
}
