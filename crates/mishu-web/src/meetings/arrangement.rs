//! The printable weekly work arrangement (每周工作安排, R5.4): the week's approved room
//! bookings and the meetings in them, by day, laid out for A4 landscape.

use super::{WeekQuery, monday_of, week_bounds};
use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::AppResult;
use crate::pages::render;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::Duration;
use mishu_domain::Timestamp;
use mishu_service::meetings::{BookingRow, bookings, meeting};

pub struct Entry {
    pub b: BookingRow,
    pub meeting_id: Option<i64>,
    pub day: String,
    pub weekday: &'static str,
    pub time: String,
}

#[derive(Template)]
#[template(path = "meetings/arrangement.html")]
struct ArrangementPage<'a> {
    ctx: &'a Ctx,
    from: String,
    to: String,
    entries: Vec<Entry>,
}

pub async fn page(State(st): State<AppState>, user: User, Query(q): Query<WeekQuery>) -> AppResult<Response> {
    let monday = monday_of(&q, st.services.clock.now())?;
    let (from, to) = week_bounds(monday);
    let meetings = meeting::between(&st.services, from, to).await?;
    let entries = bookings::between(&st.services, from, to)
        .await?
        .into_iter()
        .filter(|b| b.state == "approved")
        .map(|b| {
            let start = Timestamp(b.starts_at);
            let wd = (start.local_date() - monday).num_days().clamp(0, 6) as usize;
            let time = format!("{}–{}", &start.local_display()[11..], &Timestamp(b.ends_at).local_display()[11..]);
            Entry {
                meeting_id: meetings.iter().find(|m| m.booking_id == Some(b.booking_id)).map(|m| m.meeting_id),
                day: start.local_date().format("%m-%d").to_string(),
                weekday: super::WEEKDAYS[wd],
                time,
                b,
            }
        })
        .collect();
    let fmt = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    Ok(render(&ArrangementPage { ctx: &user.ctx, from: fmt(monday), to: fmt(monday + Duration::days(6)), entries }))
}
