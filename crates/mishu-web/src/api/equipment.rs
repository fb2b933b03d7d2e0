//! The equipment register over JSON (issue 5): each item fixed in a room or shared between
//! rooms; a booking names the items it needs in `equipment_ids` (see `meetings`).

use crate::AppState;
use crate::ctx::User;
use crate::error::AppResult;
use crate::routes::Routes;
use axum::Json;
use axum::extract::State;
use mishu_service::meetings::{BookedItem, EquipmentRow, equipment};
use serde::Serialize;
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/equipment", list_equipment)
}

/// An item of the equipment register.
#[derive(Serialize, ToSchema)]
pub struct EquipmentView {
    id: i64,
    name: String,
    /// `sound`, `projector`, `video_link` or `other`.
    kind: String,
    /// The room it is fixed in; null for a shared item, moved between rooms.
    room_id: Option<i64>,
    room_name: Option<String>,
    /// Shared between rooms: never in two bookings at overlapping times.
    shared: bool,
    active: bool,
}

impl From<EquipmentRow> for EquipmentView {
    fn from(e: EquipmentRow) -> Self {
        EquipmentView {
            shared: e.shared(),
            id: e.equipment_id,
            name: e.name,
            kind: e.kind,
            room_id: e.room_id,
            room_name: e.room_name,
            active: e.active,
        }
    }
}

/// An item a booking holds.
#[derive(Serialize, ToSchema)]
pub struct BookedItemView {
    id: i64,
    name: String,
    kind: String,
    /// The room it is fixed in; null for a shared item.
    room_id: Option<i64>,
}

impl From<BookedItem> for BookedItemView {
    fn from(i: BookedItem) -> Self {
        BookedItemView { id: i.equipment_id, name: i.name, kind: i.kind, room_id: i.room_id }
    }
}

#[utoipa::path(get, path = "/api/v1/equipment", responses((status = 200, body = [EquipmentView])))]
pub async fn list_equipment(State(st): State<AppState>, _user: User) -> AppResult<Json<Vec<EquipmentView>>> {
    Ok(Json(equipment::list(&st.services).await?.into_iter().map(Into::into).collect()))
}
