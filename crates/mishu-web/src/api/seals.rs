//! Seals over JSON, read-only for now: the registry and the caller's seal-use applications.

use crate::AppState;
use crate::api::ApiError;
use crate::ctx::User;
use crate::error::AppResult;
use crate::routes::Routes;
use axum::Json;
use axum::extract::State;
use mishu_domain::Timestamp;
use mishu_service::seals::{self, ApplicationRow, SealRow};
use serde::Serialize;
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/seals", list).get("/api/v1/seal-applications", applications)
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
        }
    }
}

#[utoipa::path(get, path = "/api/v1/seals", responses((status = 200, body = [SealView]), (status = 403, body = ApiError), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 503, body = ApiError), (status = 507, body = ApiError)))]
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
