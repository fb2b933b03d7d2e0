//! 我的日程: a person's week and day of meetings and room bookings, one meeting as an `.ics`
//! file, and the private feed (`GET /calendar/{token}.ics`) a calendar app subscribes to
//! without a session; the token in its address is the only credential, so a wrong or
//! rotated one is a plain 404.

use super::{WeekQuery, monday_of};
use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::pages::render;
use crate::routes::Routes;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, NaiveDate};
use mishu_domain::ics;
use mishu_domain::{MeetingId, Timestamp};
use mishu_service::meetings::calendar::{self, Entry};
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/my-calendar", page)
        .post("/my-calendar/feed", rotate_feed)
        .get("/meetings/{id}/ics", meeting_ics)
        .get("/calendar/{file}", feed)
}

#[derive(Deserialize, Default)]
struct CalendarQuery {
    #[serde(default)]
    week: String,
    /// A day (YYYY-MM-DD) shows that day alone.
    #[serde(default)]
    day: String,
}

pub struct DayColumn {
    pub date: String,
    pub label: String,
    pub weekday: &'static str,
    pub today: bool,
    /// Linked to its day view when near today (further days through the date field), so
    /// the pages a link reaches stay few.
    pub linked: bool,
    /// Each entry with its hours as shown on this day (the date too when it runs past it).
    pub entries: Vec<(String, Entry)>,
}

#[derive(Template)]
#[template(path = "meetings/my_calendar.html")]
struct CalendarPage<'a> {
    ctx: &'a Ctx,
    days: Vec<DayColumn>,
    /// The day shown alone, or none for the week.
    day: Option<String>,
    monday: String,
    prev: Option<String>,
    next: Option<String>,
    feed_made: Option<i64>,
    /// The new feed address, shown once right after it was made.
    feed_url: Option<String>,
}

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// `09:00–10:30` within one day; with dates when it starts or ends on another.
fn span(e: &Entry, day: NaiveDate) -> String {
    let (from, to) = (Timestamp(e.starts_at), Timestamp(e.ends_at));
    let hm = |t: Timestamp| t.local_display()[11..].to_string();
    let same = |t: Timestamp| t.local_date() == day || (t == to && Timestamp(t.0 - 1).local_date() == day);
    let show = |t: Timestamp| if same(t) { hm(t) } else { t.local_display() };
    format!("{}–{}", show(from), show(to))
}

fn day_start(d: NaiveDate) -> Timestamp {
    Timestamp(Timestamp::end_of_local_day(d - Duration::days(1)).0 + 1)
}

async fn calendar_page(st: &AppState, user: &User, q: &CalendarQuery, feed_url: Option<String>) -> AppResult<Response> {
    let today = st.services.clock.now().local_date();
    let day = match q.day.trim() {
        "" => None,
        d => Some(
            NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .ok()
                .filter(|d| (1900..=2999).contains(&chrono::Datelike::year(d)))
                .ok_or_else(|| AppError::BadRequest { field: "day", message: "expected YYYY-MM-DD".into() })?,
        ),
    };
    let week = WeekQuery { week: day.map(ymd).unwrap_or_else(|| q.week.clone()) };
    let monday = monday_of(&week, st.services.clock.now())?;
    let (first, count) = match day {
        Some(d) => (d, 1),
        None => (monday, 7),
    };
    let entries =
        calendar::agenda(&st.services, &user.actor, day_start(first), day_start(first + Duration::days(count))).await?;
    let near_day = |d: NaiveDate| (d - today).num_days().abs() <= 7;
    let days = (0..count)
        .map(|i| {
            let date = first + Duration::days(i);
            let (from, to) = (day_start(date).0, day_start(date + Duration::days(1)).0);
            DayColumn {
                date: ymd(date),
                label: date.format("%m-%d").to_string(),
                weekday: WEEKDAYS[chrono::Datelike::weekday(&date).num_days_from_monday() as usize],
                today: date == today,
                linked: near_day(date),
                entries: entries
                    .iter()
                    .filter(|e| e.starts_at < to && e.ends_at > from)
                    .map(|e| (span(e, date), e.clone()))
                    .collect(),
            }
        })
        .collect();
    let (prev, next) = match day {
        Some(d) => (d - Duration::days(1), d + Duration::days(1)),
        None => (monday - Duration::days(7), monday + Duration::days(7)),
    };
    let this_monday = monday_of(&WeekQuery::default(), st.services.clock.now())?;
    let near = |d: NaiveDate| if day.is_some() { near_day(d) } else { (d - this_monday).num_days().abs() <= 28 };
    let feed_made = calendar::feed_made(&st.services, &user.actor).await?.map(|t| t.0);
    Ok(render(&CalendarPage {
        ctx: &user.ctx,
        days,
        day: day.map(ymd),
        monday: ymd(monday),
        prev: Some(ymd(prev)).filter(|_| near(prev)),
        next: Some(ymd(next)).filter(|_| near(next)),
        feed_made,
        feed_url,
    }))
}

async fn page(State(st): State<AppState>, user: User, Query(q): Query<CalendarQuery>) -> AppResult<Response> {
    calendar_page(&st, &user, &q, None).await
}

/// Makes or rotates the feed and shows its address this once (only its digest is kept).
async fn rotate_feed(State(st): State<AppState>, user: User, headers: HeaderMap) -> AppResult<Response> {
    let token = calendar::rotate_feed(&st.services, &user.actor, &user.ctx.source_ip).await?;
    let url = format!("{}/calendar/{token}.ics", origin(&st, &headers));
    calendar_page(&st, &user, &CalendarQuery::default(), Some(url)).await
}

/// `scheme://host` for addresses used outside the browser (a calendar app, a phone scanning
/// a QR code): the configured public address, else this request's Host, HTTPS whenever
/// cookies are secure.
pub fn origin(st: &AppState, headers: &HeaderMap) -> String {
    if let Some(u) = &st.config.public_url {
        return u.as_str().to_string();
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let host: String = host.chars().filter(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(*c)).collect();
    let scheme = if st.config.secure_cookies { "https" } else { "http" };
    format!("{scheme}://{host}")
}

fn ics_response(text: String, filename: &str) -> Response {
    let mut res = text.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

async fn meeting_ics(State(st): State<AppState>, user: User, Path(id): Path<MeetingId>) -> AppResult<Response> {
    let event = calendar::meeting_event(&st.services, &user.actor, id).await?;
    let name = event.summary.clone();
    Ok(ics_response(ics::calendar(&name, &[event]), &format!("meeting-{id}.ics")))
}

/// The private feed. No session: the token is the credential.
async fn feed(State(st): State<AppState>, ctx: Ctx, Path(file): Path<String>) -> AppResult<Response> {
    let token = file.strip_suffix(".ics").ok_or(AppError::NotFound)?;
    let (name, events) = calendar::feed(&st.services, token).await?.ok_or(AppError::NotFound)?;
    let title = ctx.tf("calendar.feed_name", &[("name", &name)]);
    Ok(ics_response(ics::calendar(&title, &events), "mishu.ics"))
}
