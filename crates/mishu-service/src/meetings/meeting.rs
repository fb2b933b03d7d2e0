//! A meeting's life (R3): the notice reaching each attendee as an Attend task (R3.1, R6.1),
//! their answers (回执), check-in, minutes (R3.2) and decisions followed up as Handle tasks
//! until each owner answers (R3.3).

use super::meeting_store::{self as store, AttendeeRow, DecisionRow, MeetingRow, NewMeetingRow};
use super::{DECISION_DOMAIN, LogisticsRow, MEETING_DOMAIN, bookings};
use crate::audit::{self, Origin};
use crate::search;
use crate::tasks::{self, NewTask};
use crate::{ServiceError, ServiceResult, Services};
use mishu_domain::access::Actor;
use mishu_domain::audit::AuditEvent;
use mishu_domain::meetings::{BookingState, MeetingError, Rsvp, check_in_open};
use mishu_domain::org::{Clearance, Role};
use mishu_domain::tasks::{TaskKind, Urgency};
use mishu_domain::{BookingId, DecisionId, MeetingId, PersonId, Timestamp};
use serde::Serialize;
use serde_json::json;

#[derive(Debug, Clone)]
pub struct NewMeeting {
    /// The room booking it is held in; its time and room become the meeting's.
    pub booking_id: BookingId,
    pub chair_id: PersonId,
    pub content: String,
    pub materials: String,
    pub attendees: Vec<PersonId>,
}

#[derive(Debug, Clone)]
pub struct NewDecision {
    pub text: String,
    pub owner_id: PersonId,
    pub due_at: Timestamp,
}

#[derive(Debug, Clone, Serialize)]
pub struct MeetingView {
    pub meeting: MeetingRow,
    pub attendees: Vec<AttendeeRow>,
    pub decisions: Vec<DecisionRow>,
    /// The logistics checklist (会务保障), by due time.
    pub logistics: Vec<LogisticsRow>,
}

/// The organiser, and the office (head and secretaries), run the meeting.
pub(super) fn runs(actor: &Actor, m: &MeetingRow) -> bool {
    actor.is_business_user()
        && (actor.person_id.0 == m.organiser_id
            || actor.acting_for.is_some_and(|p| p.0 == m.organiser_id)
            || actor.has_role(Role::OfficeHead)
            || actor.has_role(Role::Secretary))
}

fn text(s: &str, field: &'static str, max: usize) -> ServiceResult<String> {
    if s.chars().count() > max {
        return Err(ServiceError::invalid(field, format!("at most {max} characters")));
    }
    crate::multiline(field, s)?;
    Ok(s.trim().to_string())
}

pub async fn create(s: &Services, actor: &Actor, n: NewMeeting, source_ip: &str) -> ServiceResult<MeetingId> {
    let now = s.clock.now();
    let b = bookings::get(s, n.booking_id).await.map_err(|_| ServiceError::invalid("booking_id", "no such booking"))?;
    let is_office = actor.has_role(Role::OfficeHead) || actor.has_role(Role::Secretary);
    if !actor.is_business_user() || (b.requested_by != actor.person_id.0 && !is_office) {
        return Err(ServiceError::Forbidden);
    }
    if !BookingState::parse(&b.state).holds_slot() {
        return Err(ServiceError::invalid("booking_id", "the booking was rejected or cancelled"));
    }
    let mut people = n.attendees.clone();
    people.sort();
    people.dedup();
    if people.is_empty() {
        return Err(MeetingError::NoAttendees.into());
    }
    let (content, materials) = (text(&n.content, "content", 4000)?, text(&n.materials, "materials", 4000)?);
    let mut tx = s.db.begin().await?;
    let row = NewMeetingRow {
        booking: Some(n.booking_id),
        title: &b.title,
        chair: n.chair_id,
        content: if content.is_empty() { &b.content } else { &content },
        materials: &materials,
        location: &b.room_name,
        starts_at: Timestamp(b.starts_at),
        ends_at: Timestamp(b.ends_at),
        organiser: actor.person_id,
    };
    let id = store::insert(&mut tx, &row, now).await.map_err(|e| {
        if e.is_unique_violation() {
            ServiceError::Conflict("this booking already has a meeting".into())
        } else {
            e.into()
        }
    })?;
    for p in &people {
        store::add_attendee(&mut tx, id, *p).await.map_err(|_| ServiceError::invalid("attendees", "unknown person"))?;
        tasks::open_task(&mut tx, &notice_task(id, &b.title, b.starts_at, *p, actor), now).await?;
    }
    let detail = json!({"booking_id": n.booking_id.0, "title": b.title, "chair_id": n.chair_id.0,
        "attendees": people.iter().map(|p| p.0).collect::<Vec<_>>()});
    let ev = AuditEvent::new("meeting.notified", MEETING_DOMAIN, Some(id.to_string()), detail);
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &ev).await?;
    search::touch(&mut tx, search::Domain::Meeting, id.0, now).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn get(s: &Services, actor: &Actor, id: MeetingId) -> ServiceResult<MeetingView> {
    if !actor.is_business_user() {
        return Err(ServiceError::NotFound);
    }
    let meeting = store::get(&s.db, id).await?.ok_or(ServiceError::NotFound)?;
    Ok(MeetingView {
        meeting,
        attendees: store::attendees(&s.db, id).await?,
        decisions: store::decisions(&s.db, id).await?,
        logistics: super::logistics_store::items(&s.db, id).await?,
    })
}

