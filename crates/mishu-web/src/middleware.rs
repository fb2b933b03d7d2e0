//! The request pipeline around every route: security headers; the request context (session
//! or API token, actor, language, CSRF token); error rendering; the access policy; CSRF.

use crate::ctx::Ctx;
use crate::error::{AppError, ErrorInfo};
use crate::i18n::Locale;
use crate::session::{LANG_COOKIE, cookie, pre_csrf_cookie_name, session_cookie_name, set_cookie};
use crate::{AppState, pages};
use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Redirect, Response};
use mishu_domain::access::allows;
use mishu_service::{auth, org};
use std::net::SocketAddr;
use tower_http::catch_panic::CatchPanicLayer;

/// Forms and JSON bodies; imports take their own larger limit.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

pub fn wrap(router: Router<AppState>, state: AppState) -> Router<AppState> {
    router
        .fallback(|| async { AppError::NotFound })
        .layer(from_fn_with_state(state.clone(), policy_and_csrf))
        .layer(from_fn_with_state(state.clone(), render_errors))
        .layer(from_fn_with_state(state, load_ctx))
        .layer(CatchPanicLayer::new())
        .layer(from_fn(security_headers))
}

async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    res
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

async fn load_ctx(State(st): State<AppState>, mut req: Request, next: Next) -> Response {
    let s = &st.services;
    let headers = req.headers().clone();
    // With the query: where sign-in and the language switch bring the person back to.
    let path = req.uri().path_and_query().map_or_else(|| req.uri().path().to_string(), |pq| pq.as_str().to_string());
    let source_ip = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_string(), |c| c.0.ip().to_string());
    let mut ctx = Ctx {
        locale: Locale::default(),
        session: None,
        actor: None,
        acting_for_name: None,
        csrf: String::new(),
        source_ip,
        via_token: false,
        path,
    };
    let mut person = None;
    let bearer =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    if let Some(token) = bearer {
        match auth::tokens::authenticate(s, token.trim()).await {
            Ok(Some(p)) => {
                person = Some((p, None, None));
                ctx.via_token = true;
            }
            Ok(None) => return early_error(AppError::Unauthenticated),
            Err(e) => return early_error(e.into()),
        }
    } else if let Some(sid) = cookie(&headers, session_cookie_name(st.config.secure_cookies)) {
        match auth::session(s, sid).await {
            Ok(Some(sess)) => {
                if !sess.pending_totp {
                    person = Some((sess.person_id, sess.acting_for, Some(sess.org_version)));
                }
                ctx.csrf = sess.csrf_token.clone();
                ctx.locale = Locale::parse(&sess.locale).unwrap_or_default();
                ctx.session = Some(sess);
            }
            Ok(None) => {}
            Err(e) => return early_error(e.into()),
        }
    }
    if let Some((id, acting_for, org_version)) = person {
        let actor = match org_version {
            Some(v) => org::load_actor_at(s, id, acting_for, v).await,
            None => org::load_actor(s, id, acting_for).await,
        };
        match actor {
            Ok(a) => {
                if let Some(p) = acting_for {
                    ctx.acting_for_name = org::person(s, p).await.ok().map(|p| p.name);
                }
                ctx.actor = Some(a);
            }
            Err(e) => return early_error(e.into()),
        }
    }
    if ctx.session.is_none() {
        ctx.locale = cookie(&headers, LANG_COOKIE)
            .and_then(Locale::parse)
            .or_else(|| {
                headers
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .and_then(Locale::from_accept_language)
            })
            .unwrap_or_default();
    }
    let mut new_pre = None;
    if ctx.csrf.is_empty() {
        ctx.csrf = match cookie(&headers, pre_csrf_cookie_name(st.config.secure_cookies)) {
            Some(v) if v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()) => v.to_string(),
            _ => {
                let v = auth::new_secret().0;
                new_pre = Some(v.clone());
                v
            }
        };
    }
    req.extensions_mut().insert(ctx);
    let mut res = next.run(req).await;
    if let Some(v) = new_pre {
        res.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(pre_csrf_cookie_name(st.config.secure_cookies), &v, st.config.secure_cookies, true, None),
        );
    }
    res
}

/// An error found while loading the context runs outside `render_errors` and has no
/// language or session to render a page with: answer in JSON, like the API.
fn early_error(e: AppError) -> Response {
    crate::api::error_json(&e.info())
}

async fn render_errors(req: Request, next: Next) -> Response {
    let ctx = req.extensions().get::<Ctx>().cloned();
    let api = is_api(req.uri().path());
    let matched = req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string());
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    // A handler that rendered its own page with an error status (the sign-in form after a wrong
    // password, the code page after a wrong code) meant it: keep the page and its cookies.
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/html"));
    if is_html && res.extensions().get::<ErrorInfo>().is_none() {
        return res;
    }
    let info = match res.extensions().get::<ErrorInfo>().cloned() {
        Some(i) => i,
        // Rejections from axum's extractors (bad form, bad JSON, too large) carry their text.
        None => {
            let code = match status {
                StatusCode::PAYLOAD_TOO_LARGE => "too_large",
                StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
                StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
                StatusCode::NOT_FOUND => "not_found",
                s if s.is_server_error() => "internal",
                _ => "bad_request",
            };
            let body = to_bytes(res.into_body(), 64 * 1024).await.unwrap_or_default();
            let detail = if code == "internal" { String::new() } else { String::from_utf8_lossy(&body).into_owned() };
            // axum names the field in backticks ("missing field `title`"), except for a path
            // segment that does not parse, where it quotes the value: name the parameter instead.
            let field = if detail.starts_with("Invalid URL") {
                matched.as_deref().and_then(path_param)
            } else {
                json_path(&detail).or_else(|| detail.split('`').nth(1).map(str::to_string))
            };
            ErrorInfo { status, code, field, detail }
        }
    };
    match (api, ctx) {
        (false, Some(ctx)) => pages::error_page(&ctx, &info),
        _ => crate::api::error_json(&info),
    }
}

