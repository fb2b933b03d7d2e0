//! Outgoing documents (发文) over JSON: the list, one document with its route and receipts,
//! a new draft, a new version, every move on the route and the receipts, calling the same
//! services as the pages.

use crate::AppState;
use crate::api::ApiError;
use crate::ctx::User;
use crate::error::AppResult;
use crate::routes::Routes;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use mishu_domain::outgoing::{DraftInput, OutgoingAction, RecipientInput};
use mishu_domain::{OutgoingId, OutgoingStepId, PersonId, Timestamp};
use mishu_service::outgoing::{self, OutgoingBox, OutgoingRow, OutgoingView};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/outgoing", list)
        .post("/api/v1/outgoing", create)
        .get("/api/v1/outgoing/{id}", get)
        .post("/api/v1/outgoing/{id}/versions", add_version)
        .post("/api/v1/outgoing/{id}/actions", act)
        .post("/api/v1/outgoing/{id}/receipts/{receipt}", receipt)
}

/// An outgoing document.
#[derive(Serialize, ToSchema)]
pub struct OutgoingDoc {
    id: i64,
    title: String,
    /// One of the 15 types (`notice`, `request`, `report`, …).
    doc_type: String,
    /// `up`, `down` or `lateral`.
    direction: String,
    classification: String,
    /// `drafting`, `checking`, `countersigning`, `awaiting_signature`, `signed`, `registered`, `distributed`, `withdrawn`.
    state: String,
    /// 发文字号, once registered, e.g. `江职院发〔2026〕12号`.
    number: Option<String>,
    drafter: String,
    signer: String,
    /// 成文日期 (YYYY-MM-DD), fixed by the sign-off.
    signed_on: Option<String>,
    updated_at: String,
}

impl From<OutgoingRow> for OutgoingDoc {
    fn from(d: OutgoingRow) -> Self {
        OutgoingDoc {
            id: d.outgoing_id,
            title: d.title,
            doc_type: d.doc_type,
            direction: d.direction,
            classification: d.classification,
            state: d.state,
            number: d.doc_number,
            drafter: d.drafter_name,
            signer: d.signer_name,
            signed_on: d.signed_on,
            updated_at: Timestamp(d.updated_at).rfc3339(),
        }
    }
}

/// A step on the route: a review comment, a countersignature or the sign-off.
#[derive(Serialize, ToSchema)]
pub struct RouteStep {
    id: i64,
    /// `review`, `countersign` or `sign`.
    kind: String,
    person: String,
    /// `waiting`, `open`, `done`, `objected`, `cancelled`.
    state: String,
    opinion: Option<String>,
}

