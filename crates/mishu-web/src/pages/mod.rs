//! Pages that belong to no domain: health, sign-in, language, home, the account page, and
//! the error page every failed request is rendered with.

mod account;
mod login;

use crate::AppState;
use crate::ctx::Ctx;
use crate::error::ErrorInfo;
use crate::routes::Routes;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};

pub fn routes(r: Routes) -> Routes {
    r.get("/healthz", healthz)
        .get("/", home)
        .get("/login", login::page)
        .post("/login", login::submit)
        .post("/logout", login::logout)
        .post("/locale", login::set_locale)
        .get("/account", account::page)
        .post("/account/password", account::change_password)
        .post("/account/acting-for", account::acting_for)
}

/// 200 when the database answers; 503 otherwise (load balancers take the node out).
async fn healthz(State(st): State<AppState>) -> Response {
    match st.services.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// Business users land in their inbox; administrators on their own pages.
async fn home(ctx: Ctx) -> Redirect {
    let to = match ctx.admin_code() {
        "system" => "/admin/org",
        "security" => "/admin/security",
        "audit" => "/admin/audit",
        _ => "/inbox",
    };
    Redirect::to(to)
}

/// A PDF shown in the browser: `ascii` is the fallback file name, `name` the real one
/// (Chinese, percent-encoded per RFC 5987).
pub fn pdf(ascii: &str, name: &str, bytes: Vec<u8>) -> Response {
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }
        })
        .collect();
    let disposition = format!("inline; filename=\"{ascii}.pdf\"; filename*=UTF-8''{encoded}.pdf");
    (
        [
            (axum::http::header::CONTENT_TYPE, "application/pdf".to_string()),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

/// RFC 5987 attr-chars kept as they are, so an extension such as `.xlsx` stays readable.
const FILENAME: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'.').remove(b'-').remove(b'_');

/// A file to save (`attachment`), named in UTF-8, never cached by a shared cache.
pub fn download(bytes: Vec<u8>, name: &str, content_type: &str) -> Response {
    let disposition = format!("attachment; filename*=UTF-8''{}", percent_encoding::utf8_percent_encode(name, FILENAME));
    (
        [
            (axum::http::header::CONTENT_TYPE, content_type.to_string()),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
            (axum::http::header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

/// A workbook to save; `name` ends in `.xlsx`.
pub fn xlsx(bytes: Vec<u8>, name: &str) -> Response {
    download(bytes, name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
}

/// Renders a template into a response; a template error is an internal error, logged.
pub fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "pages/error.html")]
struct ErrorPage<'a> {
    ctx: &'a Ctx,
    status: u16,
    title: String,
    field: Option<String>,
    detail: String,
}

pub fn error_page(ctx: &Ctx, info: &ErrorInfo) -> Response {
    let key = format!("error.{}", info.code);
    let title = if crate::i18n::has_key(ctx.locale, &key) {
        ctx.t(&key).to_string()
    } else {
        ctx.t("error.bad_request").to_string()
    };
    let page = ErrorPage {
        ctx,
        status: info.status.as_u16(),
        title,
        field: info.field.clone(),
        // The English detail helps with form and extractor errors; internal ones carry only a reference.
        detail: info.detail.clone(),
    };
    let mut res = render(&page);
    *res.status_mut() = info.status;
    if info.status == StatusCode::UNAUTHORIZED {
        res.headers_mut().insert("www-authenticate", axum::http::HeaderValue::from_static("Bearer"));
    }
    res
}
