//! The audit log: records appended in the caller's transaction and chained with HMAC-SM3;
//! browsing, export, verification and the retention purge.

mod browse;
pub mod export;
mod retention;
mod store;

use crate::db::{DbResult, Tx};
use crate::{ServiceError, Services};
use mishu_domain::access::Actor;
use mishu_domain::audit::{AuditEvent, AuditRecord, ChainBreak};
use mishu_domain::{PersonId, Timestamp};

pub use browse::{browse, list_named, office_date_range, office_day_start};
pub use retention::{MAX_AUDIT_RETENTION_DAYS, purge_due, set_retention};
pub use store::{AuditFilter, NamedRecord};

/// Who and from where, for records written outside a signed-in request (CLI, jobs).
#[derive(Clone, Debug, Default)]
pub struct Origin {
    pub actor_id: Option<PersonId>,
    pub acting_for: Option<PersonId>,
    pub source_ip: String,
}

impl Origin {
    pub fn of(actor: &Actor, source_ip: &str) -> Origin {
        Origin { actor_id: Some(actor.person_id), acting_for: actor.acting_for, source_ip: source_ip.to_string() }
    }
    pub fn system() -> Origin {
        Origin { actor_id: None, acting_for: None, source_ip: "system".into() }
    }
}

/// Appends one record inside `tx`; it commits or rolls back with the change it records.
pub async fn append(tx: &mut Tx, key: &[u8], origin: &Origin, now: Timestamp, event: &AuditEvent) -> DbResult<i64> {
    let (seq, prev_mac) = store::advance_head(tx).await?;
    let record = AuditRecord {
        seq,
        at: now,
        actor_id: origin.actor_id,
        acting_for: origin.acting_for,
        source_ip: origin.source_ip.clone(),
        action: event.action.clone(),
        subject_type: event.subject_type.clone(),
        subject_id: event.subject_id.clone(),
        detail: canonical_json(&event.detail),
        prev_mac,
        mac: String::new(),
    }
    .seal(key);
    store::insert(tx, &record).await?;
    Ok(seq)
}

/// serde_json's `Value` keeps object keys sorted (no `preserve_order`), so this is canonical.
fn canonical_json(v: &serde_json::Value) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "{}".into())
}

/// The outcome of `mishu audit verify`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct VerifyReport {
    pub records: usize,
    pub breaks: Vec<ChainBreak>,
    /// The head says the log reaches this record, but it stops earlier.
    pub truncated_after: Option<i64>,
}

impl VerifyReport {
    pub fn ok(&self) -> bool {
        self.breaks.is_empty() && self.truncated_after.is_none()
    }
}

pub async fn verify(s: &Services) -> Result<VerifyReport, ServiceError> {
    let head = store::head(&s.db).await?;
    let records = store::all(&s.db).await?;
    let mut breaks = mishu_domain::audit::verify(&records, &s.audit_key, head.first_seq);
    if let Some(first) = records.iter().find(|r| r.seq >= head.first_seq)
        && first.seq == head.first_seq
        && first.prev_mac != head.first_prev_mac
    {
        breaks.insert(0, ChainBreak::Inserted { seq: first.seq });
    }
    let last = records.last().map(|r| (r.seq, r.mac.clone()));
    let truncated_after = match last {
        Some((seq, mac)) if seq == head.seq && mac == head.mac => None,
        None if head.seq < head.first_seq => None,
        Some((seq, _)) if seq < head.seq => Some(seq),
        None => Some(head.first_seq - 1),
        _ => None,
    };
    Ok(VerifyReport { records: records.len(), breaks, truncated_after })
}

/// `verify` for the audit administrator's page: the check itself is audited, with its outcome.
pub async fn verify_as(s: &Services, origin: &Origin) -> Result<VerifyReport, ServiceError> {
    let report = verify(s).await?;
    let mut tx = s.db.begin().await?;
    let detail = serde_json::json!({
        "ok": report.ok(),
        "records": report.records,
        "breaks": report.breaks.len(),
        "truncated_after": report.truncated_after,
    });
    append(&mut tx, &s.audit_key, origin, s.clock.now(), &AuditEvent::new("audit.verified", "audit_log", None, detail))
        .await?;
    tx.commit().await?;
    Ok(report)
}

pub async fn list(s: &Services, filter: &AuditFilter) -> Result<Vec<AuditRecord>, ServiceError> {
    Ok(store::list(&s.db, filter).await?)
}

/// Deletes records older than the retention period (never less than 190 days), keeping the
/// chain verifiable from the first kept record. Audited itself.
pub async fn purge(s: &Services, origin: &Origin) -> Result<u64, ServiceError> {
    let days = crate::settings::audit_retention_days(&s.db).await?;
    let now = s.clock.now();
    let cutoff = Timestamp(now.0 - days * 86_400_000);
    let mut tx = s.db.begin().await?;
    let removed = store::purge_before(&mut tx, cutoff).await?;
    let event = AuditEvent::new(
        "audit.purged",
        "audit_log",
        None,
        serde_json::json!({"removed": removed, "retention_days": days}),
    );
    append(&mut tx, &s.audit_key, origin, now, &event).await?;
    tx.commit().await?;
    Ok(removed)
}
