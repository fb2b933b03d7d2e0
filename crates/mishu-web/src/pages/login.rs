//! Sign-in and sign-out, and the language switch (which works before sign-in too).

use crate::AppState;
use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::pages::render;
use crate::session::{LANG_COOKIE, session_cookie_name, set_cookie};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use mishu_service::auth::AuthError;
use mishu_service::{ServiceError, auth};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
}

#[derive(Template)]
#[template(path = "pages/login.html")]
struct LoginPage<'a> {
    ctx: &'a Ctx,
    next: String,
    failed: bool,
    login: String,
}

/// Only local paths: an open redirect would let a phishing link borrow our login page.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

pub async fn page(ctx: Ctx, Query(q): Query<NextQuery>) -> Response {
    render(&LoginPage { ctx: &ctx, next: safe_next(q.next.as_deref()), failed: false, login: String::new() })
}

#[derive(Deserialize)]
pub struct LoginForm {
    login: String,
    password: String,
    next: Option<String>,
}

pub async fn submit(State(st): State<AppState>, ctx: Ctx, Form(f): Form<LoginForm>) -> AppResult<Response> {
    match auth::login(&st.services, &f.login, &f.password, &ctx.source_ip).await {
        Ok(out) => {
            // A session this browser already held ends on the server, not only in the cookie jar.
            if let Some(old) = &ctx.session {
                auth::logout(&st.services, old, &ctx.source_ip).await?;
            }
            let to = if out.needs_totp {
                "/login/totp".to_string()
            } else if out.must_change_password {
                "/account?must_change=1".to_string()
            } else {
                safe_next(f.next.as_deref())
            };
            let secure = st.config.secure_cookies;
            let mut res = Redirect::to(&to).into_response();
            res.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(session_cookie_name(secure), &out.session_token, secure, true, None),
            );
            Ok(res)
        }
        Err(ServiceError::Auth(AuthError::BadCredentials)) => {
            let mut res =
                render(&LoginPage { ctx: &ctx, next: safe_next(f.next.as_deref()), failed: true, login: f.login });
            *res.status_mut() = axum::http::StatusCode::UNAUTHORIZED;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn logout(State(st): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    if let Some(sess) = &ctx.session {
        auth::logout(&st.services, sess, &ctx.source_ip).await?;
    }
    let secure = st.config.secure_cookies;
    let mut res = Redirect::to("/login").into_response();
    res.headers_mut().append(header::SET_COOKIE, set_cookie(session_cookie_name(secure), "", secure, true, Some(0)));
    Ok(res)
}

#[derive(Deserialize)]
pub struct LocaleForm {
    lang: String,
    next: Option<String>,
}

pub async fn set_locale(State(st): State<AppState>, ctx: Ctx, Form(f): Form<LocaleForm>) -> AppResult<Response> {
    let locale = Locale::parse(&f.lang)
        .ok_or(AppError::BadRequest { field: "lang", message: "one of zh-CN, zh-TW, en".into() })?;
    if let Some(sess) = &ctx.session {
        auth::set_locale(&st.services, sess.person_id, locale.code()).await?;
    }
    let mut res = Redirect::to(&safe_next(f.next.as_deref())).into_response();
    let one_year = 365 * 24 * 3600;
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(LANG_COOKIE, locale.code(), st.config.secure_cookies, false, Some(one_year)),
    );
    Ok(res)
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_must_stay_on_this_site() {
        assert_eq!(super::safe_next(Some("/inbox?box=todo")), "/inbox?box=todo");
        assert_eq!(super::safe_next(Some("//evil.example")), "/");
        assert_eq!(super::safe_next(Some("https://evil.example")), "/");
        assert_eq!(super::safe_next(None), "/");
    }
}
