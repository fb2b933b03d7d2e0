//! What leaves the screen: the printable 发文稿纸 (drafter, checker, countersigners with their
//! opinions, signer and date, number, recipients, copies, classification) as a page and as
//! a PDF, the PDF of a registered document, and the office's number ledger with voids and gaps.

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::i18n::FormLabels;
use crate::pages::render;
use crate::routes::Routes;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use mishu_domain::OutgoingId;
use mishu_service::org;
use mishu_service::outgoing::{self, Ledger, OutgoingView, StepRow};
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/outgoing/{id}/slip", slip)
        .get("/outgoing/{id}/draft-sheet.pdf", draft_sheet_pdf)
        .get("/outgoing/{id}/pdf", pdf)
        .get("/outgoing-ledger", ledger)
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
    let countersigns = outgoing::countersigns(&v).into_iter().cloned().collect();
    let printed_at = st.services.clock.now().0;
    Ok(render(&SlipPage { ctx: &user.ctx, v, organ, countersigns, printed_at }))
}

async fn pdf(State(st): State<AppState>, user: User, Path(id): Path<OutgoingId>) -> AppResult<Response> {
    let (name, bytes) = outgoing::pdf(&st.services, &user.actor, id, &user.ctx.source_ip).await?;
    Ok(crate::pages::pdf(&format!("outgoing-{id}"), &name, bytes))
}

/// The 发文稿纸 as a PDF, labelled in the viewer's language.
async fn draft_sheet_pdf(State(st): State<AppState>, user: User, Path(id): Path<OutgoingId>) -> AppResult<Response> {
    let labels = FormLabels(user.ctx.locale);
    let (name, bytes) = outgoing::draft_sheet_pdf(&st.services, &user.actor, id, &user.ctx.source_ip, &labels).await?;
    Ok(crate::pages::pdf(&format!("outgoing-sheet-{id}"), &name, bytes))
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