/// One recipient's receipt (签收).
#[derive(Serialize, ToSchema)]
pub struct Receipt {
    id: i64,
    recipient: String,
    /// `main` or `copy`.
    role: String,
    /// `pending`, `confirmed`, `cancelled`.
    state: String,
    confirmed_by: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct OutgoingDetail {
    document: OutgoingDoc,
    steps: Vec<RouteStep>,
    versions: usize,
    /// Codes of the current check findings (核稿), e.g. `title_ends_in_punctuation`.
    findings: Vec<String>,
    receipts: Vec<Receipt>,
    /// 附件 in their printed order.
    attachments: Vec<AttachmentEntry>,
    /// 附注, without its parentheses; empty for none.
    annotation: String,
}

/// One attachment (附件).
#[derive(Serialize, ToSchema)]
pub struct AttachmentEntry {
    id: i64,
    title: String,
    /// Printed with the document from a new page (false: sent separately, only named).
    printed: bool,
}

impl From<OutgoingView> for OutgoingDetail {
    fn from(v: OutgoingView) -> Self {
        OutgoingDetail {
            steps: v
                .steps
                .into_iter()
                .map(|s| RouteStep {
                    id: s.step_id,
                    kind: s.kind,
                    person: s.person_name,
                    state: s.state,
                    opinion: s.opinion,
                })
                .collect(),
            versions: v.versions.len(),
            findings: v.findings.iter().map(|f| f.code.to_string()).collect(),
            receipts: v
                .receipts
                .into_iter()
                .map(|r| Receipt {
                    id: r.receipt_id,
                    recipient: r.recipient_name,
                    role: r.role,
                    state: r.state,
                    confirmed_by: r.confirmer_name,
                })
                .collect(),
            attachments: v
                .attachments
                .into_iter()
                .map(|a| AttachmentEntry { id: a.attachment_id, printed: !a.body.trim().is_empty(), title: a.title })
                .collect(),
            annotation: v.doc.annotation.clone(),
            document: v.doc.into(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct ListQuery {
    /// `all`, `waiting`, `mine` or `unconfirmed`.
    #[serde(default, rename = "box")]
    boxed: String,
}

#[utoipa::path(get, path = "/api/v1/outgoing", operation_id = "list_outgoing", params(("box" = Option<String>, Query)), responses((status = 200, body = [OutgoingDoc])))]
pub async fn list(
    State(st): State<AppState>,
    user: User,
    Query(q): Query<ListQuery>,
) -> AppResult<Json<Vec<OutgoingDoc>>> {
    let rows = outgoing::list(&st.services, &user.actor, OutgoingBox::parse(&q.boxed), None).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

#[utoipa::path(get, path = "/api/v1/outgoing/{id}", operation_id = "get_outgoing", params(("id" = i64, Path)), responses((status = 200, body = OutgoingDetail), (status = 404, body = ApiError)))]
pub async fn get(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<OutgoingId>,
) -> AppResult<Json<OutgoingDetail>> {
    Ok(Json(outgoing::get(&st.services, &user.actor, id, &user.ctx.source_ip).await?.into()))
}

/// A recipient: `kind` is `department` or `person` (value = id) or `external` (value = organ name).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecipientRequest {
    /// `main` (主送) or `copy` (抄送).
    role: String,
    kind: String,
    value: String,
}

/// A new draft.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRequest {
    title: String,
    /// A code or the Chinese name (`通知`, `请示`, …).
    doc_type: String,
    #[serde(default)]
    direction: String,
    #[serde(default)]
    classification: String,
    #[serde(default)]
    secrecy_period: String,
    #[serde(default)]
    urgency: String,
    /// 机关代字, e.g. `江职院发`.
    prefix: String,
    #[serde(default)]
    intent: String,
    /// The signing leader's person id.
    signer: Option<i64>,
    #[serde(default)]
    countersigners: Vec<i64>,
    #[serde(default)]
    countersign_parallel: bool,
    #[serde(default)]
    recipients: Vec<RecipientRequest>,
    copies: Option<i64>,
}

#[utoipa::path(post, path = "/api/v1/outgoing", request_body = CreateRequest, responses((status = 201, body = OutgoingDetail), (status = 422, body = ApiError)))]
pub async fn create(
    State(st): State<AppState>,
    user: User,
    Json(r): Json<CreateRequest>,
) -> AppResult<(StatusCode, Json<OutgoingDetail>)> {
    let input = DraftInput {
        title: r.title,
        doc_type: r.doc_type,
        direction: r.direction,
        classification: r.classification,
        secrecy_period: r.secrecy_period,
        urgency: r.urgency,
        prefix: r.prefix,
        intent: r.intent,
        signer: r.signer.map(PersonId),
        countersigners: r.countersigners.into_iter().map(PersonId).collect(),
        countersign_parallel: r.countersign_parallel,
        recipients: r
            .recipients
            .into_iter()
            .map(|x| RecipientInput { role: x.role, kind: x.kind, value: x.value })
            .collect(),
        copies: r.copies,
    };
    let id = outgoing::create(&st.services, &user.actor, input, &user.ctx.source_ip).await?;
    let v = outgoing::get(&st.services, &user.actor, id, &user.ctx.source_ip).await?;
    Ok((StatusCode::CREATED, Json(v.into())))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionRequest {
    body: String,
    #[serde(default)]
    note: String,
}

#[utoipa::path(post, path = "/api/v1/outgoing/{id}/versions", params(("id" = i64, Path)), request_body = VersionRequest, responses((status = 200, body = OutgoingDetail), (status = 422, body = ApiError)))]
pub async fn add_version(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<OutgoingId>,
    Json(r): Json<VersionRequest>,
) -> AppResult<Json<OutgoingDetail>> {
    outgoing::add_version(&st.services, &user.actor, id, &r.body, &r.note, &user.ctx.source_ip).await?;
    Ok(Json(outgoing::get(&st.services, &user.actor, id, &user.ctx.source_ip).await?.into()))
}

/// One move on the route, tagged by `action`.
#[derive(Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum ActionRequest {
    OpenReview {
        reviewers: Vec<i64>,
    },
    Comment {
        step: i64,
        text: String,
    },
    CloseReview,
    Submit,
    Check {
        pass: bool,
        #[serde(default)]
        opinion: String,
    },
    Withdraw {
        reason: String,
    },
    Countersign {
        step: i64,
        agree: bool,
        #[serde(default)]
        opinion: String,
    },
    Sign {
        approve: bool,
        #[serde(default)]
        opinion: String,
    },
    /// 登记: assigns the next 发文字号.
    Register,
    VoidNumber {
        reason: String,
    },
    Distribute,
    CancelDistribution {
        reason: String,
    },
}

#[utoipa::path(post, path = "/api/v1/outgoing/{id}/actions", operation_id = "act_on_outgoing", params(("id" = i64, Path)), request_body = ActionRequest, responses((status = 200, body = OutgoingDetail), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn act(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<OutgoingId>,
    Json(r): Json<ActionRequest>,
) -> AppResult<Json<OutgoingDetail>> {
    use ActionRequest as R;
    use OutgoingAction as A;
    let action = match r {
        R::OpenReview { reviewers } => A::OpenReview { reviewers: reviewers.into_iter().map(PersonId).collect() },
        R::Comment { step, text } => A::Comment { step: OutgoingStepId(step), text },
        R::CloseReview => A::CloseReview,
        R::Submit => A::Submit,
        R::Check { pass, opinion } => A::Check { pass, opinion },
        R::Withdraw { reason } => A::Withdraw { reason },
        R::Countersign { step, agree, opinion } => A::Countersign { step: OutgoingStepId(step), agree, opinion },
        R::Sign { approve, opinion } => A::Sign { approve, opinion },
        R::Register => A::Register,
        R::VoidNumber { reason } => A::VoidNumber { reason },
        R::Distribute => A::Distribute,
        R::CancelDistribution { reason } => A::CancelDistribution { reason },
    };
    outgoing::act(&st.services, &user.actor, id, action, &user.ctx.source_ip).await?;
    Ok(Json(outgoing::get(&st.services, &user.actor, id, &user.ctx.source_ip).await?.into()))
}

/// Sign for a copy (internal recipient), or record an external organ's confirmation (office).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiptRequest {
    /// For an external organ: who confirmed and how (phone, 机要交通…).
    confirmer: Option<String>,
    channel: Option<String>,
    #[serde(default)]
    note: String,
}

#[utoipa::path(post, path = "/api/v1/outgoing/{id}/receipts/{receipt}", params(("id" = i64, Path), ("receipt" = i64, Path)), request_body = ReceiptRequest, responses((status = 200, body = OutgoingDetail), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn receipt(
    State(st): State<AppState>,
    user: User,
    Path((id, receipt)): Path<(OutgoingId, i64)>,
    Json(r): Json<ReceiptRequest>,
) -> AppResult<Json<OutgoingDetail>> {
    let (s, a, ip) = (&st.services, &user.actor, &user.ctx.source_ip);
    match (r.confirmer, r.channel) {
        (Some(c), Some(ch)) => outgoing::record_external_receipt(s, a, id, receipt, &c, &ch, &r.note, ip).await?,
        _ => outgoing::confirm_receipt(s, a, id, receipt, ip).await?,
    }
    Ok(Json(outgoing::get(s, a, id, ip).await?.into()))
}
