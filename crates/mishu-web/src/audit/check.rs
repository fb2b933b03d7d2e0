//! Verifying the chain from the audit administrator's page: the report in words, one line
//! per break (the same findings `mishu audit verify` prints).

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::AppResult;
use crate::pages::render;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use mishu_domain::audit::ChainBreak;
use mishu_service::audit::{self, Origin, VerifyReport};

#[derive(Template)]
#[template(path = "audit/verify.html")]
struct VerifyPage<'a> {
    ctx: &'a Ctx,
    ok: bool,
    records: usize,
    lines: Vec<String>,
}

/// Each finding as a sentence in the reader's language.
pub fn describe(ctx: &Ctx, report: &VerifyReport) -> Vec<String> {
    let mut lines: Vec<String> = report
        .breaks
        .iter()
        .map(|b| match b {
            ChainBreak::Edited { seq } => ctx.tf("audit.break_edited", &[("seq", &seq.to_string())]),
            ChainBreak::Deleted { after_seq, missing_from, missing_to } => ctx.tf(
                "audit.break_deleted",
                &[
                    ("from", &missing_from.to_string()),
                    ("to", &missing_to.to_string()),
                    ("after", &after_seq.to_string()),
                ],
            ),
            ChainBreak::Reordered { seq, sealed_as } => {
                ctx.tf("audit.break_reordered", &[("seq", &seq.to_string()), ("sealed_as", &sealed_as.to_string())])
            }
            ChainBreak::Inserted { seq } => ctx.tf("audit.break_inserted", &[("seq", &seq.to_string())]),
        })
        .collect();
    if let Some(after) = report.truncated_after {
        lines.push(ctx.tf("audit.break_truncated", &[("after", &after.to_string())]));
    }
    lines
}

pub async fn verify(State(st): State<AppState>, user: User) -> AppResult<Response> {
    let report = audit::verify_as(&st.services, &Origin::of(&user.actor, &user.ctx.source_ip)).await?;
    let lines = describe(&user.ctx, &report);
    Ok(render(&VerifyPage { ctx: &user.ctx, ok: report.ok(), records: report.records, lines }))
}
