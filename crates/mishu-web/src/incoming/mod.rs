//! Pages for received documents (收文): the register with its filters, the registration form,
//! a document with its route and the forms for whoever holds it now, and the printable
//! 收文处理单. The actions are in `actions`; the API twin is `api::incoming`.

mod actions;
mod circulation;
mod export;
mod phrases;
mod slip;
pub(crate) mod upload;

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::inbox::parse_local;
use crate::pages::render;
use crate::picker::{Before, PeoplePicker, PickQuery};
use crate::routes::Routes;
use askama::Template;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::handler::Handler;
use axum::response::{Redirect, Response};
use mishu_domain::incoming::{DocType, HandlingKind, IncomingState, RegistrationInput, SubmissionKind};
use mishu_domain::org::Role;
use mishu_domain::tasks::acts_as_owner;
use mishu_domain::{DepartmentId, IncomingId, PersonId};
use mishu_service::incoming::{self, DepartmentHeadRow, IncomingFilter, IncomingPage, IncomingView, StepRow};
use mishu_service::org::{self, DepartmentRow, PersonRow};
use mishu_service::phrases::PhraseRow;
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    let r = r
        .get("/incoming", list)
        .get("/incoming/new", new_page)
        .get("/incoming/export.xlsx", export::register_xlsx)
        .post("/incoming", register.layer(DefaultBodyLimit::max(upload::UPLOAD_LIMIT)))
        .get("/incoming/{id}", show)
        .get("/incoming/{id}/slip", slip::page)
        .get("/incoming/{id}/slip.pdf", slip::pdf)
        .get("/incoming/{id}/files/{file}", upload::download);
    phrases::routes(circulation::routes(actions::routes(r)))
}

/// The 15 types in the 条例's order, for selects.
pub fn doc_types() -> Vec<&'static str> {
    DocType::ALL.iter().map(|t| t.code()).collect()
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    pub(crate) state: String,
    #[serde(default)]
    pub(crate) organ: String,
    #[serde(default)]
    pub(crate) doc_type: String,
    #[serde(default)]
    pub(crate) year: String,
    #[serde(default)]
    pub(crate) department: String,
    /// Where the page starts (the register is paged; the export takes every row).
    #[serde(default)]
    pub(crate) offset: String,
}

/// Rows per page of the register.
pub const PAGE_SIZE: i64 = 50;

impl ListQuery {
    pub fn offset(&self) -> AppResult<i64> {
        match self.offset.trim() {
            "" => Ok(0),
            o => o
                .parse::<i64>()
                .ok()
                .filter(|o| *o >= 0)
                .ok_or(AppError::BadRequest { field: "offset", message: "0 or more".into() }),
        }
    }

    /// The filters as a query string (without the offset), for the pager's links.
    pub fn filters_query(&self) -> String {
        let enc =
            |v: &str| percent_encoding::utf8_percent_encode(v.trim(), percent_encoding::NON_ALPHANUMERIC).to_string();
        [
            ("state", &self.state),
            ("organ", &self.organ),
            ("doc_type", &self.doc_type),
            ("year", &self.year),
            ("department", &self.department),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k}={}&", enc(v)))
        .collect()
    }

    /// Checks each filter; a bad one is a 400 naming it, never silently ignored.
    pub fn filter(&self) -> AppResult<IncomingFilter> {
        let bad = |field: &'static str, message: &str| AppError::BadRequest { field, message: message.into() };
        let state = match self.state.trim() {
            "" => None,
            s => Some(IncomingState::parse(s).ok_or_else(|| bad("state", "unknown state"))?.code().to_string()),
        };
        let doc_type = match self.doc_type.trim() {
            "" => None,
            t => {
                Some(DocType::parse(t).map_err(|_| bad("doc_type", "one of the 15 document types"))?.code().to_string())
            }
        };
        let year = match self.year.trim() {
            "" => None,
            y => Some(
                y.parse::<i64>()
                    .ok()
                    .filter(|y| (2000..=2100).contains(y))
                    .ok_or_else(|| bad("year", "a year such as 2026"))?,
            ),
        };
        let department = match self.department.trim() {
            "" => None,
            d => Some(d.parse::<DepartmentId>().map_err(|_| bad("department", "choose a department"))?),
        };
        let organ = Some(self.organ.trim().to_string()).filter(|o| !o.is_empty());
        Ok(IncomingFilter { state, organ, doc_type, year, department })
    }
}

