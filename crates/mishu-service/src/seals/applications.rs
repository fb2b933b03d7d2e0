//! The seal-use application (用印申请, R7.4): applying fixes the two signers (the applicant's
//! department head, then the department's supervising leader) and puts a task in each one's
//! inbox in turn; after approval the seal's keeper gets the task, stamps and the use goes into
//! the keeper's log (用印登记) in the same transaction.

use super::store::{self, ApplicationRow, SealUseRow, applications::NewApplicationRow};
use super::{APPLICATION_AUDIT, APPLICATION_DOMAIN};
use crate::audit::{self, Origin};
use crate::db::Tx;
use crate::org;
use crate::outgoing::{self, OutgoingBox, OutgoingRow};
use crate::search;
use crate::tasks::{self, NewTask};
use crate::{ServiceError, ServiceResult, Services};
use mishu_domain::access::{Actor, Capability, Subject, allows, may_read};
use mishu_domain::audit::AuditEvent;
use mishu_domain::org::{Clearance, Role};
use mishu_domain::outgoing::OutgoingState;
use mishu_domain::seals::application::validate_copies;
use mishu_domain::seals::{
    self as rules, ApplicationAction, ApplicationEvent, ApplicationFacts, ApplicationState, SealError, SealState,
};
use mishu_domain::tasks::{TaskKind, Urgency};
use mishu_domain::{DepartmentId, OutgoingId, PersonId, SealApplicationId, SealId, Timestamp};
use serde_json::json;

/// An application as typed in.
#[derive(Debug, Clone)]
pub struct NewApplication {
    pub seal_id: SealId,
    pub document_title: String,
    pub purpose: String,
    pub copies: String,
    /// The outgoing document (发文) to be sealed, when it is one from the system; `None` for a
    /// paper or uploaded document. With a document named, an empty title takes its number and title.
    pub outgoing_id: Option<OutgoingId>,
}

fn text(v: &str, field: &'static str, max: usize) -> ServiceResult<String> {
    let t = v.trim();
    if t.is_empty() {
        return Err(ServiceError::invalid(field, "required"));
    }
    if t.chars().count() > max || t.chars().any(char::is_control) {
        return Err(ServiceError::invalid(field, format!("at most {max} characters, no control characters")));
    }
    Ok(t.to_string())
}

/// Who may see an application: those on it; the office-wide roles; the keeper only once approved.
pub(super) fn subject(a: &ApplicationRow) -> Subject {
    let keeper_sees = ["approved", "stamped"].contains(&a.state.as_str());
    let mut route = vec![PersonId(a.applicant_id), PersonId(a.head_id), PersonId(a.leader_id)];
    if keeper_sees {
        route.push(PersonId(a.keeper_id));
    }
    Subject { classification: Clearance::None, department_id: Some(DepartmentId(a.department_id)), route }
}

fn readable(actor: &Actor, a: &ApplicationRow) -> bool {
    may_read(actor, &subject(a))
}

fn step_task(a_id: SealApplicationId, title: &str, kind: TaskKind, who: PersonId, by: PersonId) -> NewTask {
    NewTask {
        domain: APPLICATION_DOMAIN,
        subject_id: a_id.0,
        title: title.to_string(),
        kind,
        assignee: who,
        created_by: Some(by),
        classification: Clearance::None,
        urgency: Urgency::Normal,
        due_at: None,
    }
}

