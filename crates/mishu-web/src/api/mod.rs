//! The JSON API under `/api/v1`: the same services as the pages, token or session auth,
//! errors as `{"code", "message", "field"}`, described by the OpenAPI document it serves.

mod archives;
mod circulation;
mod doc;
mod equipment;
mod incoming;
mod leader_tasks;
mod meeting_logistics;
mod meetings;
mod outgoing;
mod outgoing_appendix;
mod seals;
mod search;

use crate::AppState;
use crate::ctx::User;
use crate::error::{AppResult, ErrorInfo};
use crate::routes::Routes;
use axum::Json;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use mishu_domain::tasks::InboxBox;
use mishu_service::tasks;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

pub fn routes(r: Routes) -> Routes {
    let r = r.get("/api/v1/openapi.json", openapi).get("/api/v1/me", me).get("/api/v1/inbox", inbox);
    let r = leader_tasks::routes(r);
    let r = incoming::routes(r);
    let r = circulation::routes(r);
    let r = outgoing::routes(r);
    let r = outgoing_appendix::routes(r);
    let r = seals::routes(r);
    let r = archives::routes(r);
    let r = search::routes(r);
    let r = meeting_logistics::routes(r);
    let r = equipment::routes(r);
    meetings::routes(r)
}

/// An error, as every API route reports it.
#[derive(Serialize, ToSchema)]
pub struct ApiError {
    /// Stable machine code, e.g. `invalid`, `not_found`, `forbidden`, `csrf`, `no_answer`.
    code: String,
    /// English description naming the problem.
    message: String,
    /// The request field at fault, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<String>,
}

pub fn error_json(info: &ErrorInfo) -> Response {
    let body = ApiError { code: info.code.to_string(), message: info.detail.clone(), field: info.field.clone() };
    let mut res = (info.status, Json(body)).into_response();
    if info.status == axum::http::StatusCode::UNAUTHORIZED {
        res.headers_mut().insert("www-authenticate", axum::http::HeaderValue::from_static("Bearer"));
    }
    res
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Mishu API",
        version = "1",
        description = "Mishu (秘书) office automation: inbox, leader-assigned tasks, received documents (收文), outgoing documents (发文), seals, room bookings, archives and search across them. Authenticate with `Authorization: Bearer <token>`; with a session cookie, unsafe methods need the `X-CSRF-Token` header."
    ),
    paths(
        me,
        inbox,
        leader_tasks::list,
        leader_tasks::give,
        leader_tasks::get,
        leader_tasks::answer,
        leader_tasks::return_,
        leader_tasks::close,
        incoming::list,
        incoming::get,
        incoming::register,
        incoming::act,
        circulation::list,
        circulation::circulate,
        circulation::read,
        circulation::recall,
        outgoing::list,
        outgoing::get,
        outgoing::create,
        outgoing::add_version,
        outgoing::act,
        outgoing::receipt,
        outgoing_appendix::add_attachment,
        outgoing_appendix::remove_attachment,
        outgoing_appendix::annotation,
        outgoing_appendix::copies,
        outgoing_appendix::record_copy,
        seals::list,
        seals::applications,
        seals::apply,
        seals::verify,
        meetings::list_rooms,
        meetings::list_bookings,
        meetings::request,
        meetings::reschedule,
        equipment::list_equipment,
        meetings::arrangement,
        meetings::publish,
        meeting_logistics::list,
        meeting_logistics::add,
        meeting_logistics::edit,
        meeting_logistics::set_state,
        meeting_logistics::add_attendee,
        meeting_logistics::remove_attendee,
        archives::list,
        archives::file,
        archives::get,
        archives::chronicle_list,
        archives::materials_search,
        search::search_api
    ),
    components(schemas(
        ApiError,
        Me,
        InboxEntry,
        leader_tasks::LeaderTaskView,
        leader_tasks::GiveRequest,
        leader_tasks::TextRequest,
        incoming::IncomingDoc,
        incoming::StepView,
        incoming::IncomingDetail,
        incoming::RegisterRequest,
        incoming::RegisterResponse,
        incoming::DepartmentDeadline,
        incoming::ActionRequest,
        circulation::CopyView,
        circulation::CirculateRequest,
        circulation::CirculateResponse,
        circulation::RecallRequest,
        circulation::RecallResponse,
        outgoing::OutgoingDoc,
        outgoing::RouteStep,
        outgoing::Receipt,
        outgoing::OutgoingDetail,
        outgoing::RecipientRequest,
        outgoing::CreateRequest,
        outgoing::VersionRequest,
        outgoing::ActionRequest,
        outgoing::ReceiptRequest,
        outgoing::AttachmentEntry,
        outgoing_appendix::AttachmentRequest,
        outgoing_appendix::AnnotationRequest,
        outgoing_appendix::CopyEntry,
        outgoing_appendix::CopyRequest,
        seals::SealView,
        seals::ApplicationView,
        seals::ApplyRequest,
        seals::VerdictView,
        meetings::RoomView,
        meetings::BookingView,
        meetings::BookingRequestBody,
        meetings::RescheduleBody,
        equipment::EquipmentView,
        equipment::BookedItemView,
        meetings::ArrangementEntryView,
        meetings::ArrangementChangeView,
        meetings::ArrangementView,
        meetings::PublishBody,
        meeting_logistics::LogisticsItemView,
        meeting_logistics::ItemBody,
        meeting_logistics::StateBody,
        meeting_logistics::AttendeeView,
        meeting_logistics::AttendeeBody,
        archives::ItemLine,
        archives::FileBody,
        archives::ChronicleEntry,
        archives::Material,
        search::SearchResults,
        search::SearchHit
    ))
)]
pub struct ApiDoc;

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(doc::document())
}

