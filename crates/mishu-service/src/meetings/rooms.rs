//! The rooms the office allocates (R5.2): their seats, place, equipment and the section
//! that manages them.

use super::store::{self, RoomRow};
use crate::audit::{self, Origin};
use crate::{ServiceError, ServiceResult, Services, args};
use mishu_domain::audit::AuditEvent;
use mishu_domain::{DepartmentId, RoomId};
use serde_json::json;

#[derive(Debug, Clone)]
pub struct NewRoom {
    pub name: String,
    pub location: String,
    pub capacity: i64,
    pub equipment: String,
    pub equipment_needs_approval: bool,
    /// The section that allocates it (行政科); its head consents to equipment (R5.8).
    pub managed_by: Option<DepartmentId>,
}

pub async fn rooms(s: &Services) -> ServiceResult<Vec<RoomRow>> {
    Ok(store::rooms(&s.db).await?)
}

pub async fn create_room(s: &Services, origin: &Origin, n: NewRoom) -> ServiceResult<RoomId> {
    let name = n.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ServiceError::invalid("name", "required (1–100 characters)"));
    }
    if n.capacity < 1 {
        return Err(ServiceError::invalid("capacity", "must be at least 1"));
    }
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let id = tx
        .insert_returning_id(
            "INSERT INTO rooms (name, location, capacity, equipment, equipment_needs_approval, managed_by)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING room_id",
            args![name, n.location.trim(), n.capacity, n.equipment.trim(), n.equipment_needs_approval, n.managed_by],
        )
        .await
        .map_err(|e| {
            if e.is_unique_violation() { ServiceError::Conflict(format!("name: {name} exists")) } else { e.into() }
        })?;
    let detail = json!({"name": name, "location": n.location.trim(), "capacity": n.capacity,
        "equipment": n.equipment.trim(), "managed_by": n.managed_by.map(|d| d.0)});
    audit::append(
        &mut tx,
        &s.audit_key,
        origin,
        now,
        &AuditEvent::new("room.created", "room", Some(id.to_string()), detail),
    )
    .await?;
    tx.commit().await?;
    Ok(RoomId(id))
}
