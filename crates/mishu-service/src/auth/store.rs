//! SQL for sign-in and sessions.

use crate::args;
use crate::db::{Db, DbResult, Tx};
use mishu_domain::{PersonId, Timestamp};

#[derive(sqlx::FromRow)]
pub(super) struct LoginRow {
    pub person_id: i64,
    pub login: String,
    pub active: bool,
    pub password_hash: Option<String>,
    pub password_changed_at: Option<i64>,
    pub must_change_password: bool,
    pub failed_logins: i64,
    pub first_failed_at: Option<i64>,
    pub locked_until: Option<i64>,
    pub totp_secret: Option<String>,
    pub totp_pending: Option<String>,
    pub totp_last_step: Option<i64>,
    pub admin_kind: Option<String>,
}

const LOGIN_COLS: &str = "person_id, login, active, password_hash, password_changed_at, must_change_password, failed_logins, first_failed_at, locked_until, totp_secret, totp_pending, totp_last_step, admin_kind";

pub(super) async fn find_for_login(db: &Db, login: &str) -> DbResult<Option<LoginRow>> {
    db.fetch_optional(&format!("SELECT {LOGIN_COLS} FROM people WHERE login = $1"), args![login]).await
}

pub(super) async fn find_by_id(db: &Db, id: PersonId) -> DbResult<Option<LoginRow>> {
    db.fetch_optional(&format!("SELECT {LOGIN_COLS} FROM people WHERE person_id = $1"), args![id]).await
}

pub(super) async fn record_failure(
    tx: &mut Tx,
    id: PersonId,
    failures: i64,
    first: i64,
    lock: Option<i64>,
) -> DbResult<()> {
    tx.execute(
        "UPDATE people SET failed_logins = $1, first_failed_at = $2, locked_until = COALESCE($3, locked_until) WHERE person_id = $4",
        args![failures, first, lock, id],
    )
    .await
    .map(|_| ())
}

pub(super) async fn clear_failures(tx: &mut Tx, id: PersonId) -> DbResult<()> {
    tx.execute(
        "UPDATE people SET failed_logins = 0, first_failed_at = NULL, locked_until = NULL WHERE person_id = $1",
        args![id],
    )
    .await
    .map(|_| ())
}

pub(super) async fn insert_session(
    tx: &mut Tx,
    hash: &str,
    person: PersonId,
    csrf: &str,
    now: Timestamp,
    pending_totp: bool,
    ip: &str,
) -> DbResult<()> {
    tx.execute(
        "INSERT INTO sessions (session_hash, person_id, csrf_token, created_at, last_seen_at, pending_totp, source_ip)
         VALUES ($1, $2, $3, $4, $4, $5, $6)",
        args![hash, person, csrf, now, pending_totp, ip],
    )
    .await
    .map(|_| ())
}

#[derive(sqlx::FromRow)]
pub(super) struct SessionRow {
    pub person_id: i64,
    pub csrf_token: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub acting_for: Option<i64>,
    pub pending_totp: bool,
    pub locale: String,
    pub admin_kind: Option<String>,
    pub active: bool,
    pub must_change_password: bool,
    pub password_changed_at: Option<i64>,
    /// Read in the same statement, so the request's actor can come from the node's copy.
    pub org_version: i64,
}

pub(super) async fn find_session(db: &Db, hash: &str) -> DbResult<Option<SessionRow>> {
    db.fetch_optional(
        "SELECT s.person_id, s.csrf_token, s.created_at, s.last_seen_at, s.acting_for, s.pending_totp,
                p.locale, p.admin_kind, p.active, p.must_change_password, p.password_changed_at,
                (SELECT v.version FROM org_version v WHERE v.id = 1) AS org_version
         FROM sessions s JOIN people p ON p.person_id = s.person_id WHERE s.session_hash = $1",
        args![hash],
    )
    .await
}

pub(super) async fn touch_session(db: &Db, hash: &str, now: Timestamp) -> DbResult<()> {
    db.execute("UPDATE sessions SET last_seen_at = $1 WHERE session_hash = $2", args![now, hash]).await.map(|_| ())
}

pub(super) async fn delete_session(db: &Db, hash: &str) -> DbResult<()> {
    db.execute("DELETE FROM sessions WHERE session_hash = $1", args![hash]).await.map(|_| ())
}

pub(super) async fn delete_session_tx(tx: &mut Tx, hash: &str) -> DbResult<()> {
    tx.execute("DELETE FROM sessions WHERE session_hash = $1", args![hash]).await.map(|_| ())
}

