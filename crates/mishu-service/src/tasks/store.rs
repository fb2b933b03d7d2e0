//! SQL for tasks and notifications.

use super::NewTask;
use crate::args;
use crate::db::{Db, DbResult, Tx};
use mishu_domain::{PersonId, TaskId, Timestamp};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TaskRow {
    pub task_id: i64,
    pub domain: String,
    pub subject_id: i64,
    pub title: String,
    pub kind: String,
    pub assignee_id: i64,
    pub created_by: Option<i64>,
    pub classification: String,
    pub urgency: i64,
    pub due_at: Option<i64>,
    pub state: String,
    pub outcome: Option<String>,
    pub created_at: i64,
    pub done_at: Option<i64>,
    pub done_by: Option<i64>,
    pub done_acting_for: Option<i64>,
    pub before_sent: bool,
    pub due_sent: bool,
    pub escalated_at: Option<i64>,
    pub escalated_to: Option<i64>,
    pub chase_count: i64,
    pub version: i64,
}

pub(super) const COLS: &str = "task_id, domain, subject_id, title, kind, assignee_id, created_by, classification, urgency, due_at, state, outcome, created_at, done_at, done_by, done_acting_for, before_sent, due_sent, escalated_at, escalated_to, chase_count, version";

pub(super) async fn insert(tx: &mut Tx, t: &NewTask, now: Timestamp) -> DbResult<TaskId> {
    tx.insert_returning_id(
        "INSERT INTO tasks (domain, subject_id, title, kind, assignee_id, created_by, classification, urgency, due_at, state, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', $10) RETURNING task_id",
        args![t.domain, t.subject_id, &t.title, t.kind.code(), t.assignee, t.created_by, t.classification.code(), t.urgency.rank(), t.due_at, now],
    )
    .await
    .map(TaskId)
}

pub(super) async fn get(db: &Db, id: TaskId) -> DbResult<Option<TaskRow>> {
    db.fetch_optional(&format!("SELECT {COLS} FROM tasks WHERE task_id = $1"), args![id]).await
}

pub(super) async fn get_tx(tx: &mut Tx, id: TaskId) -> DbResult<Option<TaskRow>> {
    tx.fetch_optional(&format!("SELECT {COLS} FROM tasks WHERE task_id = $1"), args![id]).await
}

pub(super) async fn for_subject(db: &Db, domain: &str, subject: i64) -> DbResult<Vec<TaskRow>> {
    db.fetch_all(
        &format!("SELECT {COLS} FROM tasks WHERE domain = $1 AND subject_id = $2 ORDER BY task_id"),
        args![domain, subject],
    )
    .await
}

/// Optimistic: succeeds only if nobody changed the task since it was read.
pub(super) async fn mark_done(
    tx: &mut Tx,
    id: TaskId,
    version: i64,
    by: PersonId,
    acting_for: Option<PersonId>,
    outcome: &str,
    now: Timestamp,
) -> DbResult<u64> {
    tx.execute(
        "UPDATE tasks SET state = 'done', outcome = $1, done_at = $2, done_by = $3, done_acting_for = $4, version = version + 1
         WHERE task_id = $5 AND version = $6 AND state = 'open'",
        args![outcome, now, by, acting_for, id, version],
    )
    .await
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn close_for_subject(
    tx: &mut Tx,
    domain: &str,
    subject: i64,
    assignee: Option<PersonId>,
    by: PersonId,
    acting_for: Option<PersonId>,
    outcome: &str,
    now: Timestamp,
) -> DbResult<u64> {
    tx.execute(
        "UPDATE tasks SET state = 'done', outcome = $1, done_at = $2, done_by = $3, done_acting_for = $4, version = version + 1
         WHERE domain = $5 AND subject_id = $6 AND state = 'open' AND ($7 IS NULL OR assignee_id = $7)",
        args![outcome, now, by, acting_for, domain, subject, assignee],
    )
    .await
}

pub(super) async fn cancel_for_subject(
    tx: &mut Tx,
    domain: &str,
    subject: i64,
    assignee: Option<PersonId>,
    now: Timestamp,
) -> DbResult<u64> {
    tx.execute(
        "UPDATE tasks SET state = 'cancelled', done_at = $1, version = version + 1
         WHERE domain = $2 AND subject_id = $3 AND ($4 IS NULL OR assignee_id = $4) AND state = 'open'",
        args![now, domain, subject, assignee],
    )
    .await
}

pub(super) async fn move_due(tx: &mut Tx, domain: &str, subject: i64, due: Timestamp) -> DbResult<u64> {
    tx.execute(
        "UPDATE tasks SET due_at = $1, before_sent = FALSE, due_sent = FALSE, version = version + 1
         WHERE domain = $2 AND subject_id = $3 AND state = 'open'",
        args![due, domain, subject],
    )
    .await
}

pub(super) async fn record_chase(tx: &mut Tx, id: TaskId, now: Timestamp) -> DbResult<()> {
    tx.execute(
        "UPDATE tasks SET chase_count = chase_count + 1, last_chased_at = $1, version = version + 1 WHERE task_id = $2",
        args![now, id],
    )
    .await
    .map(|_| ())
}

pub(super) async fn notify(
    tx: &mut Tx,
    person: PersonId,
    task: Option<TaskId>,
    kind: &str,
    message: &str,
    now: Timestamp,
) -> DbResult<()> {
    tx.execute(
        "INSERT INTO notifications (person_id, task_id, kind, message, created_at) VALUES ($1, $2, $3, $4, $5)",
        args![person, task, kind, message, now],
    )
    .await
    .map(|_| ())
}

pub(super) async fn notifications(db: &Db, person: PersonId) -> DbResult<Vec<super::Notification>> {
    db.fetch_all(
        "SELECT notification_id, task_id, kind, message, created_at, read_at FROM notifications WHERE person_id = $1 ORDER BY notification_id DESC LIMIT 100",
        args![person],
    )
    .await
}

pub(super) async fn mark_notifications_read(db: &Db, person: PersonId, now: Timestamp) -> DbResult<()> {
    db.execute("UPDATE notifications SET read_at = $1 WHERE person_id = $2 AND read_at IS NULL", args![now, person])
        .await
        .map(|_| ())
}
