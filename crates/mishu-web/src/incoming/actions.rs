//! The forms that move a received document: the office proposes, assigns, closes or returns
//! it to its sender; a leader instructs, reads or sends it back; a department replies. Each
//! handler turns the form into one `IncomingAction` and redirects back to the document.

use super::upload::{UPLOAD_LIMIT, WithFiles};
use crate::AppState;
use crate::ctx::User;
use crate::error::{AppError, AppResult};
use crate::inbox::parse_local;
use crate::routes::Routes;
use axum::Form;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::handler::Handler;
use axum::response::Redirect;
use mishu_domain::incoming::{IncomingAction, SubmissionKind};
use mishu_domain::{DepartmentId, IncomingId, IncomingStepId, PersonId};
use mishu_service::{ServiceError, incoming};

pub fn routes(r: Routes) -> Routes {
    r.post("/incoming/{id}/propose", propose)
        .post("/incoming/{id}/assign", assign)
        .post("/incoming/{id}/close", close)
        .post("/incoming/{id}/return", return_to_sender)
        .post("/incoming/{id}/steps/{step}/instruct", instruct)
        .post("/incoming/{id}/steps/{step}/read", mark_read)
        .post("/incoming/{id}/steps/{step}/oral", record_oral)
        .post("/incoming/{id}/steps/{step}/reply", reply.layer(DefaultBodyLimit::max(UPLOAD_LIMIT)))
        .post("/incoming/{id}/steps/{step}/recall", recall)
        .post("/incoming/{id}/steps/{step}/return", return_step)
}

/// A urlencoded form read as pairs, so checkboxes may repeat (`other=3&other=5`).
pub(super) struct Fields(pub(super) Vec<(String, String)>);

impl Fields {
    pub(super) fn one(&self, key: &str) -> &str {
        self.0.iter().find(|(k, _)| k == key).map_or("", |(_, v)| v.trim())
    }
    pub(super) fn all(&self, key: &str) -> impl Iterator<Item = &str> {
        self.0.iter().filter(move |(k, _)| k == key).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
    }
}

fn id_field<T: std::str::FromStr>(field: &'static str, raw: &str) -> AppResult<T> {
    raw.parse().map_err(|_| AppError::BadRequest { field, message: "choose from the list".into() })
}

async fn act(st: &AppState, user: &User, id: IncomingId, action: IncomingAction) -> AppResult<Redirect> {
    incoming::act(&st.services, &user.actor, id, action, &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/incoming/{id}")))
}

async fn propose(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<IncomingId>,
    Form(f): Form<Vec<(String, String)>>,
) -> AppResult<Redirect> {
    let f = Fields(f);
    let mut leaders: Vec<PersonId> = Vec::new();
    if !f.one("lead").is_empty() {
        leaders.push(id_field("lead", f.one("lead"))?);
    }
    for raw in f.all("other") {
        let p = id_field("other", raw)?;
        if leaders.is_empty() {
            return Err(AppError::BadRequest {
                field: "lead",
                message: "choose the leader in charge first (R1.5)".into(),
            });
        }
        if !leaders.contains(&p) {
            leaders.push(p);
        }
    }
    let submission = SubmissionKind::parse(f.one("submission")).map_err(ServiceError::from)?;
    let action = IncomingAction::Propose {
        opinion: f.one("opinion").to_string(),
        submission,
        leaders,
        parallel: f.one("parallel") == "1",
    };
    act(&st, &user, id, action).await
}

async fn assign(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<IncomingId>,
    Form(f): Form<Vec<(String, String)>>,
) -> AppResult<Redirect> {
    let f = Fields(f);
    let due = parse_local("due", f.one("due"), true)?;
    let mut departments: Vec<DepartmentId> =
        f.all("dept").map(|d| id_field("departments", d)).collect::<AppResult<_>>()?;
    // The department chosen to lead (主办) goes first.
    if let Ok(lead) = f.one("lead_dept").parse::<DepartmentId>()
        && let Some(i) = departments.iter().position(|d| *d == lead)
    {
        let d = departments.remove(i);
        departments.insert(0, d);
    }
    let pairs: Vec<_> = departments.into_iter().map(|d| (d, due)).collect();
    let assignments = incoming::assignments(&st.services, &pairs).await?;
    act(&st, &user, id, IncomingAction::Assign { assignments }).await
}

async fn close(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<IncomingId>,
    Form(f): Form<Vec<(String, String)>>,
) -> AppResult<Redirect> {
    let f = Fields(f);
    let action = IncomingAction::Close {
        outcome: f.one("outcome").into(),
        reply: f.one("reply").into(),
        promote: f.one("promote") == "1",
    };
    act(&st, &user, id, action).await
}

async fn return_to_sender(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<IncomingId>,
    Form(f): Form<Vec<(String, String)>>,
) -> AppResult<Redirect> {
    let reason = Fields(f).one("reason").to_string();
    act(&st, &user, id, IncomingAction::ReturnToSender { reason }).await
}

type StepPath = Path<(IncomingId, IncomingStepId)>;

async fn instruct(
    State(st): State<AppState>,
    user: User,
    Path((id, step)): StepPath,
    Form(f): Form<Vec<(String, String)>>,
) -> AppResult<Redirect> {
    let text = Fields(f).one("text").to_string();
    act(&st, &user, id, IncomingAction::Instruct { step, text }).await
}

async fn mark_read(State(st): State<AppState>, user: User, Path((id, step)): StepPath) -> AppResult<Redirect> {
    act(&st, &user, id, IncomingAction::MarkRead { step }).await
}

async fn record_oral(
    State(st): State<AppState>,
    user: User,
    Path((id, step)): StepPath,
    Form(f): Form<Vec<(String, String)>>,
) -> AppResult<Redirect> {
    let f = Fields(f);
    let reported_at = match f.one("reported_at") {
        "" => st.services.clock.now(),
        raw => parse_local("reported_at", raw, false)?,
    };
    act(&st, &user, id, IncomingAction::RecordOral { step, reply: f.one("reply").into(), reported_at }).await
}

/// A department's result, with the documents it produced (multipart when files come along).
async fn reply(
    State(st): State<AppState>,
    user: User,
    Path((id, step)): StepPath,
    form: WithFiles,
) -> AppResult<Redirect> {
    let result = Fields(form.fields).one("result").to_string();
    let action = IncomingAction::Reply { step, result };
    incoming::act_with_files(&st.services, &user.actor, id, action, form.files, &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/incoming/{id}")))
}

async fn recall(State(st): State<AppState>, user: User, Path((id, step)): StepPath) -> AppResult<Redirect> {
    act(&st, &user, id, IncomingAction::Recall { step }).await
}

async fn return_step(
    State(st): State<AppState>,
    user: User,
    Path((id, step)): StepPath,
    Form(f): Form<Vec<(String, String)>>,
) -> AppResult<Redirect> {
    let reason = Fields(f).one("reason").to_string();
    act(&st, &user, id, IncomingAction::ReturnStep { step, reason }).await
}
