//! The chronicle (大事记, R8.2): a year's accepted entries as a printable page; the
//! secretary also sees the candidates and accepts (edited), drops or adds entries. The
//! year's accepted entries print as a PDF.

use super::YearQuery;
use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::AppResult;
use crate::i18n::FormLabels;
use crate::pages::render;
use crate::routes::Routes;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Redirect, Response};
use mishu_domain::ChronicleEntryId;
use mishu_service::archives::chronicle::{self, EntryRow};
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/chronicle", year)
        .get("/chronicle.pdf", year_pdf)
        .post("/chronicle", add)
        .post("/chronicle/{id}/accept", accept)
        .post("/chronicle/{id}/drop", drop_entry)
}

#[derive(Template)]
#[template(path = "archives/chronicle.html")]
struct YearPage<'a> {
    ctx: &'a Ctx,
    year: i32,
    entries: Vec<EntryRow>,
    organ: String,
}

impl YearPage<'_> {
    fn accepted(&self) -> Vec<&EntryRow> {
        self.entries.iter().filter(|e| e.state == "accepted").collect()
    }
    fn candidates(&self) -> Vec<&EntryRow> {
        self.entries.iter().filter(|e| e.state == "candidate").collect()
    }
}

/// The year's chronicle; the keeper (secretary, office head) also gets the candidates.
async fn year(State(st): State<AppState>, user: User, Query(q): Query<YearQuery>) -> AppResult<Response> {
    let year = q.year(&st)?;
    let keeper = user.ctx.can("keep_chronicle");
    let entries = chronicle::list(&st.services, &user.actor, year, keeper).await?;
    let organ = mishu_service::org::organ(&st.services).await?.map(|o| o.name).unwrap_or_default();
    Ok(render(&YearPage { ctx: &user.ctx, year, entries, organ }))
}

async fn year_pdf(State(st): State<AppState>, user: User, Query(q): Query<YearQuery>) -> AppResult<Response> {
    let year = q.year(&st)?;
    let (name, bytes) = chronicle::year_pdf(&st.services, &user.actor, year, &FormLabels(user.ctx.locale)).await?;
    Ok(crate::pages::pdf(&format!("chronicle-{year}"), &name, bytes))
}

#[derive(Deserialize)]
pub struct EntryForm {
    date: String,
    event: String,
    #[serde(default)]
    people: String,
    #[serde(default)]
    source: String,
}

async fn add(State(st): State<AppState>, user: User, Form(f): Form<EntryForm>) -> AppResult<Redirect> {
    chronicle::add(&st.services, &user.actor, &f.date, &f.event, &f.people, &f.source, &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/chronicle?year={}", f.date.get(..4).unwrap_or(""))))
}

async fn accept(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<ChronicleEntryId>,
    Form(f): Form<EntryForm>,
) -> AppResult<Redirect> {
    chronicle::accept(&st.services, &user.actor, id, &f.date, &f.event, &f.people, &f.source, &user.ctx.source_ip)
        .await?;
    Ok(Redirect::to(&format!("/chronicle?year={}", f.date.get(..4).unwrap_or(""))))
}

async fn drop_entry(State(st): State<AppState>, user: User, Path(id): Path<ChronicleEntryId>) -> AppResult<Redirect> {
    chronicle::drop_entry(&st.services, &user.actor, id, &user.ctx.source_ip).await?;
    Ok(Redirect::to("/chronicle"))
}
