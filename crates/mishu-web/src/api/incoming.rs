//! Received documents (收文) over JSON: the register, one document with its route,
//! registration, and every action on the route, calling the same services as the pages.

use crate::AppState;
use crate::api::ApiError;
use crate::ctx::User;
use crate::error::{AppError, AppResult};
use crate::routes::Routes;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use mishu_domain::incoming::{IncomingAction, RegistrationInput, SubmissionKind};
use mishu_domain::tasks::Urgency;
use mishu_domain::{DepartmentId, IncomingId, IncomingStepId, PersonId, Timestamp};
use mishu_service::ServiceError;
use mishu_service::incoming::{self, IncomingRow, IncomingView, StepRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/incoming", list)
        .post("/api/v1/incoming", register)
        .get("/api/v1/incoming/{id}", get)
        .post("/api/v1/incoming/{id}/actions", act)
}

fn rfc3339(ms: i64) -> String {
    Timestamp(ms).rfc3339()
}

fn parse_time(field: &'static str, raw: &str) -> AppResult<Timestamp> {
    chrono::DateTime::parse_from_rfc3339(raw)
        .map(|t| Timestamp(t.timestamp_millis()))
        .map_err(|_| AppError::BadRequest { field, message: "RFC 3339 expected".into() })
}

/// A received document as registered (收文登记).
#[derive(Serialize, ToSchema)]
pub struct IncomingDoc {
    id: i64,
    /// 收文编号, e.g. `2026-0012`.
    reg_no: String,
    sender_organ: String,
    /// 来文字号 in normal form, e.g. `教发〔2026〕3号`; absent when the document has none.
    sender_number: Option<String>,
    title: String,
    /// One of the 15 types: `resolution`, `decision`, `order`, `communique`, `announcement`,
    /// `public_notice`, `opinion`, `notice`, `circular`, `report`, `request`, `reply`, `motion`, `letter`, `minutes`.
    doc_type: String,
    /// `none`, `secret`, `confidential`, `top_secret`.
    classification: String,
    urgency: String,
    copies: i64,
    pages: Option<i64>,
    received_at: String,
    due_at: Option<String>,
    /// `pass_on` (阅转), `for_information` (阅知), `to_handle` (阅办).
    handling: String,
    /// `for_instruction` (呈批), `for_reading` (呈阅), `oral_report` (口头汇报), once proposed.
    submission: Option<String>,
    proposal: Option<String>,
    /// `registered`, `proposed`, `with_leaders`, `instructed`, `assigned`, `handled`, `closed`, `returned`.
    state: String,
    outcome: Option<String>,
    reply: Option<String>,
    promoted: bool,
    return_reason: Option<String>,
}

impl From<IncomingRow> for IncomingDoc {
    fn from(d: IncomingRow) -> Self {
        IncomingDoc {
            id: d.incoming_id,
            reg_no: d.reg_no(),
            sender_number: Some(d.sender_number).filter(|n| !n.is_empty()),
            sender_organ: d.sender_organ,
            title: d.title,
            doc_type: d.doc_type,
            classification: d.classification,
            urgency: Urgency::from_rank(d.urgency).code().to_string(),
            copies: d.copies,
            pages: d.pages,
            received_at: rfc3339(d.received_at),
            due_at: d.due_at.map(rfc3339),
            handling: d.handling_kind,
            submission: d.submission_kind,
            proposal: d.proposal,
            state: d.state,
            outcome: d.outcome,
            reply: d.reply,
            promoted: d.promoted,
            return_reason: d.return_reason,
        }
    }
}

/// One step of the route: a leader's or a department's.
#[derive(Serialize, ToSchema)]
pub struct StepView {
    id: i64,
    /// `leader` or `department`.
    stage: String,
    /// `instruct`, `read`, `oral`, `handle`.
    mode: String,
    round: i64,
    seq: i64,
    parallel: bool,
    lead: bool,
    person_id: i64,
    person_name: String,
    department_id: Option<i64>,
    department_name: Option<String>,
    /// `waiting`, `open`, `done`, `recalled`, `returned`, `cancelled`.
    state: String,
    due_at: Option<String>,
    /// The instruction, result, what was said back, or the reason it was sent back.
    text: Option<String>,
    acted_by: Option<i64>,
    acted_at: Option<String>,
}

impl From<StepRow> for StepView {
    fn from(s: StepRow) -> Self {
        StepView {
            id: s.step_id,
            stage: s.stage,
            mode: s.mode,
            round: s.round,
            seq: s.seq,
            parallel: s.parallel,
            lead: s.lead,
            person_id: s.person_id,
            person_name: s.person_name,
            department_id: s.department_id,
            department_name: s.department_name,
            state: s.state,
            due_at: s.due_at.map(rfc3339),
            text: s.text,
            acted_by: s.acted_by,
            acted_at: s.acted_at.map(rfc3339),
        }
    }
}

