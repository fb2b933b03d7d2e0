//! Office settings kept in the database (so every node sees the same): the password policy,
//! session timeouts, audit retention, reminder rule. Defaults apply when a key is unset.
//! Also owns the short-lived per-node cache of the two policies read on every request.

use crate::audit::{self, Origin};
use crate::db::{Db, DbResult, Tx};
use crate::{ServiceError, ServiceResult, Services, args};
use mishu_domain::Timestamp;
use mishu_domain::audit::AuditEvent;
use mishu_domain::password::PasswordPolicy;
use mishu_domain::session::SessionPolicyError;
use mishu_domain::tasks::ReminderRule;
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use std::collections::HashMap;
use std::sync::Mutex;

pub use mishu_domain::session::SessionPolicy;

/// The legal floor (网络安全法: logs kept at least six months).
pub const MIN_AUDIT_RETENTION_DAYS: i64 = 190;

const GET: &str = "SELECT value FROM settings WHERE key = $1";

fn decode<T: DeserializeOwned + Default>(row: Option<(String,)>) -> T {
    row.and_then(|(v,)| serde_json::from_str(&v).ok()).unwrap_or_default()
}

pub(crate) async fn get<T: DeserializeOwned + Default>(db: &Db, key: &str) -> DbResult<T> {
    Ok(decode(db.fetch_optional(GET, args![key]).await?))
}

/// `get` inside a transaction that may change the value next.
pub(crate) async fn get_tx<T: DeserializeOwned + Default>(tx: &mut Tx, key: &str) -> DbResult<T> {
    Ok(decode(tx.fetch_optional(GET, args![key]).await?))
}

/// Removes a one-time marker (a migration leaves one for a pass the service must run once);
/// true when it was there, so exactly one caller runs the pass, in the same transaction.
pub(crate) async fn take_marker(tx: &mut Tx, key: &str) -> DbResult<bool> {
    Ok(tx.execute("DELETE FROM settings WHERE key = $1", args![key]).await? > 0)
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

/// How long a cached setting is trusted before it is read again.
pub const CACHE_TTL_MS: i64 = 5_000;

/// Settings read on every request (the session and password policies), cached per node so a
/// request does not cost two extra queries. A write through `set_*` on this node clears the
/// entry at once; other nodes keep their copy until it is `CACHE_TTL_MS` old, so a policy
/// change reaches every node within that time. Ages come from `Services::clock`, so tests can
/// move time; a clock that moves backwards also forces a fresh read.
#[derive(Debug, Default)]
pub struct SettingsCache {
    entries: Mutex<HashMap<&'static str, (Timestamp, String)>>,
}

impl SettingsCache {
    fn fresh(&self, key: &str, now: Timestamp) -> Option<String> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let (at, value) = entries.get(key)?;
        (now.0 >= at.0 && now.0 - at.0 < CACHE_TTL_MS).then(|| value.clone())
    }

    fn store(&self, key: &'static str, now: Timestamp, value: String) {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).insert(key, (now, value));
    }

    /// Forgets every cached value, so the next read goes to the database.
    pub fn invalidate(&self) {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

async fn get_cached<T: DeserializeOwned + Default>(s: &Services, key: &'static str) -> DbResult<T> {
    let now = s.clock.now();
    let raw = match s.settings.fresh(key, now) {
        Some(raw) => raw,
        None => {
            let row: Option<(String,)> =
                s.db.fetch_optional("SELECT value FROM settings WHERE key = $1", args![key]).await?;
            // An unset key is cached as "" so it too costs no query until the entry ages out.
            let raw = row.map(|(v,)| v).unwrap_or_default();
            s.settings.store(key, now, raw.clone());
            raw
        }
    };
    Ok(serde_json::from_str(&raw).unwrap_or_default())
}

/// The password policy through the node's cache (see `SettingsCache`); for the per-request path.
pub async fn password_policy_cached(s: &Services) -> DbResult<PasswordPolicy> {
    get_cached(s, "password_policy").await
}

/// The session policy through the node's cache (see `SettingsCache`); for the per-request path.
pub async fn session_policy_cached(s: &Services) -> DbResult<SessionPolicy> {
    get_cached(s, "session_policy").await
}

pub async fn password_policy(db: &Db) -> DbResult<PasswordPolicy> {
    get(db, "password_policy").await
}

pub async fn session_policy(db: &Db) -> DbResult<SessionPolicy> {
    get(db, "session_policy").await
}

/// Replaces the password and lockout policy (the security administrator's job); it must stay
/// above the floor `PasswordPolicy::validate` defends, or nothing is stored.
pub async fn set_password_policy(s: &Services, origin: &Origin, policy: &PasswordPolicy) -> ServiceResult<()> {
    policy.validate()?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    put(&mut tx, "password_policy", policy, now).await?;
    let detail = serde_json::to_value(policy).unwrap_or_default();
    audit::append(
        &mut tx,
        &s.audit_key,
        origin,
        now,
        &AuditEvent::new("settings.password_policy_set", "settings", Some("password_policy".into()), detail),
    )
    .await?;
    tx.commit().await?;
    // After the commit, so a concurrent read cannot re-cache the old value.
    s.settings.invalidate();
    Ok(())
}

/// Replaces the session timeouts (the security administrator's job), within `SessionPolicy::RANGES`.
/// Live sessions follow the new values from their next request.
pub async fn set_session_policy(s: &Services, origin: &Origin, policy: &SessionPolicy) -> ServiceResult<()> {
    policy.validate().map_err(|SessionPolicyError::OutOfRange { field, min, max }| {
        ServiceError::invalid(field, format!("out of range ({min}–{max})"))
    })?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    put(&mut tx, "session_policy", policy, now).await?;
    let detail = serde_json::to_value(policy).unwrap_or_default();
    audit::append(
        &mut tx,
        &s.audit_key,
        origin,
        now,
        &AuditEvent::new("settings.session_policy_set", "settings", Some("session_policy".into()), detail),
    )
    .await?;
    tx.commit().await?;
    s.settings.invalidate();
    Ok(())
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

pub async fn set_audit_retention_days(tx: &mut Tx, days: i64, now: Timestamp) -> Result<(), ServiceError> {
    if days < MIN_AUDIT_RETENTION_DAYS {
        return Err(ServiceError::invalid("audit_retention_days", format!("at least {MIN_AUDIT_RETENTION_DAYS} days")));
    }
    put(tx, "audit_retention_days", &Retention(days), now).await?;
    Ok(())
}

/// The room rules (R5.3 request deadline); the seed's Friday 17:30 unless the office set another.
pub async fn room_rules(db: &Db) -> DbResult<mishu_domain::meetings::RoomRules> {
    get(db, "room_rules").await
}
