//! Pages for rooms and meetings (办会): the rooms with a week grid of their bookings and the
//! booking form; a booking with its approvals (`booking`); a meeting with answers,
//! check-in, minutes and decisions (`meeting`), its logistics checklist and attendee
//! changes (`logistics`); the printable weekly arrangement; a
//! person's own calendar and its `.ics` feed (`calendar`).

mod arrangement;
mod arrangement_forms;
mod booking;
mod calendar;
mod logistics;
mod meeting;
mod register;

pub use arrangement_forms::week_date;

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::inbox::parse_local;
use crate::pages::render;
use crate::routes::Routes;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{Redirect, Response};
use chrono::{Datelike, Duration, NaiveDate};
use mishu_domain::meetings::{BookingRequest, MeetingKind, Slot};
use mishu_domain::{EquipmentId, RoomId, Timestamp};
use mishu_service::meetings::{BookingRow, EquipmentRow, RoomRow, bookings, equipment, rooms};
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    let r = r.get("/rooms", week_page).post("/rooms/bookings", request).get("/rooms/arrangement", arrangement::page);
    let r = arrangement_forms::routes(booking::routes(r));
    register::routes(calendar::routes(logistics::routes(meeting::routes(r))))
}

#[derive(Deserialize, Default)]
pub struct WeekQuery {
    #[serde(default)]
    pub(crate) week: String,
}

/// The Monday of the asked week (any date in it), or of this week.
pub fn monday_of(q: &WeekQuery, now: Timestamp) -> AppResult<NaiveDate> {
    let day = match q.week.trim() {
        "" => now.local_date(),
        w => mishu_domain::time::parse_date(w)
            .ok_or_else(|| AppError::BadRequest { field: "week", message: "expected YYYY-MM-DD".into() })?,
    };
    Ok(day - Duration::days(i64::from(day.weekday().num_days_from_monday())))
}

/// [Monday 00:00, next Monday 00:00) in office time.
pub fn week_bounds(monday: NaiveDate) -> (Timestamp, Timestamp) {
    let start = Timestamp::end_of_local_day(monday - Duration::days(1)).0 + 1;
    (Timestamp(start), Timestamp(start + 7 * 86_400_000))
}

pub struct DayRow {
    pub date: String,
    pub weekday: &'static str,
    /// One cell per room, in the rooms' order.
    pub cells: Vec<Vec<BookingRow>>,
}

#[derive(Template)]
#[template(path = "meetings/week.html")]
struct WeekPage<'a> {
    ctx: &'a Ctx,
    rooms: Vec<RoomRow>,
    days: Vec<DayRow>,
    monday: String,
    /// Links to the neighbouring weeks, within four weeks of this one (further via the date field).
    prev: Option<String>,
    next: Option<String>,
    kinds: Vec<&'static str>,
    /// The booking form's item checkboxes: every room's fixed items, then the shared ones.
    items: Vec<EquipmentRow>,
}

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

pub async fn days_of(st: &AppState, monday: NaiveDate, rooms: &[RoomRow]) -> AppResult<Vec<DayRow>> {
    let (from, to) = week_bounds(monday);
    let all = bookings::between(&st.services, from, to).await?;
    Ok((0..7)
        .map(|i| {
            let date = monday + Duration::days(i);
            let cells = rooms
                .iter()
                .map(|r| {
                    all.iter()
                        .filter(|b| b.room_id == r.room_id && Timestamp(b.starts_at).local_date() == date)
                        .filter(|b| b.state == "approved" || b.state == "requested")
                        .cloned()
                        .collect()
                })
                .collect();
            DayRow { date: date.format("%m-%d").to_string(), weekday: WEEKDAYS[i as usize], cells }
        })
        .collect())
}

