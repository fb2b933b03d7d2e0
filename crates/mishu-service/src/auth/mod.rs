//! Sign-in: argon2id passwords (hashing bounded to one per core so a morning login storm
//! cannot starve other requests), lockout, sessions in the database (any node serves any
//! request), idle and absolute timeouts, CSRF tokens, API tokens.

mod hashing;
mod secret_box;
mod store;
pub mod throttle;
pub mod tokens;
pub mod totp;

use crate::audit::{self, Origin};
use crate::{ServiceError, ServiceResult, Services, settings};
use mishu_domain::audit::AuditEvent;
use mishu_domain::password::PasswordPolicy;
use mishu_domain::{PersonId, Timestamp};
use serde_json::json;
use sm3::{Digest, Sm3};
use std::sync::Arc;
use thiserror::Error;
use tokio::sync::Semaphore;

pub use hashing::{hash_password, verify_password};

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AuthError {
    /// The same words for an unknown login, a wrong password and a locked account.
    #[error("login or password is wrong, or the account is locked")]
    BadCredentials,
    #[error("too many failed sign-ins from this address; wait a minute")]
    TooManyAttempts,
    #[error("session expired")]
    SessionExpired,
    #[error("second factor: code is wrong")]
    BadTotp,
    #[error("current password is wrong")]
    WrongCurrentPassword,
}

/// Bounds concurrent password hashing to the number of cores.
#[derive(Clone, Debug)]
pub struct AuthLimits {
    pub hashing: Arc<Semaphore>,
    pub ip_failures: Arc<throttle::IpThrottle>,
}

impl Default for AuthLimits {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        AuthLimits { hashing: Arc::new(Semaphore::new(cores)), ip_failures: Arc::default() }
    }
}

/// A fresh random secret as hex, and the SM3 digest under which it is stored.
pub fn new_secret() -> (String, String) {
    let raw: [u8; 32] = rand::random();
    let token = hex::encode(raw);
    let digest = digest_token(&token);
    (token, digest)
}

pub fn digest_token(token: &str) -> String {
    hex::encode(Sm3::digest(token.as_bytes()))
}

/// What a successful password check leads to.
#[derive(Debug, Clone)]
pub struct LoginOutcome {
    pub person_id: PersonId,
    /// The session cookie value (only the digest is stored).
    pub session_token: String,
    /// A second factor is still needed before the session may do anything.
    pub needs_totp: bool,
    /// The password is older than the policy allows: change it first.
    pub must_change_password: bool,
}

pub async fn login(s: &Services, login: &str, password: &str, source_ip: &str) -> ServiceResult<LoginOutcome> {
    let now = s.clock.now();
    if s.auth.ip_failures.blocked(source_ip, now) {
        let origin = Origin { actor_id: None, acting_for: None, source_ip: source_ip.into() };
        audit_only(s, &origin, "auth.ip_throttled", json!({"login": login.trim().to_ascii_lowercase()})).await?;
        return Err(AuthError::TooManyAttempts.into());
    }
    let result = check_password_and_open_session(s, login, password, source_ip).await;
    if matches!(result, Err(ServiceError::Auth(AuthError::BadCredentials))) {
        s.auth.ip_failures.record_failure(source_ip, now);
    }
    result
}

