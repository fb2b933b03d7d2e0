//! The organisation: the organ, nested departments, people and positions, roles, the
//! leaders' supervision (分管), clearance, and the three administrators.

pub mod cache;
mod departments;
pub mod import;
pub mod staff;
mod store;
mod tree;

use crate::audit::{self, Origin};
use crate::{ServiceError, ServiceResult, Services};
use mishu_domain::access::Actor;
use mishu_domain::audit::AuditEvent;
use mishu_domain::org::{AdminKind, Clearance, DepartmentName, LoginName, OrgError, PersonName, Role};
use mishu_domain::{DepartmentId, PersonId};
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;

pub use departments::{department, set_department_active};
pub use store::{DepartmentRow, PersonRow};
pub use tree::{TreeEntry, department_tree};

use departments::check_department;

#[derive(Debug, Clone, Serialize)]
pub struct Organ {
    pub name: String,
    pub short_name: String,
    pub higher_authority: String,
}

pub async fn organ(s: &Services) -> ServiceResult<Option<Organ>> {
    Ok(store::organ(&s.db).await?.map(|(name, short_name, higher_authority)| Organ {
        name,
        short_name,
        higher_authority,
    }))
}

pub async fn set_organ(s: &Services, origin: &Origin, organ: &Organ) -> ServiceResult<()> {
    if organ.name.trim().is_empty() {
        return Err(OrgError::Required { field: "name" }.into());
    }
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    store::upsert_organ(&mut tx, organ).await?;
    audit::append(
        &mut tx,
        &s.audit_key,
        origin,
        now,
        &AuditEvent::new("org.organ_set", "organ", None, json!({"name": organ.name})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A new department, validated.
#[derive(Debug, Clone)]
pub struct NewDepartment {
    pub name: DepartmentName,
    pub parent_id: Option<DepartmentId>,
    pub sort_order: i64,
}

pub async fn create_department(s: &Services, origin: &Origin, d: NewDepartment) -> ServiceResult<DepartmentId> {
    check_department(s, d.parent_id).await?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let id = store::insert_department(&mut tx, &d, now).await.map_err(|e| {
        if e.is_unique_violation() {
            ServiceError::Conflict(format!("department: `{}` already exists here", d.name.as_str()))
        } else {
            e.into()
        }
    })?;
    audit::append(
        &mut tx,
        &s.audit_key,
        origin,
        now,
        &AuditEvent::new(
            "org.department_created",
            "department",
            Some(id.to_string()),
            json!({"name": d.name.as_str(), "parent_id": d.parent_id}),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update_department(s: &Services, origin: &Origin, id: DepartmentId, d: NewDepartment) -> ServiceResult<()> {
    let all = store::departments(&s.db).await?;
    let Some(current) = all.iter().find(|x| x.department_id == id.0) else {
        return Err(ServiceError::NotFound);
    };
    if d.parent_id.map(|p| p.0) != current.parent_id {
        check_department(s, d.parent_id).await?;
    }
    // Walking up from the new parent must never reach this department.
    let mut cursor = d.parent_id;
    while let Some(p) = cursor {
        if p == id {
            return Err(OrgError::DepartmentCycle.into());
        }
        cursor = all.iter().find(|x| x.department_id == p.0).and_then(|x| x.parent_id.map(DepartmentId));
    }
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    store::update_department(&mut tx, id, &d).await?;
    audit::append(
        &mut tx,
        &s.audit_key,
        origin,
        now,
        &AuditEvent::new(
            "org.department_updated",
            "department",
            Some(id.to_string()),
            json!({"name": d.name.as_str(), "parent_id": d.parent_id}),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Every department, active or not, in the organ's order (the node's kept copy).
pub async fn departments(s: &Services) -> ServiceResult<Vec<DepartmentRow>> {
    Ok(s.org_cache.get(&s.db, ("departments", ""), || store::departments(&s.db)).await?)
}

/// A new person, validated. Administrators carry `admin` and no roles.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub login: LoginName,
    pub name: PersonName,
    pub department_id: Option<DepartmentId>,
    pub position: Option<String>,
    pub clearance: Clearance,
    pub admin: Option<AdminKind>,
    pub phone: String,
    pub sort_order: i64,
}

pub async fn create_person(
    s: &Services,
    origin: &Origin,
    p: NewPerson,
    roles: &[(Role, Option<DepartmentId>)],
) -> ServiceResult<PersonId> {
    if p.admin.is_some() && !roles.is_empty() {
        return Err(OrgError::AdminWithBusinessRole.into());
    }
    check_department(s, p.department_id).await?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let id = store::insert_person(&mut tx, &p, now).await.map_err(|e| {
        if e.is_unique_violation() {
            OrgError::LoginTaken(p.login.as_str().to_string()).into()
        } else {
            ServiceError::from(e)
        }
    })?;
    store::replace_roles(&mut tx, id, roles).await?;
    let role_codes: Vec<&str> = roles.iter().map(|(r, _)| r.code()).collect();
    audit::append(&mut tx, &s.audit_key, origin, now, &AuditEvent::new("org.person_created", "person", Some(id.to_string()), json!({"login": p.login.as_str(), "name": p.name.as_str(), "roles": role_codes, "clearance": p.clearance.code(), "admin": p.admin.map(|a| a.code())}))).await?;
    tx.commit().await?;
    Ok(id)
}

/// Replaces a person's roles and clearance (the security administrator's job); their sessions end.
pub async fn set_roles_and_clearance(
    s: &Services,
    origin: &Origin,
    id: PersonId,
    roles: &[(Role, Option<DepartmentId>)],
    clearance: Clearance,
) -> ServiceResult<()> {
    let person = store::person(&s.db, id).await?.ok_or(ServiceError::NotFound)?;
    if person.admin_kind.is_some() && !roles.is_empty() {
        return Err(OrgError::AdminWithBusinessRole.into());
    }
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    store::replace_roles(&mut tx, id, roles).await?;
    store::set_clearance(&mut tx, id, clearance).await?;
    store::end_sessions(&mut tx, id).await?;
    let role_codes: Vec<&str> = roles.iter().map(|(r, _)| r.code()).collect();
    audit::append(
        &mut tx,
        &s.audit_key,
        origin,
        now,
        &AuditEvent::new(
            "org.roles_set",
            "person",
            Some(id.to_string()),
            json!({"roles": role_codes, "clearance": clearance.code()}),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets which departments and areas a leader supervises (分管). Only leaders supervise;
/// repeated departments or areas are dropped rather than refused (ticking twice means once).
pub async fn set_supervision(
    s: &Services,
    origin: &Origin,
    leader: PersonId,
    departments: &[DepartmentId],
    areas: &[String],
) -> ServiceResult<()> {
    store::person(&s.db, leader).await?.ok_or(ServiceError::NotFound)?;
    if !store::roles(&s.db, leader).await?.iter().any(|(r, _)| *r == Role::Leader) {
        return Err(ServiceError::invalid("person", "only leaders supervise departments and areas"));
    }
    let (departments, areas) = departments::clean_supervision(s, departments, areas).await?;
    let (departments, areas) = (&departments[..], &areas[..]);
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    store::replace_supervision(&mut tx, leader, departments, areas).await?;
    audit::append(
        &mut tx,
        &s.audit_key,
        origin,
        now,
        &AuditEvent::new(
            "org.supervision_set",
            "person",
            Some(leader.to_string()),
            json!({"departments": departments, "areas": areas}),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn people(s: &Services, department: Option<DepartmentId>) -> ServiceResult<Vec<PersonRow>> {
    Ok(store::people(&s.db, department).await?)
}

/// Active people holding a role (e.g. the leaders, in the order of precedence), in one query.
pub async fn active_with_role(s: &Services, role: Role) -> ServiceResult<Vec<PersonRow>> {
    let code = role.code();
    Ok(s.org_cache.get(&s.db, ("active_with_role", code), || store::active_with_role(&s.db, code)).await?)
}

/// Most rows a picker shows at once: enough to choose from, few enough for a page.
pub const PICK_LIMIT: usize = 30;

/// The person picker's search: active staff by some text of their name, login or position,
/// and/or by department. `more` says there were further matches (narrow the search).
pub async fn pick(s: &Services, text: &str, department: Option<DepartmentId>) -> ServiceResult<(Vec<PersonRow>, bool)> {
    let text = text.trim();
    if text.chars().count() > 50 {
        return Err(ServiceError::invalid("who", "at most 50 characters"));
    }
    let mut rows = store::pick(&s.db, text, department, PICK_LIMIT as i64 + 1).await?;
    let more = rows.len() > PICK_LIMIT;
    rows.truncate(PICK_LIMIT);
    Ok((rows, more))
}

pub async fn person(s: &Services, id: PersonId) -> ServiceResult<PersonRow> {
    store::person(&s.db, id).await?.ok_or(ServiceError::NotFound)
}

pub async fn roles_of(s: &Services, id: PersonId) -> ServiceResult<Vec<(Role, Option<DepartmentId>)>> {
    Ok(store::roles(&s.db, id).await?)
}

/// Everyone's roles at once, by person (lists show them without a query per row).
pub async fn roles_by_person(s: &Services) -> ServiceResult<HashMap<PersonId, Vec<(Role, Option<DepartmentId>)>>> {
    let mut out: HashMap<PersonId, Vec<_>> = HashMap::new();
    for (p, r, d) in store::all_roles(&s.db).await? {
        if let Ok(role) = Role::parse(&r) {
            out.entry(PersonId(p)).or_default().push((role, d.map(DepartmentId)));
        }
    }
    Ok(out)
}

pub async fn supervision_of(s: &Services, id: PersonId) -> ServiceResult<(Vec<DepartmentId>, Vec<String>)> {
    Ok(store::supervision(&s.db, id).await?)
}

/// The leader who supervises a department, walking up the tree (a section is supervised
/// by whoever supervises the office it sits in).
pub async fn supervising_leader(s: &Services, department: DepartmentId) -> ServiceResult<Option<PersonId>> {
    let all = store::departments(&s.db).await?;
    let mut cursor = Some(department);
    while let Some(d) = cursor {
        if let Some(l) = store::leader_of(&s.db, d).await? {
            return Ok(Some(l));
        }
        cursor = all.iter().find(|x| x.department_id == d.0).and_then(|x| x.parent_id.map(DepartmentId));
    }
    Ok(None)
}

/// Enables or disables a person (disabled people cannot sign in; their sessions end).
pub async fn set_active(s: &Services, origin: &Origin, id: PersonId, active: bool) -> ServiceResult<()> {
    store::person(&s.db, id).await?.ok_or(ServiceError::NotFound)?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    store::set_active(&mut tx, id, active).await?;
    if !active {
        store::end_sessions(&mut tx, id).await?;
    }
    audit::append(
        &mut tx,
        &s.audit_key,
        origin,
        now,
        &AuditEvent::new(
            if active { "org.person_enabled" } else { "org.person_disabled" },
            "person",
            Some(id.to_string()),
            json!({}),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Builds the acting person for a request.
pub async fn load_actor(s: &Services, id: PersonId, acting_for: Option<PersonId>) -> ServiceResult<Actor> {
    let version = cache::version(&s.db).await?;
    load_actor_at(s, id, acting_for, version).await
}

/// The acting person as of `version`, the organisation version read with the request's
/// session: from the node's copy when nothing changed since, so a signed-in request costs
/// the session's one query and not two more (issue 7).
pub async fn load_actor_at(
    s: &Services,
    id: PersonId,
    acting_for: Option<PersonId>,
    version: i64,
) -> ServiceResult<Actor> {
    if let Some(a) = s.org_cache.actor(version, id, acting_for) {
        return Ok(a);
    }
    let a = read_actor(s, id, acting_for).await?;
    s.org_cache.keep_actor(version, id, acting_for, a.clone());
    Ok(a)
}

async fn read_actor(s: &Services, id: PersonId, acting_for: Option<PersonId>) -> ServiceResult<Actor> {
    let p = store::person(&s.db, id).await?.ok_or(ServiceError::NotFound)?;
    let admin = p.admin_kind.as_deref().map(AdminKind::parse).transpose()?;
    let mut roles = store::roles(&s.db, id).await?;
    // Acting for someone lends their roles for the tasks they delegated, never their clearance.
    if let Some(principal) = acting_for {
        for r in store::roles(&s.db, principal).await? {
            if !roles.contains(&r) {
                roles.push(r);
            }
        }
    }
    Ok(Actor {
        person_id: id,
        name: p.name,
        department_id: p.department_id.map(DepartmentId),
        roles,
        admin,
        clearance: Clearance::parse(&p.clearance)?,
        acting_for,
    })
}
