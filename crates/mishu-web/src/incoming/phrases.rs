//! Saved phrases (常用意见): the page to keep one's own beside the organ's defaults. The
//! buttons that fill an instruction are on the document page (assets/app.js).

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::AppResult;
use crate::pages::render;
use crate::routes::Routes;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Redirect, Response};
use mishu_service::phrases::{self, PhraseRow};
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/incoming/phrases", page).post("/incoming/phrases", add).post("/incoming/phrases/{phrase}/delete", delete)
}

#[derive(Template)]
#[template(path = "incoming/phrases.html")]
struct PhrasesPage<'a> {
    ctx: &'a Ctx,
    phrases: Vec<PhraseRow>,
}

async fn page(State(st): State<AppState>, user: User) -> AppResult<Response> {
    let owner = user.actor.acting_for.unwrap_or(user.actor.person_id);
    let phrases = phrases::list(&st.services, owner).await?;
    Ok(render(&PhrasesPage { ctx: &user.ctx, phrases }))
}

#[derive(Deserialize)]
pub struct AddForm {
    #[serde(default)]
    text: String,
}

async fn add(State(st): State<AppState>, user: User, Form(f): Form<AddForm>) -> AppResult<Redirect> {
    phrases::add(&st.services, &user.actor, &f.text, &user.ctx.source_ip).await?;
    Ok(Redirect::to("/incoming/phrases"))
}

async fn delete(State(st): State<AppState>, user: User, Path(phrase): Path<i64>) -> AppResult<Redirect> {
    phrases::delete(&st.services, &user.actor, phrase, &user.ctx.source_ip).await?;
    Ok(Redirect::to("/incoming/phrases"))
}
