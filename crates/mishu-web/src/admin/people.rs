//! People, as the system administrator keeps them: the list by department, creating and
//! editing, disabling and re-enabling, a temporary password shown once, and unlocking.
//! Roles and clearance are shown, not edited: they are the security administrator's.

use super::{DepartmentOption, department_options, optional_id, sort_order};
use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::AppResult;
use crate::pages::render;
use crate::routes::Routes;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Redirect, Response};
use mishu_domain::org::{Clearance, LoginName, PersonName, Role, parse_phone, parse_position};
use mishu_domain::{DepartmentId, PersonId};
use mishu_service::ServiceError;
use mishu_service::audit::Origin;
use mishu_service::org::staff::{self, PersonUpdate};
use mishu_service::org::{self, NewPerson, PersonRow};
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/admin/org/people", list)
        .get("/admin/org/people/new", new_page)
        .post("/admin/org/people", create)
        .get("/admin/org/people/{id}", show)
        .post("/admin/org/people/{id}", update)
        .post("/admin/org/people/{id}/disable", disable)
        .post("/admin/org/people/{id}/enable", enable)
        .post("/admin/org/people/{id}/password", reset_password)
        .post("/admin/org/people/{id}/unlock", unlock)
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    department: String,
}

#[derive(Template)]
#[template(path = "admin/org/people.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    /// Each person, and whether they are locked out now.
    people: Vec<(PersonRow, bool)>,
    options: Vec<DepartmentOption>,
    department: Option<i64>,
}

async fn list(State(st): State<AppState>, user: User, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let s = &st.services;
    let department: Option<DepartmentId> = optional_id("department", &q.department)?;
    let now = s.clock.now().0;
    let people = org::people(s, department)
        .await?
        .into_iter()
        .filter(|p| p.admin_kind.is_none())
        .map(|p| {
            let locked = p.locked_until.is_some_and(|t| t > now);
            (p, locked)
        })
        .collect();
    let options = department_options(&org::department_tree(s).await?);
    let department = department.map(|d| d.0);
    Ok(render(&ListPage { ctx: &user.ctx, people, options, department }))
}

#[derive(Template)]
#[template(path = "admin/org/person_new.html")]
struct NewPage<'a> {
    ctx: &'a Ctx,
    options: Vec<DepartmentOption>,
    f: FieldValues,
}

/// What the person form shows in its fields.
#[derive(Default)]
struct FieldValues {
    name: String,
    department: Option<i64>,
    position: String,
    phone: String,
    sort: String,
}

impl FieldValues {
    fn of(p: &PersonRow) -> Self {
        FieldValues {
            name: p.name.clone(),
            department: p.department_id,
            position: p.position.clone().unwrap_or_default(),
            phone: p.phone.clone(),
            sort: p.sort_order.to_string(),
        }
    }
}

async fn new_page(State(st): State<AppState>, user: User) -> AppResult<Response> {
    let options = department_options(&org::department_tree(&st.services).await?);
    let f = FieldValues { sort: "0".into(), ..FieldValues::default() };
    Ok(render(&NewPage { ctx: &user.ctx, options, f }))
}

/// The fields a person's form carries; `login` only when creating.
#[derive(Deserialize)]
pub struct PersonForm {
    #[serde(default)]
    login: String,
    name: String,
    #[serde(default)]
    department: String,
    #[serde(default)]
    position: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    sort: String,
}

impl PersonForm {
    fn update(&self) -> AppResult<PersonUpdate> {
        Ok(PersonUpdate {
            name: PersonName::parse(&self.name).map_err(ServiceError::from)?,
            department_id: optional_id("department", &self.department)?,
            position: parse_position(&self.position).map_err(ServiceError::from)?,
            phone: parse_phone(&self.phone).map_err(ServiceError::from)?,
            sort_order: sort_order(&self.sort)?,
        })
    }
}