/// `/tasks/{id}/complete` → `id`: the parameter a bad path segment belongs to.
fn path_param(matched: &str) -> Option<String> {
    Some(matched.split_once('{')?.1.split_once('}')?.0.to_string())
}

/// A JSON value of the wrong type is reported with its path first: "…target type:
/// owner_id: invalid type…" → `owner_id`.
fn json_path(detail: &str) -> Option<String> {
    let rest = detail.split_once("target type: ")?.1;
    let (path, _) = rest.split_once(": ")?;
    let is_path =
        !path.is_empty() && path.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']'));
    is_path.then(|| path.to_string())
}

/// `/login/totp` too: a pending session must give its code before it can change anything.
const MUST_CHANGE_ALLOWED: &[&str] =
    &["/account", "/account/password", "/logout", "/locale", "/assets/{file}", "/healthz", "/login/totp"];

async fn policy_and_csrf(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let Some(matched) = req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string()) else {
        return next.run(req).await; // the fallback: a plain 404
    };
    let Some(ctx) = req.extensions().get::<Ctx>().cloned() else { return AppError::Unauthenticated.into_response() };
    let method = req.method().clone();
    let Some(cap) = st.policy.capability(&method, &matched) else {
        // A path that exists for other methods: say so (405); the handler never runs either way.
        if st.policy.has_path(&matched) {
            return AppError::MethodNotAllowed.into_response();
        }
        tracing::warn!(%method, %matched, "route has no policy entry; denied");
        return AppError::Forbidden.into_response();
    };
    if !allows(ctx.actor.as_ref(), cap) {
        if ctx.actor.is_none() {
            if !is_api(&ctx.path) && method == Method::GET {
                let pending = ctx.session.as_ref().is_some_and(|s| s.pending_totp);
                let to =
                    if pending { "/login/totp".to_string() } else { format!("/login?next={}", urlencode(&ctx.path)) };
                return Redirect::to(&to).into_response();
            }
            return AppError::Unauthenticated.into_response();
        }
        return AppError::Forbidden.into_response();
    }
    if ctx.session.as_ref().is_some_and(|s| s.must_change_password) && !MUST_CHANGE_ALLOWED.contains(&matched.as_str())
    {
        if is_api(&ctx.path) {
            return AppError::Forbidden.into_response();
        }
        return Redirect::to("/account?must_change=1").into_response();
    }
    let unsafe_method = !matches!(method, Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method && !ctx.via_token {
        return match check_csrf(req, &ctx).await {
            Ok(req) => next.run(req).await,
            Err(e) => e.into_response(),
        };
    }
    next.run(req).await
}

fn urlencode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// Rejects cross-site posts and checks the synchroniser token from the header, the
/// query (`_csrf`, for multipart uploads) or the urlencoded form body (which is put back).
async fn check_csrf(req: Request, ctx: &Ctx) -> Result<Request, AppError> {
    let h = req.headers();
    if h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site") {
        return Err(AppError::Csrf);
    }
    if let (Some(origin), Some(host)) =
        (h.get(header::ORIGIN).and_then(|v| v.to_str().ok()), h.get(header::HOST).and_then(|v| v.to_str().ok()))
    {
        let origin_host = origin.split("://").nth(1).unwrap_or("");
        if origin_host != host {
            return Err(AppError::Csrf);
        }
    }
    let expected = ctx.csrf.as_str();
    if expected.is_empty() {
        return Err(AppError::Csrf);
    }
    if let Some(v) = h.get("x-csrf-token").and_then(|v| v.to_str().ok()) {
        return if v == expected { Ok(req) } else { Err(AppError::Csrf) };
    }
    if let Some(q) = req.uri().query()
        && let Some(v) = form_value(q, "_csrf")
    {
        return if v == expected { Ok(req) } else { Err(AppError::Csrf) };
    }
    let is_form = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(AppError::Csrf);
    }
    let (parts, body) = req.into_parts();
    let bytes = to_bytes(body, MAX_BODY_BYTES).await.map_err(|_| AppError::TooLarge)?;
    let text =
        std::str::from_utf8(&bytes).map_err(|_| AppError::BadRequest { field: "body", message: "not UTF-8".into() })?;
    if form_value(text, "_csrf").as_deref() != Some(expected) {
        return Err(AppError::Csrf);
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

fn form_value(encoded: &str, key: &str) -> Option<String> {
    encoded
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| percent_encoding::percent_decode_str(&v.replace('+', " ")).decode_utf8_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extractor_errors_name_the_field_not_the_value() {
        assert_eq!(path_param("/tasks/{id}/complete").as_deref(), Some("id"));
        assert_eq!(path_param("/inbox"), None);
        let wrong_type = "Failed to deserialize the JSON body into the target type: owner_id: invalid type: string \"abc\", expected i64 at line 1 column 54";
        assert_eq!(json_path(wrong_type).as_deref(), Some("owner_id"));
        let unknown =
            "Failed to deserialize the JSON body into the target type: unknown field `colour`, expected one of `title`";
        assert_eq!(json_path(unknown), None, "the backticks name this one");
    }
}
