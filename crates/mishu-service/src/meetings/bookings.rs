//! Room bookings: a request is checked by the room rules, stored only if its slot is free,
//! and waits on the spine for the approvals it needs (office head, 行政科 head). The items of
//! equipment it asks for are held with it, and freed or moved with it (`equipment`).

use super::BOOKING_DOMAIN;
use super::equipment;
use super::store::{self, BookingRow, NewBookingRow, RoomRow};
use crate::audit::{self, Origin};
use crate::db::Tx;
use crate::tasks::{self, NewTask};
use crate::{ServiceError, ServiceResult, Services, settings};
use mishu_domain::access::Actor;
use mishu_domain::audit::AuditEvent;
use mishu_domain::meetings::{
    self as rules, Approver, BookingAction, BookingFacts, BookingRequest, BookingState, RoomFacts, Slot,
};
use mishu_domain::org::Clearance;
use mishu_domain::tasks::{TaskKind, Urgency};
use mishu_domain::{BookingId, DepartmentId, PersonId, RoomId, Timestamp};
use serde_json::json;

fn facts_of(r: &RoomRow) -> RoomFacts {
    RoomFacts { name: r.name.clone(), capacity: r.capacity, active: r.active }
}

/// The message of a refused overlap names the slot that is taken, so the requester can pick another.
fn taken(b: &BookingRow) -> ServiceError {
    ServiceError::Conflict(format!(
        "{} is already booked {}–{} ({})",
        b.room_name,
        Timestamp(b.starts_at).local_display(),
        Timestamp(b.ends_at).local_display(),
        b.title
    ))
}

/// The database's own refusal of an overlap (PostgreSQL's exclusion constraint, SQLite's
/// trigger, migration 0021) is the same clear conflict as the service's check, never a 500.
/// It fires only when something got past the room lock (another path, a bug).
fn refused_overlap(e: crate::db::DbError, room: &str) -> ServiceError {
    if e.is_exclusion_violation() {
        ServiceError::Conflict(format!("{room} is already booked at that time"))
    } else {
        e.into()
    }
}

/// Requests a room. The overlap check and the insert happen in one transaction that
/// serialises every request for the room:
/// - SQLite: `begin()` is `BEGIN IMMEDIATE`, so the transaction holds the database's write
///   lock from its first statement; no other request can insert between our check and insert.
/// - PostgreSQL (READ COMMITTED): the first statement is an `UPDATE rooms … WHERE room_id = $1`,
///   which takes the room's row lock until commit. A concurrent request for the same room
///   blocks on that UPDATE, and once we commit its following SELECT (a new snapshot per
///   statement under READ COMMITTED) sees our booking and refuses. Requests for other rooms
///   do not wait. One code path is thus safe on both databases.
pub async fn request(
    s: &Services,
    actor: &Actor,
    room_id: RoomId,
    req: BookingRequest,
    source_ip: &str,
) -> ServiceResult<BookingId> {
    if !actor.is_business_user() {
        return Err(ServiceError::Forbidden);
    }
    let now = s.clock.now();
    let room_rules = settings::room_rules(&s.db).await?;
    let mut tx = s.db.begin().await?;
    if store::lock_room(&mut tx, room_id).await? == 0 {
        return Err(ServiceError::invalid("room_id", "no such room"));
    }
    let all = store::rooms_tx(&mut tx).await?;
    let room = all.iter().find(|r| r.room_id == room_id.0).ok_or(ServiceError::NotFound)?;
    let others: Vec<RoomFacts> = all.iter().map(facts_of).collect();
    let v = rules::validate_request(&room_rules, &req, &facts_of(room), &others, now)?;
    let items = equipment::check(&mut tx, room_id, &req.equipment_ids).await?;
    if let Some(b) = store::overlapping(&mut tx, room_id, req.slot).await?.first() {
        return Err(taken(b));
    }
    // Shared items are asked for from any room: their locks serialise those requests too.
    equipment::lock_free(&mut tx, &items, req.slot, None).await?;
    let section = room.managed_by.map(DepartmentId);
    let mut pending = Vec::new();
    // Equipment needs the managing section's head (R5.8); a room with no managing section
    // falls back to the office head so the request never waits on nobody.
    if v.needs_office_head || (v.needs_section && section.is_none()) {
        pending.push(Approver::OfficeHead);
    }
    if v.needs_section && section.is_some() {
        pending.push(Approver::Section);
    }
    let row = NewBookingRow {
        room: room_id,
        v: &v,
        kind: req.kind,
        slot: req.slot,
        attendees: req.attendees,
        equipment: rules::needs_consent(req.equipment, &items),
        pending: &pending,
        by: actor.person_id,
        department: actor.department_id,
    };
    let id = store::insert(&mut tx, &row, now).await.map_err(|e| refused_overlap(e, &room.name))?;
    let state = if pending.is_empty() { BookingState::Approved } else { BookingState::Requested };
    equipment::hold(&mut tx, id, &items, req.slot, state).await?;
    for approver in &pending {
        open_approval(&mut tx, id, &v.title, *approver, section, actor.person_id, req.slot.from, now).await?;
    }
    if let Some(guests) = &v.reception {
        super::reception::notify(&mut tx, id, &v.title, guests, req.slot.from, actor.person_id, now).await?;
    }
    let detail = json!({"room_id": room_id.0, "title": v.title, "kind": req.kind.code(), "starts_at": req.slot.from.0,
        "ends_at": req.slot.to.0, "attendees": req.attendees, "equipment": row.equipment,
        "equipment_ids": items.iter().map(|i| i.0).collect::<Vec<_>>(), "ad_hoc": v.ad_hoc,
        "guests": v.reception, "pending": pending.iter().map(|p| p.code()).collect::<Vec<_>>()});
    let event = AuditEvent::new("booking.requested", BOOKING_DOMAIN, Some(id.to_string()), detail);
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &event).await?;
    tx.commit().await?;
    Ok(id)
}

