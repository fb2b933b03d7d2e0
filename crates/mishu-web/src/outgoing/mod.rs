//! Pages for outgoing documents (发文): the list with its boxes, the new-draft form, a draft
//! with its tabs (intent, materials, outline, versions, review, countersign, history) and
//! the forms for whoever holds it now, the diff of two versions. The moves are in
//! `actions`; attachments, the 附注 and the copy register (份号) in `appendix`; the 发文稿纸, the PDF and the number ledger in `print`; the API twin is
//! `api::outgoing`.

mod actions;
mod appendix;
mod print;

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::pages::render;
use crate::picker::{Before, PeoplePicker, PickQuery};
use crate::routes::Routes;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Redirect, Response};
use mishu_domain::OutgoingId;
use mishu_domain::org::Role;
use mishu_domain::outgoing::{DraftInput, OutgoingState, RecipientInput, Segment};
use mishu_domain::tasks::acts_as_owner;
use mishu_domain::{PersonId, incoming::DocType};
use mishu_service::org::{self, DepartmentRow};
use mishu_service::outgoing::{self, OutgoingBox, OutgoingRow, OutgoingView, ReceiptRow, StepRow, VersionRow};
use mishu_service::seals::esign::{self, SealedCopy};
use serde::Deserialize;

pub use actions::Fields;
pub(crate) use appendix::copy_action;

pub fn routes(r: Routes) -> Routes {
    let r = r
        .get("/outgoing", list)
        .get("/outgoing/new", new_page)
        .post("/outgoing", create)
        .get("/outgoing/{id}", show)
        .get("/outgoing/{id}/diff", diff);
    appendix::routes(print::routes(actions::routes(r)))
}

/// The 机关代字 the demo organ uses, offered as suggestions (any valid prefix is accepted).
const PREFIXES: [&str; 5] = ["江职院发", "江职院党发", "江职院办发", "江职院函", "江职院纪要"];

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default, rename = "box")]
    boxed: String,
    #[serde(default)]
    state: String,
}

#[derive(Template)]
#[template(path = "outgoing/list.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    items: Vec<OutgoingRow>,
    boxed: &'static str,
    state: String,
    states: Vec<&'static str>,
    is_office: bool,
}

fn is_office(user: &User) -> bool {
    user.actor.has_role(Role::Secretary) || user.actor.has_role(Role::OfficeHead)
}

async fn list(State(st): State<AppState>, user: User, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let state = match q.state.trim() {
        "" => None,
        s => Some(
            OutgoingState::parse(s)
                .ok_or(AppError::BadRequest { field: "state", message: "unknown state".into() })?
                .code(),
        ),
    };
    let boxed = OutgoingBox::parse(&q.boxed);
    let items = outgoing::list(&st.services, &user.actor, boxed, state).await?;
    let states = OutgoingState::ALL.iter().map(|s| s.code()).collect();
    let page = ListPage {
        ctx: &user.ctx,
        items,
        boxed: boxed.code(),
        state: state.unwrap_or("").to_string(),
        states,
        is_office: is_office(&user),
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "outgoing/new.html")]
struct NewPage<'a> {
    ctx: &'a Ctx,
    types: Vec<&'static str>,
    prefixes: [&'static str; 5],
    leaders: Vec<(i64, String)>,
    /// Countersigners (会签): the department heads until a search.
    picker: PeoplePicker,
    departments: Vec<DepartmentRow>,
}

async fn new_page(State(st): State<AppState>, user: User, Query(q): Query<PickQuery>) -> AppResult<Response> {
    let leaders = outgoing::signers(&st.services).await?;
    let picker = PeoplePicker::load(&st, "countersigner", true, &q, Before::Role(Role::DepartmentHead)).await?;
    let departments = org::departments(&st.services).await?.into_iter().filter(|d| d.active).collect();
    let types = DocType::ALL.iter().map(|t| t.code()).collect();
    Ok(render(&NewPage { ctx: &user.ctx, types, prefixes: PREFIXES, leaders, picker, departments }))
}

