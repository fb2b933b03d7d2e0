//! Pages for leader-assigned tasks (领导交办事项): list, give, the task with its answer, and the
//! owner's and leader's actions. The API twin is in `api::leader_tasks`.

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::inbox::parse_local;
use crate::pages::render;
use crate::picker::{Before, PeoplePicker, PickQuery};
use crate::routes::Routes;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Redirect, Response};
use mishu_domain::leader_tasks::{LeaderTaskAction, LeaderTaskState};
use mishu_domain::org::Role;
use mishu_domain::tasks::Urgency;
use mishu_domain::{LeaderTaskId, PersonId};
use mishu_service::leader_tasks::{self, LeaderTaskRow, NewLeaderTask};
use mishu_service::org::{self, PersonRow};
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/leader-tasks", list)
        .get("/leader-tasks/new", new_page)
        .post("/leader-tasks", give)
        .get("/leader-tasks/{id}", show)
        .post("/leader-tasks/{id}/answer", answer)
        .post("/leader-tasks/{id}/return", return_)
        .post("/leader-tasks/{id}/close", close)
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    state: Option<String>,
}

#[derive(Template)]
#[template(path = "leader_tasks/list.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    items: Vec<LeaderTaskRow>,
    state: String,
    now: i64,
}

async fn list(State(st): State<AppState>, user: User, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let state = match q.state.as_deref() {
        None | Some("") => None,
        Some(s @ ("given" | "answered" | "closed")) => Some(LeaderTaskState::parse(s)),
        Some(_) => return Err(AppError::BadRequest { field: "state", message: "given, answered or closed".into() }),
    };
    let items = leader_tasks::list(&st.services, &user.actor, state).await?;
    let now = st.services.clock.now().0;
    Ok(render(&ListPage { ctx: &user.ctx, items, state: q.state.unwrap_or_default(), now }))
}

#[derive(Template)]
#[template(path = "leader_tasks/new.html")]
struct NewPage<'a> {
    ctx: &'a Ctx,
    leaders: Vec<PersonRow>,
    /// Who will own it: the department heads until a search.
    picker: PeoplePicker,
    i_am_leader: bool,
}

async fn new_page(State(st): State<AppState>, user: User, Query(q): Query<PickQuery>) -> AppResult<Response> {
    let leaders = org::active_with_role(&st.services, Role::Leader).await?;
    let picker = PeoplePicker::load(&st, "owner", false, &q, Before::Role(Role::DepartmentHead)).await?;
    let i_am_leader = user.actor.has_role(Role::Leader);
    Ok(render(&NewPage { ctx: &user.ctx, leaders, picker, i_am_leader }))
}

#[derive(Deserialize)]
pub struct GiveForm {
    title: String,
    #[serde(default)]
    body: String,
    /// Empty when the signed-in leader gives it.
    #[serde(default)]
    leader: String,
    owner: String,
    due: String,
    #[serde(default)]
    urgency: String,
}

fn person_field(field: &'static str, raw: &str) -> AppResult<PersonId> {
    raw.trim().parse::<PersonId>().map_err(|_| AppError::BadRequest { field, message: "choose a person".into() })
}

async fn give(State(st): State<AppState>, user: User, Form(f): Form<GiveForm>) -> AppResult<Redirect> {
    let leader_id = if f.leader.trim().is_empty() { user.actor.person_id } else { person_field("leader", &f.leader)? };
    let n = NewLeaderTask {
        title: f.title,
        body: f.body,
        leader_id,
        owner_id: person_field("owner", &f.owner)?,
        due_at: parse_local("due", &f.due, true)?,
        urgency: Urgency::parse(&f.urgency)
            .ok_or(AppError::BadRequest { field: "urgency", message: "normal, urgent or very_urgent".into() })?,
    };
    let id = leader_tasks::give(&st.services, &user.actor, n, &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/leader-tasks/{id}")))
}

#[derive(Template)]
#[template(path = "leader_tasks/show.html")]
struct ShowPage<'a> {
    ctx: &'a Ctx,
    t: LeaderTaskRow,
    is_owner: bool,
    is_giver_side: bool,
    ms_left: Option<i64>,
}

async fn show(State(st): State<AppState>, user: User, Path(id): Path<LeaderTaskId>) -> AppResult<Response> {
    let t = leader_tasks::get(&st.services, &user.actor, id).await?;
    let a = &user.actor;
    let is_owner = a.person_id.0 == t.owner_id || a.acting_for.map(|p| p.0) == Some(t.owner_id);
    let is_giver_side = a.person_id.0 == t.leader_id
        || a.acting_for.map(|p| p.0) == Some(t.leader_id)
        || a.has_role(Role::Secretary)
        || a.has_role(Role::OfficeHead);
    let ms_left = (t.state != "closed").then(|| t.due_at - st.services.clock.now().0);
    Ok(render(&ShowPage { ctx: &user.ctx, t, is_owner, is_giver_side, ms_left }))
}

#[derive(Deserialize)]
pub struct TextForm {
    #[serde(default)]
    text: String,
}

async fn act(st: &AppState, user: &User, id: LeaderTaskId, action: LeaderTaskAction) -> AppResult<Redirect> {
    leader_tasks::act(&st.services, &user.actor, id, action, &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/leader-tasks/{id}")))
}

async fn answer(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<LeaderTaskId>,
    Form(f): Form<TextForm>,
) -> AppResult<Redirect> {
    act(&st, &user, id, LeaderTaskAction::Answer { text: f.text }).await
}

async fn return_(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<LeaderTaskId>,
    Form(f): Form<TextForm>,
) -> AppResult<Redirect> {
    act(&st, &user, id, LeaderTaskAction::Return { reason: f.text }).await
}

async fn close(State(st): State<AppState>, user: User, Path(id): Path<LeaderTaskId>) -> AppResult<Redirect> {
    act(&st, &user, id, LeaderTaskAction::Close).await
}
