//! SQL for leader-assigned tasks.

use super::NewLeaderTask;
use crate::db::{Db, DbResult, Tx};
use crate::{ServiceError, ServiceResult, args};
use mishu_domain::leader_tasks::LeaderTaskState;
use mishu_domain::{LeaderTaskId, PersonId, Timestamp};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct LeaderTaskRow {
    pub leader_task_id: i64,
    pub title: String,
    pub body: String,
    pub leader_id: i64,
    pub leader_name: String,
    pub recorded_by: i64,
    pub owner_id: i64,
    pub owner_name: String,
    pub owner_department_id: Option<i64>,
    pub urgency: i64,
    pub due_at: i64,
    pub state: String,
    pub answer: Option<String>,
    pub answered_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub created_at: i64,
    pub version: i64,
}

const SELECT: &str =
    "SELECT t.leader_task_id, t.title, t.body, t.leader_id, l.name AS leader_name, t.recorded_by, t.owner_id,
    o.name AS owner_name, o.department_id AS owner_department_id, t.urgency, t.due_at, t.state, t.answer, t.answered_at,
    t.closed_at, t.created_at, t.version
    FROM leader_tasks t JOIN people l ON l.person_id = t.leader_id JOIN people o ON o.person_id = t.owner_id";

pub(super) async fn insert(
    tx: &mut Tx,
    title: &str,
    n: &NewLeaderTask,
    recorded_by: PersonId,
    now: Timestamp,
) -> DbResult<LeaderTaskId> {
    tx.insert_returning_id(
        "INSERT INTO leader_tasks (title, body, leader_id, recorded_by, owner_id, urgency, due_at, state, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'given', $8) RETURNING leader_task_id",
        args![title, n.body.trim(), n.leader_id, recorded_by, n.owner_id, n.urgency.rank(), n.due_at, now],
    )
    .await
    .map(LeaderTaskId)
}

pub(super) async fn get(db: &Db, id: LeaderTaskId) -> DbResult<Option<LeaderTaskRow>> {
    db.fetch_optional(&format!("{SELECT} WHERE t.leader_task_id = $1"), args![id]).await
}

pub(super) async fn get_tx(tx: &mut Tx, id: LeaderTaskId) -> DbResult<Option<LeaderTaskRow>> {
    tx.fetch_optional(&format!("{SELECT} WHERE t.leader_task_id = $1"), args![id]).await
}

pub(super) async fn list(db: &Db, state: Option<LeaderTaskState>) -> DbResult<Vec<LeaderTaskRow>> {
    match state {
        Some(st) => {
            db.fetch_all(
                &format!("{SELECT} WHERE t.state = $1 ORDER BY t.due_at, t.leader_task_id LIMIT 500"),
                args![st.code()],
            )
            .await
        }
        None => db.fetch_all(&format!("{SELECT} ORDER BY t.leader_task_id DESC LIMIT 500"), args![]).await,
    }
}

fn changed() -> ServiceError {
    ServiceError::Conflict("this task changed meanwhile; reload".into())
}

pub(super) async fn set_answer(
    tx: &mut Tx,
    id: LeaderTaskId,
    answer: &str,
    by: PersonId,
    now: Timestamp,
    version: i64,
) -> ServiceResult<()> {
    let n = tx
        .execute(
            "UPDATE leader_tasks SET state = 'answered', answer = $1, answered_by = $2, answered_at = $3, version = version + 1
             WHERE leader_task_id = $4 AND version = $5",
            args![answer, by, now, id, version],
        )
        .await?;
    if n == 0 { Err(changed()) } else { Ok(()) }
}

pub(super) async fn set_state(
    tx: &mut Tx,
    id: LeaderTaskId,
    state: LeaderTaskState,
    closed_at: Option<Timestamp>,
    version: i64,
) -> ServiceResult<()> {
    let n = tx
        .execute(
            "UPDATE leader_tasks SET state = $1, closed_at = $2, version = version + 1 WHERE leader_task_id = $3 AND version = $4",
            args![state.code(), closed_at, id, version],
        )
        .await?;
    if n == 0 { Err(changed()) } else { Ok(()) }
}

pub(super) async fn require_leader(db: &Db, id: PersonId) -> ServiceResult<()> {
    let row: Option<(i64,)> = db
        .fetch_optional("SELECT r.person_id FROM person_roles r JOIN people p ON p.person_id = r.person_id WHERE r.person_id = $1 AND r.role = 'leader' AND p.active", args![id])
        .await?;
    row.map(|_| ()).ok_or_else(|| ServiceError::invalid("leader_id", "not a leader"))
}

pub(super) async fn require_staff(db: &Db, id: PersonId) -> ServiceResult<()> {
    let row: Option<(i64,)> = db
        .fetch_optional(
            "SELECT person_id FROM people WHERE person_id = $1 AND active AND admin_kind IS NULL",
            args![id],
        )
        .await?;
    row.map(|_| ()).ok_or_else(|| ServiceError::invalid("owner_id", "no such active staff member"))
}
