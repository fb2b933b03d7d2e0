//! The inbox pages: one list per person across all domains (待办 / 待阅 / 已办 / 已阅), a task's
//! own page with complete and chase, notifications, delegations and the working-day calendar.

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::pages::render;
use crate::picker::{Before, PeoplePicker};
use crate::routes::Routes;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Redirect, Response};
use mishu_domain::archives::SourceKind;
use mishu_domain::calendar::DayKind;
use mishu_domain::tasks::InboxBox;
use mishu_domain::{DelegationId, PersonId, TaskId, Timestamp};
use mishu_service::audit::Origin;
use mishu_service::org;
use mishu_service::tasks::{self, CalendarDay, DelegationView, InboxCounts, InboxItem, Notification, TaskRow};
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/inbox", inbox_page)
        .get("/tasks/{id}", task_page)
        .post("/tasks/{id}/complete", complete)
        .post("/tasks/{id}/chase", chase)
        .get("/notifications", notifications_page)
        .post("/notifications/read", notifications_read)
        .get("/delegations", delegations_page)
        .post("/delegations", delegate)
        .post("/delegations/{id}/revoke", revoke)
        .get("/calendar", calendar_page)
        .post("/calendar", set_day)
}

#[derive(Deserialize, Default)]
pub struct BoxQuery {
    #[serde(rename = "box")]
    which: Option<String>,
    /// Where the page starts (from a "next" link).
    offset: Option<i64>,
}

/// Rows per inbox page: a screenful, so the page stays fast however full the box is.
const PAGE_SIZE: i64 = 50;

#[derive(Template)]
#[template(path = "inbox/index.html")]
struct InboxPage<'a> {
    ctx: &'a Ctx,
    current: &'static str,
    items: Vec<InboxItem>,
    counts: InboxCounts,
    offset: i64,
    next_offset: Option<i64>,
}

/// Where a task's "open" link goes: the domain's own page when it has one.
pub fn subject_link(t: &TaskRow) -> String {
    match t.domain.as_str() {
        "leader_task" => format!("/leader-tasks/{}", t.subject_id),
        "incoming" | "incoming_circulation" if t.subject_id > 0 => format!("/incoming/{}", t.subject_id),
        "outgoing" if t.subject_id > 0 => format!("/outgoing/{}", t.subject_id),
        "seal" if t.subject_id > 0 => format!("/seals/applications/{}", t.subject_id),
        "meeting" if t.subject_id > 0 => format!("/meetings/{}", t.subject_id),
        "meeting_decision" if t.subject_id > 0 => format!("/meetings/decisions/{}", t.subject_id),
        "meeting_logistics" if t.subject_id > 0 => format!("/meetings/logistics/{}", t.subject_id),
        "room_booking" if t.subject_id > 0 => format!("/rooms/bookings/{}", t.subject_id),
        "seal_rules" if t.subject_id > 0 => format!("/seals/rules#rules-{}", t.subject_id),
        "booking_reception" if t.subject_id > 0 => format!("/rooms/bookings/{}#reception", t.subject_id),
        d if t.subject_id > 0 && SourceKind::of_task_domain(d).is_some() => {
            let kind = SourceKind::of_task_domain(d).map_or("", |k| k.code());
            format!("/archives/file#filable-{kind}-{}", t.subject_id)
        }
        _ => format!("/tasks/{}", t.task_id),
    }
}

async fn inbox_page(State(st): State<AppState>, user: User, Query(q): Query<BoxQuery>) -> AppResult<Response> {
    let which = match q.which.as_deref() {
        None | Some("") => InboxBox::ToDo,
        Some(b) => InboxBox::parse(b)
            .ok_or(AppError::BadRequest { field: "box", message: "one of todo, toread, done, read".into() })?,
    };
    let offset = q.offset.unwrap_or(0);
    if offset < 0 {
        return Err(AppError::BadRequest { field: "offset", message: "0 or more".into() });
    }
    let page = tasks::inbox_page(&st.services, &user.actor, which, PAGE_SIZE, offset).await?;
    let counts = tasks::inbox_counts(&st.services, &user.actor).await?;
    let (items, next_offset) = (page.items, page.next_offset);
    Ok(render(&InboxPage { ctx: &user.ctx, current: which.code(), items, counts, offset, next_offset }))
}

#[derive(Template)]
#[template(path = "inbox/task.html")]
struct TaskPage<'a> {
    ctx: &'a Ctx,
    task: TaskRow,
    mine: bool,
    ms_left: Option<i64>,
}

/// A task is visible to its owner (or their delegate) and to office-wide roles (who chase).
async fn load_visible(st: &AppState, user: &User, id: TaskId) -> AppResult<TaskRow> {
    let t = tasks::task(&st.services, id).await?;
    let owner = PersonId(t.assignee_id);
    let subject = mishu_domain::access::Subject {
        classification: mishu_domain::org::Clearance::parse(&t.classification)
            .unwrap_or(mishu_domain::org::Clearance::TopSecret),
        department_id: None,
        route: vec![owner],
    };
    if !mishu_domain::access::may_read(&user.actor, &subject) {
        return Err(AppError::NotFound);
    }
    Ok(t)
}

async fn task_page(State(st): State<AppState>, user: User, Path(id): Path<TaskId>) -> AppResult<Response> {
    let t = load_visible(&st, &user, id).await?;
    let mine = mishu_domain::tasks::acts_as_owner(&user.actor, PersonId(t.assignee_id));
    let ms_left = t.due_at.map(|d| d - st.services.clock.now().0);
    Ok(render(&TaskPage { ctx: &user.ctx, task: t, mine, ms_left }))
}

