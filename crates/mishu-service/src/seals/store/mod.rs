//! SQL for the seal registry; applications and the keeper's log are in `applications`.

pub(super) mod applications;
pub(super) mod report;
pub(super) mod rules;

pub use applications::{ApplicationRow, SealUseRow};
pub(super) use applications::{
    end_open_of_seal, get_application, get_application_tx, insert_application, insert_use, list_for_person,
    set_application_state, uses,
};
pub use rules::RulesRow;

use crate::db::{Db, DbResult, Tx};
use crate::{ServiceError, ServiceResult, args};
use mishu_domain::seals::{SealState, ValidDecommission, ValidSeal};
use mishu_domain::{DepartmentId, PersonId, SealId, Timestamp};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SealRow {
    pub seal_id: i64,
    pub name: String,
    pub kind: String,
    pub diameter_mm: i64,
    pub issuer: String,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub keeper_id: i64,
    pub keeper_name: String,
    pub state: String,
    pub registered_at: i64,
    pub decommissioned_at: Option<i64>,
    pub decommission_reason: Option<String>,
    pub decommission_authority: Option<String>,
    pub disposal: Option<String>,
    pub suspended_at: Option<i64>,
    pub suspended_reason: Option<String>,
    pub version: i64,
}

impl SealRow {
    /// Diameter as printed on the registry: `4.0`, `3.8` (centimetres).
    pub fn diameter_cm(&self) -> String {
        format!("{}.{}", self.diameter_mm / 10, self.diameter_mm % 10)
    }
}

const SELECT: &str = "SELECT s.seal_id, s.name, s.kind, s.diameter_mm, s.issuer, s.department_id,
    d.name AS department_name, s.keeper_id, k.name AS keeper_name, s.state, s.registered_at, s.decommissioned_at,
    s.decommission_reason, s.decommission_authority, s.disposal, s.suspended_at, s.suspended_reason, s.version
    FROM seals s JOIN people k ON k.person_id = s.keeper_id LEFT JOIN departments d ON d.department_id = s.department_id";

pub(super) async fn insert(
    tx: &mut Tx,
    v: &ValidSeal,
    department: Option<DepartmentId>,
    keeper: PersonId,
    by: PersonId,
    now: Timestamp,
) -> DbResult<SealId> {
    tx.insert_returning_id(
        "INSERT INTO seals (name, kind, diameter_mm, issuer, department_id, keeper_id, state, registered_at, registered_by)
         VALUES ($1, $2, $3, $4, $5, $6, 'active', $7, $8) RETURNING seal_id",
        args![v.name.as_str(), v.kind.code(), v.diameter_mm, v.issuer.as_str(), department, keeper, now, by],
    )
    .await
    .map(SealId)
}

pub(super) async fn get(db: &Db, id: SealId) -> DbResult<Option<SealRow>> {
    db.fetch_optional(&format!("{SELECT} WHERE s.seal_id = $1"), args![id]).await
}

pub(super) async fn get_tx(tx: &mut Tx, id: SealId) -> DbResult<Option<SealRow>> {
    tx.fetch_optional(&format!("{SELECT} WHERE s.seal_id = $1"), args![id]).await
}

/// Active seals first, then the decommissioned ones kept for the record.
pub(super) async fn list(db: &Db) -> DbResult<Vec<SealRow>> {
    db.fetch_all(&format!("{SELECT} ORDER BY s.state, s.seal_id"), args![]).await
}

pub(super) async fn set_decommissioned(
    tx: &mut Tx,
    id: SealId,
    d: &ValidDecommission,
    by: PersonId,
    now: Timestamp,
    version: i64,
) -> ServiceResult<()> {
    let n = tx
        .execute(
            "UPDATE seals SET state = 'decommissioned', decommission_reason = $1, decommission_authority = $2,
             disposal = $3, decommissioned_by = $4, decommissioned_at = $5, version = version + 1
             WHERE seal_id = $6 AND version = $7 AND state = 'active'",
            args![d.reason.as_str(), d.authority.as_str(), d.disposal.code(), by, now, id, version],
        )
        .await?;
    if n == 0 { Err(changed()) } else { Ok(()) }
}

pub(super) async fn set_suspension(
    tx: &mut Tx,
    id: SealId,
    to: SealState,
    reason: Option<&str>,
    now: Timestamp,
    version: i64,
) -> ServiceResult<()> {
    let at = (to == SealState::Suspended).then_some(now);
    let n = tx
        .execute(
            "UPDATE seals SET state = $1, suspended_reason = $2, suspended_at = $3, version = version + 1
             WHERE seal_id = $4 AND version = $5 AND state <> 'decommissioned'",
            args![to.code(), reason, at, id, version],
        )
        .await?;
    if n == 0 { Err(changed()) } else { Ok(()) }
}

pub(super) fn changed() -> ServiceError {
    ServiceError::Conflict("this record changed meanwhile; reload".into())
}

/// An active staff member holding the seal keeper role (R7.2 names a person for each seal).
pub(super) async fn require_keeper(db: &Db, id: PersonId) -> ServiceResult<()> {
    let row: Option<(i64,)> = db
        .fetch_optional(
            "SELECT p.person_id FROM person_roles r JOIN people p ON p.person_id = r.person_id
             WHERE r.person_id = $1 AND r.role = 'seal_keeper' AND p.active AND p.admin_kind IS NULL",
            args![id],
        )
        .await?;
    row.map(|_| ()).ok_or_else(|| ServiceError::invalid("keeper_id", "not an active seal keeper"))
}

pub(super) async fn require_department(db: &Db, id: DepartmentId) -> ServiceResult<()> {
    let row: Option<(i64,)> = db
        .fetch_optional("SELECT department_id FROM departments WHERE department_id = $1 AND active", args![id])
        .await?;
    row.map(|_| ()).ok_or_else(|| ServiceError::invalid("department_id", "no such department"))
}

/// The first active head of a department, by the organ's order.
pub(super) async fn department_head(db: &Db, department: DepartmentId) -> DbResult<Option<PersonId>> {
    let row: Option<(i64,)> = db
        .fetch_optional(
            "SELECT p.person_id FROM person_roles r JOIN people p ON p.person_id = r.person_id
             WHERE r.role = 'department_head' AND p.active AND p.admin_kind IS NULL
               AND (r.department_id = $1 OR (r.department_id IS NULL AND p.department_id = $1))
             ORDER BY p.sort_order, p.person_id LIMIT 1",
            args![department],
        )
        .await?;
    Ok(row.map(|r| PersonId(r.0)))
}
