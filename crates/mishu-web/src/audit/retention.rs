//! How long the log is kept: the setting (never under 190 days), what a purge would remove
//! now, the purge itself and its count.

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::pages::render;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{Redirect, Response};
use mishu_service::audit::{self, MAX_AUDIT_RETENTION_DAYS, Origin};
use mishu_service::settings::{self, MIN_AUDIT_RETENTION_DAYS};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    saved: Option<String>,
    removed: Option<u64>,
}

#[derive(Template)]
#[template(path = "audit/retention.html")]
struct RetentionPage<'a> {
    ctx: &'a Ctx,
    days: i64,
    min: i64,
    max: i64,
    due: i64,
    saved: bool,
    removed: Option<u64>,
}

pub async fn page(State(st): State<AppState>, user: User, Query(q): Query<DoneQuery>) -> AppResult<Response> {
    let days = settings::audit_retention_days(&st.services.db).await.map_err(mishu_service::ServiceError::from)?;
    let due = audit::purge_due(&st.services).await?;
    Ok(render(&RetentionPage {
        ctx: &user.ctx,
        days,
        min: MIN_AUDIT_RETENTION_DAYS,
        max: MAX_AUDIT_RETENTION_DAYS,
        due,
        saved: q.saved.is_some(),
        removed: q.removed,
    }))
}

#[derive(Deserialize)]
pub struct RetentionForm {
    #[serde(default)]
    audit_retention_days: String,
}

pub async fn set(State(st): State<AppState>, user: User, Form(f): Form<RetentionForm>) -> AppResult<Redirect> {
    let days = f.audit_retention_days.trim().parse::<i64>().map_err(|_| AppError::BadRequest {
        field: "audit_retention_days",
        message: format!("a whole number of days, at least {MIN_AUDIT_RETENTION_DAYS}"),
    })?;
    audit::set_retention(&st.services, &Origin::of(&user.actor, &user.ctx.source_ip), days).await?;
    Ok(Redirect::to("/admin/audit/retention?saved=1"))
}

pub async fn purge(State(st): State<AppState>, user: User) -> AppResult<Redirect> {
    let removed = audit::purge(&st.services, &Origin::of(&user.actor, &user.ctx.source_ip)).await?;
    Ok(Redirect::to(&format!("/admin/audit/retention?removed={removed}")))
}
