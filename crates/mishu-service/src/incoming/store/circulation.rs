//! SQL for circulation (传阅): who a document was sent to, with the state of each reader's
//! Read task on the spine (open = not yet, done = read, cancelled = recalled).

use crate::args;
use crate::db::{Db, DbResult, Tx};
use mishu_domain::{DepartmentId, IncomingId, PersonId, TaskId, Timestamp};
use serde::Serialize;

/// The domain of circulation tasks, apart from the route's own so closing one never closes the other.
pub const TASK_DOMAIN: &str = "incoming_circulation";

/// One reader of a circulation, as the sender sees it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CirculationRow {
    pub circulation_id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub department_name: Option<String>,
    pub must_read: bool,
    pub note: String,
    pub sent_by: i64,
    pub sent_by_name: String,
    pub sent_at: i64,
    /// The reader's task: `open` (not yet), `done` (read) or `cancelled` (recalled).
    pub task_state: String,
    pub read_at: Option<i64>,
}

#[allow(clippy::too_many_arguments)]
pub(in crate::incoming) async fn insert_circulation(
    tx: &mut Tx,
    id: IncomingId,
    person: PersonId,
    task: TaskId,
    must_read: bool,
    note: &str,
    by: PersonId,
    now: Timestamp,
) -> DbResult<i64> {
    tx.insert_returning_id(
        "INSERT INTO incoming_circulation (incoming_id, person_id, task_id, must_read, note, sent_by, sent_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING circulation_id",
        args![id, person, task, must_read, note, by, now],
    )
    .await
}

pub(in crate::incoming) async fn circulation(db: &Db, id: IncomingId) -> DbResult<Vec<CirculationRow>> {
    db.fetch_all(
        "SELECT c.circulation_id, c.person_id, p.name AS person_name, d.name AS department_name, c.must_read, c.note,
                c.sent_by, sp.name AS sent_by_name, c.sent_at, t.state AS task_state, t.done_at AS read_at
         FROM incoming_circulation c JOIN people p ON p.person_id = c.person_id
         LEFT JOIN departments d ON d.department_id = p.department_id
         JOIN people sp ON sp.person_id = c.sent_by JOIN tasks t ON t.task_id = c.task_id
         WHERE c.incoming_id = $1 ORDER BY c.circulation_id",
        args![id],
    )
    .await
}

/// Readers with an open circulation task on the document (the ones a recall withdraws).
pub(in crate::incoming) async fn unread(tx: &mut Tx, id: IncomingId) -> DbResult<Vec<(i64,)>> {
    tx.fetch_all(
        "SELECT DISTINCT c.person_id FROM incoming_circulation c JOIN tasks t ON t.task_id = c.task_id
         WHERE c.incoming_id = $1 AND t.state = 'open' ORDER BY c.person_id",
        args![id],
    )
    .await
}

/// Circulation readers not recalled: they may read the document, as the route may.
pub(in crate::incoming) async fn readers(db: &Db, ids: &[i64]) -> DbResult<Vec<(i64, i64)>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let marks: Vec<String> = (2..=ids.len() + 1).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT c.incoming_id, c.person_id FROM incoming_circulation c JOIN tasks t ON t.task_id = c.task_id
         WHERE t.state <> $1 AND c.incoming_id IN ({})",
        marks.join(", ")
    );
    let mut args = args!["cancelled"];
    args.extend(ids.iter().map(|i| crate::db::Arg::from(*i)));
    db.fetch_all(&sql, args).await
}

/// An active staff member's clearance; `None` for anyone else (inactive, an administrator, unknown).
pub(in crate::incoming) async fn staff_clearance(db: &Db, person: PersonId) -> DbResult<Option<String>> {
    let row: Option<(String,)> = db
        .fetch_optional(
            "SELECT clearance FROM people WHERE person_id = $1 AND active AND admin_kind IS NULL",
            args![person],
        )
        .await?;
    Ok(row.map(|r| r.0))
}

/// The active staff of a department (its own members, not its sections'), with their clearance.
pub(in crate::incoming) async fn department_staff(db: &Db, department: DepartmentId) -> DbResult<Vec<(i64, String)>> {
    db.fetch_all(
        "SELECT person_id, clearance FROM people WHERE department_id = $1 AND active AND admin_kind IS NULL
         ORDER BY sort_order, person_id",
        args![department],
    )
    .await
}
