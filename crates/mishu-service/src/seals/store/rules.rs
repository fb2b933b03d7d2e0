//! SQL for departments' seal rules (R7.5).

use crate::args;
use crate::db::{Db, DbResult, Tx};
use mishu_domain::{DepartmentId, PersonId, Timestamp};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct RulesRow {
    pub rules_id: i64,
    pub department_id: i64,
    pub department_name: String,
    pub text: String,
    pub state: String,
    pub filed_by: i64,
    pub filed_by_name: String,
    pub filed_at: i64,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<i64>,
    pub return_reason: Option<String>,
}

const SELECT: &str = "SELECT r.rules_id, r.department_id, d.name AS department_name, r.text, r.state, r.filed_by,
    f.name AS filed_by_name, r.filed_at, x.name AS decided_by_name, r.decided_at, r.return_reason
    FROM seal_rules r JOIN departments d ON d.department_id = r.department_id
    JOIN people f ON f.person_id = r.filed_by LEFT JOIN people x ON x.person_id = r.decided_by";

pub(in crate::seals) async fn insert(
    tx: &mut Tx,
    department: DepartmentId,
    text: &str,
    by: PersonId,
    now: Timestamp,
) -> DbResult<i64> {
    tx.insert_returning_id(
        "INSERT INTO seal_rules (department_id, text, state, filed_by, filed_at) VALUES ($1, $2, 'filed', $3, $4)
         RETURNING rules_id",
        args![department, text, by, now],
    )
    .await
}

/// Moves every row of a department in `from` to 'superseded' (except `keep`).
pub(in crate::seals) async fn supersede(tx: &mut Tx, department: i64, from: &str, keep: i64) -> DbResult<u64> {
    tx.execute(
        "UPDATE seal_rules SET state = 'superseded' WHERE department_id = $1 AND state = $2 AND rules_id <> $3",
        args![department, from, keep],
    )
    .await
}

/// The office's decision, only if the row is still in `expected` (a concurrent decision loses).
pub(in crate::seals) async fn decide(
    tx: &mut Tx,
    id: i64,
    expected: &str,
    to: &str,
    by: PersonId,
    now: Timestamp,
    reason: Option<&str>,
) -> DbResult<u64> {
    tx.execute(
        "UPDATE seal_rules SET state = $1, decided_by = $2, decided_at = $3, return_reason = $4
         WHERE rules_id = $5 AND state = $6",
        args![to, by, now, reason.map(str::to_string), id, expected],
    )
    .await
}

pub(in crate::seals) async fn get(db: &Db, id: i64) -> DbResult<Option<RulesRow>> {
    db.fetch_optional(&format!("{SELECT} WHERE r.rules_id = $1"), args![id]).await
}

/// Every filing, newest first, of one department or of all.
pub(in crate::seals) async fn list(db: &Db, department: Option<DepartmentId>) -> DbResult<Vec<RulesRow>> {
    match department {
        Some(d) => {
            db.fetch_all(&format!("{SELECT} WHERE r.department_id = $1 ORDER BY r.rules_id DESC"), args![d]).await
        }
        None => {
            db.fetch_all(&format!("{SELECT} ORDER BY d.sort_order, d.department_id, r.rules_id DESC"), args![]).await
        }
    }
}