async fn check_password_and_open_session(
    s: &Services,
    login: &str,
    password: &str,
    source_ip: &str,
) -> ServiceResult<LoginOutcome> {
    let policy = settings::password_policy(&s.db).await?;
    let login_norm = login.trim().to_ascii_lowercase();
    let person = store::find_for_login(&s.db, &login_norm).await?;
    let hash = person.as_ref().and_then(|p| p.password_hash.clone());
    // Unknown logins still cost one hash, so timing does not reveal which logins exist.
    let ok = verify_password(&s.auth, password, hash.as_deref()).await;
    let now = s.clock.now();
    let origin = Origin {
        actor_id: person.as_ref().map(|p| PersonId(p.person_id)),
        acting_for: None,
        source_ip: source_ip.into(),
    };
    let Some(p) = person.filter(|p| p.active) else {
        audit_only(s, &origin, "auth.login_failed", json!({"login": login_norm, "reason": "unknown"})).await?;
        return Err(AuthError::BadCredentials.into());
    };
    let mut tx = s.db.begin().await?;
    if p.locked_until.is_some_and(|t| t > now.0) {
        audit::append(
            &mut tx,
            &s.audit_key,
            &origin,
            now,
            &AuditEvent::new("auth.login_refused_locked", "person", Some(p.person_id.to_string()), json!({})),
        )
        .await?;
        tx.commit().await?;
        return Err(AuthError::BadCredentials.into());
    }
    if !ok {
        let (failures, locked) = record_failure(&mut tx, &policy, &p, now).await?;
        let action = if locked { "auth.locked" } else { "auth.login_failed" };
        audit::append(
            &mut tx,
            &s.audit_key,
            &origin,
            now,
            &AuditEvent::new(action, "person", Some(p.person_id.to_string()), json!({"failures": failures})),
        )
        .await?;
        tx.commit().await?;
        return Err(AuthError::BadCredentials.into());
    }
    let (session_token, session_hash) = new_secret();
    let (csrf, _) = new_secret();
    let needs_totp = p.totp_secret.is_some();
    // With a second factor the count goes on until the code is right: otherwise signing in
    // again with the password would reset it, and codes could be guessed without end.
    if !needs_totp {
        store::clear_failures(&mut tx, PersonId(p.person_id)).await?;
    }
    store::insert_session(&mut tx, &session_hash, PersonId(p.person_id), &csrf, now, needs_totp, source_ip).await?;
    audit::append(
        &mut tx,
        &s.audit_key,
        &origin,
        now,
        &AuditEvent::new(
            "auth.login",
            "person",
            Some(p.person_id.to_string()),
            json!({"second_factor_pending": needs_totp}),
        ),
    )
    .await?;
    tx.commit().await?;
    let aged =
        policy.max_age_days > 0 && p.password_changed_at.is_none_or(|t| now.0 - t > policy.max_age_days * 86_400_000);
    Ok(LoginOutcome {
        person_id: PersonId(p.person_id),
        session_token,
        needs_totp,
        must_change_password: p.must_change_password || aged,
    })
}

/// Counts one failed attempt (a wrong password or a wrong second-factor code) within the
/// policy's window and locks the account when the threshold is reached.
/// Returns the count and whether this failure locked the account.
async fn record_failure(
    tx: &mut crate::db::Tx,
    policy: &PasswordPolicy,
    p: &store::LoginRow,
    now: Timestamp,
) -> ServiceResult<(i64, bool)> {
    let window_start = now.0 - policy.lockout_window_minutes * 60_000;
    let (failures, first) = match p.first_failed_at {
        Some(f) if f >= window_start => (p.failed_logins + 1, f),
        _ => (1, now.0),
    };
    let lock = (failures >= policy.lockout_threshold).then(|| now.0 + policy.lockout_minutes * 60_000);
    store::record_failure(tx, PersonId(p.person_id), failures, first, lock).await?;
    Ok((failures, lock.is_some()))
}

async fn audit_only(s: &Services, origin: &Origin, action: &str, detail: serde_json::Value) -> ServiceResult<()> {
    let mut tx = s.db.begin().await?;
    audit::append(&mut tx, &s.audit_key, origin, s.clock.now(), &AuditEvent::new(action, "auth", None, detail)).await?;
    tx.commit().await?;
    Ok(())
}

/// A live session as a request sees it.
#[derive(Debug, Clone)]
pub struct Session {
    pub session_hash: String,
    pub person_id: PersonId,
    pub csrf_token: String,
    pub acting_for: Option<PersonId>,
    pub pending_totp: bool,
    pub locale: String,
    pub must_change_password: bool,
    /// The organisation's version when the session was read (`org::load_actor_at`).
    pub org_version: i64,
}

/// Finds the session for a cookie value, enforcing the idle and absolute timeouts.
pub async fn session(s: &Services, token: &str) -> ServiceResult<Option<Session>> {
    let hash = digest_token(token);
    let Some(row) = store::find_session(&s.db, &hash).await? else { return Ok(None) };
    let policy = settings::session_policy_cached(s).await?;
    let now = s.clock.now();
    let idle = if row.admin_kind.is_some() { policy.admin_idle_minutes } else { policy.idle_minutes };
    let expired = now.0 - row.last_seen_at > idle * 60_000
        || now.0 - row.created_at > policy.absolute_hours * 3_600_000
        || !row.active;
    if expired {
        store::delete_session(&s.db, &hash).await?;
        return Ok(None);
    }
    // Touch at most once a minute: keeps idle tracking without a write per request.
    if now.0 - row.last_seen_at > 60_000 {
        match store::touch_session(&s.db, &hash, now).await {
            // A full disk must not sign everyone out or fail their reads (T3); the session
            // simply counts as idle from its last recorded use, the safe direction.
            Err(e) if e.is_storage_full() => tracing::warn!(error = %e, "storage full: session use not recorded"),
            other => other?,
        }
    }
    let pw_policy = settings::password_policy_cached(s).await?;
    let aged = pw_policy.max_age_days > 0
        && row.password_changed_at.is_none_or(|t| now.0 - t > pw_policy.max_age_days * 86_400_000);
    Ok(Some(Session {
        session_hash: hash,
        person_id: PersonId(row.person_id),
        csrf_token: row.csrf_token,
        acting_for: row.acting_for.map(PersonId),
        pending_totp: row.pending_totp,
        locale: row.locale,
        must_change_password: row.must_change_password || aged,
        org_version: row.org_version,
    }))
}

