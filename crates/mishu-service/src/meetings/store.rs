//! SQL for rooms and their bookings.

use crate::args;
use crate::db::{Db, DbResult, Tx};
use mishu_domain::meetings::{Approver, BookingState, MAX_BOOKING_MINUTES, MeetingKind, Slot, Validated};
use mishu_domain::{BookingId, DepartmentId, PersonId, RoomId, Timestamp};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct RoomRow {
    pub room_id: i64,
    pub name: String,
    pub location: String,
    pub capacity: i64,
    pub equipment: String,
    pub equipment_needs_approval: bool,
    pub active: bool,
    pub managed_by: Option<i64>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct BookingRow {
    pub booking_id: i64,
    pub room_id: i64,
    pub room_name: String,
    pub title: String,
    pub kind: String,
    pub chair: String,
    pub content: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub attendees: i64,
    pub equipment: bool,
    /// Visiting leaders or guests (R5.6); empty when none.
    pub guests: String,
    pub ad_hoc: bool,
    pub state: String,
    pub pending_office_head: bool,
    pub pending_section: bool,
    pub requested_by: i64,
    pub requester_name: String,
    pub department_id: Option<i64>,
    pub decision_reason: Option<String>,
    pub created_at: i64,
    pub version: i64,
    /// The items of the register it holds (filled by `bookings::get` and `between`).
    #[sqlx(skip)]
    pub items: Vec<super::equipment::BookedItem>,
}

impl BookingRow {
    pub fn pending(&self) -> Vec<Approver> {
        let mut v = Vec::new();
        if self.pending_office_head {
            v.push(Approver::OfficeHead);
        }
        if self.pending_section {
            v.push(Approver::Section);
        }
        v
    }
}

const ROOM: &str = "SELECT room_id, name, location, capacity, equipment, equipment_needs_approval, active, managed_by
    FROM rooms";

const BOOKING: &str = "SELECT b.booking_id, b.room_id, r.name AS room_name, b.title, b.kind, b.chair, b.content,
    b.starts_at, b.ends_at, b.attendees, b.equipment, b.guests, b.ad_hoc, b.state, b.pending_office_head, b.pending_section,
    b.requested_by, p.name AS requester_name, b.department_id, b.decision_reason, b.created_at, b.version
    FROM room_bookings b JOIN rooms r ON r.room_id = b.room_id JOIN people p ON p.person_id = b.requested_by";

pub(super) async fn rooms(db: &Db) -> DbResult<Vec<RoomRow>> {
    db.fetch_all(&format!("{ROOM} ORDER BY room_id"), args![]).await
}

pub(super) async fn rooms_tx(tx: &mut Tx) -> DbResult<Vec<RoomRow>> {
    tx.fetch_all(&format!("{ROOM} ORDER BY room_id"), args![]).await
}

/// Takes the room's row lock (PostgreSQL) for the rest of the transaction. On SQLite the
/// transaction already holds the database's write lock from `BEGIN IMMEDIATE`.
pub(super) async fn lock_room(tx: &mut Tx, room: RoomId) -> DbResult<u64> {
    tx.execute("UPDATE rooms SET booking_seq = booking_seq + 1 WHERE room_id = $1", args![room]).await
}

/// Bookings of a room that hold a slot overlapping `slot` (half-open: touching ends do not count).
/// Live bookings of the room that overlap the slot. No booking lasts longer than
/// `MAX_BOOKING_MINUTES`, so one that overlaps starts after `from` less that: the bound
/// keeps the (room_id, starts_at) index scan to a day instead of the room's whole past
/// (the benchmark's booking grew ×3.25 from 10k to 100k documents without it). The
/// database's own overlap guards use the same bound since migration 0031.
pub(super) async fn overlapping(tx: &mut Tx, room: RoomId, slot: Slot) -> DbResult<Vec<BookingRow>> {
    let earliest = slot.from.0 - MAX_BOOKING_MINUTES * 60_000;
    tx.fetch_all(
        &format!(
            "{BOOKING} WHERE b.room_id = $1 AND b.state IN ('requested', 'approved')
             AND b.starts_at < $2 AND b.starts_at > $3 AND b.ends_at > $4 ORDER BY b.starts_at"
        ),
        args![room, slot.to, earliest, slot.from],
    )
    .await
}

pub(super) struct NewBookingRow<'a> {
    pub room: RoomId,
    pub v: &'a Validated,
    pub kind: MeetingKind,
    pub slot: Slot,
    pub attendees: i64,
    pub equipment: bool,
    pub pending: &'a [Approver],
    pub by: PersonId,
    pub department: Option<DepartmentId>,
}

