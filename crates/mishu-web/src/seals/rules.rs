//! The departments' seal rules page (R7.5): a department head files the department's rules,
//! the office registers or returns them; the rules in force show on each department seal's page.

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::pages::render;
use crate::routes::Routes;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Redirect, Response};
use mishu_domain::DepartmentId;
use mishu_domain::seals::department_rules::RulesAction;
use mishu_service::seals::RulesRow;
use mishu_service::seals::department_rules as rules;
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/seals/rules", page)
        .post("/seals/rules", file)
        .post("/seals/rules/{id}/register", register)
        .post("/seals/rules/{id}/return", return_)
}

#[derive(Template)]
#[template(path = "seals/rules.html")]
struct RulesPage<'a> {
    ctx: &'a Ctx,
    rows: Vec<RulesRow>,
    /// The department the actor heads (the filing form), if any.
    my_department: Option<i64>,
    office: bool,
}

async fn page(State(st): State<AppState>, user: User) -> AppResult<Response> {
    let rows = rules::list(&st.services, &user.actor).await?;
    let my_department = rules::headed_department(&user.actor).map(|d| d.0);
    let office = user.ctx.can("manage_seals");
    Ok(render(&RulesPage { ctx: &user.ctx, rows, my_department, office }))
}

#[derive(Deserialize)]
struct FileForm {
    #[serde(default)]
    department: String,
    #[serde(default)]
    text: String,
}

async fn file(State(st): State<AppState>, user: User, Form(f): Form<FileForm>) -> AppResult<Redirect> {
    let department: DepartmentId = f
        .department
        .parse()
        .map_err(|_| AppError::BadRequest { field: "department", message: "choose a department".into() })?;
    rules::file(&st.services, &user.actor, department, &f.text, &user.ctx.source_ip).await?;
    Ok(Redirect::to("/seals/rules"))
}

async fn register(State(st): State<AppState>, user: User, Path(id): Path<i64>) -> AppResult<Redirect> {
    rules::decide_filing(&st.services, &user.actor, id, RulesAction::Register, &user.ctx.source_ip).await?;
    Ok(Redirect::to("/seals/rules"))
}

#[derive(Deserialize)]
struct ReturnForm {
    #[serde(default)]
    reason: String,
}

async fn return_(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<i64>,
    Form(f): Form<ReturnForm>,
) -> AppResult<Redirect> {
    let action = RulesAction::Return { reason: f.reason };
    rules::decide_filing(&st.services, &user.actor, id, action, &user.ctx.source_ip).await?;
    Ok(Redirect::to("/seals/rules"))
}
