//! A meeting's logistics checklist (会务保障) and changes to its attendees over JSON: the
//! same service calls as the meeting page. Actions are POSTs on the object's path, like the
//! rest of the API (`…/state`, `…/remove`).

use crate::AppState;
use crate::api::ApiError;
use crate::ctx::User;
use crate::error::{AppError, AppResult};
use crate::routes::Routes;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use mishu_domain::meetings::logistics::ItemAction;
use mishu_domain::{LogisticsItemId, MeetingId, PersonId, Timestamp};
use mishu_service::ServiceError;
use mishu_service::meetings::{ItemInput, LogisticsRow, attendees, logistics, meeting};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/meetings/{id}/logistics", list)
        .post("/api/v1/meetings/{id}/logistics", add)
        .post("/api/v1/meetings/{id}/logistics/{item}", edit)
        .post("/api/v1/meetings/{id}/logistics/{item}/state", set_state)
        .post("/api/v1/meetings/{id}/attendees", add_attendee)
        .post("/api/v1/meetings/{id}/attendees/{person}/remove", remove_attendee)
}

/// An item of the logistics checklist.
#[derive(Serialize, ToSchema)]
pub struct LogisticsItemView {
    id: i64,
    meeting_id: i64,
    /// `meals`, `lodging`, `vehicles`, `name_cards`, `seating`, `materials`, `equipment` or `other`.
    kind: String,
    note: String,
    owner_id: Option<i64>,
    owner_name: Option<String>,
    /// RFC 3339, UTC.
    due_at: String,
    /// `open`, `done` or `not_needed`.
    state: String,
    /// An open item past its due time.
    overdue: bool,
    closed_by: Option<i64>,
    /// RFC 3339, UTC; when it was done or found not needed.
    closed_at: Option<String>,
}

fn view(r: LogisticsRow, now: Timestamp) -> LogisticsItemView {
    LogisticsItemView {
        overdue: r.state == "open" && now.0 > r.due_at,
        id: r.item_id,
        meeting_id: r.meeting_id,
        kind: r.kind,
        note: r.note,
        owner_id: r.owner_id,
        owner_name: r.owner_name,
        due_at: Timestamp(r.due_at).rfc3339(),
        state: r.state,
        closed_by: r.closed_by,
        closed_at: r.closed_at.map(|t| Timestamp(t).rfc3339()),
    }
}

async fn checklist(st: &AppState, user: &User, id: MeetingId) -> AppResult<Json<Vec<LogisticsItemView>>> {
    let now = st.services.clock.now();
    let rows = logistics::items(&st.services, &user.actor, id).await?;
    Ok(Json(rows.into_iter().map(|r| view(r, now)).collect()))
}

#[utoipa::path(get, path = "/api/v1/meetings/{id}/logistics", operation_id = "list_meeting_logistics", params(("id" = i64, Path)), responses((status = 200, body = [LogisticsItemView]), (status = 404, body = ApiError)))]
pub async fn list(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<MeetingId>,
) -> AppResult<Json<Vec<LogisticsItemView>>> {
    checklist(&st, &user, id).await
}

/// An item: its kind, what exactly, who owns it and by when.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemBody {
    /// `meals`, `lodging`, `vehicles`, `name_cards`, `seating`, `materials`, `equipment` or `other`.
    kind: String,
    /// What exactly (1–500 characters), e.g. "午餐 30 人，二食堂".
    note: String,
    /// The person who sees to it; the item is a task in their inbox until done.
    #[serde(default)]
    owner_id: Option<i64>,
    /// RFC 3339; the meeting's start when absent; not after the meeting's end.
    #[serde(default)]
    due_at: Option<String>,
}

impl ItemBody {
    fn input(self) -> AppResult<ItemInput> {
        let due_at = match self.due_at.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(d) => Some(
                chrono::DateTime::parse_from_rfc3339(d)
                    .map(|t| Timestamp(t.timestamp_millis()))
                    .map_err(|_| AppError::BadRequest { field: "due_at", message: "RFC 3339 expected".into() })?,
            ),
        };
        Ok(ItemInput { kind: self.kind, note: self.note, owner_id: self.owner_id.map(PersonId), due_at })
    }
}