/// A document with its route and the other registrations of the same sender and number.
#[derive(Serialize, ToSchema)]
pub struct IncomingDetail {
    document: IncomingDoc,
    steps: Vec<StepView>,
    duplicates: Vec<IncomingDoc>,
}

impl From<IncomingView> for IncomingDetail {
    fn from(v: IncomingView) -> Self {
        IncomingDetail {
            document: v.doc.into(),
            steps: v.steps.into_iter().map(Into::into).collect(),
            duplicates: v.duplicates.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Deserialize, utoipa::IntoParams, Default)]
pub struct ListParams {
    /// A state code; all when absent.
    state: Option<String>,
    /// Part of the sending organ's name.
    organ: Option<String>,
    doc_type: Option<String>,
    year: Option<String>,
    department: Option<String>,
    /// Documents per page, 1–200 (default 50).
    limit: Option<i64>,
    /// Where the page starts, 0 or more (default 0); the `X-Next-Offset` header gives the
    /// next page's, `X-Total-Count` the number of readable documents matching.
    offset: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/incoming", operation_id = "list_incoming", params(ListParams), responses((status = 200, body = [IncomingDoc]), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 503, body = ApiError), (status = 507, body = ApiError)))]
pub async fn list(
    State(st): State<AppState>,
    user: User,
    Query(p): Query<ListParams>,
) -> AppResult<axum::response::Response> {
    let q = crate::incoming::ListQuery {
        state: p.state.unwrap_or_default(),
        organ: p.organ.unwrap_or_default(),
        doc_type: p.doc_type.unwrap_or_default(),
        year: p.year.unwrap_or_default(),
        department: p.department.unwrap_or_default(),
        offset: String::new(),
    };
    let limit = p.limit.unwrap_or(crate::incoming::PAGE_SIZE);
    if !(1..=200).contains(&limit) {
        return Err(AppError::BadRequest { field: "limit", message: "1 to 200".into() });
    }
    let offset = p.offset.unwrap_or(0);
    if offset < 0 {
        return Err(AppError::BadRequest { field: "offset", message: "0 or more".into() });
    }
    let page = incoming::list_page(&st.services, &user.actor, &q.filter()?, limit, offset).await?;
    let mut res = Json(page.items.into_iter().map(IncomingDoc::from).collect::<Vec<_>>()).into_response();
    let headers = res.headers_mut();
    headers.insert("x-total-count", axum::http::HeaderValue::from(page.total));
    if let Some(next) = page.next_offset {
        headers.insert("x-next-offset", axum::http::HeaderValue::from(next));
    }
    Ok(res)
}

#[utoipa::path(get, path = "/api/v1/incoming/{id}", operation_id = "get_incoming", params(("id" = i64, Path)), responses((status = 200, body = IncomingDetail), (status = 404, body = ApiError), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 503, body = ApiError), (status = 507, body = ApiError)))]
pub async fn get(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<IncomingId>,
) -> AppResult<Json<IncomingDetail>> {
    Ok(Json(incoming::get(&st.services, &user.actor, id, &user.ctx.source_ip).await?.into()))
}

/// Register a received document. Only the office (secretaries, office head).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    sender_organ: String,
    /// `代字〔YYYY〕N号`; `[YYYY]` and `（YYYY）` are accepted and normalised.
    #[serde(default)]
    sender_number: String,
    title: String,
    /// A code or the Chinese name (`请示`, `通知`, …).
    doc_type: String,
    #[serde(default)]
    classification: String,
    #[serde(default)]
    secrecy_period: String,
    #[serde(default)]
    copy_no: String,
    #[serde(default)]
    urgency: String,
    #[serde(default)]
    handling: String,
    copies: Option<i64>,
    pages: Option<i64>,
    /// RFC 3339; now when absent.
    received_at: Option<String>,
    /// RFC 3339; by default from the handling kind and urgency in working days.
    due_at: Option<String>,
}

/// The registered document, with a warning list of earlier registrations of the same number.
#[derive(Serialize, ToSchema)]
pub struct RegisterResponse {
    document: IncomingDoc,
    duplicates: Vec<IncomingDoc>,
    /// Earlier registrations of the same number you may not see.
    hidden_duplicates: usize,
}

#[utoipa::path(post, path = "/api/v1/incoming", request_body = RegisterRequest, responses((status = 201, body = RegisterResponse), (status = 422, body = ApiError), (status = 403, body = ApiError), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 413, body = ApiError), (status = 415, body = ApiError), (status = 503, body = ApiError), (status = 507, body = ApiError)))]
pub async fn register(
    State(st): State<AppState>,
    user: User,
    Json(r): Json<RegisterRequest>,
) -> AppResult<(StatusCode, Json<RegisterResponse>)> {
    let received_at = match r.received_at.as_deref() {
        Some(t) => parse_time("received_at", t)?,
        None => st.services.clock.now(),
    };
    let due_at = r.due_at.as_deref().map(|t| parse_time("due_at", t)).transpose()?;
    let input = RegistrationInput {
        sender_organ: r.sender_organ,
        sender_number: r.sender_number,
        title: r.title,
        doc_type: r.doc_type,
        classification: r.classification,
        secrecy_period: r.secrecy_period,
        copy_no: r.copy_no,
        urgency: r.urgency,
        handling: r.handling,
        copies: r.copies.unwrap_or(1),
        pages: r.pages,
        received_at,
        due_at,
    };
    let done = incoming::register(&st.services, &user.actor, input, &user.ctx.source_ip).await?;
    let view = incoming::get(&st.services, &user.actor, done.id, &user.ctx.source_ip).await?;
    let body = RegisterResponse {
        document: view.doc.into(),
        duplicates: done.duplicates.into_iter().map(Into::into).collect(),
        hidden_duplicates: done.hidden_duplicates,
    };
    Ok((StatusCode::CREATED, Json(body)))
}

/// A department and the deadline it gets.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepartmentDeadline {
    department_id: i64,
    /// RFC 3339.
    due_at: String,
}

