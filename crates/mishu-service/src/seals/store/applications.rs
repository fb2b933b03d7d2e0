//! SQL for seal-use applications (用印申请) and the keeper's log (用印登记).

use super::changed;
use crate::db::{Db, DbResult, Tx};
use crate::{ServiceResult, args};
use mishu_domain::seals::ApplicationState;
use mishu_domain::{DepartmentId, OutgoingId, PersonId, SealApplicationId, SealId, Timestamp};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ApplicationRow {
    pub application_id: i64,
    pub seal_id: i64,
    pub seal_name: String,
    pub seal_state: String,
    pub keeper_id: i64,
    pub keeper_name: String,
    pub applicant_id: i64,
    pub applicant_name: String,
    pub department_id: i64,
    pub department_name: String,
    pub document_title: String,
    pub purpose: String,
    pub copies: i64,
    pub head_id: i64,
    pub head_name: String,
    pub leader_id: i64,
    pub leader_name: String,
    pub state: String,
    pub head_signed_at: Option<i64>,
    pub leader_signed_at: Option<i64>,
    pub reject_reason: Option<String>,
    pub ended_at: Option<i64>,
    pub created_at: i64,
    pub version: i64,
    /// The outgoing document (发文) to be sealed, when it is one from the system.
    pub outgoing_id: Option<i64>,
    pub outgoing_title: Option<String>,
    pub outgoing_number: Option<String>,
}

const SELECT: &str = "SELECT a.application_id, a.seal_id, s.name AS seal_name, s.state AS seal_state, s.keeper_id,
    k.name AS keeper_name, a.applicant_id, ap.name AS applicant_name, a.department_id, d.name AS department_name,
    a.document_title, a.purpose, a.copies, a.head_id, h.name AS head_name, a.leader_id, l.name AS leader_name, a.state,
    a.head_signed_at, a.leader_signed_at, a.reject_reason, a.ended_at, a.created_at, a.version, a.outgoing_id,
    o.title AS outgoing_title, o.doc_number AS outgoing_number
    FROM seal_applications a JOIN seals s ON s.seal_id = a.seal_id JOIN people k ON k.person_id = s.keeper_id
    JOIN people ap ON ap.person_id = a.applicant_id JOIN departments d ON d.department_id = a.department_id
    JOIN people h ON h.person_id = a.head_id JOIN people l ON l.person_id = a.leader_id
    LEFT JOIN outgoing_documents o ON o.outgoing_id = a.outgoing_id";

/// The application as filled in, with its signers already resolved.
pub(in crate::seals) struct NewApplicationRow<'a> {
    pub seal: SealId,
    pub applicant: PersonId,
    pub department: DepartmentId,
    pub document_title: &'a str,
    pub purpose: &'a str,
    pub copies: i64,
    pub head: PersonId,
    pub leader: PersonId,
    pub outgoing: Option<OutgoingId>,
}

pub(in crate::seals) async fn insert_application(
    tx: &mut Tx,
    n: &NewApplicationRow<'_>,
    now: Timestamp,
) -> DbResult<SealApplicationId> {
    tx.insert_returning_id(
        "INSERT INTO seal_applications (seal_id, applicant_id, department_id, document_title, purpose, copies, head_id,
         leader_id, state, created_at, outgoing_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'drafted', $9, $10) RETURNING application_id",
        args![
            n.seal,
            n.applicant,
            n.department,
            n.document_title,
            n.purpose,
            n.copies,
            n.head,
            n.leader,
            now,
            n.outgoing
        ],
    )
    .await
    .map(SealApplicationId)
}

pub(in crate::seals) async fn get_application(db: &Db, id: SealApplicationId) -> DbResult<Option<ApplicationRow>> {
    db.fetch_optional(&format!("{SELECT} WHERE a.application_id = $1"), args![id]).await
}

pub(in crate::seals) async fn get_application_tx(
    tx: &mut Tx,
    id: SealApplicationId,
) -> DbResult<Option<ApplicationRow>> {
    tx.fetch_optional(&format!("{SELECT} WHERE a.application_id = $1"), args![id]).await
}

/// Applications a person made or must sign, and those waiting for or done by them as keeper.
/// The keeper sees only approved applications (issue 6): nothing earlier reaches the seal.
pub(in crate::seals) async fn list_for_person(db: &Db, person: PersonId) -> DbResult<Vec<ApplicationRow>> {
    db.fetch_all(
        &format!(
            "{SELECT} WHERE a.applicant_id = $1 OR a.head_id = $1 OR a.leader_id = $1
             OR (s.keeper_id = $1 AND a.state IN ('approved', 'stamped'))
             ORDER BY a.application_id DESC LIMIT 500"
        ),
        args![person],
    )
    .await
}

