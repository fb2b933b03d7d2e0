//! The room register page (R5.2): every room with its floor, seats, equipment, managing
//! section and photo; the add and edit forms and the photo upload for those who keep the
//! register (the service decides who may).

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::incoming::upload::WithFiles;
use crate::pages::render;
use crate::routes::Routes;
use askama::Template;
use axum::Form;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::handler::Handler;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use mishu_domain::RoomId;
use mishu_service::meetings::RoomEntry;
use mishu_service::meetings::room_register::{self, MAX_PHOTO_BYTES, RoomForm};
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/rooms/register", page)
        .post("/rooms/register", add)
        .post("/rooms/register/{id}", edit)
        .post("/rooms/register/{id}/photo", photo_upload.layer(DefaultBodyLimit::max(MAX_PHOTO_BYTES + 256 * 1024)))
        .get("/rooms/register/{id}/photo", photo)
}

#[derive(Template)]
#[template(path = "meetings/register.html")]
struct RegisterPage<'a> {
    ctx: &'a Ctx,
    /// Each room, and whether the viewer may edit it.
    rooms: Vec<(RoomEntry, bool)>,
    may_add: bool,
}

#[derive(Deserialize)]
pub struct RoomBody {
    #[serde(default)]
    name: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    equipment: String,
    equipment_needs_approval: Option<String>,
    active: Option<String>,
}

impl RoomBody {
    fn form(self, adding: bool) -> RoomForm {
        RoomForm {
            name: self.name,
            location: self.location,
            capacity: self.capacity,
            equipment: self.equipment,
            equipment_needs_approval: self.equipment_needs_approval.is_some(),
            active: adding || self.active.is_some(),
        }
    }
}

async fn page(State(st): State<AppState>, user: User) -> AppResult<Response> {
    let entries = room_register::entries(&st.services, &user.actor).await?;
    let rooms = entries
        .into_iter()
        .map(|r| {
            let may = room_register::may_edit(&user.actor, &r);
            (r, may)
        })
        .collect();
    let may_add = mishu_domain::meetings::may_keep_rooms(&user.actor, None);
    Ok(render(&RegisterPage { ctx: &user.ctx, rooms, may_add }))
}

async fn add(State(st): State<AppState>, user: User, Form(b): Form<RoomBody>) -> AppResult<Redirect> {
    let id = room_register::add(&st.services, &user.actor, &b.form(true), &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/rooms/register#room-{id}")))
}

async fn edit(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<RoomId>,
    Form(b): Form<RoomBody>,
) -> AppResult<Redirect> {
    room_register::edit(&st.services, &user.actor, id, &b.form(false), &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/rooms/register#room-{id}")))
}

async fn photo_upload(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<RoomId>,
    f: WithFiles,
) -> AppResult<Redirect> {
    let Some(mut up) = f.files.into_iter().next() else {
        return Err(AppError::BadRequest { field: "photo", message: "choose a PNG or JPEG image".into() });
    };
    up.field = "photo";
    room_register::set_photo(&st.services, &user.actor, id, up, &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/rooms/register#room-{id}")))
}

async fn photo(State(st): State<AppState>, user: User, Path(id): Path<RoomId>) -> AppResult<Response> {
    let (bytes, kind) = room_register::photo(&st.services, &user.actor, id).await?;
    let headers = [(header::CONTENT_TYPE, kind.content_type()), (header::CACHE_CONTROL, "private, max-age=300")];
    Ok((headers, bytes).into_response())
}
