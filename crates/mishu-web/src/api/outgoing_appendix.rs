//! An outgoing draft's attachments (附件) and 附注, and the copy register (份号) of a classified
//! document, over JSON; the same services as the pages. Printing a copy (its PDF) is a page
//! action: the register here shows what was printed and records issue, return and destruction.

use super::outgoing::OutgoingDetail;
use crate::AppState;
use crate::api::ApiError;
use crate::ctx::User;
use crate::error::AppResult;
use crate::routes::Routes;
use axum::Json;
use axum::extract::{Path, State};
use mishu_domain::OutgoingId;
use mishu_domain::Timestamp;
use mishu_service::outgoing::{self, CopyLine};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.post("/api/v1/outgoing/{id}/attachments", add_attachment)
        .post("/api/v1/outgoing/{id}/attachments/{attachment}/remove", remove_attachment)
        .post("/api/v1/outgoing/{id}/annotation", annotation)
        .get("/api/v1/outgoing/{id}/copies", copies)
        .post("/api/v1/outgoing/{id}/copies/{n}", record_copy)
}

/// A new attachment: its name, and its text when it is printed with the document (empty:
/// sent separately, only named in the 附件说明).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttachmentRequest {
    title: String,
    #[serde(default)]
    body: String,
}

#[utoipa::path(post, path = "/api/v1/outgoing/{id}/attachments", params(("id" = i64, Path)), request_body = AttachmentRequest, responses((status = 200, body = OutgoingDetail), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn add_attachment(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<OutgoingId>,
    Json(r): Json<AttachmentRequest>,
) -> AppResult<Json<OutgoingDetail>> {
    let (s, a, ip) = (&st.services, &user.actor, &user.ctx.source_ip);
    outgoing::add_attachment(s, a, id, &r.title, &r.body, ip).await?;
    Ok(Json(outgoing::get(s, a, id, ip).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/outgoing/{id}/attachments/{attachment}/remove", params(("id" = i64, Path), ("attachment" = i64, Path)), responses((status = 200, body = OutgoingDetail), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn remove_attachment(
    State(st): State<AppState>,
    user: User,
    Path((id, attachment)): Path<(OutgoingId, i64)>,
) -> AppResult<Json<OutgoingDetail>> {
    let (s, a, ip) = (&st.services, &user.actor, &user.ctx.source_ip);
    outgoing::remove_attachment(s, a, id, attachment, ip).await?;
    Ok(Json(outgoing::get(s, a, id, ip).await?.into()))
}

/// The 附注 (one line; empty removes it).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnnotationRequest {
    annotation: String,
}

#[utoipa::path(post, path = "/api/v1/outgoing/{id}/annotation", params(("id" = i64, Path)), request_body = AnnotationRequest, responses((status = 200, body = OutgoingDetail), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn annotation(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<OutgoingId>,
    Json(r): Json<AnnotationRequest>,
) -> AppResult<Json<OutgoingDetail>> {
    let (s, a, ip) = (&st.services, &user.actor, &user.ctx.source_ip);
    outgoing::set_annotation(s, a, id, &r.annotation, ip).await?;
    Ok(Json(outgoing::get(s, a, id, ip).await?.into()))
}

/// One numbered copy of a classified document.
#[derive(Serialize, ToSchema)]
pub struct CopyEntry {
    copy_no: i64,
    /// 份号 as printed, six digits.
    label: String,
    /// `unprinted`, `printed`, `issued`, `returned`, `destroyed`.
    state: String,
    holder: Option<String>,
    prints: i64,
    note: Option<String>,
    updated_at: Option<String>,
}

fn entries(lines: Vec<CopyLine>) -> Vec<CopyEntry> {
    lines
        .into_iter()
        .map(|l| CopyEntry {
            copy_no: l.copy_no,
            label: l.label,
            state: l.state.to_string(),
            holder: l.row.as_ref().map(|r| r.holder.clone()).filter(|h| !h.is_empty()),
            prints: l.row.as_ref().map_or(0, |r| r.prints),
            note: l.row.as_ref().map(|r| r.note.clone()).filter(|n| !n.is_empty()),
            updated_at: l.row.as_ref().map(|r| Timestamp(r.updated_at).rfc3339()),
        })
        .collect()
}

#[utoipa::path(get, path = "/api/v1/outgoing/{id}/copies", params(("id" = i64, Path)), responses((status = 200, body = [CopyEntry]), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn copies(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<OutgoingId>,
) -> AppResult<Json<Vec<CopyEntry>>> {
    Ok(Json(entries(outgoing::copy_register(&st.services, &user.actor, id, &user.ctx.source_ip).await?.1)))
}

/// A move of one copy: `issue` (with `holder`), `return`, or `destroy` (with `reason`).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CopyRequest {
    action: String,
    #[serde(default)]
    holder: String,
    #[serde(default)]
    reason: String,
}

#[utoipa::path(post, path = "/api/v1/outgoing/{id}/copies/{n}", params(("id" = i64, Path), ("n" = i64, Path)), request_body = CopyRequest, responses((status = 200, body = [CopyEntry]), (status = 400, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn record_copy(
    State(st): State<AppState>,
    user: User,
    Path((id, n)): Path<(OutgoingId, i64)>,
    Json(r): Json<CopyRequest>,
) -> AppResult<Json<Vec<CopyEntry>>> {
    let (s, a, ip) = (&st.services, &user.actor, &user.ctx.source_ip);
    let action = crate::outgoing::copy_action(r.action.trim(), &r.holder, &r.reason)?;
    outgoing::record_copy(s, a, id, n, action, ip).await?;
    Ok(Json(entries(outgoing::copy_register(s, a, id, ip).await?.1)))
}