async fn week_page(State(st): State<AppState>, user: User, Query(q): Query<WeekQuery>) -> AppResult<Response> {
    let now = st.services.clock.now();
    let monday = monday_of(&q, now)?;
    let this_monday = monday_of(&WeekQuery::default(), now)?;
    let rooms = rooms::rooms(&st.services).await?;
    let days = days_of(&st, monday, &rooms).await?;
    let items = equipment::list(&st.services).await?.into_iter().filter(|e| e.active).collect();
    let fmt = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let kinds = MeetingKind::ALL.iter().map(|k| k.code()).collect();
    let near = |d: NaiveDate| (d - this_monday).num_days().abs() <= 28;
    let (p, n) = (monday - Duration::days(7), monday + Duration::days(7));
    let (prev, next) = (Some(fmt(p)).filter(|_| near(p)), Some(fmt(n)).filter(|_| near(n)));
    Ok(render(&WeekPage { ctx: &user.ctx, rooms, days, monday: fmt(monday), prev, next, kinds, items }))
}

/// Every field optional here: the rules name the one that is missing or wrong.
#[derive(Deserialize, Default)]
pub struct BookingForm {
    #[serde(default)]
    pub(crate) room_id: String,
    #[serde(default)]
    pub(crate) title: String,
    #[serde(default)]
    pub(crate) kind: String,
    #[serde(default)]
    pub(crate) chair: String,
    #[serde(default)]
    pub(crate) content: String,
    #[serde(default)]
    pub(crate) starts_at: String,
    #[serde(default)]
    pub(crate) ends_at: String,
    #[serde(default)]
    pub(crate) attendees: String,
    #[serde(default)]
    pub(crate) equipment: String,
    /// Visiting leaders or guests (R5.6).
    #[serde(default)]
    pub(crate) guests: String,
    /// The items of the register ticked (`equipment_id`, repeated).
    #[serde(skip)]
    pub(crate) equipment_ids: Vec<String>,
}

impl BookingForm {
    /// The form as posted: pairs, so the item checkboxes may repeat.
    pub fn from_pairs(f: &[(String, String)]) -> BookingForm {
        let one = |k: &str| f.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()).unwrap_or_default();
        BookingForm {
            room_id: one("room_id"),
            title: one("title"),
            kind: one("kind"),
            chair: one("chair"),
            content: one("content"),
            starts_at: one("starts_at"),
            ends_at: one("ends_at"),
            attendees: one("attendees"),
            equipment: one("equipment"),
            guests: one("guests"),
            equipment_ids: f
                .iter()
                .filter(|(k, v)| k == "equipment_id" && !v.trim().is_empty())
                .map(|(_, v)| v.clone())
                .collect(),
        }
    }

    pub fn parse(&self) -> AppResult<(RoomId, BookingRequest)> {
        let bad = |field: &'static str, message: &str| AppError::BadRequest { field, message: message.into() };
        let room: RoomId = self.room_id.trim().parse().map_err(|_| bad("room_id", "choose a room"))?;
        let kind = MeetingKind::parse(&self.kind).map_err(|_| bad("kind", "choose a kind of meeting"))?;
        let from = parse_local("starts_at", &self.starts_at, false)?;
        let to = parse_local("ends_at", &self.ends_at, false)?;
        let attendees = self.attendees.trim().parse::<i64>().map_err(|_| bad("attendees", "a whole number"))?;
        let equipment_ids = self
            .equipment_ids
            .iter()
            .map(|v| v.trim().parse::<EquipmentId>().map_err(|_| bad("equipment", "choose from the list")))
            .collect::<AppResult<Vec<_>>>()?;
        let equipment = matches!(self.equipment.trim(), "on" | "true" | "1") || !equipment_ids.is_empty();
        let req = BookingRequest {
            title: self.title.clone(),
            kind,
            chair: self.chair.clone(),
            content: self.content.clone(),
            slot: Slot { from, to },
            attendees,
            equipment,
            equipment_ids,
            guests: self.guests.clone(),
        };
        Ok((room, req))
    }
}

async fn request(State(st): State<AppState>, user: User, Form(f): Form<Vec<(String, String)>>) -> AppResult<Redirect> {
    let (room, req) = BookingForm::from_pairs(&f).parse()?;
    let id = bookings::request(&st.services, &user.actor, room, req, &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/rooms/bookings/{id}")))
}
