//! Pages for the seal-use application (用印申请单): my applications with the form to file one,
//! the application with its signatures so far (printable), and each signer's and the keeper's
//! action. Who may act is decided by the service; the page only shows the buttons that apply.

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::pages::render;
use crate::routes::Routes;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Redirect, Response};
use mishu_domain::seals::ApplicationAction;
use mishu_domain::{OutgoingId, SealApplicationId, SealId};
use mishu_service::outgoing::OutgoingRow;
use mishu_service::seals::esign::SignatureRow;
use mishu_service::seals::{self, ApplicationRow, NewApplication, SealRow};
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/seals/applications", list)
        .post("/seals/applications", apply)
        .get("/seals/applications/{id}", show)
        .post("/seals/applications/{id}/sign", sign)
        .post("/seals/applications/{id}/approve", approve)
        .post("/seals/applications/{id}/stamp", stamp)
        .post("/seals/applications/{id}/reject", reject)
        .post("/seals/applications/{id}/withdraw", withdraw)
}

#[derive(Template)]
#[template(path = "seals/applications.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    items: Vec<ApplicationRow>,
    seals: Vec<SealRow>,
    /// Outgoing documents the applicant may name as what is to be sealed.
    documents: Vec<OutgoingRow>,
}

async fn list(State(st): State<AppState>, user: User) -> AppResult<Response> {
    let items = seals::my_applications(&st.services, &user.actor).await?;
    let seals = seals::list(&st.services, &user.actor).await?.into_iter().filter(|s| s.state == "active").collect();
    let documents = seals::sealable_documents(&st.services, &user.actor).await?;
    Ok(render(&ListPage { ctx: &user.ctx, items, seals, documents }))
}

#[derive(Deserialize)]
pub struct ApplyForm {
    #[serde(default)]
    seal: String,
    #[serde(default)]
    document_title: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    copies: String,
    /// Empty for a paper or uploaded document.
    #[serde(default)]
    outgoing_id: String,
}

/// An optional id typed into a form: empty is none; anything else must be an id.
pub(super) fn optional_outgoing(raw: &str) -> AppResult<Option<OutgoingId>> {
    match raw.trim() {
        "" => Ok(None),
        v => v
            .parse::<OutgoingId>()
            .map(Some)
            .map_err(|_| AppError::BadRequest { field: "outgoing_id", message: "choose an outgoing document".into() }),
    }
}

async fn apply(State(st): State<AppState>, user: User, Form(f): Form<ApplyForm>) -> AppResult<Redirect> {
    let seal_id = f
        .seal
        .trim()
        .parse::<SealId>()
        .map_err(|_| AppError::BadRequest { field: "seal", message: "choose a seal".into() })?;
    let outgoing_id = optional_outgoing(&f.outgoing_id)?;
    let n =
        NewApplication { seal_id, document_title: f.document_title, purpose: f.purpose, copies: f.copies, outgoing_id };
    let id = seals::apply(&st.services, &user.actor, n, &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/seals/applications/{id}")))
}

#[derive(Template)]
#[template(path = "seals/application.html")]
struct ShowPage<'a> {
    ctx: &'a Ctx,
    a: ApplicationRow,
    /// Whose turn it is, as the signed-in person sees it.
    my_turn: &'static str,
    is_applicant: bool,
    /// The seal has an electronic seal the keeper may apply instead of the physical one.
    has_eseal: bool,
    signature: Option<SignatureRow>,
}

async fn show(State(st): State<AppState>, user: User, Path(id): Path<SealApplicationId>) -> AppResult<Response> {
    let (a, has_eseal, signature) = seals::application_with_eseal(&st.services, &user.actor, id).await?;
    let me = user.actor.acting_for.unwrap_or(user.actor.person_id).0;
    let my_turn = match a.state.as_str() {
        "drafted" if me == a.head_id => "sign",
        "head_signed" if me == a.leader_id => "approve",
        "approved" if user.actor.person_id.0 == a.keeper_id => "stamp",
        _ => "",
    };
    let is_applicant = me == a.applicant_id && ["drafted", "head_signed", "approved"].contains(&a.state.as_str());
    Ok(render(&ShowPage { ctx: &user.ctx, a, my_turn, is_applicant, has_eseal, signature }))
}

async fn act(st: &AppState, user: &User, id: SealApplicationId, action: ApplicationAction) -> AppResult<Redirect> {
    seals::act(&st.services, &user.actor, id, action, &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/seals/applications/{id}")))
}

async fn sign(State(st): State<AppState>, user: User, Path(id): Path<SealApplicationId>) -> AppResult<Redirect> {
    act(&st, &user, id, ApplicationAction::HeadSign).await
}

async fn approve(State(st): State<AppState>, user: User, Path(id): Path<SealApplicationId>) -> AppResult<Redirect> {
    act(&st, &user, id, ApplicationAction::LeaderApprove).await
}

#[derive(Deserialize)]
pub struct StampForm {
    #[serde(default)]
    copies: String,
}

async fn stamp(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<SealApplicationId>,
    Form(f): Form<StampForm>,
) -> AppResult<Redirect> {
    let copies = f
        .copies
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest { field: "copies", message: "a whole number".into() })?;
    act(&st, &user, id, ApplicationAction::Stamp { copies }).await
}

#[derive(Deserialize)]
pub struct ReasonForm {
    #[serde(default)]
    reason: String,
}

async fn reject(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<SealApplicationId>,
    Form(f): Form<ReasonForm>,
) -> AppResult<Redirect> {
    act(&st, &user, id, ApplicationAction::Reject { reason: f.reason }).await
}

async fn withdraw(State(st): State<AppState>, user: User, Path(id): Path<SealApplicationId>) -> AppResult<Redirect> {
    act(&st, &user, id, ApplicationAction::Withdraw).await
}