/// Recipients from the form: checked departments (main/copy) and external organs typed one
/// a line.
fn recipients(f: &Fields) -> Vec<RecipientInput> {
    let mut out = Vec::new();
    for role in ["main", "copy"] {
        out.extend(f.all(&format!("{role}_department")).map(|d| RecipientInput::new(role, "department", d)));
        out.extend(f.all(&format!("{role}_person")).map(|p| RecipientInput::new(role, "person", p)));
        for line in f.one(&format!("{role}_external")).split(['\n', '、']) {
            if !line.trim().is_empty() {
                out.push(RecipientInput::new(role, "external", line.trim()));
            }
        }
    }
    out
}

fn person(field: &'static str, raw: &str) -> AppResult<PersonId> {
    raw.parse().map_err(|_| AppError::BadRequest { field, message: "choose from the list".into() })
}

async fn create(State(st): State<AppState>, user: User, Form(f): Form<Vec<(String, String)>>) -> AppResult<Redirect> {
    let f = Fields(f);
    let signer = match f.one("signer") {
        "" => None,
        s => Some(person("signer", s)?),
    };
    let countersigners = f.all("countersigner").map(|p| person("countersigner", p)).collect::<AppResult<Vec<_>>>()?;
    let copies = match f.one("copies") {
        "" => None,
        c => Some(c.parse().map_err(|_| AppError::BadRequest { field: "copies", message: "a number".into() })?),
    };
    let input = DraftInput {
        title: f.one("title").into(),
        doc_type: f.one("doc_type").into(),
        direction: f.one("direction").into(),
        classification: f.one("classification").into(),
        secrecy_period: f.one("secrecy_period").into(),
        urgency: f.one("urgency").into(),
        prefix: f.one("prefix").into(),
        intent: f.one("intent").into(),
        signer,
        countersigners,
        countersign_parallel: f.one("parallel") == "on",
        recipients: recipients(&f),
        copies,
    };
    let id = outgoing::create(&st.services, &user.actor, input, &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/outgoing/{id}")))
}

#[derive(Template)]
#[template(path = "outgoing/show.html")]
struct ShowPage<'a> {
    ctx: &'a Ctx,
    v: OutgoingView,
    is_office: bool,
    is_drafter: bool,
    mine: Vec<StepRow>,
    my_receipts: Vec<ReceiptRow>,
    /// Reviewers (核稿) for the drafter while drafting: the department heads until a search.
    picker: Option<PeoplePicker>,
    review_open: bool,
    /// Copies sealed with an electronic seal (用印), each a signed PDF.
    sealed: Vec<SealedCopy>,
}

async fn show(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<OutgoingId>,
    Query(q): Query<PickQuery>,
) -> AppResult<Response> {
    let v = outgoing::get(&st.services, &user.actor, id, &user.ctx.source_ip).await?;
    let mine = v
        .steps
        .iter()
        .filter(|s| s.state == "open" && acts_as_owner(&user.actor, PersonId(s.person_id)))
        .cloned()
        .collect();
    let my_receipts = v
        .receipts
        .iter()
        .filter(|r| r.state == "pending" && r.person_id.is_some_and(|p| acts_as_owner(&user.actor, PersonId(p))))
        .cloned()
        .collect();
    let is_drafter = acts_as_owner(&user.actor, PersonId(v.doc.drafter_id));
    let picker = if is_drafter && v.doc.state == "drafting" {
        Some(PeoplePicker::load(&st, "reviewer", true, &q, Before::Role(Role::DepartmentHead)).await?)
    } else {
        None
    };
    let review_open = v.steps.iter().any(|s| s.kind == "review" && s.state == "open");
    let sealed = esign::sealed_copies(&st.services, &v).await?;
    let page = ShowPage {
        ctx: &user.ctx,
        is_office: is_office(&user),
        is_drafter,
        mine,
        my_receipts,
        picker,
        review_open,
        v,
        sealed,
    };
    Ok(render(&page))
}

#[derive(Deserialize)]
struct DiffQuery {
    from: i64,
    to: i64,
}

#[derive(Template)]
#[template(path = "outgoing/diff.html")]
struct DiffPage<'a> {
    ctx: &'a Ctx,
    id: i64,
    a: VersionRow,
    b: VersionRow,
    changes: Vec<Segment>,
}

async fn diff(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<OutgoingId>,
    Query(q): Query<DiffQuery>,
) -> AppResult<Response> {
    let (a, b, changes) = outgoing::diff(&st.services, &user.actor, id, q.from, q.to, &user.ctx.source_ip).await?;
    Ok(render(&DiffPage { ctx: &user.ctx, id: id.0, a, b, changes }))
}