/// One move on the route, tagged by `action`.
#[derive(Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum ActionRequest {
    /// 拟办: `leaders[0]` is the leader in charge; no leaders sends it straight back to the office.
    Propose {
        opinion: String,
        submission: String,
        #[serde(default)]
        leaders: Vec<i64>,
        #[serde(default)]
        parallel: bool,
    },
    Instruct {
        step: i64,
        text: String,
    },
    Read {
        step: i64,
    },
    RecordOral {
        step: i64,
        reply: String,
        reported_at: Option<String>,
    },
    Assign {
        departments: Vec<DepartmentDeadline>,
    },
    Reply {
        step: i64,
        result: String,
    },
    Recall {
        step: i64,
    },
    ReturnStep {
        step: i64,
        reason: String,
    },
    ReturnToSender {
        reason: String,
    },
    Close {
        outcome: String,
        #[serde(default)]
        reply: String,
        #[serde(default)]
        promote: bool,
    },
}

#[utoipa::path(post, path = "/api/v1/incoming/{id}/actions", operation_id = "act_on_incoming", params(("id" = i64, Path)), request_body = ActionRequest, responses((status = 200, body = IncomingDetail), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 413, body = ApiError), (status = 415, body = ApiError), (status = 503, body = ApiError), (status = 507, body = ApiError)))]
pub async fn act(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<IncomingId>,
    Json(r): Json<ActionRequest>,
) -> AppResult<Json<IncomingDetail>> {
    use ActionRequest as R;
    let action = match r {
        R::Propose { opinion, submission, leaders, parallel } => {
            let submission = SubmissionKind::parse(&submission).map_err(ServiceError::from)?;
            IncomingAction::Propose {
                opinion,
                submission,
                leaders: leaders.into_iter().map(PersonId).collect(),
                parallel,
            }
        }
        R::Instruct { step, text } => IncomingAction::Instruct { step: IncomingStepId(step), text },
        R::Read { step } => IncomingAction::MarkRead { step: IncomingStepId(step) },
        R::RecordOral { step, reply, reported_at } => {
            let reported_at = match reported_at.as_deref() {
                Some(t) => parse_time("reported_at", t)?,
                None => st.services.clock.now(),
            };
            IncomingAction::RecordOral { step: IncomingStepId(step), reply, reported_at }
        }
        R::Assign { departments } => {
            let mut pairs = Vec::new();
            for d in departments {
                pairs.push((DepartmentId(d.department_id), parse_time("due_at", &d.due_at)?));
            }
            IncomingAction::Assign { assignments: incoming::assignments(&st.services, &pairs).await? }
        }
        R::Reply { step, result } => IncomingAction::Reply { step: IncomingStepId(step), result },
        R::Recall { step } => IncomingAction::Recall { step: IncomingStepId(step) },
        R::ReturnStep { step, reason } => IncomingAction::ReturnStep { step: IncomingStepId(step), reason },
        R::ReturnToSender { reason } => IncomingAction::ReturnToSender { reason },
        R::Close { outcome, reply, promote } => IncomingAction::Close { outcome, reply, promote },
    };
    incoming::act(&st.services, &user.actor, id, action, &user.ctx.source_ip).await?;
    Ok(Json(incoming::get(&st.services, &user.actor, id, &user.ctx.source_ip).await?.into()))
}
