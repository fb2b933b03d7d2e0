//! A meeting's page: attendees with their answers and check-in, the viewer's own answer
//! form, the logistics checklist (`logistics`), minutes with decisions and each decision's
//! follow-up (R3.1–R3.3).

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::inbox::parse_local;
use crate::pages::render;
use crate::picker::PickQuery;
use crate::routes::Routes;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{Redirect, Response};
use mishu_domain::meetings::logistics::{ItemState, overdue};
use mishu_domain::meetings::{Rsvp, check_in_open};
use mishu_domain::org::Role;
use mishu_domain::{DecisionId, MeetingId, PersonId, Timestamp};
use mishu_service::meetings::{AttendeeRow, LogisticsRow, MeetingView, NewDecision, meeting, summary};
use mishu_service::org;
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/meetings/{id}", show)
        .post("/meetings/{id}/answer", answer)
        .get("/meetings/{id}/check-in", check_in_page)
        .post("/meetings/{id}/check-in", check_in)
        .post("/meetings/{id}/minutes", minutes)
        .post("/meetings/{id}/summary", draft_summary)
        .get("/meetings/decisions/{id}", open_decision)
        .post("/meetings/decisions/{id}/answer", answer_decision)
}

#[derive(Template)]
#[template(path = "meetings/show.html")]
struct ShowPage<'a> {
    ctx: &'a Ctx,
    v: MeetingView,
    me: i64,
    runs: bool,
    /// The meeting has begun: answers are closed (check-in is how one attends now).
    started: bool,
    /// Who may own a decision: (person, name as shown).
    people: Vec<(i64, String)>,
    /// The 纪要 drafted from the minutes, if any.
    summary: Option<i64>,
    /// The 机关代字 offered for drafting the 纪要.
    prefix: String,
    /// For those who run it: the check-in page's address and its QR code (a `data:` image).
    check_in_url: String,
    qr: String,
    now: i64,
    /// For those who run it: the checklist's and the attendees' forms.
    forms: Option<super::logistics::Forms>,
}

impl ShowPage<'_> {
    fn overdue(&self, it: &LogisticsRow) -> bool {
        overdue(ItemState::parse(&it.state), Timestamp(it.due_at), Timestamp(self.now))
    }

    fn input_time(&self, ms: &i64) -> String {
        super::logistics::input_time(*ms)
    }

    /// The viewer owns the item (and may mark it done).
    fn owns(&self, it: &LogisticsRow) -> bool {
        it.owner_id == Some(self.me)
    }

    fn owned_by(&self, it: &LogisticsRow, person: &i64) -> bool {
        it.owner_id == Some(*person)
    }
}

async fn show(
    State(st): State<AppState>,
    user: User,
    headers: HeaderMap,
    Path(id): Path<MeetingId>,
    Query(q): Query<PickQuery>,
) -> AppResult<Response> {
    let v = meeting::get(&st.services, &user.actor, id).await?;
    let a = &user.actor;
    let me = a.acting_for.unwrap_or(a.person_id).0;
    let runs = me == v.meeting.organiser_id || a.has_role(Role::OfficeHead) || a.has_role(Role::Secretary);
    // A decision's owner is someone at the table or a department head: those, not the whole
    // staff (thousands of options per decision row on a large organ).
    let people = if runs {
        let mut people: Vec<(i64, String)> = v.attendees.iter().map(|a| (a.person_id, a.name.clone())).collect();
        for p in org::active_with_role(&st.services, Role::DepartmentHead).await? {
            if !people.iter().any(|(id, _)| *id == p.person_id) {
                let dept = p.department_name.map(|d| format!("（{d}）")).unwrap_or_default();
                people.push((p.person_id, format!("{}{dept}", p.name)));
            }
        }
        people
    } else {
        Vec::new()
    };
    let now = st.services.clock.now().0;
    let started = now >= v.meeting.starts_at;
    let forms = if runs { Some(super::logistics::forms(&st, &v, &q).await?) } else { None };
    let (summary, prefix) = if v.meeting.minutes.is_some() {
        (summary::summary_of(&st.services, id).await?.map(|o| o.0), summary::usual_prefix(&st.services).await?)
    } else {
        (None, None)
    };
    let prefix = prefix.unwrap_or_default();
    let check_in_url = format!("{}/meetings/{id}/check-in", super::calendar::origin(&st, &headers));
    let qr = if runs { crate::security::qr_data_url(&check_in_url) } else { String::new() };
    let page = ShowPage { ctx: &user.ctx, v, me, runs, started, people, summary, prefix, check_in_url, qr, now, forms };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "meetings/check_in.html")]
