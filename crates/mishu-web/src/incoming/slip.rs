//! The printable 收文处理单: laid out like the paper form offices file with the document —
//! registration block, the proposal, every leader's instruction with name and date (blank
//! space left for leaders not yet reached, who often sign the paper by hand), the
//! departments' results and the outcome. The print stylesheet fits it on A4; the same
//! content as a PDF comes from the service (`incoming::slip_pdf`).

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::AppResult;
use crate::i18n::FormLabels;
use crate::pages::render;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use mishu_domain::IncomingId;
use mishu_service::incoming::{self, IncomingView, StepRow, on_paper};
use mishu_service::org;

#[derive(Template)]
#[template(path = "incoming/slip.html")]
struct SlipPage<'a> {
    ctx: &'a Ctx,
    v: IncomingView,
    organ: String,
    leaders: Vec<StepRow>,
    departments: Vec<StepRow>,
    printed_at: i64,
}

pub async fn page(State(st): State<AppState>, user: User, Path(id): Path<IncomingId>) -> AppResult<Response> {
    let v = incoming::get(&st.services, &user.actor, id, &user.ctx.source_ip).await?;
    let organ = org::organ(&st.services).await?.map(|o| o.name).unwrap_or_default();
    let leaders = v.steps.iter().filter(|s| s.stage == "leader" && on_paper(s)).cloned().collect();
    let departments = v.steps.iter().filter(|s| s.stage == "department" && on_paper(s)).cloned().collect();
    let printed_at = st.services.clock.now().0;
    Ok(render(&SlipPage { ctx: &user.ctx, v, organ, leaders, departments, printed_at }))
}

/// The same slip as a PDF, labelled in the viewer's language.
pub async fn pdf(State(st): State<AppState>, user: User, Path(id): Path<IncomingId>) -> AppResult<Response> {
    let labels = FormLabels(user.ctx.locale);
    let (name, bytes) = incoming::slip_pdf(&st.services, &user.actor, id, &user.ctx.source_ip, &labels).await?;
    Ok(crate::pages::pdf(&format!("incoming-slip-{id}"), &name, bytes))
}
