//! The one place where errors become HTTP. Handlers return `AppError`; it becomes a status
//! plus an `ErrorInfo` the outer middleware renders as an HTML page (zh-CN/zh-TW/en) or as
//! JSON `{"code", "message", "field"}` for the API. Internal details are logged, never shown.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use mishu_domain::archives::ArchiveError;
use mishu_domain::incoming::IncomingError;
use mishu_domain::leader_tasks::LeaderTaskError;
use mishu_domain::meetings::MeetingError;
use mishu_domain::org::OrgError;
use mishu_domain::outgoing::OutgoingError;
use mishu_domain::password::PasswordError;
use mishu_domain::seals::SealError;
use mishu_domain::tasks::TaskError;
use mishu_service::ServiceError;
use mishu_service::auth::AuthError;
use mishu_service::db::DbError;
use mishu_service::outgoing::RenderFailure;

#[derive(Debug)]
pub enum AppError {
    Service(ServiceError),
    Unauthenticated,
    Forbidden,
    NotFound,
    Csrf,
    MethodNotAllowed,
    /// A body over the limit, found while reading it ourselves (the CSRF check of a form).
    TooLarge,
    BadRequest {
        field: &'static str,
        message: String,
    },
}

impl From<ServiceError> for AppError {
    fn from(e: ServiceError) -> Self {
        AppError::Service(e)
    }
}

/// What the renderer needs: a stable code (also the catalogue key `error.<code>`), the field
/// at fault if any, and a detail in English for the API and logs.
#[derive(Clone, Debug)]
pub struct ErrorInfo {
    pub status: StatusCode,
    pub code: &'static str,
    pub field: Option<String>,
    pub detail: String,
}

fn info(status: StatusCode, code: &'static str, field: Option<&str>, detail: impl ToString) -> ErrorInfo {
    ErrorInfo { status, code, field: field.map(str::to_string), detail: detail.to_string() }
}