pub(super) async fn delete_other_sessions(tx: &mut Tx, person: PersonId, keep: &str) -> DbResult<()> {
    tx.execute("DELETE FROM sessions WHERE person_id = $1 AND session_hash <> $2", args![person, keep])
        .await
        .map(|_| ())
}

pub(super) async fn set_password(
    tx: &mut Tx,
    person: PersonId,
    hash: &str,
    now: Timestamp,
    must_change: bool,
) -> DbResult<()> {
    tx.execute(
        "UPDATE people SET password_hash = $1, password_changed_at = $2, must_change_password = $3,
                failed_logins = 0, first_failed_at = NULL, locked_until = NULL WHERE person_id = $4",
        args![hash, now, must_change, person],
    )
    .await
    .map(|_| ())
}

pub(super) async fn set_locale(db: &Db, person: PersonId, locale: &str) -> DbResult<()> {
    db.execute("UPDATE people SET locale = $1 WHERE person_id = $2", args![locale, person]).await.map(|_| ())
}

pub(super) async fn set_acting_for(tx: &mut Tx, hash: &str, principal: Option<PersonId>) -> DbResult<()> {
    tx.execute("UPDATE sessions SET acting_for = $1 WHERE session_hash = $2", args![principal, hash]).await.map(|_| ())
}

pub(super) async fn delete_sessions_of(tx: &mut Tx, person: PersonId) -> DbResult<()> {
    tx.execute("DELETE FROM sessions WHERE person_id = $1", args![person]).await.map(|_| ())
}

pub(super) async fn set_totp_pending(tx: &mut Tx, person: PersonId, secret: Option<&str>) -> DbResult<()> {
    tx.execute("UPDATE people SET totp_pending = $1 WHERE person_id = $2", args![secret, person]).await.map(|_| ())
}

/// Turns the pending secret into the live one, if it is still the one the code was checked
/// against (a second set-up started meanwhile makes this a no-op: 0 rows).
pub(super) async fn confirm_totp(tx: &mut Tx, person: PersonId, pending: &str, step: i64) -> DbResult<u64> {
    tx.execute(
        "UPDATE people SET totp_secret = totp_pending, totp_pending = NULL, totp_last_step = $1 WHERE person_id = $2 AND totp_pending = $3",
        args![step, person, pending],
    )
    .await
}

/// Every stored second-factor secret, live or pending: (person, secret, pending).
pub(super) async fn stored_totp(tx: &mut Tx) -> DbResult<Vec<(i64, Option<String>, Option<String>)>> {
    tx.fetch_all(
        "SELECT person_id, totp_secret, totp_pending FROM people
         WHERE totp_secret IS NOT NULL OR totp_pending IS NOT NULL ORDER BY person_id",
        args![],
    )
    .await
}

pub(super) async fn set_stored_totp(
    tx: &mut Tx,
    person: PersonId,
    secret: Option<&str>,
    pending: Option<&str>,
) -> DbResult<()> {
    tx.execute(
        "UPDATE people SET totp_secret = $1, totp_pending = $2 WHERE person_id = $3",
        args![secret, pending, person],
    )
    .await
    .map(|_| ())
}

pub(super) async fn clear_totp(tx: &mut Tx, person: PersonId) -> DbResult<()> {
    tx.execute(
        "UPDATE people SET totp_secret = NULL, totp_pending = NULL, totp_last_step = NULL WHERE person_id = $1",
        args![person],
    )
    .await
    .map(|_| ())
}

/// Records an accepted time step only if it is newer than the last one: two requests racing
/// with the same code cannot both pass (0 rows for the loser).
pub(super) async fn accept_totp_step(tx: &mut Tx, person: PersonId, step: i64) -> DbResult<u64> {
    tx.execute(
        "UPDATE people SET totp_last_step = $1 WHERE person_id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)",
        args![step, person],
    )
    .await
}

/// The session becomes a full one under a new id (the pending id is never used again).
pub(super) async fn complete_second_factor(
    tx: &mut Tx,
    old_hash: &str,
    new_hash: &str,
    now: Timestamp,
) -> DbResult<u64> {
    tx.execute(
        "UPDATE sessions SET session_hash = $1, pending_totp = FALSE, last_seen_at = $2 WHERE session_hash = $3 AND pending_totp = TRUE",
        args![new_hash, now, old_hash],
    )
    .await
}