/// The meeting held in a booking, if one was announced.
pub async fn of_booking(s: &Services, b: BookingId) -> ServiceResult<Option<MeetingRow>> {
    Ok(store::of_booking(&s.db, b).await?)
}

pub async fn between(s: &Services, from: Timestamp, to: Timestamp) -> ServiceResult<Vec<MeetingRow>> {
    Ok(store::between(&s.db, from, to).await?)
}

/// The attendee's own answer (回执); a deputy acting for them answers in their name.
pub async fn answer(s: &Services, actor: &Actor, id: MeetingId, rsvp: Rsvp, source_ip: &str) -> ServiceResult<()> {
    let now = s.clock.now();
    let me = actor.acting_for.unwrap_or(actor.person_id);
    let mut tx = s.db.begin().await?;
    let m = store::get_tx(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    if !store::is_attendee(&mut tx, id, me).await? {
        return Err(ServiceError::Forbidden);
    }
    if now >= Timestamp(m.starts_at) {
        return Err(MeetingError::AlreadyStarted.into());
    }
    store::set_rsvp(&mut tx, id, me, &rsvp, now).await?;
    tasks::close_subject_tasks(&mut tx, MEETING_DOMAIN, id.0, Some(me), actor, rsvp.code(), now).await?;
    let detail = json!({"person_id": me.0, "rsvp": rsvp});
    let ev = AuditEvent::new("meeting.answered", MEETING_DOMAIN, Some(id.to_string()), detail);
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &ev).await?;
    tx.commit().await?;
    Ok(())
}

