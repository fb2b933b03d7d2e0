//! The task spine in use: domains open tasks inside their own transactions; people see
//! them in one inbox; the reminder sweep chases and escalates; delegation lets one person
//! act for another for a bounded time; the working-day calendar sets deadlines.

mod calendar;
mod delegation;
mod inbox;
mod reminders;
mod store;

pub use calendar::{CalendarDay, add_working_days, calendar, set_day};
pub use delegation::{DelegationView, create_delegation, delegation_active, delegations_for, revoke_delegation};
pub use inbox::{COUNT_CAP, InboxCounts, InboxItem, InboxPage, inbox, inbox_counts, inbox_counts_upto, inbox_page};
pub use reminders::{SweepReport, run_reminder_sweep, run_reminder_sweep_now};
pub use store::TaskRow;

use crate::audit::{self, Origin};
use crate::db::{DbResult, Tx};
use crate::{ServiceError, ServiceResult, Services};
use mishu_domain::access::Actor;
use mishu_domain::audit::AuditEvent;
use mishu_domain::org::Clearance;
use mishu_domain::tasks::{self, TaskKind, TaskState, Urgency};
use mishu_domain::{PersonId, TaskId, Timestamp};
use serde_json::json;

/// What a domain asks of a person.
#[derive(Debug, Clone)]
pub struct NewTask {
    pub domain: &'static str,
    pub subject_id: i64,
    pub title: String,
    pub kind: TaskKind,
    pub assignee: PersonId,
    pub created_by: Option<PersonId>,
    pub classification: Clearance,
    pub urgency: Urgency,
    pub due_at: Option<Timestamp>,
}

/// Opens a task inside the caller's transaction.
pub async fn open_task(tx: &mut Tx, t: &NewTask, now: Timestamp) -> DbResult<TaskId> {
    store::insert(tx, t, now).await
}

/// Closes every open task of a subject (the domain's step is done), recording the outcome.
pub async fn close_subject_tasks(
    tx: &mut Tx,
    domain: &str,
    subject_id: i64,
    assignee: Option<PersonId>,
    actor: &Actor,
    outcome: &str,
    now: Timestamp,
) -> DbResult<u64> {
    store::close_for_subject(tx, domain, subject_id, assignee, actor.person_id, actor.acting_for, outcome, now).await
}

/// Gives every open task of a subject a new due date (the meeting moved): its reminders are
/// sent again for the new date.
pub async fn move_subject_due(tx: &mut Tx, domain: &str, subject_id: i64, due: Timestamp) -> DbResult<u64> {
    store::move_due(tx, domain, subject_id, due).await
}

/// Withdraws a person's open tasks of a subject without their acting (the step was taken
/// back or dropped): cancelled, so it leaves 待办 without landing in 已办.
pub async fn cancel_subject_tasks(
    tx: &mut Tx,
    domain: &str,
    subject_id: i64,
    assignee: PersonId,
    now: Timestamp,
) -> DbResult<u64> {
    store::cancel_for_subject(tx, domain, subject_id, Some(assignee), now).await
}

/// Withdraws every open task of a subject, whoever holds it (the subject itself was dropped).
pub async fn cancel_all_subject_tasks(tx: &mut Tx, domain: &str, subject_id: i64, now: Timestamp) -> DbResult<u64> {
    store::cancel_for_subject(tx, domain, subject_id, None, now).await
}

/// A notice to a person that asks nothing of them (e.g. that they no longer attend a
/// meeting), inside the caller's transaction; it shows among their notifications.
pub async fn notify(tx: &mut Tx, person: PersonId, kind: &str, message: &str, now: Timestamp) -> DbResult<()> {
    store::notify(tx, person, None, kind, message, now).await
}

pub async fn task(s: &Services, id: TaskId) -> ServiceResult<TaskRow> {
    store::get(&s.db, id).await?.ok_or(ServiceError::NotFound)
}

/// Completes a plain task from the inbox (reading, or a task whose domain needs no form).
pub async fn complete(s: &Services, actor: &Actor, id: TaskId, outcome: &str, source_ip: &str) -> ServiceResult<()> {
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let t = store::get_tx(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    let kind = TaskKind::parse(&t.kind).unwrap_or(TaskKind::Handle);
    tasks::complete(TaskState::parse(&t.state), kind, actor, PersonId(t.assignee_id), outcome)?;
    let n = store::mark_done(&mut tx, id, t.version, actor.person_id, actor.acting_for, outcome.trim(), now).await?;
    if n == 0 {
        return Err(ServiceError::Conflict("this task changed meanwhile; reload".into()));
    }
    audit::append(
        &mut tx,
        &s.audit_key,
        &Origin::of(actor, source_ip),
        now,
        &AuditEvent::new(
            "task.completed",
            "task",
            Some(id.to_string()),
            json!({"domain": t.domain, "subject_id": t.subject_id, "outcome": outcome.trim()}),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Manual chase (催办): a message to the owner, counted on the task.
pub async fn chase(s: &Services, actor: &Actor, id: TaskId, message: &str, source_ip: &str) -> ServiceResult<()> {
    if message.trim().is_empty() {
        return Err(tasks::TaskError::MessageRequired.into());
    }
    crate::multiline("message", message)?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let t = store::get_tx(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    if TaskState::parse(&t.state) != TaskState::Open {
        return Err(tasks::TaskError::AlreadyClosed.into());
    }
    store::record_chase(&mut tx, id, now).await?;
    store::notify(&mut tx, PersonId(t.assignee_id), Some(id), "chase", message.trim(), now).await?;
    audit::append(
        &mut tx,
        &s.audit_key,
        &Origin::of(actor, source_ip),
        now,
        &AuditEvent::new("task.chased", "task", Some(id.to_string()), json!({"message": message.trim()})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Open tasks of a subject (for a domain's detail page: who holds it now).
pub async fn tasks_of_subject(s: &Services, domain: &str, subject_id: i64) -> ServiceResult<Vec<TaskRow>> {
    Ok(store::for_subject(&s.db, domain, subject_id).await?)
}

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct Notification {
    pub notification_id: i64,
    pub task_id: Option<i64>,
    pub kind: String,
    pub message: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

pub async fn notifications(s: &Services, person: PersonId) -> ServiceResult<Vec<Notification>> {
    Ok(store::notifications(&s.db, person).await?)
}

pub async fn mark_notifications_read(s: &Services, person: PersonId) -> ServiceResult<()> {
    store::mark_notifications_read(&s.db, person, s.clock.now()).await?;
    Ok(())
}