#[derive(Template)]
#[template(path = "incoming/list.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    page: IncomingPage,
    q: ListQuery,
    states: Vec<&'static str>,
    types: Vec<&'static str>,
    departments: Vec<DepartmentRow>,
    now: i64,
}

async fn list(State(st): State<AppState>, user: User, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let page = incoming::list_page(&st.services, &user.actor, &q.filter()?, PAGE_SIZE, q.offset()?).await?;
    let departments = org::departments(&st.services).await?.into_iter().filter(|d| d.active).collect();
    let states = IncomingState::ALL.iter().map(|s| s.code()).collect();
    let now = st.services.clock.now().0;
    Ok(render(&ListPage { ctx: &user.ctx, page, q, states, types: doc_types(), departments, now }))
}

#[derive(Template)]
#[template(path = "incoming/new.html")]
struct NewPage<'a> {
    ctx: &'a Ctx,
    types: Vec<&'static str>,
    handlings: Vec<&'static str>,
    now_local: String,
}

async fn new_page(State(st): State<AppState>, user: User) -> AppResult<Response> {
    let handlings = HandlingKind::ALL.iter().map(|h| h.code()).collect();
    let now_local = st.services.clock.now().local_display().replace(' ', "T");
    Ok(render(&NewPage { ctx: &user.ctx, types: doc_types(), handlings, now_local }))
}

fn number(field: &'static str, raw: &str) -> AppResult<Option<i64>> {
    match raw.trim() {
        "" => Ok(None),
        n => n.parse().map(Some).map_err(|_| AppError::BadRequest { field, message: "a whole number".into() }),
    }
}

/// Registration, with its scans when the form is multipart. Every field is optional here:
/// the rules name the one that is missing or wrong.
async fn register(State(st): State<AppState>, user: User, form: upload::WithFiles) -> AppResult<Redirect> {
    let f = actions::Fields(form.fields);
    let text = |k: &str| f.one(k).to_string();
    let received_at = match f.one("received_at") {
        "" => st.services.clock.now(),
        raw => parse_local("received_at", raw, false)?,
    };
    let due_at = match f.one("due_at") {
        "" => None,
        raw => Some(parse_local("due_at", raw, true)?),
    };
    let input = RegistrationInput {
        sender_organ: text("sender_organ"),
        sender_number: text("sender_number"),
        title: text("title"),
        doc_type: text("doc_type"),
        classification: text("classification"),
        secrecy_period: text("secrecy_period"),
        copy_no: text("copy_no"),
        urgency: text("urgency"),
        handling: text("handling"),
        copies: number("copies", f.one("copies"))?.unwrap_or(1),
        pages: number("pages", f.one("pages"))?,
        received_at,
        due_at,
    };
    let r = incoming::register_with_files(&st.services, &user.actor, input, form.files, &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/incoming/{}?registered=1", r.id)))
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    #[serde(default)]
    registered: String,
    /// After a circulation: copies sent, and department members left out for clearance.
    #[serde(default)]
    circulated: String,
    #[serde(default)]
    not_cleared: String,
    /// The circulation picker's search (without script, 查找 reloads the page with it).
    #[serde(flatten)]
    pick: PickQuery,
}

#[derive(Template)]
#[template(path = "incoming/show.html")]
struct ShowPage<'a> {
    ctx: &'a Ctx,
    v: IncomingView,
    just_registered: bool,
    is_office: bool,
    /// Open steps the actor holds (or holds for the person they act for).
    mine: Vec<StepRow>,
    leaders: Vec<PersonRow>,
    /// The circulation form's person picker (the office only, while the document is not returned).
    picker: Option<PeoplePicker>,
    /// What the last circulation did, when the page follows one: (sent, left out).
    circulated: Option<(usize, usize)>,
    /// The actor holds an unread circulated copy.
    my_unread: bool,
    /// Some circulated copy is still unread (the office may recall it).
    any_unread: bool,
    /// Saved phrases for the instruction and proposal boxes.
    phrases: Vec<PhraseRow>,
    departments: Vec<DepartmentHeadRow>,
    submissions: Vec<&'static str>,
    default_submission: &'static str,
    needs_reply: bool,
    may_promote: bool,
    ms_left: Option<i64>,
    now_local: String,
}