/// Moves an application on; the signer's columns are filled for the signature states.
pub(in crate::seals) async fn set_application_state(
    tx: &mut Tx,
    id: SealApplicationId,
    next: ApplicationState,
    by: PersonId,
    reason: Option<&str>,
    now: Timestamp,
    version: i64,
) -> ServiceResult<()> {
    let sql = match next {
        ApplicationState::HeadSigned => {
            "UPDATE seal_applications SET state = $1, head_signed_by = $2, head_signed_at = $3, reject_reason = $4,
             version = version + 1 WHERE application_id = $5 AND version = $6"
        }
        ApplicationState::Approved => {
            "UPDATE seal_applications SET state = $1, leader_signed_by = $2, leader_signed_at = $3, reject_reason = $4,
             version = version + 1 WHERE application_id = $5 AND version = $6"
        }
        _ => {
            "UPDATE seal_applications SET state = $1, rejected_by = $2, ended_at = $3, reject_reason = $4,
             version = version + 1 WHERE application_id = $5 AND version = $6"
        }
    };
    let n = tx.execute(sql, args![next.code(), by, now, reason, id, version]).await?;
    if n == 0 { Err(changed()) } else { Ok(()) }
}

/// Ends every still-open application for a seal that is being decommissioned; returns their ids.
pub(in crate::seals) async fn end_open_of_seal(
    tx: &mut Tx,
    seal: SealId,
    by: PersonId,
    reason: &str,
    now: Timestamp,
) -> DbResult<Vec<i64>> {
    let ids: Vec<(i64,)> = tx
        .fetch_all(
            "SELECT application_id FROM seal_applications WHERE seal_id = $1
             AND state IN ('drafted', 'head_signed', 'approved') ORDER BY application_id",
            args![seal],
        )
        .await?;
    tx.execute(
        "UPDATE seal_applications SET state = 'rejected', rejected_by = $1, reject_reason = $2, ended_at = $3,
         version = version + 1 WHERE seal_id = $4 AND state IN ('drafted', 'head_signed', 'approved')",
        args![by, reason, now, seal],
    )
    .await?;
    Ok(ids.into_iter().map(|r| r.0).collect())
}

/// One entry of the keeper's log (用印登记).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SealUseRow {
    pub use_id: i64,
    pub application_id: i64,
    pub seal_id: i64,
    pub seal_name: String,
    pub keeper_id: i64,
    pub keeper_name: String,
    pub document_title: String,
    pub copies: i64,
    pub used_at: i64,
    pub department_name: String,
    pub applicant_name: String,
    pub head_name: String,
    pub leader_name: String,
}

pub(in crate::seals) async fn insert_use(
    tx: &mut Tx,
    a: &ApplicationRow,
    keeper: PersonId,
    copies: i64,
    now: Timestamp,
) -> DbResult<i64> {
    tx.insert_returning_id(
        "INSERT INTO seal_uses (application_id, seal_id, keeper_id, document_title, copies, used_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING use_id",
        args![a.application_id, a.seal_id, keeper, a.document_title.as_str(), copies, now],
    )
    .await
}

/// The log, newest first; limited to one keeper's seals when `keeper` is given.
pub(in crate::seals) async fn uses(
    db: &Db,
    keeper: Option<PersonId>,
    seal: Option<SealId>,
) -> DbResult<Vec<SealUseRow>> {
    db.fetch_all(
        "SELECT u.use_id, u.application_id, u.seal_id, s.name AS seal_name, u.keeper_id, k.name AS keeper_name,
         u.document_title, u.copies, u.used_at, d.name AS department_name, ap.name AS applicant_name,
         h.name AS head_name, l.name AS leader_name
         FROM seal_uses u JOIN seals s ON s.seal_id = u.seal_id JOIN people k ON k.person_id = u.keeper_id
         JOIN seal_applications a ON a.application_id = u.application_id
         JOIN departments d ON d.department_id = a.department_id JOIN people ap ON ap.person_id = a.applicant_id
         JOIN people h ON h.person_id = a.head_id JOIN people l ON l.person_id = a.leader_id
         WHERE ($1 IS NULL OR s.keeper_id = $1) AND ($2 IS NULL OR u.seal_id = $2)
         ORDER BY u.used_at DESC, u.use_id DESC LIMIT 1000",
        args![keeper, seal],
    )
    .await
}
