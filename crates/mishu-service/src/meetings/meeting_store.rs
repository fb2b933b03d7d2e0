//! SQL for meetings, their attendees and their decisions.

use crate::args;
use crate::db::{Db, DbResult, Tx};
use crate::tasks;
use mishu_domain::meetings::{Rsvp, Slot};
use mishu_domain::{BookingId, DecisionId, MeetingId, PersonId, Timestamp};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct MeetingRow {
    pub meeting_id: i64,
    pub booking_id: Option<i64>,
    pub title: String,
    pub chair_id: i64,
    pub chair_name: String,
    pub content: String,
    pub materials: String,
    pub location: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub organiser_id: i64,
    pub minutes: Option<String>,
    pub minutes_at: Option<i64>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AttendeeRow {
    pub person_id: i64,
    pub name: String,
    pub rsvp: String,
    pub reason: Option<String>,
    pub deputy_name: Option<String>,
    pub answered_at: Option<i64>,
    pub checked_in_at: Option<i64>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DecisionRow {
    pub decision_id: i64,
    pub meeting_id: i64,
    pub text: String,
    pub owner_id: i64,
    pub owner_name: String,
    pub due_at: i64,
    pub state: String,
    pub answer: Option<String>,
    pub answered_at: Option<i64>,
}

const MEETING: &str = "SELECT m.meeting_id, m.booking_id, m.title, m.chair_id, c.name AS chair_name, m.content,
    m.materials, m.location, m.starts_at, m.ends_at, m.organiser_id, m.minutes, m.minutes_at
    FROM meetings m JOIN people c ON c.person_id = m.chair_id";

const DECISION: &str = "SELECT d.decision_id, d.meeting_id, d.text, d.owner_id, p.name AS owner_name, d.due_at,
    d.state, d.answer, d.answered_at FROM meeting_decisions d JOIN people p ON p.person_id = d.owner_id";

pub(super) struct NewMeetingRow<'a> {
    pub booking: Option<BookingId>,
    pub title: &'a str,
    pub chair: PersonId,
    pub content: &'a str,
    pub materials: &'a str,
    pub location: &'a str,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub organiser: PersonId,
}

pub(super) async fn insert(tx: &mut Tx, n: &NewMeetingRow<'_>, now: Timestamp) -> DbResult<MeetingId> {
    tx.insert_returning_id(
        "INSERT INTO meetings (booking_id, title, chair_id, content, materials, location, starts_at, ends_at,
         organiser_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING meeting_id",
        args![
            n.booking,
            n.title,
            n.chair,
            n.content,
            n.materials,
            n.location,
            n.starts_at,
            n.ends_at,
            n.organiser,
            now
        ],
    )
    .await
    .map(MeetingId)
}

pub(super) async fn add_attendee(tx: &mut Tx, m: MeetingId, p: PersonId) -> DbResult<u64> {
    tx.execute("INSERT INTO meeting_attendees (meeting_id, person_id) VALUES ($1, $2)", args![m, p]).await
}

pub(super) async fn get(db: &Db, id: MeetingId) -> DbResult<Option<MeetingRow>> {
    db.fetch_optional(&format!("{MEETING} WHERE m.meeting_id = $1"), args![id]).await
}

pub(super) async fn get_tx(tx: &mut Tx, id: MeetingId) -> DbResult<Option<MeetingRow>> {
    tx.fetch_optional(&format!("{MEETING} WHERE m.meeting_id = $1"), args![id]).await
}

pub(super) async fn between(db: &Db, from: Timestamp, to: Timestamp) -> DbResult<Vec<MeetingRow>> {
    db.fetch_all(
        &format!("{MEETING} WHERE m.starts_at >= $1 AND m.starts_at < $2 ORDER BY m.starts_at, m.meeting_id"),
        args![from, to],
    )
    .await
}

pub(super) async fn of_booking(db: &Db, b: BookingId) -> DbResult<Option<MeetingRow>> {
    db.fetch_optional(&format!("{MEETING} WHERE m.booking_id = $1"), args![b]).await
}

pub(super) async fn of_booking_tx(tx: &mut Tx, b: BookingId) -> DbResult<Option<MeetingRow>> {
    tx.fetch_optional(&format!("{MEETING} WHERE m.booking_id = $1"), args![b]).await
}

pub(super) async fn attendees(db: &Db, m: MeetingId) -> DbResult<Vec<AttendeeRow>> {
    db.fetch_all(
        "SELECT a.person_id, p.name, a.rsvp, a.reason, a.deputy_name, a.answered_at, a.checked_in_at
         FROM meeting_attendees a JOIN people p ON p.person_id = a.person_id WHERE a.meeting_id = $1
         ORDER BY p.sort_order, p.person_id",
        args![m],
    )
    .await
}

pub(super) async fn is_attendee(tx: &mut Tx, m: MeetingId, p: PersonId) -> DbResult<bool> {
    let row: Option<(i64,)> = tx
        .fetch_optional("SELECT person_id FROM meeting_attendees WHERE meeting_id = $1 AND person_id = $2", args![m, p])
        .await?;
    Ok(row.is_some())
}

/// One attendee's row, inside the transaction.
pub(super) async fn attendee_tx(tx: &mut Tx, m: MeetingId, p: PersonId) -> DbResult<Option<AttendeeRow>> {
    tx.fetch_optional(
        "SELECT a.person_id, p.name, a.rsvp, a.reason, a.deputy_name, a.answered_at, a.checked_in_at
         FROM meeting_attendees a JOIN people p ON p.person_id = a.person_id
         WHERE a.meeting_id = $1 AND a.person_id = $2",
        args![m, p],
    )
    .await
}

/// Takes a person off the list; their answer goes with the row (the audit keeps it).
pub(super) async fn remove_attendee(tx: &mut Tx, m: MeetingId, p: PersonId) -> DbResult<u64> {
    tx.execute("DELETE FROM meeting_attendees WHERE meeting_id = $1 AND person_id = $2", args![m, p]).await
}

pub(super) async fn set_rsvp(tx: &mut Tx, m: MeetingId, p: PersonId, r: &Rsvp, now: Timestamp) -> DbResult<u64> {
    let (reason, deputy) = match r {
        Rsvp::Attend => (None, None),
        Rsvp::Absent { reason } => (Some(reason.as_str()), None),
        Rsvp::Deputy { name } => (None, Some(name.as_str())),
    };
    tx.execute(
        "UPDATE meeting_attendees SET rsvp = $1, reason = $2, deputy_name = $3, answered_at = $4
         WHERE meeting_id = $5 AND person_id = $6",
        args![r.code(), reason, deputy, now, m, p],
    )
    .await
}

/// Checks a person in; 0 rows when they were already checked in (the first time stands).
pub(super) async fn check_in(tx: &mut Tx, m: MeetingId, p: PersonId, now: Timestamp) -> DbResult<u64> {
    tx.execute(
        "UPDATE meeting_attendees SET checked_in_at = $1 WHERE meeting_id = $2 AND person_id = $3
         AND checked_in_at IS NULL",
        args![now, m, p],
    )
    .await
}

pub(super) async fn set_minutes(tx: &mut Tx, m: MeetingId, text: &str, by: PersonId, now: Timestamp) -> DbResult<u64> {
    tx.execute(
        "UPDATE meetings SET minutes = $1, minutes_by = $2, minutes_at = $3 WHERE meeting_id = $4",
        args![text, by, now, m],
    )
    .await
}

pub(super) async fn insert_decision(
    tx: &mut Tx,
    m: MeetingId,
    text: &str,
    owner: PersonId,
    due: Timestamp,
    now: Timestamp,
) -> DbResult<DecisionId> {
    tx.insert_returning_id(
        "INSERT INTO meeting_decisions (meeting_id, text, owner_id, due_at, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING decision_id",
        args![m, text, owner, due, now],
    )
    .await
    .map(DecisionId)
}

pub(super) async fn decisions(db: &Db, m: MeetingId) -> DbResult<Vec<DecisionRow>> {
    db.fetch_all(&format!("{DECISION} WHERE d.meeting_id = $1 ORDER BY d.decision_id"), args![m]).await
}

pub(super) async fn decision(db: &Db, d: DecisionId) -> DbResult<Option<DecisionRow>> {
    db.fetch_optional(&format!("{DECISION} WHERE d.decision_id = $1"), args![d]).await
}

pub(super) async fn decision_tx(tx: &mut Tx, d: DecisionId) -> DbResult<Option<DecisionRow>> {
    tx.fetch_optional(&format!("{DECISION} WHERE d.decision_id = $1"), args![d]).await
}

pub(super) async fn answer_decision(tx: &mut Tx, d: DecisionId, answer: &str, now: Timestamp) -> DbResult<u64> {
    tx.execute(
        "UPDATE meeting_decisions SET state = 'done', answer = $1, answered_at = $2
         WHERE decision_id = $3 AND state = 'open'",
        args![answer, now, d],
    )
    .await
}

/// The meeting held in a booking follows the booking's new time (改期), and so do the due
/// dates of its open notices (they are due at the start).
/// Its logistics items keep their distance to the start.
/// Moves the meeting held in a booking with it; answers the meeting moved, if any.
pub(super) async fn move_with_booking(tx: &mut Tx, b: BookingId, slot: Slot) -> DbResult<Option<MeetingId>> {
    let before = of_booking_tx(tx, b).await?;
    tx.execute("UPDATE meetings SET starts_at = $1, ends_at = $2 WHERE booking_id = $3", args![slot.from, slot.to, b])
        .await?;
    let Some(m) = before else { return Ok(None) };
    tasks::move_subject_due(tx, super::MEETING_DOMAIN, m.meeting_id, slot.from).await?;
    super::logistics::follow_move(tx, m.meeting_id, slot.from.0 - m.starts_at).await?;
    Ok(Some(MeetingId(m.meeting_id)))
}

/// A cancelled or rejected booking withdraws its meeting's open notices (and its logistics
/// items' tasks) from every inbox.
pub async fn cancel_notices_of_booking(tx: &mut Tx, b: BookingId, now: Timestamp) -> DbResult<()> {
    let Some(m) = of_booking_tx(tx, b).await? else { return Ok(()) };
    let people: Vec<(i64,)> =
        tx.fetch_all("SELECT person_id FROM meeting_attendees WHERE meeting_id = $1", args![m.meeting_id]).await?;
    for (p,) in people {
        tasks::cancel_subject_tasks(tx, super::MEETING_DOMAIN, m.meeting_id, PersonId(p), now).await?;
    }
    super::logistics::withdraw(tx, m.meeting_id, now).await
}
