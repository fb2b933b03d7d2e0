//! A department's own rules for using its seals (R7.5): the department head files them, the
//! office (whoever manages seals) registers or returns them, and the latest registered rules
//! are in force. Filing opens a task for the office heads; every step is audited (R7.6).

use super::store::{self, RulesRow};
use crate::audit::{self, Origin};
use crate::tasks::{self, NewTask};
use crate::{ServiceError, ServiceResult, Services, org};
use mishu_domain::DepartmentId;
use mishu_domain::access::{Actor, Capability, allows};
use mishu_domain::audit::AuditEvent;
use mishu_domain::org::{Clearance, Role};
use mishu_domain::seals::department_rules::{RulesAction, RulesState, decide, validate_text};
use mishu_domain::tasks::{TaskKind, Urgency};
use serde_json::json;

/// The office's task to register filed rules points here (the inbox links `/seals/rules`).
pub const RULES_DOMAIN: &str = "seal_rules";
const AUDIT_DOMAIN: &str = "seal_rules";

/// The actor heads this department (or acts for its head).
fn heads(actor: &Actor, department: DepartmentId) -> bool {
    actor.roles.iter().any(|(r, d)| *r == Role::DepartmentHead && *d == Some(department))
}

/// The department the actor heads, if any (where their filing form files to).
pub fn headed_department(actor: &Actor) -> Option<DepartmentId> {
    actor.roles.iter().find_map(|(r, d)| (*r == Role::DepartmentHead).then_some(*d).flatten())
}

/// What the rules page shows: the filings one may see, newest first (all for the office,
/// one's own department's for its head).
pub async fn list(s: &Services, actor: &Actor) -> ServiceResult<Vec<RulesRow>> {
    if !actor.is_business_user() {
        return Err(ServiceError::Forbidden);
    }
    if allows(Some(actor), Capability::ManageSeals) {
        return Ok(store::rules::list(&s.db, None).await?);
    }
    match headed_department(actor) {
        Some(d) => Ok(store::rules::list(&s.db, Some(d)).await?),
        None => Ok(vec![]),
    }
}

/// The rules in force for a department, if any were registered: everyone may read them (a
/// department's staff must know how its seal is used).
pub async fn in_force(s: &Services, department: DepartmentId) -> ServiceResult<Option<RulesRow>> {
    let rows = store::rules::list(&s.db, Some(department)).await?;
    Ok(rows.into_iter().find(|r| r.state == RulesState::Registered.code()))
}

/// The department head files the department's seal rules; an earlier filing still waiting
/// for the office is superseded by this one.
pub async fn file(
    s: &Services,
    actor: &Actor,
    department: DepartmentId,
    text: &str,
    source_ip: &str,
) -> ServiceResult<i64> {
    if !heads(actor, department) {
        return Err(ServiceError::Forbidden);
    }
    let text = validate_text(text)?;
    let dept = org::department(s, department).await?;
    let office_heads = org::active_with_role(s, Role::OfficeHead).await?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let id = store::rules::insert(&mut tx, department, &text, actor.person_id, now).await?;
    store::rules::supersede(&mut tx, department.0, RulesState::Filed.code(), id).await?;
    for head in &office_heads {
        let task = NewTask {
            domain: RULES_DOMAIN,
            subject_id: id,
            title: format!("{}用印规定备案", dept.name),
            kind: TaskKind::Approve,
            assignee: mishu_domain::PersonId(head.person_id),
            created_by: Some(actor.person_id),
            classification: Clearance::None,
            urgency: Urgency::Normal,
            due_at: None,
        };
        tasks::open_task(&mut tx, &task, now).await?;
    }
    let event = AuditEvent::new(
        "seal_rules.filed",
        AUDIT_DOMAIN,
        Some(id.to_string()),
        json!({"department_id": department.0, "chars": text.chars().count()}),
    );
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &event).await?;
    tx.commit().await?;
    Ok(id)
}

/// The office registers filed rules (the department's earlier registered rules are then
/// superseded) or returns them with a reason.
pub async fn decide_filing(
    s: &Services,
    actor: &Actor,
    id: i64,
    action: RulesAction,
    source_ip: &str,
) -> ServiceResult<()> {
    if !allows(Some(actor), Capability::ManageSeals) {
        return Err(ServiceError::Forbidden);
    }
    let row = store::rules::get(&s.db, id).await?.ok_or(ServiceError::NotFound)?;
    let state = RulesState::parse(&row.state).ok_or(ServiceError::NotFound)?;
    let to = decide(state, &action)?;
    let reason = match &action {
        RulesAction::Return { reason } => Some(reason.trim()),
        RulesAction::Register => None,
    };
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let changed = store::rules::decide(&mut tx, id, state.code(), to.code(), actor.person_id, now, reason).await?;
    if changed == 0 {
        return Err(ServiceError::Conflict("the filing was decided meanwhile".into()));
    }
    if to == RulesState::Registered {
        store::rules::supersede(&mut tx, row.department_id, RulesState::Registered.code(), id).await?;
    }
    tasks::close_subject_tasks(&mut tx, RULES_DOMAIN, id, None, actor, to.code(), now).await?;
    let event = AuditEvent::new(
        &format!("seal_rules.{}", to.code()),
        AUDIT_DOMAIN,
        Some(id.to_string()),
        json!({"department_id": row.department_id, "reason": reason}),
    );
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &event).await?;
    tx.commit().await?;
    Ok(())
}
