//! The weekly work arrangement (每周工作安排, R5.4): the week's sheet by day and by leader —
//! as it stands, or a published version — with the versions published, the changes they
//! sent, what is not yet published, and for the office the publish button and the leaders'
//! activities. The forms and downloads are in `arrangement_forms`.

use super::WeekQuery;
use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::pages::render;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{Datelike, Duration, NaiveDate};
use mishu_domain::Timestamp;
use mishu_domain::meetings::arrangement::Entry;
use mishu_service::meetings::week::{self, ActivityRow, VersionRow, Week};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct ArrangementQuery {
    #[serde(default)]
    week: String,
    /// A published version's id; empty for the sheet as it stands.
    #[serde(default)]
    version: String,
}

pub struct DayBlock {
    pub label: String,
    pub entries: Vec<Entry>,
}

#[derive(Template)]
#[template(path = "meetings/arrangement.html")]
struct ArrangementPage<'a> {
    ctx: &'a Ctx,
    w: Week,
    from: String,
    to: String,
    prev: Option<String>,
    next: Option<String>,
    days: Vec<DayBlock>,
    office: bool,
    activities: Vec<ActivityRow>,
    leaders: Vec<(i64, String)>,
}

impl ArrangementPage<'_> {
    fn clock(&self, ms: &i64) -> String {
        Timestamp(*ms).local_display()[11..].to_string()
    }
    fn day(&self, ms: &i64) -> String {
        let d = Timestamp(*ms).local_date();
        format!(
            "{} {}",
            self.ctx.tk("meetings.weekday", super::WEEKDAYS[d.weekday().num_days_from_monday() as usize]),
            d.format("%m-%d")
        )
    }
    fn published(&self, v: &VersionRow) -> String {
        let t = self.ctx.time(&v.published_at);
        self.ctx.tf("meetings.week.published_by", &[("name", &v.publisher_name), ("t", &t)])
    }
    fn local_input(&self, ms: &i64) -> String {
        Timestamp(*ms).local_display().replace(' ', "T")
    }
}

pub async fn page(State(st): State<AppState>, user: User, Query(q): Query<ArrangementQuery>) -> AppResult<Response> {
    let s = &st.services;
    let (monday, version) = match q.version.trim() {
        "" => (super::monday_of(&WeekQuery { week: q.week.clone() }, s.clock.now())?, None),
        v => {
            let id =
                v.parse::<i64>().map_err(|_| AppError::BadRequest { field: "version", message: "a number".into() })?;
            (week::version(s, id).await?.1, Some(id))
        }
    };
    let w = week::week(s, monday, version).await?;
    let days = (0..7)
        .map(|i| {
            let date = monday + Duration::days(i);
            DayBlock {
                label: format!(
                    "{} {}",
                    user.ctx.tk("meetings.weekday", super::WEEKDAYS[i as usize]),
                    date.format("%m-%d")
                ),
                entries: w.entries.iter().filter(|e| Timestamp(e.starts_at).local_date() == date).cloned().collect(),
            }
        })
        .collect();
    let office = user.ctx.has_role("secretary") || user.ctx.has_role("office_head");
    let (activities, leaders) =
        if office { (week::activities(s, monday).await?, week::leaders(s).await?) } else { (vec![], vec![]) };
    let fmt = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    // Paging stops eight weeks either side of this week (older sheets are in the version
    // list): an endless chain of links is a trap for crawlers and for the keyboard.
    let this_monday = super::monday_of(&WeekQuery::default(), st.services.clock.now())?;
    let near = |d: NaiveDate| (d - this_monday).num_days().abs() <= 56;
    let (p, n) = (monday - Duration::days(7), monday + Duration::days(7));
    Ok(render(&ArrangementPage {
        ctx: &user.ctx,
        from: fmt(monday),
        to: fmt(monday + Duration::days(6)),
        prev: Some(fmt(p)).filter(|_| near(p)),
        next: Some(fmt(n)).filter(|_| near(n)),
        days,
        office,
        activities,
        leaders,
        w,
    }))
}
