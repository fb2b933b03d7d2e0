//! Circulation (传阅) of a received document over JSON: who it went to and who has read it,
//! sending copies (to people and whole departments), marking one's own copy read, and recalling
//! unread copies; the same services as the document page's forms.

use crate::AppState;
use crate::ctx::User;
use crate::error::AppResult;
use crate::routes::Routes;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use mishu_domain::{DepartmentId, IncomingId, PersonId, Timestamp};
use mishu_service::incoming::{self, CirculationRow, Readers};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/incoming/{id}/circulation", list)
        .post("/api/v1/incoming/{id}/circulation", circulate)
        .post("/api/v1/incoming/{id}/circulation/read", read)
        .post("/api/v1/incoming/{id}/circulation/recall", recall)
}

/// One reader's copy.
#[derive(Serialize, ToSchema)]
pub struct CopyView {
    person_id: i64,
    person_name: String,
    department_name: Option<String>,
    must_read: bool,
    note: String,
    sent_by: i64,
    /// RFC 3339.
    sent_at: String,
    /// `open` (not yet read), `done` (read) or `cancelled` (recalled).
    state: String,
    /// RFC 3339, when read.
    read_at: Option<String>,
}

impl From<CirculationRow> for CopyView {
    fn from(c: CirculationRow) -> Self {
        CopyView {
            person_id: c.person_id,
            person_name: c.person_name,
            department_name: c.department_name,
            must_read: c.must_read,
            note: c.note,
            sent_by: c.sent_by,
            sent_at: Timestamp(c.sent_at).rfc3339(),
            state: c.task_state,
            read_at: c.read_at.map(|t| Timestamp(t).rfc3339()),
        }
    }
}

async fn copies(st: &AppState, user: &User, id: IncomingId) -> AppResult<Vec<CopyView>> {
    let v = incoming::get(&st.services, &user.actor, id, &user.ctx.source_ip).await?;
    Ok(v.circulation.into_iter().map(Into::into).collect())
}

#[utoipa::path(get, path = "/api/v1/incoming/{id}/circulation", operation_id = "list_circulation", params(("id" = i64, Path)), responses((status = 200, body = [CopyView])))]
pub async fn list(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<IncomingId>,
) -> AppResult<Json<Vec<CopyView>>> {
    Ok(Json(copies(&st, &user, id).await?))
}

/// Copies to send: people by id and whole departments (their cleared active members).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CirculateRequest {
    #[serde(default)]
    readers: Vec<i64>,
    #[serde(default)]
    departments: Vec<i64>,
    /// 必阅 (default true).
    #[serde(default = "yes")]
    must_read: bool,
    #[serde(default)]
    note: String,
}

fn yes() -> bool {
    true
}

/// What was sent, and the copies as they now stand.
#[derive(Serialize, ToSchema)]
pub struct CirculateResponse {
    sent: usize,
    /// Members of the chosen departments left out: their clearance is below the document's.
    not_cleared: usize,
    copies: Vec<CopyView>,
}

#[utoipa::path(post, path = "/api/v1/incoming/{id}/circulation", params(("id" = i64, Path)), request_body = CirculateRequest, responses((status = 200, body = CirculateResponse)))]
pub async fn circulate(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<IncomingId>,
    Json(r): Json<CirculateRequest>,
) -> AppResult<Json<CirculateResponse>> {
    let readers = Readers {
        people: r.readers.into_iter().map(PersonId).collect(),
        departments: r.departments.into_iter().map(DepartmentId).collect(),
    };
    let done =
        incoming::circulate(&st.services, &user.actor, id, &readers, r.must_read, &r.note, &user.ctx.source_ip).await?;
    Ok(Json(CirculateResponse {
        sent: done.sent,
        not_cleared: done.not_cleared,
        copies: copies(&st, &user, id).await?,
    }))
}

#[utoipa::path(post, path = "/api/v1/incoming/{id}/circulation/read", params(("id" = i64, Path)), responses((status = 204, description = "The caller's copy is marked read.")))]
pub async fn read(State(st): State<AppState>, user: User, Path(id): Path<IncomingId>) -> AppResult<StatusCode> {
    incoming::mark_circulation_read(&st.services, &user.actor, id, &user.ctx.source_ip).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// One reader's unread copy, or (without `reader`) every unread copy.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct RecallRequest {
    reader: Option<i64>,
}

/// How many unread copies were taken back.
#[derive(Serialize, ToSchema)]
pub struct RecallResponse {
    recalled: usize,
}

#[utoipa::path(post, path = "/api/v1/incoming/{id}/circulation/recall", params(("id" = i64, Path)), request_body = RecallRequest, responses((status = 200, body = RecallResponse)))]
pub async fn recall(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<IncomingId>,
    Json(r): Json<RecallRequest>,
) -> AppResult<Json<RecallResponse>> {
    let reader = r.reader.map(PersonId);
    let recalled = incoming::recall_circulation(&st.services, &user.actor, id, reader, &user.ctx.source_ip).await?;
    Ok(Json(RecallResponse { recalled }))
}
