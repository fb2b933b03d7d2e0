//! The equipment register (issue 5, R5.8): sound systems, projectors and video-conference
//! terminals, each fixed in one room or shared between rooms, and the holds a booking
//! takes on them. A shared item is never held by two live bookings at overlapping times:
//! requests for it serialise on the item's row lock (as requests for a room do on the
//! room's), the check runs inside the booking's transaction, and the database refuses
//! what gets past it (`booking_equipment_no_overlap`, migration 0026).

use super::equipment_store::{self as store, HeldBy};
use crate::audit::{self, Origin};
use crate::db::{DbError, Tx};
use crate::{ServiceError, ServiceResult, Services};
use mishu_domain::audit::AuditEvent;
use mishu_domain::meetings::{BookingState, EquipmentFacts, EquipmentKind, Slot, check_equipment};
use mishu_domain::{BookingId, EquipmentId, RoomId, Timestamp};
use serde_json::json;

pub use store::{BookedItem, EquipmentRow};

/// A new item of the register.
#[derive(Debug, Clone)]
pub struct NewEquipment {
    pub name: String,
    pub kind: EquipmentKind,
    /// The room it is fixed in; `None` for a shared item.
    pub room: Option<RoomId>,
}

/// The register: fixed items by room, then the shared ones.
pub async fn list(s: &Services) -> ServiceResult<Vec<EquipmentRow>> {
    Ok(store::list(&s.db).await?)
}

/// The items a booking holds.
pub async fn of_booking(s: &Services, id: BookingId) -> ServiceResult<Vec<BookedItem>> {
    Ok(store::of_booking(&s.db, id).await?)
}

pub async fn create(s: &Services, origin: &Origin, n: NewEquipment) -> ServiceResult<EquipmentId> {
    let name = n.name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(ServiceError::invalid("name", "required (1–100 characters)"));
    }
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    if let Some(room) = n.room
        && !store::room_exists(&mut tx, room).await?
    {
        return Err(ServiceError::invalid("room_id", "no such room"));
    }
    let id = store::insert(&mut tx, name, n.kind.code(), n.room).await.map_err(|e| {
        if e.is_unique_violation() { ServiceError::Conflict(format!("name: {name} exists")) } else { e.into() }
    })?;
    let detail = json!({"name": name, "kind": n.kind.code(), "room_id": n.room.map(|r| r.0)});
    let event = AuditEvent::new("equipment.created", "equipment", Some(id.to_string()), detail);
    audit::append(&mut tx, &s.audit_key, origin, now, &event).await?;
    tx.commit().await?;
    Ok(id)
}

fn facts(rows: &[EquipmentRow]) -> Vec<EquipmentFacts> {
    rows.iter()
        .map(|r| EquipmentFacts {
            id: EquipmentId(r.equipment_id),
            name: r.name.clone(),
            room: r.room_id.map(RoomId),
            active: r.active,
        })
        .collect()
}

/// The items a request for `room` asks for, checked against the register (each once, in
/// id order): another room's fixed item or an unknown one is a 422 naming `equipment`.
pub(super) async fn check(tx: &mut Tx, room: RoomId, asked: &[EquipmentId]) -> ServiceResult<Vec<EquipmentId>> {
    if asked.is_empty() {
        return Ok(vec![]);
    }
    let register = facts(&store::list_tx(tx).await?);
    Ok(check_equipment(room, asked, &register)?.iter().map(|e| e.id).collect())
}

fn taken(h: &HeldBy) -> ServiceError {
    ServiceError::Conflict(format!(
        "{} is already booked {}–{} ({}, {})",
        h.name,
        Timestamp(h.starts_at).local_display(),
        Timestamp(h.ends_at).local_display(),
        h.room_name,
        h.title
    ))
}

/// Locks the items (sorted by id) and refuses, naming the item and the time it is taken,
/// if any is held over `slot` by a live booking other than `except`.
pub(super) async fn lock_free(
    tx: &mut Tx,
    items: &[EquipmentId],
    slot: Slot,
    except: Option<BookingId>,
) -> ServiceResult<()> {
    store::lock(tx, items).await?;
    for item in items {
        if let Some(h) = store::held(tx, *item, slot, except).await? {
            return Err(taken(&h));
        }
    }
    Ok(())
}

/// The database's own refusal of an overlapping hold is the same clear 409.
fn refused(e: DbError) -> ServiceError {
    if e.is_exclusion_violation() {
        ServiceError::Conflict("equipment: an item is already booked at that time".into())
    } else {
        e.into()
    }
}

pub(super) async fn hold(
    tx: &mut Tx,
    booking: BookingId,
    items: &[EquipmentId],
    slot: Slot,
    state: BookingState,
) -> ServiceResult<()> {
    store::hold(tx, booking, items, slot, state).await.map_err(refused)
}

/// The booking's items, locked and checked free at its new time (改期).
pub(super) async fn lock_for_move(tx: &mut Tx, booking: BookingId, to: Slot) -> ServiceResult<()> {
    let items: Vec<EquipmentId> =
        store::of_booking_tx(tx, booking).await?.iter().map(|i| EquipmentId(i.equipment_id)).collect();
    lock_free(tx, &items, to, Some(booking)).await
}

pub(super) async fn move_holds(tx: &mut Tx, booking: BookingId, to: Slot, state: BookingState) -> ServiceResult<()> {
    store::move_to(tx, booking, to, state).await.map_err(refused)?;
    Ok(())
}

pub(super) async fn set_state(tx: &mut Tx, booking: BookingId, state: BookingState) -> ServiceResult<()> {
    store::set_state(tx, booking, state).await.map_err(refused)?;
    Ok(())
}

/// The items of the bookings starting in [from, to).
pub(super) async fn of_bookings_between(
    s: &Services,
    from: Timestamp,
    to: Timestamp,
) -> ServiceResult<Vec<BookedItem>> {
    Ok(store::of_bookings_between(&s.db, from, to).await?)
}
