//! SQL for the organisation.

use super::{NewDepartment, NewPerson, Organ};
use crate::args;
use crate::db::{Db, DbResult, Tx};
use mishu_domain::org::{Clearance, Role};
use mishu_domain::{DepartmentId, PersonId, Timestamp};
use serde::Serialize;

pub(super) async fn organ(db: &Db) -> DbResult<Option<(String, String, String)>> {
    db.fetch_optional("SELECT name, short_name, higher_authority FROM organ WHERE organ_id = 1", args![]).await
}

pub(super) async fn upsert_organ(tx: &mut Tx, o: &Organ) -> DbResult<()> {
    tx.execute(
        "INSERT INTO organ (organ_id, name, short_name, higher_authority) VALUES (1, $1, $2, $3)
         ON CONFLICT (organ_id) DO UPDATE SET name = excluded.name, short_name = excluded.short_name, higher_authority = excluded.higher_authority",
        args![o.name.trim(), o.short_name.trim(), o.higher_authority.trim()],
    )
    .await
    .map(|_| ())
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DepartmentRow {
    pub department_id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub sort_order: i64,
    pub active: bool,
}

pub(super) async fn insert_department(tx: &mut Tx, d: &NewDepartment, now: Timestamp) -> DbResult<DepartmentId> {
    tx.insert_returning_id(
        "INSERT INTO departments (parent_id, name, sort_order, created_at) VALUES ($1, $2, $3, $4) RETURNING department_id",
        args![d.parent_id, d.name.as_str(), d.sort_order, now],
    )
    .await
    .map(DepartmentId)
}

pub(super) async fn update_department(tx: &mut Tx, id: DepartmentId, d: &NewDepartment) -> DbResult<()> {
    tx.execute(
        "UPDATE departments SET parent_id = $1, name = $2, sort_order = $3 WHERE department_id = $4",
        args![d.parent_id, d.name.as_str(), d.sort_order, id],
    )
    .await
    .map(|_| ())
}

pub(super) async fn departments(db: &Db) -> DbResult<Vec<DepartmentRow>> {
    db.fetch_all(
        "SELECT department_id, parent_id, name, sort_order, active FROM departments ORDER BY sort_order, department_id",
        args![],
    )
    .await
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PersonRow {
    pub person_id: i64,
    pub login: String,
    pub name: String,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub position: Option<String>,
    pub clearance: String,
    pub admin_kind: Option<String>,
    pub phone: String,
    pub active: bool,
    pub locked_until: Option<i64>,
    pub has_totp: bool,
    pub has_password: bool,
    pub sort_order: i64,
}

const PERSON_SELECT: &str =
    "SELECT p.person_id, p.login, p.name, p.department_id, d.name AS department_name, p.position,
    p.clearance, p.admin_kind, p.phone, p.active, p.locked_until, (p.totp_secret IS NOT NULL) AS has_totp,
    (p.password_hash IS NOT NULL) AS has_password, p.sort_order
    FROM people p LEFT JOIN departments d ON d.department_id = p.department_id";

pub(super) async fn insert_person(tx: &mut Tx, p: &NewPerson, now: Timestamp) -> DbResult<PersonId> {
    tx.insert_returning_id(
        "INSERT INTO people (login, name, department_id, position, clearance, admin_kind, phone, sort_order, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING person_id",
        args![p.login.as_str(), p.name.as_str(), p.department_id, p.position.clone(), p.clearance.code(), p.admin.map(|a| a.code()), &p.phone, p.sort_order, now],
    )
    .await
    .map(PersonId)
}

/// Active, non-administrator people holding a role, in the organ's order.
pub(super) async fn active_with_role(db: &Db, role: &str) -> DbResult<Vec<PersonRow>> {
    db.fetch_all(
        &format!(
            "{PERSON_SELECT} WHERE p.active AND p.admin_kind IS NULL
             AND EXISTS (SELECT 1 FROM person_roles r WHERE r.person_id = p.person_id AND r.role = $1)
             ORDER BY p.sort_order, p.person_id"
        ),
        args![role],
    )
    .await
}

pub(super) async fn people(db: &Db, department: Option<DepartmentId>) -> DbResult<Vec<PersonRow>> {
    match department {
        Some(d) => {
            db.fetch_all(
                &format!("{PERSON_SELECT} WHERE p.department_id = $1 ORDER BY p.sort_order, p.person_id"),
                args![d],
            )
            .await
        }
        None => db.fetch_all(&format!("{PERSON_SELECT} ORDER BY p.sort_order, p.person_id"), args![]).await,
    }
}

/// The picker's matches: active staff whose name, login or position contains `text` (any, when
/// empty), within a department when given, in the organ's order; at most `limit` rows.
pub(super) async fn pick(
    db: &Db,
    text: &str,
    department: Option<DepartmentId>,
    limit: i64,
) -> DbResult<Vec<PersonRow>> {
    let mut sql = format!("{PERSON_SELECT} WHERE p.active AND p.admin_kind IS NULL");
    let mut args = args![];
    if !text.is_empty() {
        let escaped = text.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        args.push(format!("%{escaped}%").into());
        sql.push_str(
            " AND (lower(p.name) LIKE $1 ESCAPE '\\' OR lower(p.login) LIKE $1 ESCAPE '\\' OR lower(p.position) LIKE $1 ESCAPE '\\')",
        );
    }
    if let Some(d) = department {
        args.push(d.into());
        sql.push_str(&format!(" AND p.department_id = ${}", args.len()));
    }
    args.push(limit.into());
    sql.push_str(&format!(" ORDER BY p.sort_order, p.person_id LIMIT ${}", args.len()));
    db.fetch_all(&sql, args).await
}

pub(super) async fn person(db: &Db, id: PersonId) -> DbResult<Option<PersonRow>> {
    db.fetch_optional(&format!("{PERSON_SELECT} WHERE p.person_id = $1"), args![id]).await
}

pub(super) async fn replace_roles(tx: &mut Tx, id: PersonId, roles: &[(Role, Option<DepartmentId>)]) -> DbResult<()> {
    tx.execute("DELETE FROM person_roles WHERE person_id = $1", args![id]).await?;
    for (role, dept) in roles {
        tx.execute(
            "INSERT INTO person_roles (person_id, role, department_id) VALUES ($1, $2, $3)",
            args![id, role.code(), *dept],
        )
        .await?;
    }
    Ok(())
}

pub(super) async fn roles(db: &Db, id: PersonId) -> DbResult<Vec<(Role, Option<DepartmentId>)>> {
    let rows: Vec<(String, Option<i64>)> = db
        .fetch_all("SELECT role, department_id FROM person_roles WHERE person_id = $1 ORDER BY role", args![id])
        .await?;
    Ok(rows.into_iter().filter_map(|(r, d)| Role::parse(&r).ok().map(|r| (r, d.map(DepartmentId)))).collect())
}

/// Every role of every person, ordered by person: one query for a whole list page.
pub(super) async fn all_roles(db: &Db) -> DbResult<Vec<(i64, String, Option<i64>)>> {
    db.fetch_all("SELECT person_id, role, department_id FROM person_roles ORDER BY person_id, role", args![]).await
}

pub(super) async fn set_clearance(tx: &mut Tx, id: PersonId, c: Clearance) -> DbResult<()> {
    tx.execute("UPDATE people SET clearance = $1 WHERE person_id = $2", args![c.code(), id]).await.map(|_| ())
}

pub(super) async fn set_active(tx: &mut Tx, id: PersonId, active: bool) -> DbResult<()> {
    tx.execute("UPDATE people SET active = $1 WHERE person_id = $2", args![active, id]).await.map(|_| ())
}

pub(super) async fn end_sessions(tx: &mut Tx, id: PersonId) -> DbResult<()> {
    tx.execute("DELETE FROM sessions WHERE person_id = $1", args![id]).await.map(|_| ())
}

pub(super) async fn replace_supervision(
    tx: &mut Tx,
    leader: PersonId,
    departments: &[DepartmentId],
    areas: &[String],
) -> DbResult<()> {
    tx.execute("DELETE FROM supervisions WHERE person_id = $1", args![leader]).await?;
    tx.execute("DELETE FROM supervised_areas WHERE person_id = $1", args![leader]).await?;
    for d in departments {
        tx.execute("INSERT INTO supervisions (person_id, department_id) VALUES ($1, $2)", args![leader, *d]).await?;
    }
    for a in areas.iter().map(|a| a.trim()).filter(|a| !a.is_empty()) {
        tx.execute("INSERT INTO supervised_areas (person_id, area) VALUES ($1, $2)", args![leader, a]).await?;
    }
    Ok(())
}

pub(super) async fn supervision(db: &Db, leader: PersonId) -> DbResult<(Vec<DepartmentId>, Vec<String>)> {
    let ds: Vec<(i64,)> = db
        .fetch_all("SELECT department_id FROM supervisions WHERE person_id = $1 ORDER BY department_id", args![leader])
        .await?;
    let areas: Vec<(String,)> =
        db.fetch_all("SELECT area FROM supervised_areas WHERE person_id = $1 ORDER BY area", args![leader]).await?;
    Ok((ds.into_iter().map(|(d,)| DepartmentId(d)).collect(), areas.into_iter().map(|(a,)| a).collect()))
}

pub(super) async fn leader_of(db: &Db, department: DepartmentId) -> DbResult<Option<PersonId>> {
    let row: Option<(i64,)> = db
        .fetch_optional(
            "SELECT person_id FROM supervisions WHERE department_id = $1 ORDER BY person_id LIMIT 1",
            args![department],
        )
        .await?;
    Ok(row.map(|(p,)| PersonId(p)))
}

pub(super) async fn department(db: &Db, id: DepartmentId) -> DbResult<Option<DepartmentRow>> {
    db.fetch_optional(
        "SELECT department_id, parent_id, name, sort_order, active FROM departments WHERE department_id = $1",
        args![id],
    )
    .await
}

pub(super) async fn departments_tx(tx: &mut Tx) -> DbResult<Vec<DepartmentRow>> {
    tx.fetch_all(
        "SELECT department_id, parent_id, name, sort_order, active FROM departments ORDER BY sort_order, department_id",
        args![],
    )
    .await
}

pub(super) async fn set_department_active(tx: &mut Tx, id: DepartmentId, active: bool) -> DbResult<()> {
    tx.execute("UPDATE departments SET active = $1 WHERE department_id = $2", args![active, id]).await.map(|_| ())
}

/// Active people and active sub-departments still inside a department.
pub(super) async fn active_members(tx: &mut Tx, id: DepartmentId) -> DbResult<i64> {
    let people: Option<(i64,)> =
        tx.fetch_optional("SELECT COUNT(*) FROM people WHERE department_id = $1 AND active = TRUE", args![id]).await?;
    let subs: Option<(i64,)> =
        tx.fetch_optional("SELECT COUNT(*) FROM departments WHERE parent_id = $1 AND active = TRUE", args![id]).await?;
    Ok(people.map_or(0, |(n,)| n) + subs.map_or(0, |(n,)| n))
}

pub(super) async fn update_person(tx: &mut Tx, id: PersonId, p: &super::staff::PersonUpdate) -> DbResult<()> {
    tx.execute(
        "UPDATE people SET name = $1, department_id = $2, position = $3, phone = $4, sort_order = $5 WHERE person_id = $6",
        args![p.name.as_str(), p.department_id, p.position.clone(), &p.phone, p.sort_order, id],
    )
    .await
    .map(|_| ())
}

/// Every login in use (stored lower-case); imports check duplicates against them.
pub(super) async fn logins(db: &Db) -> DbResult<Vec<String>> {
    let rows: Vec<(String,)> = db.fetch_all("SELECT login FROM people", args![]).await?;
    Ok(rows.into_iter().map(|(l,)| l).collect())
}

pub(super) async fn logins_tx(tx: &mut Tx) -> DbResult<Vec<String>> {
    let rows: Vec<(String,)> = tx.fetch_all("SELECT login FROM people", args![]).await?;
    Ok(rows.into_iter().map(|(l,)| l).collect())
}
