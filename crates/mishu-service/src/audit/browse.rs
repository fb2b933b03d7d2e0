//! Reading the log as the audit administrator does: records with the names of who acted and
//! for whom, filtered by person, action and office dates. Looking is itself audited.

use super::store::{self, AuditFilter, NamedRecord};
use super::{Origin, append};
use crate::{ServiceError, ServiceResult, Services};
use chrono::NaiveDate;
use mishu_domain::Timestamp;
use mishu_domain::audit::AuditEvent;
use mishu_domain::time::office_offset;

/// Records matching `filter`, newest first, with names joined from `people` (a record whose
/// person was never stored, or a system record, has no name).
pub async fn list_named(s: &Services, filter: &AuditFilter) -> ServiceResult<Vec<NamedRecord>> {
    Ok(store::list_named(&s.db, filter).await?)
}

/// `list_named` for a person at a screen: the look is recorded (`audit.viewed`, with the
/// filter) before the records are returned, so browsing leaves a trace like any other act.
pub async fn browse(s: &Services, origin: &Origin, filter: &AuditFilter) -> ServiceResult<Vec<NamedRecord>> {
    let mut tx = s.db.begin().await?;
    let event = AuditEvent::new("audit.viewed", "audit_log", None, filter_detail(filter));
    append(&mut tx, &s.audit_key, origin, s.clock.now(), &event).await?;
    tx.commit().await?;
    list_named(s, filter).await
}

/// The filter as recorded in `audit.viewed` / `audit.exported`: what was looked at.
pub(super) fn filter_detail(f: &AuditFilter) -> serde_json::Value {
    serde_json::json!({
        "actor_id": f.actor_id,
        "action_prefix": f.action_prefix,
        "from": f.from.map(|t| t.0),
        "to": f.to.map(|t| t.0),
        "before_seq": f.before_seq,
    })
}

/// The first instant of an office-local date; filters take `from = start(d1)` and
/// `to = start(d2 + 1)` (the upper bound is exclusive) for "d1 to d2 inclusive".
pub fn office_day_start(d: NaiveDate) -> Timestamp {
    let midnight = d.and_hms_opt(0, 0, 0).expect("midnight exists");
    let local = midnight.and_local_timezone(office_offset()).single().expect("fixed offsets are unambiguous");
    Timestamp(local.timestamp_millis())
}

/// "From d1 to d2", both inclusive office dates as `YYYY-MM-DD` (empty = open), as the
/// filter's `from` and exclusive `to`. Pages and the CLI take dates the same way.
pub fn office_date_range(from: &str, to: &str) -> ServiceResult<(Option<Timestamp>, Option<Timestamp>)> {
    fn date(field: &'static str, raw: &str) -> ServiceResult<Option<NaiveDate>> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        mishu_domain::time::parse_date(raw).map(Some).ok_or_else(|| ServiceError::invalid(field, "expected YYYY-MM-DD"))
    }
    let (from, to) = (date("from", from)?, date("to", to)?);
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        return Err(ServiceError::invalid("to", "must not be before from"));
    }
    Ok((from.map(office_day_start), to.and_then(|d| d.succ_opt()).map(office_day_start)))
}