/// Checks an attendee in: themself, or the organiser/office at the door.
pub async fn check_in(
    s: &Services,
    actor: &Actor,
    id: MeetingId,
    person: PersonId,
    source_ip: &str,
) -> ServiceResult<()> {
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let m = store::get_tx(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    let me = actor.acting_for.unwrap_or(actor.person_id);
    if person != me && !runs(actor, &m) {
        return Err(ServiceError::Forbidden);
    }
    if !check_in_open(Timestamp(m.starts_at), Timestamp(m.ends_at), now) {
        return Err(MeetingError::CheckInClosed.into());
    }
    if !store::is_attendee(&mut tx, id, person).await? {
        return Err(ServiceError::invalid("person_id", "not an attendee of this meeting"));
    }
    // Being there answers the notice: it leaves the attendee's 待办 (R6.1).
    tasks::close_subject_tasks(&mut tx, MEETING_DOMAIN, id.0, Some(person), actor, "checked_in", now).await?;
    if store::check_in(&mut tx, id, person, now).await? == 1 {
        let ev =
            AuditEvent::new("meeting.checked_in", MEETING_DOMAIN, Some(id.to_string()), json!({"person_id": person.0}));
        audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &ev).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Records the minutes (R3.2) and turns each decision into a tracked Handle task for its
/// owner (R3.3), like a leader-assigned task: it stays in their 待办 until they answer.
pub async fn record_minutes(
    s: &Services,
    actor: &Actor,
    id: MeetingId,
    minutes: &str,
    decisions: Vec<NewDecision>,
    source_ip: &str,
) -> ServiceResult<Vec<DecisionId>> {
    let now = s.clock.now();
    let minutes = minutes.trim();
    if minutes.is_empty() {
        return Err(MeetingError::MinutesRequired.into());
    }
    let minutes = text(minutes, "minutes", 20_000)?;
    for d in &decisions {
        let n = d.text.trim().chars().count();
        if n == 0 || n > 500 {
            return Err(MeetingError::DecisionInvalid.into());
        }
        crate::multiline("decision", &d.text)?;
        if d.due_at <= now {
            return Err(MeetingError::DueInPast.into());
        }
    }
    let mut tx = s.db.begin().await?;
    let m = store::get_tx(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    if !runs(actor, &m) {
        return Err(ServiceError::Forbidden);
    }
    store::set_minutes(&mut tx, id, &minutes, actor.person_id, now).await?;
    // A major meeting (a leader chairs it) is a chronicle candidate (大事记, R8.2).
    let (origin, source) = (Origin::of(actor, source_ip), crate::archives::chronicle::CandidateSource::Meeting(id));
    crate::archives::chronicle::propose_from(&mut tx, &s.audit_key, &origin, source, now).await?;
    let mut ids = Vec::new();
    for d in &decisions {
        let did = store::insert_decision(&mut tx, id, d.text.trim(), d.owner_id, d.due_at, now)
            .await
            .map_err(|_| ServiceError::invalid("owner_id", "unknown person"))?;
        let t = NewTask {
            domain: DECISION_DOMAIN,
            subject_id: did.0,
            title: d.text.trim().to_string(),
            kind: TaskKind::Handle,
            assignee: d.owner_id,
            created_by: Some(PersonId(m.chair_id)),
            classification: Clearance::None,
            urgency: Urgency::Normal,
            due_at: Some(d.due_at),
        };
        tasks::open_task(&mut tx, &t, now).await?;
        ids.push(did);
    }
    let detail = json!({"decisions": ids.iter().map(|d| d.0).collect::<Vec<_>>(), "length": minutes.chars().count()});
    let ev = AuditEvent::new("meeting.minutes_recorded", MEETING_DOMAIN, Some(id.to_string()), detail);
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &ev).await?;
    search::touch(&mut tx, search::Domain::Meeting, id.0, now).await?;
    tx.commit().await?;
    Ok(ids)
}

/// The owner's answer closes a decision and its task; progress shows on the minutes (R3.3).
/// The meeting a decision was taken at: an owner's task opens the minutes it belongs to.
pub async fn meeting_of_decision(s: &Services, id: DecisionId) -> ServiceResult<MeetingId> {
    let d = store::decision(&s.db, id).await?.ok_or(ServiceError::NotFound)?;
    Ok(MeetingId(d.meeting_id))
}

pub async fn answer_decision(
    s: &Services,
    actor: &Actor,
    id: DecisionId,
    answer: &str,
    source_ip: &str,
) -> ServiceResult<()> {
    let now = s.clock.now();
    let answer = answer.trim();
    if answer.is_empty() {
        return Err(ServiceError::invalid("answer", "required"));
    }
    let answer = text(answer, "answer", 4000)?;
    let mut tx = s.db.begin().await?;
    let d = store::decision_tx(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    let me = actor.acting_for.unwrap_or(actor.person_id);
    if me.0 != d.owner_id && actor.person_id.0 != d.owner_id {
        return Err(ServiceError::Forbidden);
    }
    if store::answer_decision(&mut tx, id, &answer, now).await? == 0 {
        return Err(ServiceError::Conflict("this decision is already answered".into()));
    }
    tasks::close_subject_tasks(&mut tx, DECISION_DOMAIN, id.0, Some(PersonId(d.owner_id)), actor, &answer, now).await?;
    let ev =
        AuditEvent::new("meeting.decision_answered", DECISION_DOMAIN, Some(id.to_string()), json!({"answer": answer}));
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &ev).await?;
    search::touch(&mut tx, search::Domain::Meeting, d.meeting_id, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The notice that reaches one attendee personally (R6.1) and waits for their answer, for
/// the first notice and for a person added later alike.
pub(super) fn notice_task(id: MeetingId, title: &str, starts_at: i64, person: PersonId, by: &Actor) -> NewTask {
    NewTask {
        domain: MEETING_DOMAIN,
        subject_id: id.0,
        title: title.to_string(),
        kind: TaskKind::Attend,
        assignee: person,
        created_by: Some(by.person_id),
        classification: Clearance::None,
        urgency: Urgency::Normal,
        due_at: Some(Timestamp(starts_at)),
    }
}