/// The signed-in person.
#[derive(Serialize, ToSchema)]
pub struct Me {
    person_id: i64,
    name: String,
    roles: Vec<String>,
    admin: Option<String>,
    acting_for: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/me", responses((status = 200, body = Me), (status = 401, body = ApiError), (status = 400, body = ApiError), (status = 403, body = ApiError), (status = 503, body = ApiError), (status = 507, body = ApiError)))]
async fn me(user: User) -> Json<Me> {
    let a = &user.actor;
    Json(Me {
        person_id: a.person_id.0,
        name: a.name.clone(),
        roles: a.roles.iter().map(|(r, _)| r.code().to_string()).collect(),
        admin: a.admin.map(|k| k.code().to_string()),
        acting_for: a.acting_for.map(|p| p.0),
    })
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct InboxQuery {
    /// `todo` (default), `toread`, `done` or `read`.
    #[serde(rename = "box")]
    which: Option<String>,
    /// Items per page, 1–200 (default 50).
    limit: Option<i64>,
    /// Where the page starts, 0 or more (default 0); the `X-Next-Offset` header gives the next page's.
    offset: Option<i64>,
}

/// One task in the inbox.
#[derive(Serialize, ToSchema)]
pub struct InboxEntry {
    task_id: i64,
    domain: String,
    subject_id: i64,
    title: String,
    kind: String,
    urgency: String,
    /// RFC 3339, UTC.
    due_at: Option<String>,
    ms_left: Option<i64>,
    state: String,
    outcome: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/inbox", params(InboxQuery), responses((status = 200, body = [InboxEntry]), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 503, body = ApiError), (status = 507, body = ApiError)))]
async fn inbox(State(st): State<AppState>, user: User, Query(q): Query<InboxQuery>) -> AppResult<Response> {
    let which = match q.which.as_deref() {
        None | Some("") => InboxBox::ToDo,
        Some(b) => InboxBox::parse(b).ok_or(crate::error::AppError::BadRequest {
            field: "box",
            message: "one of todo, toread, done, read".into(),
        })?,
    };
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(crate::error::AppError::BadRequest { field: "limit", message: "1 to 200".into() });
    }
    let offset = q.offset.unwrap_or(0);
    if offset < 0 {
        return Err(crate::error::AppError::BadRequest { field: "offset", message: "0 or more".into() });
    }
    let page = tasks::inbox_page(&st.services, &user.actor, which, limit, offset).await?;
    let body = Json(
        page.items
            .into_iter()
            .map(|i| InboxEntry {
                task_id: i.task.task_id,
                domain: i.task.domain,
                subject_id: i.task.subject_id,
                title: i.task.title,
                kind: i.task.kind,
                urgency: mishu_domain::tasks::Urgency::from_rank(i.task.urgency).code().to_string(),
                due_at: i.task.due_at.map(|d| mishu_domain::Timestamp(d).rfc3339()),
                ms_left: i.ms_left,
                state: i.task.state,
                outcome: i.task.outcome,
            })
            .collect::<Vec<_>>(),
    );
    let mut res = body.into_response();
    if let Some(next) = page.next_offset {
        res.headers_mut().insert("x-next-offset", axum::http::HeaderValue::from(next));
    }
    Ok(res)
}