/// Moves a booking to another time in its room (改期): `decide_move` says who may and whether
/// the new time waits for the office head again; the slot must be free, checked under the
/// same room lock as a request. A meeting held in the booking moves with it. The people the
/// change touches learn of it when the office re-publishes the week's arrangement (R5.4,
/// `week::publish`), which shows the change as pending until then.
pub async fn reschedule(
    s: &Services,
    actor: &Actor,
    id: BookingId,
    to: Slot,
    source_ip: &str,
) -> ServiceResult<BookingState> {
    let now = s.clock.now();
    let room_rules = settings::room_rules(&s.db).await?;
    let mut tx = s.db.begin().await?;
    let b = store::get_tx(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    let room = RoomId(b.room_id);
    store::lock_room(&mut tx, room).await?;
    let facts = facts_of_booking(&mut tx, &b).await?;
    let section = facts.section;
    let from = slot(Timestamp(b.starts_at), Timestamp(b.ends_at));
    let late = rules::is_ad_hoc(&room_rules, now, to.from);
    let (next, pending, event) = rules::decide_move(&facts, actor, from, to, late, now)?;
    if let Some(o) = store::overlapping(&mut tx, room, to).await?.iter().find(|o| o.booking_id != b.booking_id) {
        return Err(taken(o));
    }
    equipment::lock_for_move(&mut tx, id, to).await?;
    let moved = store::move_to(&mut tx, id, to, next, &pending, late, b.version)
        .await
        .map_err(|e| refused_overlap(e, &b.room_name))?;
    if !moved {
        return Err(ServiceError::Conflict("this booking changed meanwhile; reload".into()));
    }
    equipment::move_holds(&mut tx, id, to, next).await?;
    if let Some(m) = super::meeting_store::move_with_booking(&mut tx, id, to).await? {
        // The meeting's date is part of what search finds it by (its year, its order).
        crate::search::touch(&mut tx, crate::search::Domain::Meeting, m.0, now).await?;
    }
    // Approvals still waiting are due by the new start.
    tasks::move_subject_due(&mut tx, BOOKING_DOMAIN, id.0, to.from).await?;
    if pending.contains(&Approver::OfficeHead) && !b.pending_office_head {
        open_approval(&mut tx, id, &b.title, Approver::OfficeHead, section, actor.person_id, to.from, now).await?;
    }
    let detail = serde_json::to_value(&event).unwrap_or_default();
    let ev = AuditEvent::new("booking.moved", BOOKING_DOMAIN, Some(id.to_string()), detail);
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &ev).await?;
    tx.commit().await?;
    Ok(next)
}