/// Files an application for the actor's own department and sends it to its head.
pub async fn apply(
    s: &Services,
    actor: &Actor,
    n: NewApplication,
    source_ip: &str,
) -> ServiceResult<SealApplicationId> {
    if !actor.is_business_user() {
        return Err(ServiceError::Forbidden);
    }
    let department = actor.department_id.ok_or_else(|| ServiceError::invalid("department", "you belong to none"))?;
    let linked = match n.outgoing_id {
        Some(id) => Some(outgoing_to_seal(s, actor, id).await?),
        None => None,
    };
    let title = match &linked {
        Some(d) if n.document_title.trim().is_empty() => {
            d.doc_number.as_deref().map_or_else(|| d.title.clone(), |no| format!("{no} {}", d.title))
        }
        _ => n.document_title.clone(),
    };
    let title = text(&title, "document_title", 200)?;
    let purpose = text(&n.purpose, "purpose", 1000)?;
    let copies = validate_copies(&n.copies)?;
    let seal = store::get(&s.db, n.seal_id).await?.ok_or_else(|| ServiceError::invalid("seal_id", "no such seal"))?;
    match SealState::parse(&seal.state) {
        SealState::Decommissioned => return Err(SealError::Decommissioned.into()),
        SealState::Suspended => return Err(SealError::Suspended.into()),
        SealState::Active => {}
    }
    let head = store::department_head(&s.db, department)
        .await?
        .ok_or_else(|| ServiceError::invalid("department", "your department has no head to sign"))?;
    let leader = org::supervising_leader(s, department)
        .await?
        .ok_or_else(|| ServiceError::invalid("department", "your department has no supervising leader"))?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let row = NewApplicationRow {
        seal: n.seal_id,
        applicant: actor.person_id,
        department: DepartmentId(department.0),
        document_title: &title,
        purpose: &purpose,
        copies,
        head,
        leader,
        outgoing: n.outgoing_id,
    };
    let id = store::insert_application(&mut tx, &row, now).await?;
    let task_title = format!("{}：{title}", seal.name);
    tasks::open_task(&mut tx, &step_task(id, &task_title, TaskKind::Approve, head, actor.person_id), now).await?;
    audit::append(
        &mut tx,
        &s.audit_key,
        &Origin::of(actor, source_ip),
        now,
        &AuditEvent::new(
            "seal_application.filed",
            APPLICATION_AUDIT,
            Some(id.to_string()),
            json!({"seal_id": seal.seal_id, "document_title": title, "copies": copies, "head_id": head.0,
                   "leader_id": leader.0, "outgoing_id": n.outgoing_id.map(|o| o.0)}),
        ),
    )
    .await?;
    search::touch(&mut tx, search::Domain::SealApplication, id.0, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// The outgoing document an application names: one the applicant may read, final and
/// unclassified. Missing and unreadable answer alike, naming the field, and write nothing.
async fn outgoing_to_seal(s: &Services, actor: &Actor, id: OutgoingId) -> ServiceResult<OutgoingRow> {
    let d = outgoing::readable(s, actor, id)
        .await?
        .ok_or_else(|| ServiceError::invalid("outgoing_id", "no such outgoing document that you may read"))?;
    let state = OutgoingState::parse(&d.state)
        .ok_or_else(|| ServiceError::Conflict(format!("unknown stored state `{}`", d.state)))?;
    rules::application::validate_outgoing(state, outgoing::classification(&d))?;
    Ok(d)
}

/// Outgoing documents the actor may name on an application: readable, final, unclassified.
pub async fn sealable_documents(s: &Services, actor: &Actor) -> ServiceResult<Vec<OutgoingRow>> {
    let rows = outgoing::list(s, actor, OutgoingBox::All, None).await?;
    Ok(rows
        .into_iter()
        .filter(|d| {
            OutgoingState::parse(&d.state)
                .is_some_and(|st| rules::application::validate_outgoing(st, outgoing::classification(d)).is_ok())
        })
        .collect())
}

pub async fn application(s: &Services, actor: &Actor, id: SealApplicationId) -> ServiceResult<ApplicationRow> {
    let a = store::get_application(&s.db, id).await?.ok_or(ServiceError::NotFound)?;
    // Not readable answers like missing: no existence leak.
    if !readable(actor, &a) {
        return Err(ServiceError::NotFound);
    }
    Ok(a)
}

/// Applications the actor made, must sign, or (as keeper) may stamp or has stamped.
pub async fn my_applications(s: &Services, actor: &Actor) -> ServiceResult<Vec<ApplicationRow>> {
    if !actor.is_business_user() {
        return Err(ServiceError::Forbidden);
    }
    let me = actor.acting_for.unwrap_or(actor.person_id);
    Ok(store::list_for_person(&s.db, me).await?)
}

/// One move on an application: sign, approve, stamp, reject or withdraw.
pub async fn act(
    s: &Services,
    actor: &Actor,
    id: SealApplicationId,
    action: ApplicationAction,
    source_ip: &str,
) -> ServiceResult<ApplicationState> {
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let decided = decide_in(&mut tx, actor, id, action, now).await?;
    apply_decided(&mut tx, actor, &decided, now).await?;
    let detail = audit_detail(&decided);
    append_audit(&mut tx, s, actor, source_ip, &decided, detail, now).await?;
    tx.commit().await?;
    Ok(decided.next)
}

/// A move that the rules allowed, with what it was made on.
pub(super) struct Decided {
    pub a: ApplicationRow,
    pub facts: ApplicationFacts,
    pub action: ApplicationAction,
    pub next: ApplicationState,
    pub event: ApplicationEvent,
}

/// What the rules need to know about an application.
pub(super) fn facts(a: &ApplicationRow) -> ApplicationFacts {
    ApplicationFacts {
        state: ApplicationState::parse(&a.state),
        applicant: PersonId(a.applicant_id),
        head: PersonId(a.head_id),
        leader: PersonId(a.leader_id),
        keeper: PersonId(a.keeper_id),
        seal: SealState::parse(&a.seal_state),
        copies: a.copies,
    }
}

/// Loads the application inside the transaction and asks the rules about `action`.
pub(super) async fn decide_in(
    tx: &mut Tx,
    actor: &Actor,
    id: SealApplicationId,
    action: ApplicationAction,
    now: Timestamp,
) -> ServiceResult<Decided> {
    let a = store::get_application_tx(tx, id).await?.ok_or(ServiceError::NotFound)?;
    if !readable(actor, &a) {
        return Err(ServiceError::NotFound);
    }
    let facts = facts(&a);
    let (next, event) = rules::decide(&facts, actor, action.clone(), now)?;
    Ok(Decided { a, facts, action, next, event })
}

/// Writes an allowed move: the state, the keeper's log on stamping, and the inbox tasks.
pub(super) async fn apply_decided(tx: &mut Tx, actor: &Actor, d: &Decided, now: Timestamp) -> ServiceResult<()> {
    let (a, facts, next, id) = (&d.a, &d.facts, d.next, SealApplicationId(d.a.application_id));
    let task_title = format!("{}：{}", a.seal_name, a.document_title);
    let me = actor.person_id;
    match &d.action {
        ApplicationAction::HeadSign | ApplicationAction::LeaderApprove => {
            store::set_application_state(tx, id, next, me, None, now, a.version).await?;
            tasks::close_subject_tasks(tx, APPLICATION_DOMAIN, id.0, None, actor, next.code(), now).await?;
            let (kind, who) = if next == ApplicationState::HeadSigned {
                (TaskKind::Approve, facts.leader)
            } else {
                (TaskKind::Handle, facts.keeper)
            };
            tasks::open_task(tx, &step_task(id, &task_title, kind, who, me), now).await?;
        }
        ApplicationAction::Stamp { copies } => {
            store::set_application_state(tx, id, next, me, None, now, a.version).await?;
            store::insert_use(tx, a, me, *copies, now).await?;
            tasks::close_subject_tasks(tx, APPLICATION_DOMAIN, id.0, None, actor, next.code(), now).await?;
        }
        ApplicationAction::Reject { reason } => {
            store::set_application_state(tx, id, next, me, Some(reason.trim()), now, a.version).await?;
            tasks::close_subject_tasks(tx, APPLICATION_DOMAIN, id.0, None, actor, reason.trim(), now).await?;
        }
        ApplicationAction::Withdraw => {
            store::set_application_state(tx, id, next, me, None, now, a.version).await?;
            // The waiting signer did not act: their task is taken back, not done.
            for who in [facts.head, facts.leader, facts.keeper] {
                tasks::cancel_subject_tasks(tx, APPLICATION_DOMAIN, id.0, who, now).await?;
            }
        }
    }
    Ok(())
}

pub(super) fn audit_detail(d: &Decided) -> serde_json::Value {
    let mut detail = serde_json::to_value(&d.event).unwrap_or_default();
    detail["seal_id"] = json!(d.a.seal_id);
    detail
}

pub(super) async fn append_audit(
    tx: &mut Tx,
    s: &Services,
    actor: &Actor,
    source_ip: &str,
    d: &Decided,
    detail: serde_json::Value,
    now: Timestamp,
) -> ServiceResult<()> {
    audit::append(
        tx,
        &s.audit_key,
        &Origin::of(actor, source_ip),
        now,
        &AuditEvent::new(
            &format!("seal_application.{}", d.event.name()),
            APPLICATION_AUDIT,
            Some(d.a.application_id.to_string()),
            detail,
        ),
    )
    .await?;
    search::touch(tx, search::Domain::SealApplication, d.a.application_id, now).await?;
    Ok(())
}

/// The keeper's log (用印登记): a keeper sees the uses of the seals they keep; the office head
/// sees every seal's (R7.6, every use attributable).
pub async fn keeper_log(s: &Services, actor: &Actor, seal: Option<SealId>) -> ServiceResult<Vec<SealUseRow>> {
    if !allows(Some(actor), Capability::KeepSeal) {
        return Err(ServiceError::Forbidden);
    }
    let keeper = if actor.has_role(Role::OfficeHead) { None } else { Some(actor.person_id) };
    Ok(store::uses(&s.db, keeper, seal).await?)
}