#[utoipa::path(post, path = "/api/v1/meetings/{id}/logistics", params(("id" = i64, Path)), request_body = ItemBody, responses((status = 201, body = [LogisticsItemView]), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn add(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<MeetingId>,
    Json(b): Json<ItemBody>,
) -> AppResult<(StatusCode, Json<Vec<LogisticsItemView>>)> {
    logistics::add_item(&st.services, &user.actor, id, b.input()?, &user.ctx.source_ip).await?;
    Ok((StatusCode::CREATED, checklist(&st, &user, id).await?))
}

#[utoipa::path(post, path = "/api/v1/meetings/{id}/logistics/{item}", params(("id" = i64, Path), ("item" = i64, Path)), request_body = ItemBody, responses((status = 200, body = [LogisticsItemView]), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn edit(
    State(st): State<AppState>,
    user: User,
    Path((id, item)): Path<(MeetingId, LogisticsItemId)>,
    Json(b): Json<ItemBody>,
) -> AppResult<Json<Vec<LogisticsItemView>>> {
    logistics::edit_item(&st.services, &user.actor, id, item, b.input()?, &user.ctx.source_ip).await?;
    checklist(&st, &user, id).await
}

/// The state asked for.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StateBody {
    /// `done` (those who run the meeting, or the item's owner), `not_needed` or `open`
    /// (reopen; those who run the meeting).
    state: String,
}

#[utoipa::path(post, path = "/api/v1/meetings/{id}/logistics/{item}/state", params(("id" = i64, Path), ("item" = i64, Path)), request_body = StateBody, responses((status = 200, body = [LogisticsItemView]), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn set_state(
    State(st): State<AppState>,
    user: User,
    Path((id, item)): Path<(MeetingId, LogisticsItemId)>,
    Json(b): Json<StateBody>,
) -> AppResult<Json<Vec<LogisticsItemView>>> {
    let action = ItemAction::parse(&b.state).map_err(ServiceError::from)?;
    logistics::set_state(&st.services, &user.actor, id, item, action, &user.ctx.source_ip).await?;
    checklist(&st, &user, id).await
}

/// An attendee of a meeting, with their answer.
#[derive(Serialize, ToSchema)]
pub struct AttendeeView {
    person_id: i64,
    name: String,
    /// `pending`, `attend`, `absent` or `deputy`.
    rsvp: String,
    /// RFC 3339, UTC.
    checked_in_at: Option<String>,
}

async fn attendee_list(st: &AppState, user: &User, id: MeetingId) -> AppResult<Json<Vec<AttendeeView>>> {
    let v = meeting::get(&st.services, &user.actor, id).await?;
    Ok(Json(
        v.attendees
            .into_iter()
            .map(|a| AttendeeView {
                person_id: a.person_id,
                name: a.name,
                rsvp: a.rsvp,
                checked_in_at: a.checked_in_at.map(|t| Timestamp(t).rfc3339()),
            })
            .collect(),
    ))
}

/// The person to add.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendeeBody {
    person_id: i64,
}

#[utoipa::path(post, path = "/api/v1/meetings/{id}/attendees", params(("id" = i64, Path)), request_body = AttendeeBody, responses((status = 201, body = [AttendeeView]), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn add_attendee(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<MeetingId>,
    Json(b): Json<AttendeeBody>,
) -> AppResult<(StatusCode, Json<Vec<AttendeeView>>)> {
    attendees::add_attendee(&st.services, &user.actor, id, PersonId(b.person_id), &user.ctx.source_ip).await?;
    Ok((StatusCode::CREATED, attendee_list(&st, &user, id).await?))
}

#[utoipa::path(post, path = "/api/v1/meetings/{id}/attendees/{person}/remove", params(("id" = i64, Path), ("person" = i64, Path)), responses((status = 200, body = [AttendeeView]), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn remove_attendee(
    State(st): State<AppState>,
    user: User,
    Path((id, person)): Path<(MeetingId, PersonId)>,
) -> AppResult<Json<Vec<AttendeeView>>> {
    attendees::remove_attendee(&st.services, &user.actor, id, person, &user.ctx.source_ip).await?;
    attendee_list(&st, &user, id).await
}