pub(super) async fn insert(tx: &mut Tx, n: &NewBookingRow<'_>, now: Timestamp) -> DbResult<BookingId> {
    let state = if n.pending.is_empty() { BookingState::Approved } else { BookingState::Requested };
    tx.insert_returning_id(
        "INSERT INTO room_bookings (room_id, title, kind, chair, content, starts_at, ends_at, attendees, equipment,
         ad_hoc, state, pending_office_head, pending_section, requested_by, department_id, created_at, guests)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING booking_id",
        args![
            n.room,
            &n.v.title,
            n.kind.code(),
            &n.v.chair,
            &n.v.content,
            n.slot.from,
            n.slot.to,
            n.attendees,
            n.equipment,
            n.v.ad_hoc,
            state.code(),
            n.pending.contains(&Approver::OfficeHead),
            n.pending.contains(&Approver::Section),
            n.by,
            n.department,
            now,
            n.v.reception.as_deref().unwrap_or("")
        ],
    )
    .await
    .map(BookingId)
}

pub(super) async fn get(db: &Db, id: BookingId) -> DbResult<Option<BookingRow>> {
    db.fetch_optional(&format!("{BOOKING} WHERE b.booking_id = $1"), args![id]).await
}

pub(super) async fn get_tx(tx: &mut Tx, id: BookingId) -> DbResult<Option<BookingRow>> {
    tx.fetch_optional(&format!("{BOOKING} WHERE b.booking_id = $1"), args![id]).await
}

/// Bookings starting in [from, to), every state, in time order.
pub(super) async fn between(db: &Db, from: Timestamp, to: Timestamp) -> DbResult<Vec<BookingRow>> {
    db.fetch_all(
        &format!("{BOOKING} WHERE b.starts_at >= $1 AND b.starts_at < $2 ORDER BY b.starts_at, b.room_id LIMIT 1000"),
        args![from, to],
    )
    .await
}

/// Moves a booking on; `false` when it changed meanwhile.
pub(super) async fn set_state(
    tx: &mut Tx,
    id: BookingId,
    state: BookingState,
    pending: &[Approver],
    reason: Option<&str>,
    now: Timestamp,
    version: i64,
) -> DbResult<bool> {
    let n = tx
        .execute(
            "UPDATE room_bookings SET state = $1, pending_office_head = $2, pending_section = $3,
             decision_reason = COALESCE($4, decision_reason), decided_at = $5, version = version + 1
             WHERE booking_id = $6 AND version = $7",
            args![
                state.code(),
                pending.contains(&Approver::OfficeHead),
                pending.contains(&Approver::Section),
                reason,
                now,
                id,
                version
            ],
        )
        .await?;
    Ok(n == 1)
}

/// Gives a booking a new slot (改期) with the state and approvals `decide_move` gave;
/// `false` when it changed meanwhile. A late move marks the booking ad hoc (R5.5).
#[allow(clippy::too_many_arguments)]
pub(super) async fn move_to(
    tx: &mut Tx,
    id: BookingId,
    slot: Slot,
    state: BookingState,
    pending: &[Approver],
    late: bool,
    version: i64,
) -> DbResult<bool> {
    let n = tx
        .execute(
            "UPDATE room_bookings SET starts_at = $1, ends_at = $2, state = $3, pending_office_head = $4,
             pending_section = $5, ad_hoc = (ad_hoc OR $6), version = version + 1
             WHERE booking_id = $7 AND version = $8",
            args![
                slot.from,
                slot.to,
                state.code(),
                pending.contains(&Approver::OfficeHead),
                pending.contains(&Approver::Section),
                late,
                id,
                version
            ],
        )
        .await?;
    Ok(n == 1)
}

/// Heads of a department (the section's consent, R5.8).
pub(super) async fn department_heads(tx: &mut Tx, dept: DepartmentId) -> DbResult<Vec<PersonId>> {
    let rows: Vec<(i64,)> = tx
        .fetch_all(
            "SELECT DISTINCT p.person_id FROM people p JOIN person_roles r ON r.person_id = p.person_id
             WHERE r.role = 'department_head' AND COALESCE(r.department_id, p.department_id) = $1 AND p.active
             ORDER BY p.person_id",
            args![dept],
        )
        .await?;
    Ok(rows.into_iter().map(|(id,)| PersonId(id)).collect())
}

/// Everyone holding the office head's role (R5.5).
pub(super) async fn office_heads(tx: &mut Tx) -> DbResult<Vec<PersonId>> {
    holders_of(tx, "office_head").await
}

/// Active people holding a role, e.g. `reception` (接待) for the R5.6 notice.
pub(super) async fn holders_of(tx: &mut Tx, role: &str) -> DbResult<Vec<PersonId>> {
    let rows: Vec<(i64,)> = tx
        .fetch_all(
            "SELECT DISTINCT p.person_id FROM people p JOIN person_roles r ON r.person_id = p.person_id
             WHERE r.role = $1 AND p.active ORDER BY p.person_id",
            args![role],
        )
        .await?;
    Ok(rows.into_iter().map(|(id,)| PersonId(id)).collect())
}