pub async fn logout(s: &Services, session: &Session, source_ip: &str) -> ServiceResult<()> {
    let mut tx = s.db.begin().await?;
    store::delete_session_tx(&mut tx, &session.session_hash).await?;
    let origin = Origin { actor_id: Some(session.person_id), acting_for: None, source_ip: source_ip.into() };
    audit::append(
        &mut tx,
        &s.audit_key,
        &origin,
        s.clock.now(),
        &AuditEvent::new("auth.logout", "person", Some(session.person_id.to_string()), json!({})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Changes a person's own password; every other session of theirs ends.
pub async fn change_password(
    s: &Services,
    session: &Session,
    current: &str,
    new: &str,
    source_ip: &str,
) -> ServiceResult<()> {
    let person = store::find_by_id(&s.db, session.person_id).await?.ok_or(ServiceError::NotFound)?;
    if !verify_password(&s.auth, current, person.password_hash.as_deref()).await {
        return Err(AuthError::WrongCurrentPassword.into());
    }
    let policy = settings::password_policy(&s.db).await?;
    policy.check(new, &person.login)?;
    let hash = hash_password(&s.auth, new).await?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    store::set_password(&mut tx, session.person_id, &hash, now, false).await?;
    store::delete_other_sessions(&mut tx, session.person_id, &session.session_hash).await?;
    let origin = Origin { actor_id: Some(session.person_id), acting_for: None, source_ip: source_ip.into() };
    audit::append(
        &mut tx,
        &s.audit_key,
        &origin,
        now,
        &AuditEvent::new("auth.password_changed", "person", Some(session.person_id.to_string()), json!({})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a password without the current one (administrator reset, demo, CLI). The person must
/// change it at next sign-in unless `keep` is set; all their sessions end.
pub async fn set_password(
    s: &Services,
    origin: &Origin,
    person: PersonId,
    new: &str,
    must_change: bool,
) -> ServiceResult<()> {
    let found = store::find_by_id(&s.db, person).await?.ok_or(ServiceError::NotFound)?;
    settings::password_policy(&s.db).await?.check(new, &found.login)?;
    let hash = hash_password(&s.auth, new).await?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    store::set_password(&mut tx, person, &hash, now, must_change).await?;
    store::delete_other_sessions(&mut tx, person, "").await?;
    audit::append(
        &mut tx,
        &s.audit_key,
        origin,
        now,
        &AuditEvent::new("auth.password_set", "person", Some(person.to_string()), json!({"must_change": must_change})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Lifts a lockout (system administrator or CLI).
pub async fn unlock(s: &Services, origin: &Origin, person: PersonId) -> ServiceResult<()> {
    store::find_by_id(&s.db, person).await?.ok_or(ServiceError::NotFound)?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    store::clear_failures(&mut tx, person).await?;
    audit::append(
        &mut tx,
        &s.audit_key,
        origin,
        now,
        &AuditEvent::new("auth.unlocked", "person", Some(person.to_string()), json!({})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_locale(s: &Services, person: PersonId, locale: &str) -> ServiceResult<()> {
    store::set_locale(&s.db, person, locale).await?;
    Ok(())
}

/// Switches the session to act for a principal under a live delegation, or back (None).
pub async fn act_for(
    s: &Services,
    session: &Session,
    principal: Option<PersonId>,
    source_ip: &str,
) -> ServiceResult<()> {
    let now = s.clock.now();
    if let Some(p) = principal
        && !crate::tasks::delegation_active(&s.db, p, session.person_id, now).await?
    {
        return Err(ServiceError::Forbidden);
    }
    let mut tx = s.db.begin().await?;
    store::set_acting_for(&mut tx, &session.session_hash, principal).await?;
    let origin = Origin { actor_id: Some(session.person_id), acting_for: principal, source_ip: source_ip.into() };
    audit::append(
        &mut tx,
        &s.audit_key,
        &origin,
        now,
        &AuditEvent::new("auth.acting_for", "person", principal.map(|p| p.to_string()), json!({})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
