//! The room register's use cases (R5.2): every business user reads it with the photos; the
//! office adds rooms; the office or the room's managing section (行政科) edits an entry and
//! its photo. An edit that would strand an upcoming booking (fewer seats than it was
//! approved for, or the room withdrawn under it) is refused, naming the booking.

use super::room_store::{self, RoomEntry};
use super::rooms::{NewRoom, create_room};
use crate::audit::{self, Origin};
use crate::files::{self, FileKind, Upload};
use crate::{ServiceError, ServiceResult, Services};
use mishu_domain::access::Actor;
use mishu_domain::audit::AuditEvent;
use mishu_domain::meetings::{RoomFieldError, RoomFields, may_keep_rooms};
use mishu_domain::{DepartmentId, RoomId};
use serde_json::json;

/// A photo is for the screen: a few megabytes at most.
pub const MAX_PHOTO_BYTES: usize = 5 * 1024 * 1024;

/// What the register's forms send, unparsed.
#[derive(Debug, Clone, Default)]
pub struct RoomForm {
    pub name: String,
    pub location: String,
    pub capacity: String,
    pub equipment: String,
    pub equipment_needs_approval: bool,
    pub active: bool,
}

fn invalid(e: RoomFieldError) -> ServiceError {
    ServiceError::invalid(e.field, e.message)
}

pub async fn entries(s: &Services, actor: &Actor) -> ServiceResult<Vec<RoomEntry>> {
    if !actor.is_business_user() {
        return Err(ServiceError::Forbidden);
    }
    Ok(room_store::entries(&s.db).await?)
}

/// May this person edit this room's entry (the page shows the forms only then)?
pub fn may_edit(actor: &Actor, room: &RoomEntry) -> bool {
    may_keep_rooms(actor, room.managed_by.map(DepartmentId))
}

/// Adds a room; the managing section is the one that manages the existing rooms (行政科),
/// so its head consents to equipment here too (R5.8).
pub async fn add(s: &Services, actor: &Actor, f: &RoomForm, source_ip: &str) -> ServiceResult<RoomId> {
    if !may_keep_rooms(actor, None) {
        return Err(ServiceError::Forbidden);
    }
    let fields = RoomFields::parse(&f.name, &f.location, &f.capacity, &f.equipment).map_err(invalid)?;
    let managed_by = room_store::entries(&s.db).await?.iter().find_map(|r| r.managed_by).map(DepartmentId);
    let n = NewRoom {
        name: fields.name,
        location: fields.location,
        capacity: fields.capacity,
        equipment: fields.equipment,
        equipment_needs_approval: f.equipment_needs_approval,
        managed_by,
    };
    create_room(s, &Origin::of(actor, source_ip), n).await
}

pub async fn edit(s: &Services, actor: &Actor, id: RoomId, f: &RoomForm, source_ip: &str) -> ServiceResult<()> {
    let fields = RoomFields::parse(&f.name, &f.location, &f.capacity, &f.equipment).map_err(invalid)?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let room = room_store::entry_tx(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    if !may_edit(actor, &room) {
        return Err(ServiceError::Forbidden);
    }
    let upcoming = room_store::upcoming(&mut tx, id, now).await?;
    if let (false, Some((b, title, _))) = (f.active, upcoming.first()) {
        let n = upcoming.len();
        return Err(ServiceError::Conflict(format!(
            "active: {n} upcoming booking(s) hold this room, first #{b} {title}; cancel or move them first"
        )));
    }
    if let Some((b, title, people)) = upcoming.iter().find(|(_, _, a)| *a > fields.capacity) {
        return Err(ServiceError::Conflict(format!(
            "capacity: booking #{b} {title} is for {people} people; move it before lowering the seats to {}",
            fields.capacity
        )));
    }
    room_store::update(&mut tx, id, &fields, f.equipment_needs_approval, f.active).await.map_err(|e| {
        if e.is_unique_violation() { ServiceError::Conflict(format!("name: {} exists", fields.name)) } else { e.into() }
    })?;
    let detail = json!({"before": {"name": room.name, "location": room.location, "capacity": room.capacity,
        "equipment": room.equipment, "active": room.active},
        "after": {"name": fields.name, "location": fields.location, "capacity": fields.capacity,
        "equipment": fields.equipment, "active": f.active}});
    let event = AuditEvent::new("room.updated", "room", Some(id.0.to_string()), detail);
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &event).await?;
    tx.commit().await?;
    Ok(())
}

/// Replaces the room's photo (PNG or JPEG, checked by content); the old file is deleted once
/// the new one is recorded.
pub async fn set_photo(s: &Services, actor: &Actor, id: RoomId, up: Upload, source_ip: &str) -> ServiceResult<()> {
    let room = room_store::entry(&s.db, id).await?.ok_or(ServiceError::NotFound)?;
    if !may_edit(actor, &room) {
        return Err(ServiceError::Forbidden);
    }
    if up.bytes.len() > MAX_PHOTO_BYTES {
        return Err(ServiceError::invalid(up.field, format!("a photo is at most {} MB", MAX_PHOTO_BYTES >> 20)));
    }
    let field = up.field;
    let checked = files::check(up)?;
    if !matches!(checked.kind, FileKind::Png | FileKind::Jpeg) {
        return Err(ServiceError::invalid(field, "a photo is a PNG or JPEG image"));
    }
    let kind = checked.kind.code();
    let key = s.blobs.store(checked.bytes).await?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    room_store::set_photo(&mut tx, id, &key, kind).await?;
    let detail = json!({"file": key, "kind": kind, "name": checked.filename});
    let event = AuditEvent::new("room.photo_set", "room", Some(id.0.to_string()), detail);
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &event).await?;
    tx.commit().await?;
    if let Some(old) = room.photo_key {
        // Best effort: a leftover file is harmless, a lost new photo is not.
        let _ = s.blobs.remove(&old).await;
    }
    Ok(())
}

/// The room's photo and its kind, for any business user.
pub async fn photo(s: &Services, actor: &Actor, id: RoomId) -> ServiceResult<(Vec<u8>, FileKind)> {
    if !actor.is_business_user() {
        return Err(ServiceError::Forbidden);
    }
    let room = room_store::entry(&s.db, id).await?.ok_or(ServiceError::NotFound)?;
    let (Some(key), Some(kind)) = (room.photo_key, room.photo_kind.as_deref().and_then(FileKind::parse)) else {
        return Err(ServiceError::NotFound);
    };
    Ok((s.blobs.read(&key).await?, kind))
}