/// `"title: required"` → `Some("title")`: domain errors name their field first.
fn field_of(msg: &str) -> Option<&str> {
    msg.split_once(':').map(|(f, _)| f).filter(|f| f.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
}

impl AppError {
    pub fn info(&self) -> ErrorInfo {
        use StatusCode as S;
        match self {
            AppError::Unauthenticated => info(S::UNAUTHORIZED, "unauthenticated", None, "sign in first"),
            AppError::Forbidden => info(S::FORBIDDEN, "forbidden", None, "not allowed"),
            AppError::NotFound => info(S::NOT_FOUND, "not_found", None, "not found"),
            AppError::MethodNotAllowed => info(S::METHOD_NOT_ALLOWED, "method_not_allowed", None, "method not allowed"),
            AppError::Csrf => {
                info(S::FORBIDDEN, "csrf", None, "the form expired or came from another site; reload and try again")
            }
            AppError::TooLarge => info(S::PAYLOAD_TOO_LARGE, "too_large", None, "the request body is too large"),
            AppError::BadRequest { field, message } => {
                info(S::BAD_REQUEST, "invalid", Some(field), format!("{field}: {message}"))
            }
            AppError::Service(e) => service_info(e),
        }
    }
}

fn service_info(e: &ServiceError) -> ErrorInfo {
    use StatusCode as S;
    let msg = e.to_string();
    match e {
        ServiceError::NotFound => info(S::NOT_FOUND, "not_found", None, msg),
        ServiceError::Forbidden => info(S::FORBIDDEN, "forbidden", None, msg),
        ServiceError::Invalid { field, .. } => info(S::UNPROCESSABLE_ENTITY, "invalid", Some(field), msg),
        ServiceError::Conflict(_) => info(S::CONFLICT, "conflict", None, msg),
        ServiceError::ImportRejected(_) => info(S::UNPROCESSABLE_ENTITY, "import_rejected", None, msg),
        ServiceError::Auth(AuthError::BadCredentials) => info(S::UNAUTHORIZED, "bad_credentials", None, msg),
        ServiceError::Auth(AuthError::TooManyAttempts) => info(S::TOO_MANY_REQUESTS, "too_many_attempts", None, msg),
        ServiceError::Auth(AuthError::SessionExpired) => info(S::UNAUTHORIZED, "unauthenticated", None, msg),
        ServiceError::Auth(AuthError::BadTotp) => info(S::UNAUTHORIZED, "bad_totp", Some("code"), msg),
        ServiceError::Auth(AuthError::WrongCurrentPassword) => {
            info(S::UNPROCESSABLE_ENTITY, "wrong_password", Some("current"), msg)
        }
        ServiceError::Password(p) => {
            let code = match p {
                PasswordError::TooShort(_) => "password_too_short",
                PasswordError::TooFewClasses(_) => "password_classes",
                PasswordError::Common => "password_common",
                PasswordError::ContainsLogin => "password_login",
                PasswordError::PolicyOutOfRange { .. } => "invalid",
            };
            info(S::UNPROCESSABLE_ENTITY, code, field_of(&msg), msg.clone())
        }
        ServiceError::Org(o) => {
            let (status, code) = match o {
                OrgError::LoginTaken(_) => (S::CONFLICT, "login_taken"),
                OrgError::NotFound => (S::NOT_FOUND, "not_found"),
                OrgError::AdminWithBusinessRole => (S::UNPROCESSABLE_ENTITY, "admin_business_role"),
                OrgError::DepartmentCycle => (S::UNPROCESSABLE_ENTITY, "department_cycle"),
                OrgError::DepartmentNotEmpty => (S::CONFLICT, "department_not_empty"),
                OrgError::UnknownDepartment(_) => (S::UNPROCESSABLE_ENTITY, "unknown_department"),
                _ => (S::UNPROCESSABLE_ENTITY, "invalid"),
            };
            info(status, code, field_of(&msg), msg.clone())
        }
        ServiceError::Task(t) => {
            let code = match t {
                TaskError::OutcomeRequired => "outcome_required",
                TaskError::AlreadyClosed => "already_closed",
                TaskError::NotOwner => "forbidden",
                TaskError::MessageRequired | TaskError::TextInvalid(..) => "invalid",
            };
            let status = if code == "forbidden" { S::FORBIDDEN } else { S::UNPROCESSABLE_ENTITY };
            info(status, code, field_of(&msg), msg.clone())
        }
        ServiceError::LeaderTask(l) => {
            let (status, code) = match l {
                LeaderTaskError::NoAnswer => (S::CONFLICT, "no_answer"),
                LeaderTaskError::WrongState(_) => (S::CONFLICT, "wrong_state"),
                LeaderTaskError::NotOwner | LeaderTaskError::NotGiver => (S::FORBIDDEN, "forbidden"),
                _ => (S::UNPROCESSABLE_ENTITY, "invalid"),
            };
            info(status, code, field_of(&msg), msg.clone())
        }
        ServiceError::Incoming(i) => {
            let (status, code) = match i {
                IncomingError::NoReply => (S::CONFLICT, "no_reply"),
                IncomingError::WrongState(_) => (S::CONFLICT, "wrong_state"),
                IncomingError::StepEnded => (S::CONFLICT, "step_ended"),
                IncomingError::NoSuchStep => (S::NOT_FOUND, "not_found"),
                IncomingError::NotOffice | IncomingError::NotHolder => (S::FORBIDDEN, "forbidden"),
                IncomingError::Invalid { .. } => (S::UNPROCESSABLE_ENTITY, "invalid"),
            };
            info(status, code, field_of(&msg), msg.clone())
        }
        ServiceError::Seal(e) => {
            let (status, code) = match e {
                SealError::Decommissioned => (S::CONFLICT, "decommissioned"),
                SealError::Suspended => (S::CONFLICT, "suspended"),
                SealError::WrongState(_) => (S::CONFLICT, "wrong_state"),
                SealError::NotDepartmentHead
                | SealError::NotSupervisingLeader
                | SealError::NotKeeper
                | SealError::NotApplicant => (S::FORBIDDEN, "forbidden"),
                SealError::Invalid { .. } => (S::UNPROCESSABLE_ENTITY, "invalid"),
            };
            info(status, code, field_of(&msg), msg.clone())
        }
        ServiceError::Esign(e) => {
            use mishu_service::seals::esign::EsignError as E;
            match e {
                E::MasterKey(detail) => {
                    tracing::error!(error = %detail, "seal master key unavailable");
                    info(S::SERVICE_UNAVAILABLE, "seal_key", None, "seal master key: not available on this node")
                }
                E::KeyDamaged => info(S::CONFLICT, "seal_key", None, msg.clone()),
                E::NoElectronicSeal | E::AlreadyMade => info(S::CONFLICT, "conflict", Some("seal"), msg.clone()),
                E::NotPdf | E::NotSigned | E::Encrypted | E::ChangedAfterSealing | E::Malformed(_) => {
                    info(S::UNPROCESSABLE_ENTITY, "invalid", Some("file"), msg.clone())
                }
            }
        }
        ServiceError::Archive(e) => {
            let (status, code) = match e {
                ArchiveError::WrongState(_) => (S::CONFLICT, "wrong_state"),
                ArchiveError::CodeTaken(_) => (S::CONFLICT, "archive_code_taken"),
                ArchiveError::AlreadyFiled(_) => (S::CONFLICT, "already_filed"),
                ArchiveError::NotAllowed(_) => (S::FORBIDDEN, "forbidden"),
                ArchiveError::Invalid { .. } => (S::UNPROCESSABLE_ENTITY, "invalid"),
            };
            info(status, code, field_of(&msg), msg.clone())
        }
        ServiceError::Meeting(m) => {
            let (status, code) = match m {
                MeetingError::WrongState(_)
                | MeetingError::AlreadyStarted
                | MeetingError::CheckInClosed
                | MeetingError::MinutesRecorded => (S::CONFLICT, "wrong_state"),
                MeetingError::AlreadyAttendee => (S::CONFLICT, "conflict"),
                MeetingError::NotApprover
                | MeetingError::NotRequester
                | MeetingError::NotMover
                | MeetingError::NotLogisticsManager => (S::FORBIDDEN, "forbidden"),
                _ => (S::UNPROCESSABLE_ENTITY, "invalid"),
            };
            info(status, code, field_of(&msg), msg.clone())
        }
        ServiceError::Db(d) if d.is_storage_full() => {
            // 507: the operator must free space; the write was rolled back whole (T3).
            tracing::error!(error = %d, "storage full: a write was refused");
            info(S::INSUFFICIENT_STORAGE, "storage_full", None, "the server's storage is full; nothing was stored")
        }
        ServiceError::Outgoing(o) => {
            let (status, code) = match o {
                OutgoingError::WrongState(_) => (S::CONFLICT, "wrong_state"),
                OutgoingError::AlreadyNumbered(_) => (S::CONFLICT, "already_numbered"),
                OutgoingError::LintFailed(_) => (S::UNPROCESSABLE_ENTITY, "lint_failed"),
                OutgoingError::NotOffice | OutgoingError::NotDrafter | OutgoingError::NotHolder => {
                    (S::FORBIDDEN, "forbidden")
                }
                OutgoingError::NotSigner => (S::FORBIDDEN, "not_signer"),
                OutgoingError::Invalid { .. } => (S::UNPROCESSABLE_ENTITY, "invalid"),
            };
            info(status, code, field_of(&msg), msg.clone())
        }
        ServiceError::Render(r) => match r {
            // The build has no PDF renderer (or its fonts failed to load): the operator's
            // problem, said plainly, not a generic 500.
            RenderFailure::Unavailable => info(S::SERVICE_UNAVAILABLE, "pdf_unavailable", None, msg),
            RenderFailure::Layout(_) => info(S::UNPROCESSABLE_ENTITY, "pdf_layout", None, msg),
            RenderFailure::NotNumbered => info(S::CONFLICT, "not_numbered", None, msg),
        },
        // A 密级 changed in the database behind the service (T18): the object is refused
        // whoever asks, and the answer says only that, never which object or how.
        ServiceError::LabelIntegrity { kind, id } => {
            let reference = format!("{:08x}", rand::random::<u32>());
            tracing::error!(kind, id, reference, "security label failed its integrity check");
            info(S::INTERNAL_SERVER_ERROR, "label_integrity", None, format!("ref {reference}"))
        }
        ServiceError::Search(e) => {
            let reference = format!("{:08x}", rand::random::<u32>());
            tracing::error!(error = %e, reference, "search index error");
            info(S::SERVICE_UNAVAILABLE, "internal", None, format!("ref {reference}"))
        }
        ServiceError::Db(d) => {
            let reference = format!("{:08x}", rand::random::<u32>());
            let what = if matches!(d, DbError::Files(_)) { "stored file error" } else { "database error" };
            tracing::error!(error = %d, reference, "{what}");
            info(S::SERVICE_UNAVAILABLE, "internal", None, format!("ref {reference}"))
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let info = self.info();
        let mut res = info.status.into_response();
        res.extensions_mut().insert(info);
        res
    }
}

pub type AppResult<T> = Result<T, AppError>;
