//! The forms for a draft's attachments (附件) and 附注, and the copy register (份号登记) of a
//! classified document: the page, the print of one numbered copy (its PDF), and issuing,
//! returning and destroying copies.

use super::Fields;
use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::pages::render;
use crate::routes::Routes;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Redirect, Response};
use mishu_domain::OutgoingId;
use mishu_domain::outgoing::CopyAction;
use mishu_service::outgoing::{self, CopyLine, OutgoingView};

pub fn routes(r: Routes) -> Routes {
    r.post("/outgoing/{id}/attachments", add_attachment)
        .post("/outgoing/{id}/attachments/{attachment}/remove", remove_attachment)
        .post("/outgoing/{id}/annotation", annotation)
        .get("/outgoing/{id}/copies", copies)
        .post("/outgoing/{id}/copies/{n}/print", print_copy)
        .post("/outgoing/{id}/copies/{n}", record_copy)
}

type F = Form<Vec<(String, String)>>;

async fn add_attachment(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<OutgoingId>,
    Form(f): F,
) -> AppResult<Redirect> {
    let f = Fields(f);
    outgoing::add_attachment(&st.services, &user.actor, id, f.one("title"), f.one("body"), &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/outgoing/{id}#attachments")))
}

async fn remove_attachment(
    State(st): State<AppState>,
    user: User,
    Path((id, attachment)): Path<(OutgoingId, i64)>,
) -> AppResult<Redirect> {
    outgoing::remove_attachment(&st.services, &user.actor, id, attachment, &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/outgoing/{id}#attachments")))
}

async fn annotation(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<OutgoingId>,
    Form(f): F,
) -> AppResult<Redirect> {
    let f = Fields(f);
    outgoing::set_annotation(&st.services, &user.actor, id, f.one("annotation"), &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/outgoing/{id}#attachments")))
}

#[derive(Template)]
#[template(path = "outgoing/copies.html")]
struct CopiesPage<'a> {
    ctx: &'a Ctx,
    v: OutgoingView,
    lines: Vec<CopyLine>,
}

async fn copies(State(st): State<AppState>, user: User, Path(id): Path<OutgoingId>) -> AppResult<Response> {
    let (v, lines) = outgoing::copy_register(&st.services, &user.actor, id, &user.ctx.source_ip).await?;
    Ok(render(&CopiesPage { ctx: &user.ctx, v, lines }))
}

/// The PDF of one numbered copy, answered to the form's POST so that printing is never a
/// side effect of following a link.
async fn print_copy(
    State(st): State<AppState>,
    user: User,
    Path((id, n)): Path<(OutgoingId, i64)>,
    Form(f): F,
) -> AppResult<Response> {
    let f = Fields(f);
    let reason = Some(f.one("reason")).filter(|r| !r.is_empty());
    let (name, bytes) = outgoing::print_copy(&st.services, &user.actor, id, n, reason, &user.ctx.source_ip).await?;
    Ok(crate::pages::pdf(&format!("outgoing-{id}-copy-{n}"), &name, bytes))
}

async fn record_copy(
    State(st): State<AppState>,
    user: User,
    Path((id, n)): Path<(OutgoingId, i64)>,
    Form(f): F,
) -> AppResult<Redirect> {
    let f = Fields(f);
    let action = copy_action(f.one("action"), f.one("holder"), f.one("reason"))?;
    outgoing::record_copy(&st.services, &user.actor, id, n, action, &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/outgoing/{id}/copies#copy-{n}")))
}

/// The register's moves other than printing, by name (form and API alike).
pub(crate) fn copy_action(action: &str, holder: &str, reason: &str) -> AppResult<CopyAction> {
    match action {
        "issue" => Ok(CopyAction::Issue { holder: holder.to_string() }),
        "return" => Ok(CopyAction::Return),
        "destroy" => Ok(CopyAction::Destroy { reason: reason.to_string() }),
        _ => Err(AppError::BadRequest { field: "action", message: "issue, return or destroy".into() }),
    }
}
