//! SQL for the equipment register and the items each booking holds (migration 0026).

use crate::args;
use crate::db::{Db, DbResult, Tx};
use mishu_domain::meetings::{BookingState, MAX_BOOKING_MINUTES, Slot};
use mishu_domain::{BookingId, EquipmentId, RoomId, Timestamp};
use serde::Serialize;

/// An item of the register, with the room it is fixed in (none: shared).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct EquipmentRow {
    pub equipment_id: i64,
    pub name: String,
    /// `sound`, `projector`, `video_link` or `other`.
    pub kind: String,
    pub room_id: Option<i64>,
    pub room_name: Option<String>,
    pub active: bool,
}

impl EquipmentRow {
    pub fn shared(&self) -> bool {
        self.room_id.is_none()
    }
}

/// An item a booking holds.
#[derive(Debug, Clone, Default, Serialize, sqlx::FromRow)]
pub struct BookedItem {
    pub booking_id: i64,
    pub equipment_id: i64,
    pub name: String,
    pub kind: String,
    /// The room it is fixed in; none for a shared item.
    pub room_id: Option<i64>,
}

/// A live hold of an item that overlaps a wanted slot: what the refusal names.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(super) struct HeldBy {
    pub name: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub room_name: String,
    pub title: String,
}

const ITEM: &str = "SELECT e.equipment_id, e.name, e.kind, e.room_id, r.name AS room_name, e.active
    FROM equipment e LEFT JOIN rooms r ON r.room_id = e.room_id";

const BOOKED: &str = "SELECT x.booking_id, x.equipment_id, e.name, e.kind, e.room_id
    FROM booking_equipment x JOIN equipment e ON e.equipment_id = x.equipment_id";

pub(super) async fn list(db: &Db) -> DbResult<Vec<EquipmentRow>> {
    db.fetch_all(&format!("{ITEM} ORDER BY e.room_id IS NULL, e.room_id, e.equipment_id"), args![]).await
}

pub(super) async fn list_tx(tx: &mut Tx) -> DbResult<Vec<EquipmentRow>> {
    tx.fetch_all(&format!("{ITEM} ORDER BY e.equipment_id"), args![]).await
}

pub(super) async fn room_exists(tx: &mut Tx, room: RoomId) -> DbResult<bool> {
    let row: Option<(i64,)> = tx.fetch_optional("SELECT room_id FROM rooms WHERE room_id = $1", args![room]).await?;
    Ok(row.is_some())
}

pub(super) async fn insert(tx: &mut Tx, name: &str, kind: &str, room: Option<RoomId>) -> DbResult<EquipmentId> {
    tx.insert_returning_id(
        "INSERT INTO equipment (name, kind, room_id) VALUES ($1, $2, $3) RETURNING equipment_id",
        args![name, kind, room],
    )
    .await
    .map(EquipmentId)
}

/// Takes each item's row lock (PostgreSQL) for the rest of the transaction, in the order
/// given (the caller sorts by id, so two requests never wait on each other in a cycle).
/// On SQLite `BEGIN IMMEDIATE` already serialises every writer.
pub(super) async fn lock(tx: &mut Tx, ids: &[EquipmentId]) -> DbResult<()> {
    for id in ids {
        tx.execute("UPDATE equipment SET booking_seq = booking_seq + 1 WHERE equipment_id = $1", args![*id]).await?;
    }
    Ok(())
}

/// The first live hold of `item` overlapping `slot` by a booking other than `except`. No hold
/// lasts longer than a booking (a day, enforced by the database since migration 0031), so
/// one that overlaps starts after `from` less that: the bound keeps the index scan to a day.
pub(super) async fn held(
    tx: &mut Tx,
    item: EquipmentId,
    slot: Slot,
    except: Option<BookingId>,
) -> DbResult<Option<HeldBy>> {
    let earliest = slot.from.0 - MAX_BOOKING_MINUTES * 60_000;
    tx.fetch_optional(
        "SELECT e.name, x.starts_at, x.ends_at, r.name AS room_name, b.title
         FROM booking_equipment x JOIN equipment e ON e.equipment_id = x.equipment_id
         JOIN room_bookings b ON b.booking_id = x.booking_id JOIN rooms r ON r.room_id = b.room_id
         WHERE x.equipment_id = $1 AND x.state IN ('requested', 'approved') AND x.starts_at < $2 AND x.ends_at > $3
           AND x.starts_at > $4 AND x.booking_id <> $5
         ORDER BY x.starts_at LIMIT 1",
        args![item, slot.to, slot.from, earliest, except.map_or(-1, |b| b.0)],
    )
    .await
}

/// The booking holds its items over its slot, in its state.
pub(super) async fn hold(
    tx: &mut Tx,
    booking: BookingId,
    items: &[EquipmentId],
    slot: Slot,
    state: BookingState,
) -> DbResult<()> {
    for item in items {
        tx.execute(
            "INSERT INTO booking_equipment (booking_id, equipment_id, starts_at, ends_at, state) VALUES ($1, $2, $3, $4, $5)",
            args![booking, *item, slot.from, slot.to, state.code()],
        )
        .await?;
    }
    Ok(())
}

/// The holds follow the booking's state: a rejected or cancelled booking frees its items.
pub(super) async fn set_state(tx: &mut Tx, booking: BookingId, state: BookingState) -> DbResult<u64> {
    tx.execute("UPDATE booking_equipment SET state = $1 WHERE booking_id = $2", args![state.code(), booking]).await
}

/// The holds move with the booking (改期).
pub(super) async fn move_to(tx: &mut Tx, booking: BookingId, slot: Slot, state: BookingState) -> DbResult<u64> {
    tx.execute(
        "UPDATE booking_equipment SET starts_at = $1, ends_at = $2, state = $3 WHERE booking_id = $4",
        args![slot.from, slot.to, state.code(), booking],
    )
    .await
}

pub(super) async fn of_booking(db: &Db, booking: BookingId) -> DbResult<Vec<BookedItem>> {
    db.fetch_all(&format!("{BOOKED} WHERE x.booking_id = $1 ORDER BY x.equipment_id"), args![booking]).await
}

pub(super) async fn of_booking_tx(tx: &mut Tx, booking: BookingId) -> DbResult<Vec<BookedItem>> {
    tx.fetch_all(&format!("{BOOKED} WHERE x.booking_id = $1 ORDER BY x.equipment_id"), args![booking]).await
}

/// The items of the bookings starting in [from, to) (the week grid's bookings).
pub(super) async fn of_bookings_between(db: &Db, from: Timestamp, to: Timestamp) -> DbResult<Vec<BookedItem>> {
    db.fetch_all(
        &format!(
            "{BOOKED} JOIN room_bookings b ON b.booking_id = x.booking_id
             WHERE b.starts_at >= $1 AND b.starts_at < $2 ORDER BY x.booking_id, x.equipment_id"
        ),
        args![from, to],
    )
    .await
}