#[derive(Deserialize)]
pub struct OutcomeForm {
    #[serde(default)]
    outcome: String,
}

async fn complete(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<TaskId>,
    Form(f): Form<OutcomeForm>,
) -> AppResult<Redirect> {
    load_visible(&st, &user, id).await?;
    tasks::complete(&st.services, &user.actor, id, &f.outcome, &user.ctx.source_ip).await?;
    Ok(Redirect::to("/inbox"))
}

#[derive(Deserialize)]
pub struct ChaseForm {
    message: String,
}

async fn chase(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<TaskId>,
    Form(f): Form<ChaseForm>,
) -> AppResult<Redirect> {
    load_visible(&st, &user, id).await?;
    if !user.actor.is_office_wide() {
        return Err(AppError::Forbidden);
    }
    tasks::chase(&st.services, &user.actor, id, &f.message, &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/tasks/{id}")))
}

#[derive(Template)]
#[template(path = "inbox/notifications.html")]
struct NotificationsPage<'a> {
    ctx: &'a Ctx,
    items: Vec<Notification>,
}

async fn notifications_page(State(st): State<AppState>, user: User) -> AppResult<Response> {
    let items = tasks::notifications(&st.services, user.actor.person_id).await?;
    Ok(render(&NotificationsPage { ctx: &user.ctx, items }))
}

async fn notifications_read(State(st): State<AppState>, user: User) -> AppResult<Redirect> {
    tasks::mark_notifications_read(&st.services, user.actor.person_id).await?;
    Ok(Redirect::to("/notifications"))
}

#[derive(Template)]
#[template(path = "inbox/delegations.html")]
struct DelegationsPage<'a> {
    ctx: &'a Ctx,
    items: Vec<DelegationView>,
    /// The delegate: colleagues in one's own department until a search.
    picker: PeoplePicker,
    me: i64,
}

async fn delegations_page(
    State(st): State<AppState>,
    user: User,
    Query(q): Query<crate::picker::PickQuery>,
) -> AppResult<Response> {
    let me = user.actor.person_id;
    let items = tasks::delegations_for(&st.services, me).await?;
    let colleagues = match org::person(&st.services, me).await?.department_id {
        Some(d) => org::pick(&st.services, "", Some(mishu_domain::DepartmentId(d))).await?.0,
        None => vec![],
    };
    let before = Before::These(colleagues.into_iter().filter(|p| p.person_id != me.0).collect());
    let picker = PeoplePicker::load(&st, "delegate", false, &q, before).await?;
    Ok(render(&DelegationsPage { ctx: &user.ctx, items, picker, me: me.0 }))
}

#[derive(Deserialize)]
pub struct DelegateForm {
    delegate: String,
    starts: String,
    ends: String,
    #[serde(default)]
    reason: String,
}

/// `YYYY-MM-DD` (start or end of that day) or `YYYY-MM-DDTHH:MM`, office time
/// (`Timestamp::parse_local`, fuzzed by T11); a refusal names the form field.
pub fn parse_local(field: &'static str, raw: &str, end_of_day: bool) -> AppResult<Timestamp> {
    Timestamp::parse_local(raw, end_of_day)
        .ok_or_else(|| AppError::BadRequest { field, message: "expected YYYY-MM-DD or YYYY-MM-DDTHH:MM".into() })
}

async fn delegate(State(st): State<AppState>, user: User, Form(f): Form<DelegateForm>) -> AppResult<Redirect> {
    let delegate = f
        .delegate
        .parse::<PersonId>()
        .map_err(|_| AppError::BadRequest { field: "delegate", message: "choose a person".into() })?;
    let starts = parse_local("starts", &f.starts, false)?;
    let ends = parse_local("ends", &f.ends, true)?;
    tasks::create_delegation(&st.services, &user.actor, delegate, starts, ends, &f.reason, &user.ctx.source_ip).await?;
    Ok(Redirect::to("/delegations"))
}

async fn revoke(State(st): State<AppState>, user: User, Path(id): Path<DelegationId>) -> AppResult<Redirect> {
    tasks::revoke_delegation(&st.services, &user.actor, id, &user.ctx.source_ip).await?;
    Ok(Redirect::to("/delegations"))
}

#[derive(Template)]
#[template(path = "inbox/calendar.html")]
struct CalendarPage<'a> {
    ctx: &'a Ctx,
    days: Vec<CalendarDay>,
    can_edit: bool,
}

async fn calendar_page(State(st): State<AppState>, user: User) -> AppResult<Response> {
    let (_, days) = tasks::calendar(&st.services).await?;
    let can_edit = user.ctx.can("manage_calendar");
    Ok(render(&CalendarPage { ctx: &user.ctx, days, can_edit }))
}

#[derive(Deserialize)]
pub struct DayForm {
    day: String,
    /// `holiday`, `workday` or `normal` (back to the weekday rule).
    kind: String,
    #[serde(default)]
    note: String,
}

async fn set_day(State(st): State<AppState>, user: User, Form(f): Form<DayForm>) -> AppResult<Redirect> {
    let kind = match f.kind.as_str() {
        "normal" => None,
        k => Some(
            DayKind::parse(k)
                .ok_or(AppError::BadRequest { field: "kind", message: "holiday, workday or normal".into() })?,
        ),
    };
    tasks::set_day(&st.services, &Origin::of(&user.actor, &user.ctx.source_ip), &f.day, kind, &f.note).await?;
    Ok(Redirect::to("/calendar"))
}