struct CheckInPage<'a> {
    ctx: &'a Ctx,
    v: MeetingView,
    me: i64,
    /// The viewer's own row: `None` when they are not on the list.
    mine: Option<AttendeeRow>,
    open: bool,
}

/// Where the QR code leads: the attendee's own check-in button. Showing it changes nothing;
/// the button posts to the check-in route like the list on the meeting page.
async fn check_in_page(State(st): State<AppState>, user: User, Path(id): Path<MeetingId>) -> AppResult<Response> {
    let v = meeting::get(&st.services, &user.actor, id).await?;
    let me = user.actor.acting_for.unwrap_or(user.actor.person_id).0;
    let mine = v.attendees.iter().find(|a| a.person_id == me).cloned();
    let now = st.services.clock.now();
    let open = check_in_open(Timestamp(v.meeting.starts_at), Timestamp(v.meeting.ends_at), now);
    Ok(render(&CheckInPage { ctx: &user.ctx, v, me, mine, open }))
}

#[derive(Deserialize, Default)]
struct AnswerForm {
    #[serde(default)]
    answer: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    deputy: String,
}

async fn answer(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<MeetingId>,
    Form(f): Form<AnswerForm>,
) -> AppResult<Redirect> {
    let rsvp = Rsvp::parse(&f.answer, &f.reason, &f.deputy).map_err(mishu_service::ServiceError::from)?;
    meeting::answer(&st.services, &user.actor, id, rsvp, &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/meetings/{id}")))
}

#[derive(Deserialize, Default)]
struct CheckInForm {
    #[serde(default)]
    person_id: String,
    /// `page` when sent from the check-in page (the phone), which it then shows again.
    #[serde(default)]
    from: String,
}

async fn check_in(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<MeetingId>,
    Form(f): Form<CheckInForm>,
) -> AppResult<Redirect> {
    let person: PersonId = f
        .person_id
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest { field: "person_id", message: "choose from the list".into() })?;
    meeting::check_in(&st.services, &user.actor, id, person, &user.ctx.source_ip).await?;
    if f.from == "page" {
        return Ok(Redirect::to(&format!("/meetings/{id}/check-in")));
    }
    Ok(Redirect::to(&format!("/meetings/{id}#attendees")))
}

/// Minutes plus up to three decisions (`decision_N`, `owner_N`, `due_N`); empty rows are skipped.
async fn minutes(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<MeetingId>,
    Form(f): Form<Vec<(String, String)>>,
) -> AppResult<Redirect> {
    let one = |k: &str| f.iter().find(|(key, _)| key == k).map_or(String::new(), |(_, v)| v.trim().to_string());
    let mut decisions = Vec::new();
    for i in 1..=3 {
        let text = one(&format!("decision_{i}"));
        if text.is_empty() {
            continue;
        }
        let owner: PersonId = one(&format!("owner_{i}"))
            .parse()
            .map_err(|_| AppError::BadRequest { field: "owner", message: "choose who follows it up".into() })?;
        let due = parse_local("due", &one(&format!("due_{i}")), true)?;
        decisions.push(NewDecision { text, owner_id: owner, due_at: due });
    }
    meeting::record_minutes(&st.services, &user.actor, id, &one("minutes"), decisions, &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/meetings/{id}#minutes")))
}

#[derive(Deserialize, Default)]
struct DecisionAnswerForm {
    #[serde(default)]
    meeting_id: String,
    #[serde(default)]
    answer: String,
}

/// A decision's task opens the meeting page at that decision, where its owner reports progress.
async fn open_decision(State(st): State<AppState>, _user: User, Path(id): Path<DecisionId>) -> AppResult<Redirect> {
    let m = meeting::meeting_of_decision(&st.services, id).await?;
    Ok(Redirect::to(&format!("/meetings/{m}#decision-{id}")))
}

async fn answer_decision(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<DecisionId>,
    Form(f): Form<DecisionAnswerForm>,
) -> AppResult<Redirect> {
    meeting::answer_decision(&st.services, &user.actor, id, &f.answer, &user.ctx.source_ip).await?;
    let back = f.meeting_id.trim().parse::<i64>().map_or("/inbox".to_string(), |m| format!("/meetings/{m}#minutes"));
    Ok(Redirect::to(&back))
}

#[derive(Deserialize, Default)]
struct SummaryForm {
    #[serde(default)]
    prefix: String,
}

/// Drafts the 纪要 from the minutes and opens it on the outgoing route.
async fn draft_summary(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<MeetingId>,
    Form(f): Form<SummaryForm>,
) -> AppResult<Redirect> {
    let draft = summary::draft_summary(&st.services, &user.actor, id, &f.prefix, &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/outgoing/{draft}")))
}
