//! The forms that move an outgoing document: drafting (outline, materials, versions, the
//! review round), submit, check, countersign, sign-off, number, void, distribute, cancel,
//! and the receipts. Each handler turns the form into one service call and redirects back.

use crate::AppState;
use crate::ctx::User;
use crate::error::{AppError, AppResult};
use crate::routes::Routes;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Redirect;
use mishu_domain::outgoing::OutgoingAction as A;
use mishu_domain::{OutgoingId, OutgoingStepId, PersonId};
use mishu_service::outgoing::{self, MaterialInput};

pub fn routes(r: Routes) -> Routes {
    r.post("/outgoing/{id}/outline", outline)
        .post("/outgoing/{id}/materials", add_material)
        .post("/outgoing/{id}/materials/{material}", set_material)
        .post("/outgoing/{id}/versions", add_version)
        .post("/outgoing/{id}/review", open_review)
        .post("/outgoing/{id}/review/close", close_review)
        .post("/outgoing/{id}/submit", submit)
        .post("/outgoing/{id}/check", check)
        .post("/outgoing/{id}/withdraw", withdraw)
        .post("/outgoing/{id}/steps/{step}", step)
        .post("/outgoing/{id}/sign", sign)
        .post("/outgoing/{id}/register", register)
        .post("/outgoing/{id}/void", void)
        .post("/outgoing/{id}/distribute", distribute)
        .post("/outgoing/{id}/distribution/cancel", cancel_distribution)
        .post("/outgoing/{id}/receipts/{receipt}", receipt)
}

/// A urlencoded form read as pairs, so checkboxes may repeat (`reviewer=3&reviewer=5`).
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    pub fn one(&self, key: &str) -> &str {
        self.0.iter().find(|(k, _)| k == key).map_or("", |(_, v)| v.trim())
    }
    pub fn all(&self, key: &str) -> impl Iterator<Item = &str> {
        self.0.iter().filter(move |(k, _)| k == key).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
    }
}

type F = Form<Vec<(String, String)>>;

fn back(id: OutgoingId, anchor: &str) -> Redirect {
    Redirect::to(&format!("/outgoing/{id}{anchor}"))
}

async fn act(st: &AppState, user: &User, id: OutgoingId, action: A) -> AppResult<Redirect> {
    outgoing::act(&st.services, &user.actor, id, action, &user.ctx.source_ip).await?;
    Ok(back(id, ""))
}

async fn outline(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<OutgoingId>,
    Form(f): F,
) -> AppResult<Redirect> {
    let f = Fields(f);
    outgoing::set_outline(&st.services, &user.actor, id, f.one("intent"), f.one("outline"), &user.ctx.source_ip)
        .await?;
    Ok(back(id, "#outline"))
}

async fn add_material(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<OutgoingId>,
    Form(f): F,
) -> AppResult<Redirect> {
    let f = Fields(f);
    let rank = match f.one("rank") {
        "" => None,
        r => Some(r.parse().map_err(|_| AppError::BadRequest { field: "rank", message: "a number".into() })?),
    };
    let m = MaterialInput {
        kind: f.one("kind").into(),
        title: f.one("title").into(),
        reference: f.one("reference").into(),
        rank,
        note: f.one("note").into(),
    };
    outgoing::add_material(&st.services, &user.actor, id, m, &user.ctx.source_ip).await?;
    Ok(back(id, "#materials"))
}

async fn set_material(
    State(st): State<AppState>,
    user: User,
    Path((id, material)): Path<(OutgoingId, i64)>,
    Form(f): F,
) -> AppResult<Redirect> {
    let f = Fields(f);
    let rank = f.one("rank").parse().map_err(|_| AppError::BadRequest { field: "rank", message: "a number".into() })?;
    let kept = f.one("kept") == "true";
    outgoing::set_material(&st.services, &user.actor, id, material, rank, kept, &user.ctx.source_ip).await?;
    Ok(back(id, "#materials"))
}

