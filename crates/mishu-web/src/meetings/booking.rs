//! A booking's page: its facts and the approvals it waits for, the approve / reject /
//! cancel forms (the service decides who may), the reception notice when guests attend
//! (R5.6), and announcing the meeting held in it.

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::pages::render;
use crate::picker::{Before, PeoplePicker, PickQuery};
use crate::routes::Routes;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Redirect, Response};
use mishu_domain::meetings::BookingAction;
use mishu_domain::org::Role;
use mishu_domain::{BookingId, PersonId};
use mishu_service::meetings::{BookingRow, MeetingRow, NewMeeting, ReceptionNotice, bookings, meeting, reception};
use mishu_service::org;
use serde::Deserialize;
use std::collections::HashMap;

pub fn routes(r: Routes) -> Routes {
    r.get("/rooms/bookings/{id}", show)
        .post("/rooms/bookings/{id}/approve", approve)
        .post("/rooms/bookings/{id}/reject", reject)
        .post("/rooms/bookings/{id}/cancel", cancel)
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
    Ok(render(&BookingPage { ctx: &user.ctx, b, meeting, names, announce, reception }))
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
