//! Seals over JSON: the registry, the caller's seal-use applications, and verifying a PDF
//! sealed with an electronic seal.

use crate::AppState;
use crate::api::ApiError;
use crate::ctx::User;
use crate::error::AppResult;
use crate::routes::Routes;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::handler::Handler;
use axum::http::StatusCode;
use mishu_domain::{OutgoingId, SealId, Timestamp};
use mishu_service::files::MAX_FILE_BYTES;
use mishu_service::seals::esign::{self, Verdict};
use mishu_service::seals::{self, ApplicationRow, NewApplication, SealRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/seals", list)
        .get("/api/v1/seal-applications", applications)
        .post("/api/v1/seal-applications", apply)
        .post("/api/v1/seals/verify", verify.layer(DefaultBodyLimit::max(MAX_FILE_BYTES + 1024)))
}

/// A registered seal (印章).
#[derive(Serialize, ToSchema)]
pub struct SealView {
    id: i64,
    name: String,
    /// `party_committee`, `administration`, `division`, `section`, `party_branch`, `name_seal`, `special`.
    kind: String,
    diameter_mm: i64,
    issuer: String,
    department_id: Option<i64>,
    keeper_id: i64,
    keeper_name: String,
    /// `active` or `decommissioned`.
    state: String,
}

impl From<SealRow> for SealView {
    fn from(s: SealRow) -> Self {
        SealView {
            id: s.seal_id,
            name: s.name,
            kind: s.kind,
            diameter_mm: s.diameter_mm,
            issuer: s.issuer,
            department_id: s.department_id,
            keeper_id: s.keeper_id,
            keeper_name: s.keeper_name,
            state: s.state,
        }
    }
}

/// A seal-use application (用印申请).
#[derive(Serialize, ToSchema)]
pub struct ApplicationView {
    id: i64,
    seal_id: i64,
    seal_name: String,
    applicant_name: String,
    department_name: String,
    document_title: String,
    purpose: String,
    copies: i64,
    head_name: String,
    leader_name: String,
    /// `drafted`, `head_signed`, `approved`, `stamped`, `rejected` or `withdrawn`.
    state: String,
    /// RFC 3339, UTC.
    head_signed_at: Option<String>,
    leader_signed_at: Option<String>,
    /// The outgoing document (发文) to be sealed, when it is one from the system.
    outgoing_id: Option<i64>,
}

impl From<ApplicationRow> for ApplicationView {
    fn from(a: ApplicationRow) -> Self {
        ApplicationView {
            id: a.application_id,
            seal_id: a.seal_id,
            seal_name: a.seal_name,
            applicant_name: a.applicant_name,
            department_name: a.department_name,
            document_title: a.document_title,
            purpose: a.purpose,
            copies: a.copies,
            head_name: a.head_name,
            leader_name: a.leader_name,
            state: a.state,
            head_signed_at: a.head_signed_at.map(|t| Timestamp(t).rfc3339()),
            leader_signed_at: a.leader_signed_at.map(|t| Timestamp(t).rfc3339()),
            outgoing_id: a.outgoing_id,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/seals", operation_id = "list_seals", responses((status = 200, body = [SealView]), (status = 403, body = ApiError), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 503, body = ApiError), (status = 507, body = ApiError)))]
pub async fn list(State(st): State<AppState>, user: User) -> AppResult<Json<Vec<SealView>>> {
    let items = seals::list(&st.services, &user.actor).await?;
    Ok(Json(items.into_iter().map(Into::into).collect()))
}

/// Applications the caller made, must sign, or (as keeper) may stamp.
#[utoipa::path(get, path = "/api/v1/seal-applications", responses((status = 200, body = [ApplicationView]), (status = 403, body = ApiError), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 503, body = ApiError), (status = 507, body = ApiError)))]
pub async fn applications(State(st): State<AppState>, user: User) -> AppResult<Json<Vec<ApplicationView>>> {
    let items = seals::my_applications(&st.services, &user.actor).await?;
    Ok(Json(items.into_iter().map(Into::into).collect()))
}

/// A new seal-use application for the caller's own department.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplyRequest {
    seal_id: i64,
    /// What is to be sealed; may be left out when `outgoing_id` names the document.
    #[serde(default)]
    document_title: String,
    purpose: String,
    /// 1–999.
    copies: i64,
    /// An outgoing document (发文) the caller may read, signed off, registered or distributed.
    outgoing_id: Option<i64>,
}

/// Files an application; the caller's department head signs first (R7.4).
#[utoipa::path(post, path = "/api/v1/seal-applications", request_body = ApplyRequest, responses((status = 201, body = ApplicationView), (status = 422, body = ApiError), (status = 409, body = ApiError)))]
pub async fn apply(
    State(st): State<AppState>,
    user: User,
    Json(r): Json<ApplyRequest>,
) -> AppResult<(StatusCode, Json<ApplicationView>)> {
    let n = NewApplication {
        seal_id: SealId(r.seal_id),
        document_title: r.document_title,
        purpose: r.purpose,
        copies: r.copies.to_string(),
        outgoing_id: r.outgoing_id.map(OutgoingId),
    };
    let id = seals::apply(&st.services, &user.actor, n, &user.ctx.source_ip).await?;
    let a = seals::application(&st.services, &user.actor, id).await?;
    Ok((StatusCode::CREATED, Json(a.into())))
}

/// The verdict on a sealed PDF (GB/T 38540 checks).
#[derive(Serialize, ToSchema)]
pub struct VerdictView {
    /// True only when every check passed.
    intact: bool,
    /// The first failed check: `changed_after_sealing`, `digest`, `signature`, `seal_signature`,
    /// `signer_not_in_seal` or `outside_validity`.
    failure: Option<String>,
    seal_name: Option<String>,
    es_id: Option<String>,
    /// RFC 3339, UTC.
    signed_at: Option<String>,
    /// SM3 of the signing public key, hex.
    fingerprint: Option<String>,
    /// The seal in this organ's registry that holds the key, if any.
    registry_seal_id: Option<i64>,
    /// Its state now: `active` or `decommissioned`.
    registry_state: Option<String>,
}

impl From<Verdict> for VerdictView {
    fn from(v: Verdict) -> Self {
        VerdictView {
            intact: v.intact,
            failure: v.failure.map(str::to_string),
            seal_name: v.seal_name,
            es_id: v.es_id,
            signed_at: v.signed_at.map(|t| Timestamp(t).rfc3339()),
            fingerprint: v.fingerprint,
            registry_seal_id: v.registry.as_ref().map(|r| r.seal_id),
            registry_state: v.registry.map(|r| r.state),
        }
    }
}

/// Verifies a sealed PDF sent as the raw request body (any Content-Type; the file's bytes
/// decide). A file that is not a PDF or carries no seal is a 422; a damaged one is
/// `intact: false`.
#[utoipa::path(post, path = "/api/v1/seals/verify", request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The sealed PDF's bytes"),
    responses((status = 200, body = VerdictView), (status = 422, body = ApiError)))]
pub async fn verify(State(st): State<AppState>, _user: User, body: Bytes) -> AppResult<Json<VerdictView>> {
    Ok(Json(esign::verify(&st.services, &body).await?.into()))
}
