//! Office settings kept in the database (so every node sees the same): the password policy,
//! session timeouts, audit retention, reminder rule. Defaults apply when a key is unset.

use crate::args;
use crate::db::{Db, DbResult, Tx};
use mishu_domain::password::PasswordPolicy;
use mishu_domain::tasks::ReminderRule;
use mishu_domain::Timestamp;
use serde::{de::DeserializeOwned, Deserialize, Serialize};

/// The legal floor (网络安全法: logs kept at least six months).
pub const MIN_AUDIT_RETENTION_DAYS: i64 = 190;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionPolicy {
    pub idle_minutes: i64,
    pub admin_idle_minutes: i64,
    pub absolute_hours: i64,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy { idle_minutes: 30, admin_idle_minutes: 15, absolute_hours: 12 }
    }
}

async fn get<T: DeserializeOwned + Default>(db: &Db, key: &str) -> DbResult<T> {
    let row: Option<(String,)> = db.fetch_optional("SELECT value FROM settings WHERE key = $1", args![key]).await?;
    Ok(row.and_then(|(v,)| serde_json::from_str(&v).ok()).unwrap_or_default())
}

pub async fn put<T: Serialize>(tx: &mut Tx, key: &str, value: &T, now: Timestamp) -> DbResult<()> {
    let v = serde_json::to_string(value).unwrap_or_default();
    tx.execute(
        "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        args![key, v, now],
    )
    .await?;
    Ok(())
}

pub async fn password_policy(db: &Db) -> DbResult<PasswordPolicy> {
    get(db, "password_policy").await
}

pub async fn session_policy(db: &Db) -> DbResult<SessionPolicy> {
    get(db, "session_policy").await
}

pub async fn reminder_rule(db: &Db) -> DbResult<ReminderRule> {
    get(db, "reminder_rule").await
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
struct Retention(i64);
impl Default for Retention {
    fn default() -> Self {
        Retention(MIN_AUDIT_RETENTION_DAYS)
    }
}

pub async fn audit_retention_days(db: &Db) -> DbResult<i64> {
    Ok(get::<Retention>(db, "audit_retention_days").await?.0.max(MIN_AUDIT_RETENTION_DAYS))
}

pub async fn set_audit_retention_days(tx: &mut Tx, days: i64, now: Timestamp) -> Result<(), crate::ServiceError> {
    if days < MIN_AUDIT_RETENTION_DAYS {
        return Err(crate::ServiceError::invalid(
            "audit_retention_days",
            format!("at least {MIN_AUDIT_RETENTION_DAYS} days"),
        ));
    }
    put(tx, "audit_retention_days", &Retention(days), now).await?;
    Ok(())
}
