//! Pages for seals (印章): the registry with its register form, one seal with its
//! decommission form (缴销), and the printable keeper's log (用印登记). Applications are in
//! `applications`, the usage report in `report`; the API twin is in `api::seals`.

mod applications;
mod esign;
mod report;
mod rules;

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::pages::render;
use crate::routes::Routes;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Redirect, Response};
use mishu_domain::org::Role;
use mishu_domain::seals::{SealInput, SealKind};
use mishu_domain::{DepartmentId, PersonId, SealId};
use mishu_service::org::{self, DepartmentRow, PersonRow};
use mishu_service::seals::esign::ElectronicSeal;
use mishu_service::seals::{self, NewSeal, SealRow, SealUseRow};
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    let r = r
        .get("/seals", list)
        .post("/seals", register)
        .get("/seals/log", log)
        .get("/seals/{id}", show)
        .post("/seals/{id}/decommission", decommission)
        .post("/seals/{id}/suspend", suspend)
        .post("/seals/{id}/resume", resume);
    rules::routes(report::routes(esign::routes(applications::routes(r))))
}

#[derive(Template)]
#[template(path = "seals/registry.html")]
struct RegistryPage<'a> {
    ctx: &'a Ctx,
    seals: Vec<SealRow>,
    kinds: Vec<&'static str>,
    keepers: Vec<PersonRow>,
    departments: Vec<DepartmentRow>,
}

async fn list(State(st): State<AppState>, user: User) -> AppResult<Response> {
    let seals = seals::list(&st.services, &user.actor).await?;
    let (mut keepers, mut departments) = (Vec::new(), Vec::new());
    if user.ctx.can("manage_seals") {
        let roles = org::roles_by_person(&st.services).await?;
        keepers = org::people(&st.services, None)
            .await?
            .into_iter()
            .filter(|p| {
                p.active
                    && roles.get(&PersonId(p.person_id)).is_some_and(|r| r.iter().any(|(r, _)| *r == Role::SealKeeper))
            })
            .collect();
        departments = org::departments(&st.services).await?;
    }
    let kinds = SealKind::ALL.iter().map(|k| k.code()).collect();
    Ok(render(&RegistryPage { ctx: &user.ctx, seals, kinds, keepers, departments }))
}

#[derive(Deserialize)]
pub struct RegisterForm {
    name: String,
    kind: String,
    #[serde(default)]
    diameter_mm: String,
    issuer: String,
    #[serde(default)]
    department: String,
    keeper: String,
}

async fn register(State(st): State<AppState>, user: User, Form(f): Form<RegisterForm>) -> AppResult<Redirect> {
    let department_id = match f.department.trim() {
        "" => None,
        d => Some(
            d.parse::<DepartmentId>()
                .map_err(|_| AppError::BadRequest { field: "department", message: "choose a department".into() })?,
        ),
    };
    let keeper_id = f
        .keeper
        .trim()
        .parse::<PersonId>()
        .map_err(|_| AppError::BadRequest { field: "keeper", message: "choose a keeper".into() })?;
    let input = SealInput { name: f.name, kind: f.kind, diameter_mm: f.diameter_mm, issuer: f.issuer };
    let id =
        seals::register(&st.services, &user.actor, NewSeal { input, department_id, keeper_id }, &user.ctx.source_ip)
            .await?;
    Ok(Redirect::to(&format!("/seals/{id}")))
}

#[derive(Template)]
#[template(path = "seals/seal.html")]
struct SealPage<'a> {
    ctx: &'a Ctx,
    s: SealRow,
    eseal: Option<ElectronicSeal>,
    /// A department seal's use rules in force (R7.5).
    rules: Option<seals::RulesRow>,
}

async fn show(State(st): State<AppState>, user: User, Path(id): Path<SealId>) -> AppResult<Response> {
    let (s, eseal) = seals::seal_with_eseal(&st.services, &user.actor, id).await?;
    let rules = match s.department_id {
        Some(d) => seals::department_rules::in_force(&st.services, DepartmentId(d)).await?,
        None => None,
    };
    Ok(render(&SealPage { ctx: &user.ctx, s, eseal, rules }))
}

#[derive(Deserialize)]
pub struct DecommissionForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    authority: String,
    #[serde(default)]
    disposal: String,
}

async fn decommission(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<SealId>,
    Form(f): Form<DecommissionForm>,
) -> AppResult<Redirect> {
    seals::decommission(&st.services, &user.actor, id, &f.reason, &f.authority, &f.disposal, &user.ctx.source_ip)
        .await?;
    Ok(Redirect::to(&format!("/seals/{id}")))
}

#[derive(Deserialize)]
pub struct SuspendForm {
    #[serde(default)]
    reason: String,
}

async fn suspend(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<SealId>,
    Form(f): Form<SuspendForm>,
) -> AppResult<Redirect> {
    seals::set_suspended(&st.services, &user.actor, id, true, &f.reason, &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/seals/{id}")))
}

async fn resume(State(st): State<AppState>, user: User, Path(id): Path<SealId>) -> AppResult<Redirect> {
    seals::set_suspended(&st.services, &user.actor, id, false, "", &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/seals/{id}")))
}

#[derive(Deserialize, Default)]
pub struct LogQuery {
    seal: Option<String>,
}

#[derive(Template)]
#[template(path = "seals/log.html")]
struct LogPage<'a> {
    ctx: &'a Ctx,
    uses: Vec<SealUseRow>,
    organ: String,
    printed_at: i64,
}

async fn log(State(st): State<AppState>, user: User, Query(q): Query<LogQuery>) -> AppResult<Response> {
    let seal = match q.seal.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => {
            Some(s.parse::<SealId>().map_err(|_| AppError::BadRequest { field: "seal", message: "a seal id".into() })?)
        }
    };
    let uses = seals::keeper_log(&st.services, &user.actor, seal).await?;
    let organ = org::organ(&st.services).await?.map(|o| o.name).unwrap_or_default();
    let printed_at = st.services.clock.now().0;
    Ok(render(&LogPage { ctx: &user.ctx, uses, organ, printed_at }))
}
