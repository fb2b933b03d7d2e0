//! The second factor (TOTP): set-up (a pending secret that the first right code confirms),
//! removal (the password and a code), a reset by the security administrator, and the check
//! at sign-in that turns a pending session into a full one. Wrong codes at sign-in count
//! toward the lockout like wrong passwords; a code is accepted once only. Secrets are stored
//! sealed (`secret_box`): one that does not open for its person counts as a wrong code.

use super::{AuthError, Session, new_secret, record_failure, secret_box, store};
use crate::audit::{self, Origin};
use crate::{ServiceError, ServiceResult, Services, org, settings};
use mishu_domain::audit::AuditEvent;
use mishu_domain::password::PasswordPolicy;
use mishu_domain::totp;
use mishu_domain::{PersonId, Timestamp};
use serde_json::json;

/// What the person copies into their authenticator app.
#[derive(Debug, Clone)]
pub struct Enrolment {
    /// Base32, as apps take it when typed in.
    pub secret: String,
    /// The `otpauth://` URI, as apps take it from a QR code.
    pub uri: String,
}

fn origin(session: &Session, source_ip: &str) -> Origin {
    Origin { actor_id: Some(session.person_id), acting_for: None, source_ip: source_ip.into() }
}

fn event(action: &str, person: PersonId, detail: serde_json::Value) -> AuditEvent {
    AuditEvent::new(action, "person", Some(person.to_string()), detail)
}

/// The secret stored (sealed) for `person`, decoded; `None`, logged, when it does not open:
/// edited or copied in the database, or sealed under another data folder's key.
fn stored_secret(s: &Services, person: PersonId, stored: &str) -> Option<Vec<u8>> {
    let secret = secret_box::open(&s.audit_key, person, stored).and_then(|b32| totp::decode_secret(&b32));
    if secret.is_none() {
        tracing::error!(person = person.0, "the stored second-factor secret fails its check");
    }
    secret
}

async fn enrolment_for(s: &Services, person: PersonId, login: &str, stored: &str) -> ServiceResult<Enrolment> {
    let secret = stored_secret(s, person, stored)
        .ok_or_else(|| ServiceError::Conflict("totp: the stored secret is unreadable; start again".into()))?;
    // The issuer is what the app shows above the code: the organ's short name when set.
    let issuer =
        org::organ(s).await?.map(|o| o.short_name).filter(|n| !n.trim().is_empty()).unwrap_or_else(|| "Mishu".into());
    Ok(Enrolment { secret: totp::encode_secret(&secret), uri: totp::otpauth_uri(&issuer, login, &secret) })
}

/// Starts (or restarts) setting up the second factor: a new secret waits for its first code.
pub async fn begin_enrolment(s: &Services, session: &Session, source_ip: &str) -> ServiceResult<Enrolment> {
    let me = store::find_by_id(&s.db, session.person_id).await?.ok_or(ServiceError::NotFound)?;
    if me.totp_secret.is_some() {
        return Err(ServiceError::Conflict("totp: already on; turn it off first".into()));
    }
    let raw: [u8; totp::SECRET_BYTES] = rand::random();
    let secret = totp::encode_secret(&raw);
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let sealed = secret_box::seal(&s.audit_key, session.person_id, &secret);
    store::set_totp_pending(&mut tx, session.person_id, Some(&sealed)).await?;
    audit::append(
        &mut tx,
        &s.audit_key,
        &origin(session, source_ip),
        now,
        &event("auth.totp_setup_started", session.person_id, json!({})),
    )
    .await?;
    tx.commit().await?;
    enrolment_for(s, session.person_id, &me.login, &sealed).await
}

/// The set-up waiting for its first code, if any (the account page shows it again).
pub async fn pending_enrolment(s: &Services, person: PersonId) -> ServiceResult<Option<Enrolment>> {
    let me = store::find_by_id(&s.db, person).await?.ok_or(ServiceError::NotFound)?;
    match me.totp_pending {
        Some(p) if me.totp_secret.is_none() => Ok(Some(enrolment_for(s, person, &me.login, &p).await?)),
        _ => Ok(None),
    }
}

