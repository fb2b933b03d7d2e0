//! How long the log is kept: the setting (never under the legal 190 days), what a purge would
//! remove now, and changing the setting — audited, like every act of the audit administrator.

use super::{Origin, append, store};
use crate::settings::{self, MIN_AUDIT_RETENTION_DAYS};
use crate::{ServiceError, ServiceResult, Services};
use mishu_domain::Timestamp;
use mishu_domain::audit::AuditEvent;

/// A century: anything longer is a typo, and the cutoff arithmetic stays far from overflow.
pub const MAX_AUDIT_RETENTION_DAYS: i64 = 36_500;

/// Sets the retention period in days (190..=36500); the change and the old value are audited.
pub async fn set_retention(s: &Services, origin: &Origin, days: i64) -> ServiceResult<()> {
    if days > MAX_AUDIT_RETENTION_DAYS {
        return Err(ServiceError::invalid("audit_retention_days", format!("at most {MAX_AUDIT_RETENTION_DAYS} days")));
    }
    let before = settings::audit_retention_days(&s.db).await?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    settings::set_audit_retention_days(&mut tx, days, now).await?;
    let detail = serde_json::json!({"from": before, "to": days, "minimum": MIN_AUDIT_RETENTION_DAYS});
    append(
        &mut tx,
        &s.audit_key,
        origin,
        now,
        &AuditEvent::new("audit.retention_set", "settings", Some("audit_retention_days".into()), detail),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// How many records a purge would remove now, for the confirmation before the button.
pub async fn purge_due(s: &Services) -> ServiceResult<i64> {
    let days = settings::audit_retention_days(&s.db).await?;
    let cutoff = Timestamp(s.clock.now().0 - days * 86_400_000);
    Ok(store::count_before(&s.db, cutoff).await?)
}
