//! Seals (印章, R7): the registry kept by the office head (register, name the keeper,
//! decommission), and in `applications` the seal-use application with its two signatures,
//! the keeper's stamping and the keeper's log; `report` is the usage report with its
//! inconsistencies. Every change is audited (R7.6).

mod applications;
pub mod department_rules;
pub mod esign;
mod report;
mod search;
mod store;

pub use applications::{NewApplication, act, application, apply, keeper_log, my_applications, sealable_documents};
pub use esign::{application_with_eseal, seal_with_eseal};
pub use report::{Finding, ReportUseRow, SealUsage, UsageReport, WaitingRow, usage_report, usage_report_xlsx};
pub(crate) use search::search_docs;
pub use store::{ApplicationRow, RulesRow, SealRow, SealUseRow};

use crate::audit::{self, Origin};
use crate::tasks;
use crate::{ServiceError, ServiceResult, Services};
use mishu_domain::access::{Actor, Capability, allows};
use mishu_domain::audit::AuditEvent;
use mishu_domain::seals::{self as rules, SealInput, SealState};
use mishu_domain::{DepartmentId, PersonId, SealId};
use serde_json::json;

/// The registry's name in the audit log.
pub const DOMAIN: &str = "seal";
/// Tasks of the spine point at an application under this domain (the inbox's 用印).
pub const APPLICATION_DOMAIN: &str = "seal";
/// Applications' name in the audit log.
pub const APPLICATION_AUDIT: &str = "seal_application";

/// A seal to register: what it is, which department owns it (none for the organ's own seals)
/// and who keeps it.
#[derive(Debug, Clone)]
pub struct NewSeal {
    pub input: SealInput,
    pub department_id: Option<DepartmentId>,
    pub keeper_id: PersonId,
}

fn require_manager(actor: &Actor) -> ServiceResult<()> {
    if allows(Some(actor), Capability::ManageSeals) { Ok(()) } else { Err(ServiceError::Forbidden) }
}

/// Registers a seal with its designated keeper (R7.1, R7.2).
pub async fn register(s: &Services, actor: &Actor, n: NewSeal, source_ip: &str) -> ServiceResult<SealId> {
    require_manager(actor)?;
    let v = rules::validate_seal(&n.input)?;
    if let Some(d) = n.department_id {
        store::require_department(&s.db, d).await?;
    }
    store::require_keeper(&s.db, n.keeper_id).await?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let id = store::insert(&mut tx, &v, n.department_id, n.keeper_id, actor.person_id, now).await?;
    audit::append(
        &mut tx,
        &s.audit_key,
        &Origin::of(actor, source_ip),
        now,
        &AuditEvent::new(
            "seal.registered",
            DOMAIN,
            Some(id.to_string()),
            json!({"name": v.name, "kind": v.kind.code(), "diameter_mm": v.diameter_mm, "issuer": v.issuer,
                   "department_id": n.department_id.map(|d| d.0), "keeper_id": n.keeper_id.0}),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The registry: every business user may see which seals exist and who keeps them, since
/// they must know which seal to apply for.
pub async fn list(s: &Services, actor: &Actor) -> ServiceResult<Vec<SealRow>> {
    if !actor.is_business_user() {
        return Err(ServiceError::Forbidden);
    }
    Ok(store::list(&s.db).await?)
}

pub async fn seal(s: &Services, actor: &Actor, id: SealId) -> ServiceResult<SealRow> {
    if !actor.is_business_user() {
        return Err(ServiceError::Forbidden);
    }
    store::get(&s.db, id).await?.ok_or(ServiceError::NotFound)
}

/// Suspends an active seal for a reason, or resumes a suspended one (停用/恢复使用). While
/// suspended nobody may apply for it or stamp with it; applications already approved wait.
pub async fn set_suspended(
    s: &Services,
    actor: &Actor,
    id: SealId,
    suspend: bool,
    reason: &str,
    source_ip: &str,
) -> ServiceResult<()> {
    require_manager(actor)?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let seal = store::get_tx(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    let reason = rules::validate_suspension(SealState::parse(&seal.state), suspend, reason)?;
    let to = if suspend { SealState::Suspended } else { SealState::Active };
    store::set_suspension(&mut tx, id, to, reason.as_deref(), now, seal.version).await?;
    let action = if suspend { "seal.suspended" } else { "seal.resumed" };
    audit::append(
        &mut tx,
        &s.audit_key,
        &Origin::of(actor, source_ip),
        now,
        &AuditEvent::new(action, DOMAIN, Some(id.to_string()), json!({"reason": reason})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Decommissions a seal (缴销, R7.3): returned to its issuing authority, sealed up or destroyed,
/// for a reason. Applications still open for it end with that reason and leave every inbox,
/// so nothing waits on a seal that can never be used again.
pub async fn decommission(
    s: &Services,
    actor: &Actor,
    id: SealId,
    reason: &str,
    authority: &str,
    disposal: &str,
    source_ip: &str,
) -> ServiceResult<()> {
    require_manager(actor)?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let seal = store::get_tx(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    let d = rules::validate_decommission(SealState::parse(&seal.state), reason, authority, disposal)?;
    store::set_decommissioned(&mut tx, id, &d, actor.person_id, now, seal.version).await?;
    let ended = store::end_open_of_seal(&mut tx, id, actor.person_id, &d.reason, now).await?;
    for a in &ended {
        tasks::close_subject_tasks(&mut tx, APPLICATION_DOMAIN, *a, None, actor, &d.reason, now).await?;
    }
    audit::append(
        &mut tx,
        &s.audit_key,
        &Origin::of(actor, source_ip),
        now,
        &AuditEvent::new(
            "seal.decommissioned",
            DOMAIN,
            Some(id.to_string()),
            json!({"reason": d.reason, "authority": d.authority, "disposal": d.disposal.code(),
                   "ended_applications": ended}),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