async fn add_version(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<OutgoingId>,
    Form(f): F,
) -> AppResult<Redirect> {
    let f = Fields(f);
    outgoing::add_version(&st.services, &user.actor, id, f.one("body"), f.one("note"), &user.ctx.source_ip).await?;
    Ok(back(id, "#versions"))
}

fn people(f: &Fields, field: &'static str) -> AppResult<Vec<PersonId>> {
    f.all(field)
        .map(|p| p.parse().map_err(|_| AppError::BadRequest { field, message: "choose from the list".into() }))
        .collect()
}

async fn open_review(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<OutgoingId>,
    Form(f): F,
) -> AppResult<Redirect> {
    let reviewers = people(&Fields(f), "reviewer")?;
    act(&st, &user, id, A::OpenReview { reviewers }).await
}

async fn close_review(State(st): State<AppState>, user: User, Path(id): Path<OutgoingId>) -> AppResult<Redirect> {
    act(&st, &user, id, A::CloseReview).await
}

async fn submit(State(st): State<AppState>, user: User, Path(id): Path<OutgoingId>) -> AppResult<Redirect> {
    act(&st, &user, id, A::Submit).await
}

async fn check(State(st): State<AppState>, user: User, Path(id): Path<OutgoingId>, Form(f): F) -> AppResult<Redirect> {
    let f = Fields(f);
    act(&st, &user, id, A::Check { pass: f.one("pass") == "true", opinion: f.one("opinion").into() }).await
}

async fn withdraw(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<OutgoingId>,
    Form(f): F,
) -> AppResult<Redirect> {
    act(&st, &user, id, A::Withdraw { reason: Fields(f).one("reason").into() }).await
}

/// A review comment or a countersignature on the step the actor holds.
async fn step(
    State(st): State<AppState>,
    user: User,
    Path((id, step)): Path<(OutgoingId, OutgoingStepId)>,
    Form(f): F,
) -> AppResult<Redirect> {
    let f = Fields(f);
    let action = match f.one("kind") {
        "review" => A::Comment { step, text: f.one("text").into() },
        _ => A::Countersign { step, agree: f.one("agree") == "true", opinion: f.one("text").into() },
    };
    act(&st, &user, id, action).await
}

async fn sign(State(st): State<AppState>, user: User, Path(id): Path<OutgoingId>, Form(f): F) -> AppResult<Redirect> {
    let f = Fields(f);
    act(&st, &user, id, A::Sign { approve: f.one("approve") == "true", opinion: f.one("opinion").into() }).await
}

async fn register(State(st): State<AppState>, user: User, Path(id): Path<OutgoingId>) -> AppResult<Redirect> {
    act(&st, &user, id, A::Register).await
}

async fn void(State(st): State<AppState>, user: User, Path(id): Path<OutgoingId>, Form(f): F) -> AppResult<Redirect> {
    act(&st, &user, id, A::VoidNumber { reason: Fields(f).one("reason").into() }).await
}

async fn distribute(State(st): State<AppState>, user: User, Path(id): Path<OutgoingId>) -> AppResult<Redirect> {
    act(&st, &user, id, A::Distribute).await
}

async fn cancel_distribution(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<OutgoingId>,
    Form(f): F,
) -> AppResult<Redirect> {
    act(&st, &user, id, A::CancelDistribution { reason: Fields(f).one("reason").into() }).await
}

/// An internal recipient signs for their copy; the office records an external one.
async fn receipt(
    State(st): State<AppState>,
    user: User,
    Path((id, receipt)): Path<(OutgoingId, i64)>,
    Form(f): F,
) -> AppResult<Redirect> {
    let f = Fields(f);
    let (s, a, ip) = (&st.services, &user.actor, &user.ctx.source_ip);
    if f.one("external") == "true" {
        outgoing::record_external_receipt(s, a, id, receipt, f.one("confirmer"), f.one("channel"), f.one("note"), ip)
            .await?;
    } else {
        outgoing::confirm_receipt(s, a, id, receipt, ip).await?;
    }
    Ok(back(id, "#receipts"))
}
