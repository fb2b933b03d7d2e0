//! The organisation as a route needs it: department heads and leaders with their clearance.

use crate::args;
use crate::db::{Db, DbResult};
use mishu_domain::{DepartmentId, PersonId};
use serde::Serialize;

/// The active people who head a department, first by the organ's order.
pub(in crate::incoming) async fn department_heads(db: &Db, department: DepartmentId) -> DbResult<Vec<(i64, String)>> {
    db.fetch_all(
        "SELECT p.person_id, p.clearance FROM person_roles r JOIN people p ON p.person_id = r.person_id
         WHERE r.role = 'department_head' AND p.active AND p.admin_kind IS NULL
           AND (r.department_id = $1 OR (r.department_id IS NULL AND p.department_id = $1))
         ORDER BY p.sort_order, p.person_id",
        args![department],
    )
    .await
}

/// A department that can receive work, with the head who answers for it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DepartmentHeadRow {
    pub department_id: i64,
    pub department_name: String,
    pub head_id: i64,
    pub head_name: String,
}

/// Active departments with an active head, in the organ's order; the first head of each.
pub(in crate::incoming) async fn assignable(db: &Db) -> DbResult<Vec<DepartmentHeadRow>> {
    let rows: Vec<DepartmentHeadRow> = db
        .fetch_all(
            "SELECT d.department_id, d.name AS department_name, p.person_id AS head_id, p.name AS head_name
             FROM departments d
             JOIN person_roles r ON r.role = 'department_head'
             JOIN people p ON p.person_id = r.person_id AND p.active AND p.admin_kind IS NULL
               AND (r.department_id = d.department_id OR (r.department_id IS NULL AND p.department_id = d.department_id))
             WHERE d.active
             ORDER BY d.sort_order, d.department_id, p.sort_order, p.person_id",
            args![],
        )
        .await?;
    let mut out: Vec<DepartmentHeadRow> = Vec::new();
    for r in rows {
        if out.last().is_none_or(|l| l.department_id != r.department_id) {
            out.push(r);
        }
    }
    Ok(out)
}

/// An active leader's clearance, or `None` when the person is not an active leader.
pub(in crate::incoming) async fn leader_clearance(db: &Db, person: PersonId) -> DbResult<Option<String>> {
    let row: Option<(String,)> = db
        .fetch_optional(
            "SELECT p.clearance FROM person_roles r JOIN people p ON p.person_id = r.person_id
             WHERE r.person_id = $1 AND r.role = 'leader' AND p.active AND p.admin_kind IS NULL",
            args![person],
        )
        .await?;
    Ok(row.map(|r| r.0))
}