/// Active people holding the leader role, in the organ's order (the order of precedence).
pub async fn leaders(st: &AppState) -> AppResult<Vec<PersonRow>> {
    Ok(org::active_with_role(&st.services, Role::Leader).await?)
}

async fn show(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<IncomingId>,
    Query(q): Query<ShowQuery>,
) -> AppResult<Response> {
    let v = incoming::get(&st.services, &user.actor, id, &user.ctx.source_ip).await?;
    let a = &user.actor;
    let is_office = a.has_role(Role::Secretary) || a.has_role(Role::OfficeHead);
    let mine = v
        .steps
        .iter()
        .filter(|s| s.state == "open" && s.mode != "oral" && acts_as_owner(a, PersonId(s.person_id)))
        .cloned()
        .collect();
    let state = IncomingState::parse(&v.doc.state).unwrap_or(IncomingState::Closed);
    let (leaders, departments) = if is_office && !state.is_finished() {
        (leaders(&st).await?, incoming::assignable_departments(&st.services).await?)
    } else {
        (vec![], vec![])
    };
    let picker = if is_office && state != IncomingState::Returned {
        Some(PeoplePicker::load(&st, "reader", true, &q.pick, Before::Role(Role::Leader)).await?)
    } else {
        None
    };
    let circulated = q.circulated.parse().ok().map(|n| (n, q.not_cleared.parse().unwrap_or(0)));
    let me = a.acting_for.unwrap_or(a.person_id).0;
    let my_unread = v.circulation.iter().any(|c| c.person_id == me && c.task_state == "open");
    let doc_type = DocType::parse(&v.doc.doc_type).ok();
    let default_submission =
        HandlingKind::parse(&v.doc.handling_kind).map_or(SubmissionKind::ForReading, |h| h.default_submission()).code();
    let now = st.services.clock.now();
    let ms_left = v.doc.due_at.filter(|_| !state.is_finished()).map(|d| d - now.0);
    Ok(render(&ShowPage {
        ctx: &user.ctx,
        just_registered: q.registered == "1",
        is_office,
        mine,
        leaders,
        picker,
        circulated,
        my_unread,
        phrases: mishu_service::phrases::list(&st.services, a.acting_for.unwrap_or(a.person_id)).await?,
        any_unread: v.circulation.iter().any(|c| c.task_state == "open"),
        departments,
        submissions: SubmissionKind::ALL.iter().map(|k| k.code()).collect(),
        default_submission,
        needs_reply: doc_type.is_some_and(DocType::needs_reply),
        may_promote: doc_type.is_some_and(DocType::may_be_promoted),
        ms_left,
        now_local: now.local_display().replace(' ', "T"),
        v,
    }))
}

#[cfg(test)]
mod tests {
    use crate::i18n::{Locale, has_key};
    use mishu_domain::incoming::{DocType, HandlingKind, IncomingState, StepMode, StepState, SubmissionKind};

    /// Keys built from stored codes (`ctx.tk("incoming.state", code)`) escape the scan for
    /// literal keys, so every code of every kind is checked here, in every locale.
    #[test]
    fn every_code_shown_has_a_label() {
        let mut keys: Vec<String> = Vec::new();
        keys.extend(IncomingState::ALL.iter().map(|s| format!("incoming.state.{}", s.code())));
        keys.extend(DocType::ALL.iter().map(|t| format!("incoming.type.{}", t.code())));
        keys.extend(HandlingKind::ALL.iter().map(|h| format!("incoming.handling.{}", h.code())));
        keys.extend(SubmissionKind::ALL.iter().map(|k| format!("incoming.submission.{}", k.code())));
        for m in [StepMode::Instruct, StepMode::Read, StepMode::Oral, StepMode::Handle] {
            keys.push(format!("incoming.mode.{}", m.code()));
            keys.push(format!("incoming.your_step.{}", m.code()));
        }
        let step_states = [
            StepState::Waiting,
            StepState::Open,
            StepState::Done,
            StepState::Recalled,
            StepState::Returned,
            StepState::Cancelled,
        ];
        keys.extend(step_states.iter().map(|s| format!("incoming.step_state.{}", s.code())));
        keys.extend(["error.no_reply", "error.step_ended", "error.wrong_state", "error.forbidden"].map(String::from));
        for l in Locale::ALL {
            let missing: Vec<_> = keys.iter().filter(|k| !has_key(l, k)).collect();
            assert!(missing.is_empty(), "{l:?}: {missing:?}");
        }
    }
}