/// What `decide` and `decide_move` know of a stored booking, with the section that manages
/// its room (whose head approves equipment, R5.8).
async fn facts_of_booking(tx: &mut Tx, b: &BookingRow) -> ServiceResult<BookingFacts> {
    let rooms = store::rooms_tx(tx).await?;
    let section = rooms.iter().find(|r| r.room_id == b.room_id).and_then(|r| r.managed_by).map(DepartmentId);
    Ok(BookingFacts {
        state: BookingState::parse(&b.state),
        requested_by: PersonId(b.requested_by),
        starts_at: Timestamp(b.starts_at),
        pending: b.pending(),
        section,
    })
}

/// One Approve task per person who can give the approval; the first to act closes them all.
#[allow(clippy::too_many_arguments)]
async fn open_approval(
    tx: &mut Tx,
    id: BookingId,
    title: &str,
    approver: Approver,
    section: Option<DepartmentId>,
    by: PersonId,
    starts_at: Timestamp,
    now: Timestamp,
) -> ServiceResult<()> {
    let people = match (approver, section) {
        (Approver::Section, Some(d)) => store::department_heads(tx, d).await?,
        _ => store::office_heads(tx).await?,
    };
    for person in people {
        let t = NewTask {
            domain: BOOKING_DOMAIN,
            subject_id: id.0,
            title: title.to_string(),
            kind: TaskKind::Approve,
            assignee: person,
            created_by: Some(by),
            classification: Clearance::None,
            urgency: Urgency::Urgent,
            due_at: Some(starts_at),
        };
        tasks::open_task(tx, &t, now).await?;
    }
    Ok(())
}

/// A booking with the items it holds.
pub async fn get(s: &Services, id: BookingId) -> ServiceResult<BookingRow> {
    let mut b = store::get(&s.db, id).await?.ok_or(ServiceError::NotFound)?;
    b.items = equipment::of_booking(s, id).await?;
    Ok(b)
}

/// Bookings starting in [from, to), with their items — the week grid and the weekly arrangement.
pub async fn between(s: &Services, from: Timestamp, to: Timestamp) -> ServiceResult<Vec<BookingRow>> {
    let mut all = store::between(&s.db, from, to).await?;
    let items = equipment::of_bookings_between(s, from, to).await?;
    for b in &mut all {
        b.items = items.iter().filter(|i| i.booking_id == b.booking_id).cloned().collect();
    }
    Ok(all)
}

/// Approve, reject or cancel a booking through `decide`.
pub async fn act(
    s: &Services,
    actor: &Actor,
    id: BookingId,
    action: BookingAction,
    source_ip: &str,
) -> ServiceResult<BookingState> {
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let b = store::get_tx(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    let facts = facts_of_booking(&mut tx, &b).await?;
    let section = facts.section;
    let (next, left, event) = rules::decide(&facts, actor, action.clone(), now)?;
    let reason = match &action {
        BookingAction::Reject { reason } | BookingAction::Cancel { reason } => Some(reason.trim()),
        BookingAction::Approve => None,
    };
    if !store::set_state(&mut tx, id, next, &left, reason, now, b.version).await? {
        return Err(ServiceError::Conflict("this booking changed meanwhile; reload".into()));
    }
    equipment::set_state(&mut tx, id, next).await?;
    let outcome = reason.unwrap_or(next.code());
    if next == BookingState::Requested {
        // One approval given: close this approver's tasks (the other approval stays open).
        let mine = b.pending().into_iter().filter(|p| !left.contains(p)).collect::<Vec<_>>();
        for p in mine {
            let people = match (p, section) {
                (Approver::Section, Some(d)) => store::department_heads(&mut tx, d).await?,
                _ => store::office_heads(&mut tx).await?,
            };
            for person in people {
                tasks::close_subject_tasks(&mut tx, BOOKING_DOMAIN, id.0, Some(person), actor, outcome, now).await?;
            }
        }
    } else {
        tasks::close_subject_tasks(&mut tx, BOOKING_DOMAIN, id.0, None, actor, outcome, now).await?;
    }
    if next == BookingState::Cancelled || next == BookingState::Rejected {
        super::meeting_store::cancel_notices_of_booking(&mut tx, id, now).await?;
        super::reception::withdraw(&mut tx, id, now).await?;
    }
    let detail = serde_json::to_value(&event).unwrap_or_default();
    let ev = AuditEvent::new(&format!("booking.{}", next.code()), BOOKING_DOMAIN, Some(id.to_string()), detail);
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &ev).await?;
    tx.commit().await?;
    Ok(next)
}

/// Convenience for forms: a slot from two instants.
pub fn slot(from: Timestamp, to: Timestamp) -> Slot {
    Slot { from, to }
}
