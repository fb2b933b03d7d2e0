//! The weekly arrangement's forms and downloads: publishing the week (the office), entering,
//! moving and cancelling a leader's activity, and a published version as PDF or XLSX.

use crate::AppState;
use crate::ctx::User;
use crate::error::{AppError, AppResult};
use crate::i18n::FormLabels;
use crate::inbox::parse_local;
use crate::routes::Routes;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Redirect, Response};
use chrono::NaiveDate;
use mishu_domain::PersonId;
use mishu_service::meetings::week::{self, NewActivity};
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.post("/rooms/arrangement/publish", publish)
        .post("/rooms/arrangement/activities", add_activity)
        .post("/rooms/arrangement/activities/{id}", update_activity)
        .post("/rooms/arrangement/activities/{id}/cancel", cancel_activity)
        .get("/rooms/arrangement/versions/{id}/pdf", pdf)
        .get("/rooms/arrangement/versions/{id}/xlsx", xlsx)
}

pub fn week_date(raw: &str) -> AppResult<NaiveDate> {
    mishu_domain::time::parse_date(raw)
        .ok_or_else(|| AppError::BadRequest { field: "week", message: "expected YYYY-MM-DD".into() })
}

#[derive(Deserialize, Default)]
struct WeekForm {
    #[serde(default)]
    week: String,
}

async fn publish(State(st): State<AppState>, user: User, Form(f): Form<WeekForm>) -> AppResult<Redirect> {
    let day = week_date(&f.week)?;
    let labels = FormLabels(user.ctx.locale);
    let p = week::publish(&st.services, &user.actor, day, &labels, &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/rooms/arrangement?version={}", p.version_id)))
}

#[derive(Deserialize, Default)]
struct ActivityForm {
    #[serde(default)]
    leader_id: String,
    #[serde(default)]
    starts_at: String,
    #[serde(default)]
    ends_at: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    what: String,
}

impl ActivityForm {
    fn parse(&self) -> AppResult<NewActivity> {
        let leader = self
            .leader_id
            .trim()
            .parse::<i64>()
            .map_err(|_| AppError::BadRequest { field: "leader_id", message: "choose a leader".into() })?;
        Ok(NewActivity {
            leader_id: PersonId(leader),
            starts_at: parse_local("starts_at", &self.starts_at, false)?,
            ends_at: parse_local("ends_at", &self.ends_at, false)?,
            place: self.place.clone(),
            what: self.what.clone(),
        })
    }
}

fn back_to(n: &NewActivity) -> Redirect {
    Redirect::to(&format!("/rooms/arrangement?week={}#activities", n.starts_at.local_date()))
}

async fn add_activity(State(st): State<AppState>, user: User, Form(f): Form<ActivityForm>) -> AppResult<Redirect> {
    let n = f.parse()?;
    week::add_activity(&st.services, &user.actor, n.clone(), &user.ctx.source_ip).await?;
    Ok(back_to(&n))
}

async fn update_activity(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<i64>,
    Form(f): Form<ActivityForm>,
) -> AppResult<Redirect> {
    let n = f.parse()?;
    week::update_activity(&st.services, &user.actor, id, n.clone(), &user.ctx.source_ip).await?;
    Ok(back_to(&n))
}

async fn cancel_activity(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<i64>,
    Form(f): Form<WeekForm>,
) -> AppResult<Redirect> {
    week::cancel_activity(&st.services, &user.actor, id, &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/rooms/arrangement?week={}#activities", f.week.trim())))
}

async fn pdf(State(st): State<AppState>, user: User, Path(id): Path<i64>) -> AppResult<Response> {
    let labels = FormLabels(user.ctx.locale);
    let (name, bytes) = week::pdf(&st.services, &user.actor, id, &labels).await?;
    Ok(crate::pages::pdf(&format!("arrangement-{id}"), &name, bytes))
}

async fn xlsx(State(st): State<AppState>, user: User, Path(id): Path<i64>) -> AppResult<Response> {
    let labels = FormLabels(user.ctx.locale);
    let (name, bytes) = week::xlsx(&st.services, &user.actor, id, &labels).await?;
    Ok(crate::pages::xlsx(bytes, &format!("{name}.xlsx")))
}