/// New people hold no role and no clearance until the security administrator grants them.
async fn create(State(st): State<AppState>, user: User, Form(f): Form<PersonForm>) -> AppResult<Redirect> {
    let u = f.update()?;
    let p = NewPerson {
        login: LoginName::parse(&f.login).map_err(ServiceError::from)?,
        name: u.name,
        department_id: u.department_id,
        position: u.position,
        clearance: Clearance::None,
        admin: None,
        phone: u.phone,
        sort_order: u.sort_order,
    };
    let id = org::create_person(&st.services, &Origin::of(&user.actor, &user.ctx.source_ip), p, &[]).await?;
    Ok(Redirect::to(&format!("/admin/org/people/{id}")))
}

#[derive(Template)]
#[template(path = "admin/org/person.html")]
struct ShowPage<'a> {
    ctx: &'a Ctx,
    p: PersonRow,
    f: FieldValues,
    roles: Vec<&'static str>,
    options: Vec<DepartmentOption>,
    locked: bool,
    is_leader: bool,
    /// Every active department, and whether this leader supervises it.
    supervision: Vec<(DepartmentOption, bool)>,
    areas: String,
}

async fn show(State(st): State<AppState>, user: User, Path(id): Path<PersonId>) -> AppResult<Response> {
    let s = &st.services;
    let p = staff::member(s, id).await?;
    let roles = org::roles_of(s, id).await?;
    let is_leader = roles.iter().any(|(r, _)| *r == Role::Leader);
    let (supervised, areas) = org::supervision_of(s, id).await?;
    let tree = org::department_tree(s).await?;
    let options = department_options(&tree);
    let supervision = department_options(&tree)
        .into_iter()
        .map(|o| {
            let ticked = supervised.iter().any(|d| d.0 == o.id);
            (o, ticked)
        })
        .collect();
    let page = ShowPage {
        ctx: &user.ctx,
        locked: p.locked_until.is_some_and(|t| t > s.clock.now().0),
        f: FieldValues::of(&p),
        p,
        roles: roles.iter().map(|(r, _)| r.code()).collect(),
        options,
        is_leader,
        supervision,
        areas: areas.join("\n"),
    };
    Ok(render(&page))
}

async fn update(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<PersonId>,
    Form(f): Form<PersonForm>,
) -> AppResult<Redirect> {
    staff::update(&st.services, &Origin::of(&user.actor, &user.ctx.source_ip), id, f.update()?).await?;
    Ok(Redirect::to(&format!("/admin/org/people/{id}")))
}

async fn set_active(st: &AppState, user: &User, id: PersonId, active: bool) -> AppResult<Redirect> {
    staff::set_active(&st.services, &Origin::of(&user.actor, &user.ctx.source_ip), id, active).await?;
    Ok(Redirect::to(&format!("/admin/org/people/{id}")))
}

async fn disable(State(st): State<AppState>, user: User, Path(id): Path<PersonId>) -> AppResult<Redirect> {
    set_active(&st, &user, id, false).await
}

async fn enable(State(st): State<AppState>, user: User, Path(id): Path<PersonId>) -> AppResult<Redirect> {
    set_active(&st, &user, id, true).await
}

#[derive(Template)]
#[template(path = "admin/org/password.html")]
struct PasswordPage<'a> {
    ctx: &'a Ctx,
    p: PersonRow,
    password: String,
}

/// Answers with the page itself, not a redirect: the password exists only in this response
/// (which, like every page, is sent `Cache-Control: no-store`).
async fn reset_password(State(st): State<AppState>, user: User, Path(id): Path<PersonId>) -> AppResult<Response> {
    let s = &st.services;
    let password = staff::reset_password(s, &Origin::of(&user.actor, &user.ctx.source_ip), id).await?;
    let p = org::person(s, id).await?;
    Ok(render(&PasswordPage { ctx: &user.ctx, p, password }))
}

async fn unlock(State(st): State<AppState>, user: User, Path(id): Path<PersonId>) -> AppResult<Redirect> {
    staff::unlock(&st.services, &Origin::of(&user.actor, &user.ctx.source_ip), id).await?;
    Ok(Redirect::to(&format!("/admin/org/people/{id}")))
}
