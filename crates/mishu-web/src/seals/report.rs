//! The seal-usage report (用印情况, R7.6) as a printable page and an XLSX download, for the
//! office head: uses and copies per seal in a period, and the inconsistencies found.

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::AppResult;
use crate::pages::render;
use crate::routes::Routes;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use mishu_service::org;
use mishu_service::seals::{self, UsageReport};
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/seals/report", page).get("/seals/report.xlsx", xlsx)
}

/// The period as local dates (YYYY-MM-DD) and the days after which an approved application
/// still unused is listed; empty fields take the defaults.
#[derive(Deserialize, Default)]
pub struct ReportQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    days: String,
}

#[derive(Template)]
#[template(path = "seals/report.html")]
struct ReportPage<'a> {
    ctx: &'a Ctx,
    r: UsageReport,
    organ: String,
    printed_at: i64,
}

async fn page(State(st): State<AppState>, user: User, Query(q): Query<ReportQuery>) -> AppResult<Response> {
    let r = seals::usage_report(&st.services, &user.actor, &q.from, &q.to, &q.days).await?;
    let organ = org::organ(&st.services).await?.map(|o| o.name).unwrap_or_default();
    let printed_at = st.services.clock.now().0;
    Ok(render(&ReportPage { ctx: &user.ctx, r, organ, printed_at }))
}

async fn xlsx(State(st): State<AppState>, user: User, Query(q): Query<ReportQuery>) -> AppResult<Response> {
    let words = |key: &str| user.ctx.t(key).to_string();
    let (r, bytes) = seals::usage_report_xlsx(&st.services, &user.actor, &q.from, &q.to, &q.days, &words).await?;
    let name = format!("{}-{}-{}.xlsx", user.ctx.t("seals.report"), r.from, r.to);
    Ok(crate::pages::xlsx(bytes, &name))
}
