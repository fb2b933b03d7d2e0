//! SQL for the seal-usage report (R7.6): the uses of a period with their applications as
//! stored, approved applications left unused, and the registry's suspend/resume history.

use crate::args;
use crate::db::{Db, DbResult};
use mishu_domain::Timestamp;
use serde::Serialize;

/// One use of the period. The application is joined loosely so that a use whose application
/// row is missing still shows (as not approved) instead of vanishing from the report.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ReportUseRow {
    pub use_id: i64,
    pub application_id: i64,
    pub seal_id: i64,
    pub seal_name: String,
    pub copies: i64,
    pub used_at: i64,
    pub keeper_name: String,
    pub document_title: String,
    pub application_state: Option<String>,
    pub head_signed_at: Option<i64>,
    pub leader_signed_at: Option<i64>,
    pub approved_copies: Option<i64>,
    pub department_name: Option<String>,
}

pub(in crate::seals) async fn uses_between(db: &Db, from: Timestamp, to: Timestamp) -> DbResult<Vec<ReportUseRow>> {
    db.fetch_all(
        "SELECT u.use_id, u.application_id, u.seal_id, s.name AS seal_name, u.copies, u.used_at,
         k.name AS keeper_name, u.document_title, a.state AS application_state, a.head_signed_at,
         a.leader_signed_at, a.copies AS approved_copies, d.name AS department_name
         FROM seal_uses u JOIN seals s ON s.seal_id = u.seal_id JOIN people k ON k.person_id = u.keeper_id
         LEFT JOIN seal_applications a ON a.application_id = u.application_id
         LEFT JOIN departments d ON d.department_id = a.department_id
         WHERE u.used_at >= $1 AND u.used_at <= $2 ORDER BY u.seal_id, u.used_at, u.use_id",
        args![from, to],
    )
    .await
}

/// An application approved and not yet used.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct WaitingRow {
    pub application_id: i64,
    pub seal_id: i64,
    pub seal_name: String,
    pub document_title: String,
    pub copies: i64,
    pub leader_signed_at: Option<i64>,
    pub department_name: String,
}

/// Applications approved on or before `before` and still waiting for the keeper.
pub(in crate::seals) async fn approved_before(db: &Db, before: Timestamp) -> DbResult<Vec<WaitingRow>> {
    db.fetch_all(
        "SELECT a.application_id, a.seal_id, s.name AS seal_name, a.document_title, a.copies, a.leader_signed_at,
         d.name AS department_name FROM seal_applications a JOIN seals s ON s.seal_id = a.seal_id
         JOIN departments d ON d.department_id = a.department_id
         WHERE a.state = 'approved' AND a.leader_signed_at <= $1 ORDER BY a.leader_signed_at, a.application_id",
        args![before],
    )
    .await
}

/// Every suspend (`true`) and resume of each seal, in the order the audit log holds them.
pub(in crate::seals) async fn suspension_events(db: &Db) -> DbResult<Vec<(i64, Timestamp, bool)>> {
    let rows: Vec<(Option<String>, String, i64)> = db
        .fetch_all(
            "SELECT subject_id, action, at FROM audit_log WHERE subject_type = $1
             AND action IN ('seal.suspended', 'seal.resumed') ORDER BY seq",
            args![super::super::DOMAIN],
        )
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, action, at)| Some((id?.parse().ok()?, Timestamp(at), action == "seal.suspended")))
        .collect())
}
