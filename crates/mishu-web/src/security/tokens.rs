//! A business user's own API tokens: create (the token is shown on the response page once and
//! never again: only its digest is stored) and revoke. They are listed on the account page.

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::AppResult;
use crate::inbox::parse_local;
use crate::pages::render;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Redirect, Response};
use mishu_domain::ApiTokenId;
use mishu_service::audit::Origin;
use mishu_service::auth::tokens;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct NewTokenForm {
    name: String,
    /// A date (YYYY-MM-DD): the token works until the end of that day. Empty: no expiry.
    #[serde(default)]
    expires: String,
}

#[derive(Template)]
#[template(path = "security/token_created.html")]
struct CreatedPage<'a> {
    ctx: &'a Ctx,
    name: String,
    token: String,
}

/// Answers with the token itself rather than a redirect: it must not sit in a URL or be stored.
pub async fn create(State(st): State<AppState>, user: User, Form(f): Form<NewTokenForm>) -> AppResult<Response> {
    let expires = match f.expires.trim() {
        "" => None,
        d => Some(parse_local("expires", d, true)?),
    };
    let origin = Origin::of(&user.actor, &user.ctx.source_ip);
    let (_, token) = tokens::create(&st.services, &origin, user.actor.person_id, &f.name, expires).await?;
    Ok(render(&CreatedPage { ctx: &user.ctx, name: f.name.trim().to_string(), token }))
}

pub async fn revoke(State(st): State<AppState>, user: User, Path(id): Path<ApiTokenId>) -> AppResult<Redirect> {
    let origin = Origin::of(&user.actor, &user.ctx.source_ip);
    tokens::revoke(&st.services, &origin, user.actor.person_id, id).await?;
    Ok(Redirect::to("/account#tokens"))
}
