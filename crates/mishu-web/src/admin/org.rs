//! The organ and its departments: the organ's names, the department tree, and creating,
//! renaming, moving, disabling and re-enabling departments.

use super::{DepartmentOption, department_options, optional_id, sort_order};
use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::AppResult;
use crate::pages::render;
use crate::routes::Routes;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Redirect, Response};
use mishu_domain::DepartmentId;
use mishu_domain::org::DepartmentName;
use mishu_service::audit::Origin;
use mishu_service::org::{self, DepartmentRow, NewDepartment, Organ, TreeEntry};
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/admin/org", index)
        .post("/admin/org/organ", set_organ)
        .post("/admin/org/departments", create)
        .get("/admin/org/departments/{id}", show)
        .post("/admin/org/departments/{id}", update)
        .post("/admin/org/departments/{id}/disable", disable)
        .post("/admin/org/departments/{id}/enable", enable)
}

#[derive(Template)]
#[template(path = "admin/org/index.html")]
struct IndexPage<'a> {
    ctx: &'a Ctx,
    organ: Organ,
    tree: Vec<TreeEntry>,
    options: Vec<DepartmentOption>,
}

async fn index(State(st): State<AppState>, user: User) -> AppResult<Response> {
    let s = &st.services;
    let organ = org::organ(s).await?.unwrap_or(Organ {
        name: String::new(),
        short_name: String::new(),
        higher_authority: String::new(),
    });
    let tree = org::department_tree(s).await?;
    let options = department_options(&tree);
    Ok(render(&IndexPage { ctx: &user.ctx, organ, tree, options }))
}

#[derive(Deserialize)]
pub struct OrganForm {
    name: String,
    #[serde(default)]
    short_name: String,
    #[serde(default)]
    higher_authority: String,
}

async fn set_organ(State(st): State<AppState>, user: User, Form(f): Form<OrganForm>) -> AppResult<Redirect> {
    let organ = Organ { name: f.name, short_name: f.short_name, higher_authority: f.higher_authority };
    org::set_organ(&st.services, &Origin::of(&user.actor, &user.ctx.source_ip), &organ).await?;
    Ok(Redirect::to("/admin/org"))
}

#[derive(Deserialize)]
pub struct DepartmentForm {
    name: String,
    #[serde(default)]
    parent: String,
    #[serde(default)]
    sort: String,
}

impl DepartmentForm {
    fn parse(&self) -> AppResult<NewDepartment> {
        Ok(NewDepartment {
            name: DepartmentName::parse(&self.name).map_err(mishu_service::ServiceError::from)?,
            parent_id: optional_id("parent", &self.parent)?,
            sort_order: sort_order(&self.sort)?,
        })
    }
}

async fn create(State(st): State<AppState>, user: User, Form(f): Form<DepartmentForm>) -> AppResult<Redirect> {
    let origin = Origin::of(&user.actor, &user.ctx.source_ip);
    org::create_department(&st.services, &origin, f.parse()?).await?;
    Ok(Redirect::to("/admin/org"))
}

#[derive(Template)]
#[template(path = "admin/org/department.html")]
struct DepartmentPage<'a> {
    ctx: &'a Ctx,
    d: DepartmentRow,
    path: String,
    /// Where it may move: anywhere except itself and below itself.
    options: Vec<DepartmentOption>,
    people: usize,
}

async fn show(State(st): State<AppState>, user: User, Path(id): Path<DepartmentId>) -> AppResult<Response> {
    let s = &st.services;
    let d = org::department(s, id).await?;
    let tree = org::department_tree(s).await?;
    let path = tree.iter().find(|e| e.department.department_id == id.0).map(|e| e.path.clone()).unwrap_or_default();
    let below = format!("{path}/");
    let options =
        department_options(&tree).into_iter().filter(|o| o.id != id.0 && !o.path.starts_with(&below)).collect();
    let people = org::people(s, Some(id)).await?.iter().filter(|p| p.active).count();
    Ok(render(&DepartmentPage { ctx: &user.ctx, d, path, options, people }))
}

async fn update(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<DepartmentId>,
    Form(f): Form<DepartmentForm>,
) -> AppResult<Redirect> {
    let origin = Origin::of(&user.actor, &user.ctx.source_ip);
    org::update_department(&st.services, &origin, id, f.parse()?).await?;
    Ok(Redirect::to(&format!("/admin/org/departments/{id}")))
}

async fn set_active(st: &AppState, user: &User, id: DepartmentId, active: bool) -> AppResult<Redirect> {
    let origin = Origin::of(&user.actor, &user.ctx.source_ip);
    org::set_department_active(&st.services, &origin, id, active).await?;
    Ok(Redirect::to(&format!("/admin/org/departments/{id}")))
}

async fn disable(State(st): State<AppState>, user: User, Path(id): Path<DepartmentId>) -> AppResult<Redirect> {
    set_active(&st, &user, id, false).await
}

async fn enable(State(st): State<AppState>, user: User, Path(id): Path<DepartmentId>) -> AppResult<Redirect> {
    set_active(&st, &user, id, true).await
}
