//! The materials library (R8.3): search by title or tag, and add a material.

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::AppResult;
use crate::pages::render;
use crate::routes::Routes;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{Redirect, Response};
use mishu_service::archives::materials::{self, MaterialRow};
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/materials", list).post("/materials", add)
}

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

#[derive(Template)]
#[template(path = "archives/materials.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    q: String,
    rows: Vec<MaterialRow>,
}

async fn list(State(st): State<AppState>, user: User, Query(q): Query<SearchQuery>) -> AppResult<Response> {
    let rows = materials::search(&st.services, &user.actor, &q.q).await?;
    Ok(render(&ListPage { ctx: &user.ctx, q: q.q, rows }))
}

#[derive(Deserialize)]
pub struct AddForm {
    title: String,
    #[serde(default)]
    tags: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    link: String,
    #[serde(default)]
    summary: String,
}

async fn add(State(st): State<AppState>, user: User, Form(f): Form<AddForm>) -> AppResult<Redirect> {
    let ip = &user.ctx.source_ip;
    materials::add(&st.services, &user.actor, &f.title, &f.tags, &f.source, &f.link, &f.summary, ip).await?;
    Ok(Redirect::to("/materials"))
}
