//! SQL for the room register: a room's full entry with its photo, and the upcoming live
//! bookings an edit must not strand.

use crate::args;
use crate::db::{Db, DbResult, Tx};
use mishu_domain::meetings::RoomFields;
use mishu_domain::{RoomId, Timestamp};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct RoomEntry {
    pub room_id: i64,
    pub name: String,
    pub location: String,
    pub capacity: i64,
    pub equipment: String,
    pub equipment_needs_approval: bool,
    pub active: bool,
    pub managed_by: Option<i64>,
    pub managed_by_name: Option<String>,
    pub photo_key: Option<String>,
    pub photo_kind: Option<String>,
}

const ENTRY: &str = "SELECT r.room_id, r.name, r.location, r.capacity, r.equipment, r.equipment_needs_approval,
    r.active, r.managed_by, d.name AS managed_by_name, r.photo_key, r.photo_kind
    FROM rooms r LEFT JOIN departments d ON d.department_id = r.managed_by";

pub(super) async fn entries(db: &Db) -> DbResult<Vec<RoomEntry>> {
    db.fetch_all(&format!("{ENTRY} ORDER BY r.room_id"), args![]).await
}

pub(super) async fn entry_tx(tx: &mut Tx, id: RoomId) -> DbResult<Option<RoomEntry>> {
    tx.fetch_optional(&format!("{ENTRY} WHERE r.room_id = $1"), args![id]).await
}

pub(super) async fn entry(db: &Db, id: RoomId) -> DbResult<Option<RoomEntry>> {
    db.fetch_optional(&format!("{ENTRY} WHERE r.room_id = $1"), args![id]).await
}

pub(super) async fn update(
    tx: &mut Tx,
    id: RoomId,
    f: &RoomFields,
    needs_approval: bool,
    active: bool,
) -> DbResult<u64> {
    tx.execute(
        "UPDATE rooms SET name = $1, location = $2, capacity = $3, equipment = $4, equipment_needs_approval = $5,
         active = $6 WHERE room_id = $7",
        args![f.name.as_str(), f.location.as_str(), f.capacity, f.equipment.as_str(), needs_approval, active, id],
    )
    .await
}

pub(super) async fn set_photo(tx: &mut Tx, id: RoomId, key: &str, kind: &str) -> DbResult<u64> {
    tx.execute("UPDATE rooms SET photo_key = $1, photo_kind = $2 WHERE room_id = $3", args![key, kind, id]).await
}

/// Upcoming live (requested or approved) bookings of the room: (id, title, attendees).
pub(super) async fn upcoming(tx: &mut Tx, id: RoomId, now: Timestamp) -> DbResult<Vec<(i64, String, i64)>> {
    tx.fetch_all(
        "SELECT booking_id, title, attendees FROM room_bookings
         WHERE room_id = $1 AND ends_at > $2 AND state IN ('requested', 'approved') ORDER BY starts_at",
        args![id, now],
    )
    .await
}
