//! A booking's page: its facts and the approvals it waits for, the approve / reject /
//! cancel and change-time (改期) forms (the service decides who may), the reception notice when guests attend
//! (R5.6), and announcing the meeting held in it.

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
use mishu_domain::meetings::{BookingAction, Slot, approver_roles};
use mishu_domain::org::Role;
use mishu_domain::time::office_offset;
use mishu_domain::{BookingId, DepartmentId, PersonId, Timestamp};
use mishu_service::meetings::{
    BookingRow, MeetingRow, NewMeeting, ReceptionNotice, bookings, meeting, reception, rooms,
};
use mishu_service::org;
use serde::Deserialize;
use std::collections::HashMap;

pub fn routes(r: Routes) -> Routes {
    r.get("/rooms/bookings/{id}", show)
        .post("/rooms/bookings/{id}/approve", approve)
        .post("/rooms/bookings/{id}/reject", reject)
        .post("/rooms/bookings/{id}/cancel", cancel)
        .post("/rooms/bookings/{id}/move", move_booking)
        .post("/rooms/bookings/{id}/meeting", announce)
        .post("/rooms/bookings/{id}/reception", reception)
}

#[derive(Template)]
#[template(path = "meetings/booking.html")]
struct BookingPage<'a> {
    ctx: &'a Ctx,
    b: BookingRow,
    meeting: Option<MeetingRow>,
    /// Names of the people the reception notice mentions.
    names: HashMap<i64, String>,
    /// The announce form's pickers (chair, attendees), while a meeting can be announced.
    announce: Option<(PeoplePicker, PeoplePicker)>,
    reception: Option<ReceptionNotice>,
    /// The viewer gives one of the approvals still pending: the approve / reject forms show.
    can_decide: bool,
    /// The change-time form's start and end (`datetime-local`), while the booking can still move.
    movable: Option<(String, String)>,
}

impl BookingPage<'_> {
    fn name_of(&self, id: &i64) -> &str {
        self.names.get(id).map_or("", String::as_str)
    }
}

async fn show(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<BookingId>,
    Query(q): Query<PickQuery>,
) -> AppResult<Response> {
    if !user.actor.is_business_user() {
        return Err(AppError::NotFound);
    }
    let b = bookings::get(&st.services, id).await?;
    let meeting = meeting::of_booking(&st.services, id).await?;
    let reception = reception::notice(&st.services, &b).await?;
    let mut names = HashMap::new();
    let mentioned =
        reception.iter().flat_map(|r| r.open_with.iter().copied().chain(r.arranged.iter().filter_map(|t| t.done_by)));
    for p in mentioned.collect::<Vec<_>>() {
        names.insert(p, org::person(&st.services, PersonId(p)).await?.name);
    }
    let announce = if meeting.is_none() && matches!(b.state.as_str(), "requested" | "approved") {
        let chair = PeoplePicker::load(&st, "chair_id", false, &q, Before::Role(Role::Leader)).await?;
        Some((chair, PeoplePicker::load(&st, "attendee", true, &q, Before::Role(Role::Leader)).await?))
    } else {
        None
    };
    let section =
        rooms::rooms(&st.services).await?.into_iter().find(|r| r.room_id == b.room_id).and_then(|r| r.managed_by);
    let mine = approver_roles(&user.actor, section.map(DepartmentId));
    let can_decide = b.pending().iter().any(|p| mine.contains(p));
    let live = matches!(b.state.as_str(), "requested" | "approved") && st.services.clock.now().0 < b.starts_at;
    let movable = live.then(|| (input_time(b.starts_at), input_time(b.ends_at)));
    Ok(render(&BookingPage { ctx: &user.ctx, b, meeting, names, announce, reception, can_decide, movable }))
}

/// An instant as a `datetime-local` value in office time.
fn input_time(ms: i64) -> String {
    Timestamp(ms).to_datetime().with_timezone(&office_offset()).format("%Y-%m-%dT%H:%M").to_string()
}

#[derive(Deserialize, Default)]
struct ReasonForm {
    #[serde(default)]
    reason: String,
}

async fn act(st: &AppState, user: &User, id: BookingId, action: BookingAction) -> AppResult<Redirect> {
    bookings::act(&st.services, &user.actor, id, action, &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/rooms/bookings/{id}")))
}

async fn approve(State(st): State<AppState>, user: User, Path(id): Path<BookingId>) -> AppResult<Redirect> {
    act(&st, &user, id, BookingAction::Approve).await
}

async fn reject(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<BookingId>,
    Form(f): Form<ReasonForm>,
) -> AppResult<Redirect> {
    act(&st, &user, id, BookingAction::Reject { reason: f.reason }).await
}

async fn cancel(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<BookingId>,
    Form(f): Form<ReasonForm>,
) -> AppResult<Redirect> {
    act(&st, &user, id, BookingAction::Cancel { reason: f.reason }).await
}

#[derive(Deserialize, Default)]
struct MoveForm {
    #[serde(default)]
    starts_at: String,
    #[serde(default)]
    ends_at: String,
}

/// 改期: a new time in the same room.
async fn move_booking(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<BookingId>,
    Form(f): Form<MoveForm>,
) -> AppResult<Redirect> {
    let to =
        Slot { from: parse_local("starts_at", &f.starts_at, false)?, to: parse_local("ends_at", &f.ends_at, false)? };
    bookings::reschedule(&st.services, &user.actor, id, to, &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/rooms/bookings/{id}")))
}

#[derive(Deserialize, Default)]
struct ReceptionForm {
    #[serde(default)]
    arrangement: String,
}

/// Reception records how the guests are received (R5.6); the notice leaves every inbox.
async fn reception(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<BookingId>,
    Form(f): Form<ReceptionForm>,
) -> AppResult<Redirect> {
    reception::record_arrangement(&st.services, &user.actor, id, &f.arrangement, &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/rooms/bookings/{id}#reception")))
}

/// The announce form as pairs, so the attendee checkboxes may repeat.
async fn announce(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<BookingId>,
    Form(f): Form<Vec<(String, String)>>,
) -> AppResult<Redirect> {
    let one = |k: &str| f.iter().find(|(key, _)| key == k).map_or("", |(_, v)| v.trim());
    let bad = |field: &'static str| AppError::BadRequest { field, message: "choose from the list".into() };
    let chair: PersonId = one("chair_id").parse().map_err(|_| bad("chair_id"))?;
    let attendees = f
        .iter()
        .filter(|(k, v)| k == "attendee" && !v.trim().is_empty())
        .map(|(_, v)| v.trim().parse::<PersonId>().map_err(|_| bad("attendee")))
        .collect::<AppResult<Vec<_>>>()?;
    let new = NewMeeting {
        booking_id: id,
        chair_id: chair,
        content: one("content").to_string(),
        materials: one("materials").to_string(),
        attendees,
    };
    let m = meeting::create(&st.services, &user.actor, new, &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/meetings/{m}")))
}
