//! The second factor on the web: the code page after the password (`/login/totp`), and the
//! account page's set-up, confirmation and removal.

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::pages::render;
use crate::session::{session_cookie_name, set_cookie};
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use mishu_service::ServiceError;
use mishu_service::auth::{self, AuthError};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "security/login_totp.html")]
struct CodePage<'a> {
    ctx: &'a Ctx,
    /// Catalogue key of the message after a failed try, if any.
    error: &'static str,
}

/// Only a session that passed the password and still owes its code gets this page.
pub async fn page(ctx: Ctx) -> Response {
    if !ctx.session.as_ref().is_some_and(|s| s.pending_totp) {
        return Redirect::to("/login").into_response();
    }
    render(&CodePage { ctx: &ctx, error: "" })
}

#[derive(Deserialize)]
pub struct CodeForm {
    code: String,
}

pub async fn submit(State(st): State<AppState>, ctx: Ctx, Form(f): Form<CodeForm>) -> AppResult<Response> {
    let Some(session) = ctx.session.as_ref().filter(|s| s.pending_totp) else {
        return Ok(Redirect::to("/login").into_response());
    };
    let secure = st.config.secure_cookies;
    match auth::totp::verify_second_factor(&st.services, session, &f.code, &ctx.source_ip).await {
        Ok(token) => {
            let to = if session.must_change_password { "/account?must_change=1" } else { "/" };
            let mut res = Redirect::to(to).into_response();
            res.headers_mut()
                .append(header::SET_COOKIE, set_cookie(session_cookie_name(secure), &token, secure, true, None));
            Ok(res)
        }
        Err(ServiceError::Auth(e @ (AuthError::BadTotp | AuthError::BadCredentials))) => {
            // Locked (or the session is gone): the same words as a failed password, and the cookie goes.
            let locked = e == AuthError::BadCredentials;
            let mut res =
                render(&CodePage { ctx: &ctx, error: if locked { "error.bad_credentials" } else { "error.bad_totp" } });
            *res.status_mut() = StatusCode::UNAUTHORIZED;
            if locked {
                res.headers_mut()
                    .append(header::SET_COOKIE, set_cookie(session_cookie_name(secure), "", secure, true, Some(0)));
            }
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn begin(State(st): State<AppState>, user: User) -> AppResult<Redirect> {
    let session = user.session.as_ref().ok_or(AppError::Unauthenticated)?;
    auth::totp::begin_enrolment(&st.services, session, &user.ctx.source_ip).await?;
    Ok(Redirect::to("/account#totp"))
}

pub async fn confirm(State(st): State<AppState>, user: User, Form(f): Form<CodeForm>) -> AppResult<Redirect> {
    let session = user.session.as_ref().ok_or(AppError::Unauthenticated)?;
    auth::totp::confirm_enrolment(&st.services, session, &f.code, &user.ctx.source_ip).await?;
    Ok(Redirect::to("/account#totp"))
}

#[derive(Deserialize)]
pub struct DisableForm {
    current: String,
    code: String,
}

pub async fn disable(State(st): State<AppState>, user: User, Form(f): Form<DisableForm>) -> AppResult<Redirect> {
    let session = user.session.as_ref().ok_or(AppError::Unauthenticated)?;
    auth::totp::disable(&st.services, session, &f.current, &f.code, &user.ctx.source_ip).await?;
    Ok(Redirect::to("/account#totp"))
}
