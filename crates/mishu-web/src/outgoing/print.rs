//! What leaves the screen: the printable 发文稿纸 (drafter, checker, countersigners with their
//! opinions, signer and date, number, recipients, copies, classification), the PDF of a
//! registered document, and the office's number ledger with voids and gaps.

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::pages::render;
use crate::routes::Routes;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use mishu_domain::OutgoingId;
use mishu_service::org;
use mishu_service::outgoing::{self, Ledger, OutgoingView, StepRow};
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/outgoing/{id}/slip", slip).get("/outgoing/{id}/pdf", pdf).get("/outgoing-ledger", ledger)
}

#[derive(Template)]
#[template(path = "outgoing/slip.html")]
struct SlipPage<'a> {
    ctx: &'a Ctx,
    v: OutgoingView,
    organ: String,
    countersigns: Vec<StepRow>,
    printed_at: i64,
}

async fn slip(State(st): State<AppState>, user: User, Path(id): Path<OutgoingId>) -> AppResult<Response> {
    let v = outgoing::print_slip(&st.services, &user.actor, id, &user.ctx.source_ip).await?;
    let organ = org::organ(&st.services).await?.map(|o| o.name).unwrap_or_default();
    // The last countersign round is what the paper shows; objections of earlier rounds stay in the history.
    let round = v.steps.iter().filter(|s| s.kind == "countersign").map(|s| s.round).max().unwrap_or(0);
    let countersigns = v.steps.iter().filter(|s| s.kind == "countersign" && s.round == round).cloned().collect();
    let printed_at = st.services.clock.now().0;
    Ok(render(&SlipPage { ctx: &user.ctx, v, organ, countersigns, printed_at }))
}

async fn pdf(State(st): State<AppState>, user: User, Path(id): Path<OutgoingId>) -> AppResult<Response> {
    let (name, bytes) = outgoing::pdf(&st.services, &user.actor, id, &user.ctx.source_ip).await?;
    let disposition = format!("inline; filename=\"outgoing-{id}.pdf\"; filename*=UTF-8''{}.pdf", urlencode(&name));
    Ok(([(header::CONTENT_TYPE, "application/pdf".to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response())
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }
        })
        .collect()
}

#[derive(Deserialize, Default)]
struct LedgerQuery {
    #[serde(default)]
    prefix: String,
    #[serde(default)]
    year: String,
}

#[derive(Template)]
#[template(path = "outgoing/ledger.html")]
struct LedgerPage<'a> {
    ctx: &'a Ctx,
    l: Ledger,
}

async fn ledger(State(st): State<AppState>, user: User, Query(q): Query<LedgerQuery>) -> AppResult<Response> {
    let year = match q.year.trim() {
        "" => None,
        y => Some(
            y.parse::<i64>()
                .map_err(|_| AppError::BadRequest { field: "year", message: "a year such as 2026".into() })?,
        ),
    };
    let prefix = Some(q.prefix.trim()).filter(|p| !p.is_empty());
    let l = outgoing::ledger(&st.services, &user.actor, prefix, year).await?;
    Ok(render(&LedgerPage { ctx: &user.ctx, l }))
}