/// Whether the person signs in with a second factor.
pub async fn is_enabled(s: &Services, person: PersonId) -> ServiceResult<bool> {
    Ok(store::find_by_id(&s.db, person).await?.ok_or(ServiceError::NotFound)?.totp_secret.is_some())
}

/// Confirms the set-up with the first code the app shows. Other sessions of the person end:
/// they were opened with the password alone.
pub async fn confirm_enrolment(s: &Services, session: &Session, code: &str, source_ip: &str) -> ServiceResult<()> {
    let me = store::find_by_id(&s.db, session.person_id).await?.ok_or(ServiceError::NotFound)?;
    let pending = me
        .totp_pending
        .filter(|_| me.totp_secret.is_none())
        .ok_or_else(|| ServiceError::Conflict("totp: start the set-up first".into()))?;
    let secret = stored_secret(s, session.person_id, &pending)
        .ok_or_else(|| ServiceError::Conflict("totp: start the set-up again".into()))?;
    let now = s.clock.now();
    let step = totp::verify(&secret, code, now, me.totp_last_step).ok_or(AuthError::BadTotp)?;
    let mut tx = s.db.begin().await?;
    if store::confirm_totp(&mut tx, session.person_id, &pending, step).await? == 0 {
        return Err(ServiceError::Conflict("totp: the set-up was restarted meanwhile; use the new secret".into()));
    }
    store::delete_other_sessions(&mut tx, session.person_id, &session.session_hash).await?;
    audit::append(
        &mut tx,
        &s.audit_key,
        &origin(session, source_ip),
        now,
        &event("auth.totp_enabled", session.person_id, json!({})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Turns the second factor off: needs the current password and a fresh code. Administrators
/// keep theirs (only the security administrator's reset removes it, for a lost phone).
pub async fn disable(
    s: &Services,
    session: &Session,
    password: &str,
    code: &str,
    source_ip: &str,
) -> ServiceResult<()> {
    let me = store::find_by_id(&s.db, session.person_id).await?.ok_or(ServiceError::NotFound)?;
    if !super::verify_password(&s.auth, password, me.password_hash.as_deref()).await {
        return Err(AuthError::WrongCurrentPassword.into());
    }
    if me.admin_kind.is_some() {
        return Err(ServiceError::Forbidden);
    }
    let stored = me.totp_secret.as_deref().ok_or_else(|| ServiceError::Conflict("totp: not on".into()))?;
    // A secret that does not open is as good as a wrong code (counted below), never a pass.
    let secret = stored_secret(s, session.person_id, stored);
    let policy = settings::password_policy(&s.db).await?;
    let now = s.clock.now();
    let who = origin(session, source_ip);
    let mut tx = s.db.begin().await?;
    let accepted = match secret.and_then(|secret| totp::verify(&secret, code, now, me.totp_last_step)) {
        Some(step) => store::accept_totp_step(&mut tx, session.person_id, step).await? == 1,
        None => false,
    };
    if !accepted {
        // Someone holding a stolen session and the password could otherwise guess codes here.
        return refuse_code(s, tx, &policy, &who, &me, now).await;
    }
    store::clear_totp(&mut tx, session.person_id).await?;
    audit::append(&mut tx, &s.audit_key, &who, now, &event("auth.totp_disabled", session.person_id, json!({}))).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a person's second factor (lost phone) and ends their sessions: the security
/// administrator's job, never on their own account.
pub async fn reset(s: &Services, origin: &Origin, person: PersonId) -> ServiceResult<()> {
    if origin.actor_id == Some(person) {
        return Err(ServiceError::Forbidden);
    }
    store::find_by_id(&s.db, person).await?.ok_or(ServiceError::NotFound)?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    store::clear_totp(&mut tx, person).await?;
    store::delete_sessions_of(&mut tx, person).await?;
    audit::append(&mut tx, &s.audit_key, origin, now, &event("auth.totp_reset", person, json!({}))).await?;
    tx.commit().await?;
    Ok(())
}

/// Checks the code for a session that passed the password. On success the session becomes a
/// full one under a new id, returned for the cookie. A wrong or replayed code counts toward the
/// lockout; the failure that locks the account also ends its sessions.
pub async fn verify_second_factor(
    s: &Services,
    session: &Session,
    code: &str,
    source_ip: &str,
) -> ServiceResult<String> {
    if !session.pending_totp {
        return Err(ServiceError::Conflict("totp: this session needs no code".into()));
    }
    let me = store::find_by_id(&s.db, session.person_id).await?.ok_or(ServiceError::NotFound)?;
    let policy = settings::password_policy(&s.db).await?;
    let now = s.clock.now();
    let who = origin(session, source_ip);
    let mut tx = s.db.begin().await?;
    if !me.active || me.locked_until.is_some_and(|t| t > now.0) {
        store::delete_sessions_of(&mut tx, session.person_id).await?;
        audit::append(
            &mut tx,
            &s.audit_key,
            &who,
            now,
            &event("auth.login_refused_locked", session.person_id, json!({"second_factor": true})),
        )
        .await?;
        tx.commit().await?;
        return Err(AuthError::BadCredentials.into());
    }
    // A reset by the security administrator while this session waited leaves nothing to check.
    let accepted = match me.totp_secret.as_deref() {
        Some(stored) => match stored_secret(s, session.person_id, stored)
            .and_then(|secret| totp::verify(&secret, code, now, me.totp_last_step))
        {
            Some(step) => store::accept_totp_step(&mut tx, session.person_id, step).await? == 1,
            None => false,
        },
        None => true,
    };
    if !accepted {
        return refuse_code(s, tx, &policy, &who, &me, now).await;
    }
    let (token, hash) = new_secret();
    if store::complete_second_factor(&mut tx, &session.session_hash, &hash, now).await? == 0 {
        return Err(AuthError::SessionExpired.into());
    }
    store::clear_failures(&mut tx, session.person_id).await?;
    audit::append(&mut tx, &s.audit_key, &who, now, &event("auth.totp_passed", session.person_id, json!({}))).await?;
    tx.commit().await?;
    Ok(token)
}

/// Counts a wrong code like a wrong password, audits it and commits; locks (and ends every
/// session of the person) at the threshold.
async fn refuse_code<T>(
    s: &Services,
    mut tx: crate::db::Tx,
    policy: &PasswordPolicy,
    who: &Origin,
    me: &store::LoginRow,
    now: Timestamp,
) -> ServiceResult<T> {
    let person = PersonId(me.person_id);
    let (failures, locked) = record_failure(&mut tx, policy, me, now).await?;
    if locked {
        store::delete_sessions_of(&mut tx, person).await?;
    }
    let action = if locked { "auth.locked" } else { "auth.totp_failed" };
    audit::append(&mut tx, &s.audit_key, who, now, &event(action, person, json!({"failures": failures}))).await?;
    tx.commit().await?;
    Err(if locked { AuthError::BadCredentials } else { AuthError::BadTotp }.into())
}

/// Seals the secrets stored in plain by versions before migration 0034, once: the migration
/// leaves a marker that this pass removes in the same transaction, so a plain secret written
/// into the database later is refused like any other that does not open. Audited when it
/// sealed any. Run by `migrate` and `serve` before anything reads a secret.
pub async fn seal_plain_secrets(s: &Services) -> ServiceResult<u64> {
    let mut tx = s.db.begin().await?;
    if !settings::take_marker(&mut tx, "totp.unsealed").await? {
        tx.commit().await?;
        return Ok(0);
    }
    let mut sealed = 0u64;
    for (person, secret, pending) in store::stored_totp(&mut tx).await? {
        let person = PersonId(person);
        let seal = |v: Option<String>| match v {
            Some(v) if !secret_box::is_sealed(&v) => (Some(secret_box::seal(&s.audit_key, person, &v)), 1),
            v => (v, 0),
        };
        let ((secret, a), (pending, b)) = (seal(secret), seal(pending));
        if a + b > 0 {
            store::set_stored_totp(&mut tx, person, secret.as_deref(), pending.as_deref()).await?;
            sealed += a + b;
        }
    }
    if sealed > 0 {
        let event = AuditEvent::new("auth.totp_secrets_sealed", "person", None, json!({ "count": sealed }));
        audit::append(&mut tx, &s.audit_key, &Origin::system(), s.clock.now(), &event).await?;
    }
    tx.commit().await?;
    Ok(sealed)
}
