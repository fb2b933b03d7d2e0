//! Borrowing (借阅): anyone asks by 档号; the archivist approves with a return date, refuses,
//! or records the return. The spine carries the approval and chases the return date.

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::pages::render;
use crate::routes::Routes;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Redirect, Response};
use mishu_domain::BorrowingId;
use mishu_domain::archives::BorrowAction;
use mishu_service::archives::{BorrowingRow, borrowing};
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/archives/loans", list)
        .post("/archives/loans", request)
        .post("/archives/loans/{id}/approve", approve)
        .post("/archives/loans/{id}/reject", reject)
        .post("/archives/loans/{id}/return", returned)
}

#[derive(Template)]
#[template(path = "archives/loans.html")]
struct LoansPage<'a> {
    ctx: &'a Ctx,
    rows: Vec<BorrowingRow>,
}

async fn list(State(st): State<AppState>, user: User) -> AppResult<Response> {
    let rows = borrowing::list(&st.services, &user.actor).await?;
    Ok(render(&LoansPage { ctx: &user.ctx, rows }))
}

#[derive(Deserialize)]
pub struct RequestForm {
    archive_code: String,
    #[serde(default)]
    purpose: String,
}

async fn request(State(st): State<AppState>, user: User, Form(f): Form<RequestForm>) -> AppResult<Redirect> {
    borrowing::request(&st.services, &user.actor, &f.archive_code, &f.purpose, &user.ctx.source_ip).await?;
    Ok(Redirect::to("/archives/loans"))
}

#[derive(Deserialize)]
pub struct ApproveForm {
    return_by: String,
}

async fn approve(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<BorrowingId>,
    Form(f): Form<ApproveForm>,
) -> AppResult<Redirect> {
    let return_by = f
        .return_by
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest { field: "return_by", message: "a date like 2026-12-11".into() })?;
    borrowing::act(&st.services, &user.actor, id, BorrowAction::Approve { return_by }, &user.ctx.source_ip).await?;
    Ok(Redirect::to("/archives/loans"))
}

#[derive(Deserialize)]
pub struct RejectForm {
    #[serde(default)]
    reason: String,
}

async fn reject(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<BorrowingId>,
    Form(f): Form<RejectForm>,
) -> AppResult<Redirect> {
    borrowing::act(&st.services, &user.actor, id, BorrowAction::Reject { reason: f.reason }, &user.ctx.source_ip)
        .await?;
    Ok(Redirect::to("/archives/loans"))
}

async fn returned(State(st): State<AppState>, user: User, Path(id): Path<BorrowingId>) -> AppResult<Redirect> {
    borrowing::act(&st.services, &user.actor, id, BorrowAction::Return, &user.ctx.source_ip).await?;
    Ok(Redirect::to("/archives/loans"))
}
