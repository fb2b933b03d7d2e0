//! Leader-assigned tasks over JSON: the same service calls as the pages.

use crate::AppState;
use crate::api::ApiError;
use crate::ctx::User;
use crate::error::{AppError, AppResult};
use crate::routes::Routes;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use mishu_domain::leader_tasks::{LeaderTaskAction, LeaderTaskState};
use mishu_domain::tasks::Urgency;
use mishu_domain::{LeaderTaskId, PersonId, Timestamp};
use mishu_service::leader_tasks::{self, LeaderTaskRow, NewLeaderTask};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/leader-tasks", list)
        .post("/api/v1/leader-tasks", give)
        .get("/api/v1/leader-tasks/{id}", get)
        .post("/api/v1/leader-tasks/{id}/answer", answer)
        .post("/api/v1/leader-tasks/{id}/return", return_)
        .post("/api/v1/leader-tasks/{id}/close", close)
}

/// A leader-assigned task (领导交办事项).
#[derive(Serialize, ToSchema)]
pub struct LeaderTaskView {
    id: i64,
    title: String,
    body: String,
    leader_id: i64,
    leader_name: String,
    owner_id: i64,
    owner_name: String,
    urgency: String,
    /// RFC 3339, UTC.
    due_at: String,
    /// `given`, `answered` or `closed`.
    state: String,
    answer: Option<String>,
}

impl From<LeaderTaskRow> for LeaderTaskView {
    fn from(t: LeaderTaskRow) -> Self {
        LeaderTaskView {
            id: t.leader_task_id,
            title: t.title,
            body: t.body,
            leader_id: t.leader_id,
            leader_name: t.leader_name,
            owner_id: t.owner_id,
            owner_name: t.owner_name,
            urgency: Urgency::from_rank(t.urgency).code().to_string(),
            due_at: Timestamp(t.due_at).rfc3339(),
            state: t.state,
            answer: t.answer,
        }
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// `given`, `answered` or `closed`; all when absent.
    state: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/leader-tasks", operation_id = "list_leader_tasks", params(ListQuery), responses((status = 200, body = [LeaderTaskView]), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 503, body = ApiError), (status = 507, body = ApiError)))]
pub async fn list(
    State(st): State<AppState>,
    user: User,
    Query(q): Query<ListQuery>,
) -> AppResult<Json<Vec<LeaderTaskView>>> {
    let state = match q.state.as_deref() {
        None | Some("") => None,
        Some(s @ ("given" | "answered" | "closed")) => Some(LeaderTaskState::parse(s)),
        Some(_) => return Err(AppError::BadRequest { field: "state", message: "given, answered or closed".into() }),
    };
    let items = leader_tasks::list(&st.services, &user.actor, state).await?;
    Ok(Json(items.into_iter().map(Into::into).collect()))
}

/// Give a task. `leader_id` defaults to the caller (who must then be a leader).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GiveRequest {
    title: String,
    #[serde(default)]
    body: String,
    leader_id: Option<i64>,
    owner_id: i64,
    /// RFC 3339.
    due_at: String,
    /// `normal` (default), `urgent`, `very_urgent`.
    urgency: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/leader-tasks", request_body = GiveRequest, responses((status = 201, body = LeaderTaskView), (status = 422, body = ApiError), (status = 403, body = ApiError), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 413, body = ApiError), (status = 415, body = ApiError), (status = 503, body = ApiError), (status = 507, body = ApiError)))]
pub async fn give(
    State(st): State<AppState>,
    user: User,
    Json(r): Json<GiveRequest>,
) -> AppResult<(StatusCode, Json<LeaderTaskView>)> {
    let due = chrono::DateTime::parse_from_rfc3339(&r.due_at)
        .map_err(|_| AppError::BadRequest { field: "due_at", message: "RFC 3339 expected".into() })?;
    let urgency = Urgency::parse(r.urgency.as_deref().unwrap_or(""))
        .ok_or(AppError::BadRequest { field: "urgency", message: "normal, urgent or very_urgent".into() })?;
    let n = NewLeaderTask {
        title: r.title,
        body: r.body,
        leader_id: r.leader_id.map_or(user.actor.person_id, PersonId),
        owner_id: PersonId(r.owner_id),
        due_at: Timestamp(due.timestamp_millis()),
        urgency,
    };
    let id = leader_tasks::give(&st.services, &user.actor, n, &user.ctx.source_ip).await?;
    let row = leader_tasks::get(&st.services, &user.actor, id).await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

#[utoipa::path(get, path = "/api/v1/leader-tasks/{id}", operation_id = "get_leader_task", params(("id" = i64, Path)), responses((status = 200, body = LeaderTaskView), (status = 404, body = ApiError), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 503, body = ApiError), (status = 507, body = ApiError)))]
pub async fn get(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<LeaderTaskId>,
) -> AppResult<Json<LeaderTaskView>> {
    Ok(Json(leader_tasks::get(&st.services, &user.actor, id).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TextRequest {
    /// The answer, or the reason for returning it.
    text: String,
}

async fn act(
    st: &AppState,
    user: &User,
    id: LeaderTaskId,
    action: LeaderTaskAction,
) -> AppResult<Json<LeaderTaskView>> {
    leader_tasks::act(&st.services, &user.actor, id, action, &user.ctx.source_ip).await?;
    Ok(Json(leader_tasks::get(&st.services, &user.actor, id).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/leader-tasks/{id}/answer", params(("id" = i64, Path)), request_body = TextRequest, responses((status = 200, body = LeaderTaskView), (status = 403, body = ApiError), (status = 409, body = ApiError), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 404, body = ApiError), (status = 413, body = ApiError), (status = 415, body = ApiError), (status = 422, body = ApiError), (status = 503, body = ApiError), (status = 507, body = ApiError)))]
pub async fn answer(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<LeaderTaskId>,
    Json(r): Json<TextRequest>,
) -> AppResult<Json<LeaderTaskView>> {
    act(&st, &user, id, LeaderTaskAction::Answer { text: r.text }).await
}

#[utoipa::path(post, path = "/api/v1/leader-tasks/{id}/return", params(("id" = i64, Path)), request_body = TextRequest, responses((status = 200, body = LeaderTaskView), (status = 409, body = ApiError), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 413, body = ApiError), (status = 415, body = ApiError), (status = 422, body = ApiError), (status = 503, body = ApiError), (status = 507, body = ApiError)))]
pub async fn return_(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<LeaderTaskId>,
    Json(r): Json<TextRequest>,
) -> AppResult<Json<LeaderTaskView>> {
    act(&st, &user, id, LeaderTaskAction::Return { reason: r.text }).await
}

#[utoipa::path(post, path = "/api/v1/leader-tasks/{id}/close", params(("id" = i64, Path)), responses((status = 200, body = LeaderTaskView), (status = 409, body = ApiError), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 413, body = ApiError), (status = 415, body = ApiError), (status = 422, body = ApiError), (status = 503, body = ApiError), (status = 507, body = ApiError)))]
pub async fn close(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<LeaderTaskId>,
) -> AppResult<Json<LeaderTaskView>> {
    act(&st, &user, id, LeaderTaskAction::Close).await
}
