//! People as the security administrator sees them: their roles and clearance (which this page
//! changes, ending their sessions), lockout and second-factor state, and the reset of a lost
//! second factor.

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::pages::render;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Redirect, Response};
use mishu_domain::org::{Clearance, Role};
use mishu_domain::{DepartmentId, PersonId};
use mishu_service::audit::Origin;
use mishu_service::auth;
use mishu_service::org::{self, DepartmentRow, PersonRow};
use serde::Deserialize;
use std::collections::HashMap;

/// A person with their role codes, for the list.
pub struct PersonLine {
    pub p: PersonRow,
    pub roles: Vec<&'static str>,
    pub locked: bool,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    department: Option<String>,
}

#[derive(Template)]
#[template(path = "security/people.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    people: Vec<PersonLine>,
    departments: Vec<DepartmentRow>,
    department: i64,
}

pub async fn list(State(st): State<AppState>, user: User, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let s = &st.services;
    let department = match q.department.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(d) => Some(
            d.parse::<DepartmentId>()
                .map_err(|_| AppError::BadRequest { field: "department", message: "choose a department".into() })?,
        ),
    };
    let mut roles = org::roles_by_person(s).await?;
    let now = s.clock.now().0;
    let people = org::people(s, department)
        .await?
        .into_iter()
        .map(|p| {
            let roles =
                roles.remove(&PersonId(p.person_id)).unwrap_or_default().into_iter().map(|(r, _)| r.code()).collect();
            PersonLine { locked: p.locked_until.is_some_and(|t| t > now), roles, p }
        })
        .collect();
    let departments = org::departments(s).await?;
    Ok(render(&ListPage { ctx: &user.ctx, people, departments, department: department.map_or(0, |d| d.0) }))
}

/// One checkbox per business role.
pub struct RoleBox {
    pub code: &'static str,
    pub held: bool,
}

#[derive(Template)]
#[template(path = "security/person.html")]
struct EditPage<'a> {
    ctx: &'a Ctx,
    p: PersonRow,
    roles: Vec<RoleBox>,
    clearances: Vec<&'static str>,
    locked: bool,
}

pub async fn edit(State(st): State<AppState>, user: User, Path(id): Path<PersonId>) -> AppResult<Response> {
    let s = &st.services;
    let p = org::person(s, id).await?;
    let held = org::roles_of(s, id).await?;
    let roles =
        Role::ALL.into_iter().map(|r| RoleBox { code: r.code(), held: held.iter().any(|(h, _)| *h == r) }).collect();
    let locked = p.locked_until.is_some_and(|t| t > s.clock.now().0);
    Ok(render(&EditPage {
        ctx: &user.ctx,
        p,
        roles,
        clearances: Clearance::ALL.iter().map(|c| c.code()).collect(),
        locked,
    }))
}

/// Checkboxes are named `role_<code>`; `clearance` is one of the clearance codes.
pub async fn save(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<PersonId>,
    Form(f): Form<HashMap<String, String>>,
) -> AppResult<Redirect> {
    let s = &st.services;
    let clearance = Clearance::parse(f.get("clearance").map_or("", String::as_str))
        .map_err(|_| AppError::BadRequest { field: "clearance", message: "choose a clearance".into() })?;
    let person = org::person(s, id).await?;
    let held = org::roles_of(s, id).await?;
    // A role kept keeps its scope (a leader's is organ-wide); a new one is scoped to the person's department.
    let roles: Vec<(Role, Option<DepartmentId>)> = Role::ALL
        .into_iter()
        .filter(|r| f.contains_key(&format!("role_{}", r.code())))
        .map(|r| held.iter().find(|(h, _)| *h == r).copied().unwrap_or((r, person.department_id.map(DepartmentId))))
        .collect();
    org::set_roles_and_clearance(s, &Origin::of(&user.actor, &user.ctx.source_ip), id, &roles, clearance).await?;
    Ok(Redirect::to(&format!("/admin/security/people/{id}")))
}

pub async fn reset_totp(State(st): State<AppState>, user: User, Path(id): Path<PersonId>) -> AppResult<Redirect> {
    auth::totp::reset(&st.services, &Origin::of(&user.actor, &user.ctx.source_ip), id).await?;
    Ok(Redirect::to(&format!("/admin/security/people/{id}")))
}
