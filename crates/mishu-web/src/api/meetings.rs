//! Rooms, bookings (with the items of equipment they hold, and 改期) and the weekly work
//! arrangement over JSON: the same service calls as the pages.

use crate::AppState;
use crate::api::ApiError;
use crate::api::equipment::BookedItemView;
use crate::ctx::User;
use crate::error::{AppError, AppResult};
use crate::routes::Routes;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use mishu_domain::meetings::arrangement::monday_of;
use mishu_domain::meetings::{BookingRequest, MeetingKind, Slot};
use mishu_domain::{BookingId, EquipmentId, RoomId, Timestamp};
use mishu_service::meetings::{BookingRow, RoomRow, bookings, rooms, week};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/rooms", list_rooms)
        .get("/api/v1/bookings", list_bookings)
        .post("/api/v1/bookings", request)
        .post("/api/v1/bookings/{id}/reschedule", reschedule)
        .get("/api/v1/arrangement", arrangement)
        .post("/api/v1/arrangement/publish", publish)
}

/// A meeting room.
#[derive(Serialize, ToSchema)]
pub struct RoomView {
    id: i64,
    name: String,
    location: String,
    capacity: i64,
    equipment: String,
    active: bool,
}

impl From<RoomRow> for RoomView {
    fn from(r: RoomRow) -> Self {
        RoomView {
            id: r.room_id,
            name: r.name,
            location: r.location,
            capacity: r.capacity,
            equipment: r.equipment,
            active: r.active,
        }
    }
}

/// A booking of a room; its slot is half-open [starts_at, ends_at).
#[derive(Serialize, ToSchema)]
pub struct BookingView {
    id: i64,
    room_id: i64,
    room_name: String,
    title: String,
    kind: String,
    chair: String,
    /// RFC 3339, UTC.
    starts_at: String,
    /// RFC 3339, UTC.
    ends_at: String,
    attendees: i64,
    /// Some equipment was asked for (R5.8).
    equipment: bool,
    /// The items of the register the booking holds.
    equipment_items: Vec<BookedItemView>,
    /// Visiting leaders or guests (R5.6); empty when none.
    guests: String,
    /// Requested after the weekly deadline (临时申请).
    ad_hoc: bool,
    /// `requested`, `approved`, `rejected` or `cancelled`.
    state: String,
    /// Approvals still outstanding: `office_head`, `section`.
    pending: Vec<String>,
}

impl From<BookingRow> for BookingView {
    fn from(b: BookingRow) -> Self {
        BookingView {
            pending: b.pending().iter().map(|p| p.code().to_string()).collect(),
            id: b.booking_id,
            room_id: b.room_id,
            room_name: b.room_name,
            title: b.title,
            kind: b.kind,
            chair: b.chair,
            starts_at: Timestamp(b.starts_at).rfc3339(),
            ends_at: Timestamp(b.ends_at).rfc3339(),
            attendees: b.attendees,
            equipment: b.equipment,
            equipment_items: b.items.into_iter().map(Into::into).collect(),
            guests: b.guests,
            ad_hoc: b.ad_hoc,
            state: b.state,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/rooms", responses((status = 200, body = [RoomView]), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 503, body = ApiError), (status = 507, body = ApiError)))]
pub async fn list_rooms(State(st): State<AppState>, _user: User) -> AppResult<Json<Vec<RoomView>>> {
    Ok(Json(rooms::rooms(&st.services).await?.into_iter().map(Into::into).collect()))
}

fn rfc3339(field: &'static str, raw: &str) -> AppResult<Timestamp> {
    chrono::DateTime::parse_from_rfc3339(raw.trim())
        .map(|d| Timestamp(d.timestamp_millis()))
        .map_err(|_| AppError::BadRequest { field, message: "RFC 3339 expected".into() })
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct BookingsQuery {
    /// RFC 3339; bookings starting at or after it.
    from: String,
    /// RFC 3339; bookings starting before it (at most 62 days after `from`).
    to: String,
}

#[utoipa::path(get, path = "/api/v1/bookings", params(BookingsQuery), responses((status = 200, body = [BookingView]), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 503, body = ApiError), (status = 507, body = ApiError)))]
pub async fn list_bookings(
    State(st): State<AppState>,
    _user: User,
    Query(q): Query<BookingsQuery>,
) -> AppResult<Json<Vec<BookingView>>> {
    let (from, to) = (rfc3339("from", &q.from)?, rfc3339("to", &q.to)?);
    if to <= from || to.0 - from.0 > 62 * 86_400_000 {
        return Err(AppError::BadRequest { field: "to", message: "after `from`, at most 62 days".into() });
    }
    Ok(Json(bookings::between(&st.services, from, to).await?.into_iter().map(Into::into).collect()))
}

/// A room request (R5.3): kind, chair, content, time and number of attendees.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookingRequestBody {
    room_id: i64,
    title: String,
    /// One of the permitted kinds (R5.1), e.g. `president_office`; `other` needs the office head.
    kind: String,
    chair: String,
    #[serde(default)]
    content: String,
    /// RFC 3339.
    starts_at: String,
    /// RFC 3339.
    ends_at: String,
    attendees: i64,
    /// Some equipment is needed (R5.8); implied when `equipment_ids` names any item.
    #[serde(default)]
    equipment: bool,
    /// The items of the register needed (`GET /api/v1/equipment`): the room's own fixed
    /// items or shared ones. Any item waits for the 行政科 head's consent.
    #[serde(default)]
    equipment_ids: Vec<i64>,
    /// Visiting leaders or guests from other units (R5.6): required for the kinds
    /// `higher_authority_report` and `sister_unit_exchange`; raises a reception notice.
    #[serde(default)]
    guests: String,
}

#[utoipa::path(post, path = "/api/v1/bookings", request_body = BookingRequestBody, responses((status = 201, body = BookingView), (status = 409, body = ApiError), (status = 422, body = ApiError), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 413, body = ApiError), (status = 415, body = ApiError), (status = 503, body = ApiError), (status = 507, body = ApiError)))]
pub async fn request(
    State(st): State<AppState>,
    user: User,
    Json(r): Json<BookingRequestBody>,
) -> AppResult<(StatusCode, Json<BookingView>)> {
    let kind =
        MeetingKind::parse(&r.kind).map_err(|e| AppError::BadRequest { field: "kind", message: e.to_string() })?;
    let slot = Slot { from: rfc3339("starts_at", &r.starts_at)?, to: rfc3339("ends_at", &r.ends_at)? };
    let req = BookingRequest {
        title: r.title,
        kind,
        chair: r.chair,
        content: r.content,
        slot,
        attendees: r.attendees,
        equipment: r.equipment || !r.equipment_ids.is_empty(),
        equipment_ids: r.equipment_ids.into_iter().map(EquipmentId).collect(),
        guests: r.guests,
    };
    let id = bookings::request(&st.services, &user.actor, RoomId(r.room_id), req, &user.ctx.source_ip).await?;
    Ok((StatusCode::CREATED, Json(bookings::get(&st.services, id).await?.into())))
}

/// A new time for a booking in its room (改期).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RescheduleBody {
    /// RFC 3339.
    starts_at: String,
    /// RFC 3339.
    ends_at: String,
}

/// Moves a booking to another time in its room, with its items: 409 when the room or an item
/// is taken then; a late new time waits for the office head again (R5.5).
#[utoipa::path(post, path = "/api/v1/bookings/{id}/reschedule", params(("id" = i64, Path, description = "The booking")), request_body = RescheduleBody, responses((status = 200, body = BookingView), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn reschedule(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<BookingId>,
    Json(r): Json<RescheduleBody>,
) -> AppResult<Json<BookingView>> {
    let to = Slot { from: rfc3339("starts_at", &r.starts_at)?, to: rfc3339("ends_at", &r.ends_at)? };
    bookings::reschedule(&st.services, &user.actor, id, to, &user.ctx.source_ip).await?;
    Ok(Json(bookings::get(&st.services, id).await?.into()))
}

/// One entry of the weekly work arrangement (R5.4).
#[derive(Serialize, ToSchema)]
pub struct ArrangementEntryView {
    /// `b<booking>`, `m<meeting>` or `a<activity>`: stable across versions.
    key: String,
    /// `booking`, `meeting` or `activity` (a leader's activity).
    source: String,
    meeting_id: Option<i64>,
    /// RFC 3339, UTC.
    starts_at: String,
    /// RFC 3339, UTC.
    ends_at: String,
    title: String,
    place: String,
    chair: String,
    attendees: String,
    /// The leaders on this entry (the by-leader view).
    leaders: Vec<String>,
}

/// One change a re-publication sent: before → after.
#[derive(Serialize, ToSchema)]
pub struct ArrangementChangeView {
    version: i64,
    /// `added`, `changed` or `cancelled`.
    kind: String,
    before: String,
    after: String,
}

/// A week's arrangement: the sheet as it stands (`version` null) or one published version.
#[derive(Serialize, ToSchema)]
pub struct ArrangementView {
    /// The Monday, YYYY-MM-DD.
    week: String,
    /// RFC 3339: the Friday cut-off the sheet is due by (R5.3).
    due_at: String,
    version: Option<i64>,
    /// The id of each published version, newest first.
    versions: Vec<i64>,
    entries: Vec<ArrangementEntryView>,
    changes: Vec<ArrangementChangeView>,
    /// Differences from the latest published version, not yet announced.
    pending: usize,
}

impl From<week::Week> for ArrangementView {
    fn from(w: week::Week) -> Self {
        ArrangementView {
            week: w.monday.to_string(),
            due_at: Timestamp(w.due_at).rfc3339(),
            version: w.version.map(|v| v.number),
            versions: w.versions.iter().map(|v| v.version_id).collect(),
            entries: w
                .entries
                .into_iter()
                .map(|e| ArrangementEntryView {
                    starts_at: Timestamp(e.starts_at).rfc3339(),
                    ends_at: Timestamp(e.ends_at).rfc3339(),
                    key: e.key,
                    source: e.source,
                    meeting_id: e.meeting_id,
                    title: e.title,
                    place: e.place,
                    chair: e.chair,
                    attendees: e.attendee_names,
                    leaders: e.leader_names,
                })
                .collect(),
            changes: w
                .changes
                .into_iter()
                .map(|c| ArrangementChangeView {
                    version: c.number,
                    kind: c.kind,
                    before: c.before_text,
                    after: c.after_text,
                })
                .collect(),
            pending: w.pending.len(),
        }
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ArrangementQuery {
    /// YYYY-MM-DD, any day of the week; this week when absent.
    #[serde(default)]
    week: Option<String>,
    /// A published version's id (from `versions`); the sheet as it stands when absent.
    #[serde(default)]
    version: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/arrangement", params(ArrangementQuery), responses((status = 200, body = ArrangementView), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 503, body = ApiError), (status = 507, body = ApiError)))]
pub async fn arrangement(
    State(st): State<AppState>,
    user: User,
    Query(q): Query<ArrangementQuery>,
) -> AppResult<Json<ArrangementView>> {
    if !user.actor.is_business_user() {
        return Err(AppError::NotFound);
    }
    let s = &st.services;
    let monday = match (q.version, q.week.as_deref()) {
        (Some(id), _) => week::version(s, id).await?.1,
        (None, Some(w)) => monday_of(crate::meetings::week_date(w)?),
        (None, None) => monday_of(s.clock.now().local_date()),
    };
    Ok(Json(week::week(s, monday, q.version).await?.into()))
}

/// Publish the week containing `week` (YYYY-MM-DD).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishBody {
    week: String,
}

#[utoipa::path(post, path = "/api/v1/arrangement/publish", request_body = PublishBody, responses((status = 201, body = ArrangementView), (status = 409, body = ApiError), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 413, body = ApiError), (status = 415, body = ApiError), (status = 503, body = ApiError), (status = 507, body = ApiError)))]
pub async fn publish(
    State(st): State<AppState>,
    user: User,
    Json(b): Json<PublishBody>,
) -> AppResult<(StatusCode, Json<ArrangementView>)> {
    let day = crate::meetings::week_date(&b.week)?;
    let labels = crate::i18n::FormLabels(user.ctx.locale);
    let p = week::publish(&st.services, &user.actor, day, &labels, &user.ctx.source_ip).await?;
    let w = week::week(&st.services, monday_of(day), Some(p.version_id)).await?;
    Ok((StatusCode::CREATED, Json(w.into())))
}
