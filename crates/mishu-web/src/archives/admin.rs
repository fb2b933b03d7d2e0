//! The archivist's settings (全宗号, classes, default retention per type) and the
//! destruction review (propose on an item, approve or reject, destroy).

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::AppResult;
use crate::pages::render;
use crate::routes::Routes;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Redirect, Response};
use mishu_domain::archives::{DestructionAction, RETENTION_TYPES, Retention};
use mishu_domain::{ArchiveItemId, DestructionId};
use mishu_service::archives::{self, ArchiveSettings, ClassRow, DestructionRow, destruction};
use serde::Deserialize;
use std::collections::HashMap;

pub fn routes(r: Routes) -> Routes {
    r.get("/archives/settings", settings_page)
        .post("/archives/settings", save_settings)
        .post("/archives/classes", save_class)
        .get("/archives/destructions", destructions)
        .post("/archives/items/{id}/destruction", propose)
        .post("/archives/destructions/{id}/approve", approve)
        .post("/archives/destructions/{id}/reject", reject)
        .post("/archives/destructions/{id}/destroy", destroy)
}

#[derive(Template)]
#[template(path = "archives/settings.html")]
struct SettingsPage<'a> {
    ctx: &'a Ctx,
    settings: ArchiveSettings,
    classes: Vec<ClassRow>,
    types: Vec<(&'static str, &'static str)>,
    retentions: Vec<&'static str>,
}

async fn settings_page(State(st): State<AppState>, user: User) -> AppResult<Response> {
    let (settings, classes) = archives::settings_page(&st.services, &user.actor).await?;
    let types = RETENTION_TYPES.iter().map(|t| (*t, settings.retention_for(t).code())).collect();
    let retentions = Retention::ALL.iter().map(|r| r.code()).collect();
    Ok(render(&SettingsPage { ctx: &user.ctx, settings, classes, types, retentions }))
}

/// `fonds` plus one `retention.<type>` field per document type.
async fn save_settings(
    State(st): State<AppState>,
    user: User,
    Form(f): Form<HashMap<String, String>>,
) -> AppResult<Redirect> {
    let fonds = f.get("fonds").cloned().unwrap_or_default();
    let retention: Vec<(String, String)> =
        f.iter().filter_map(|(k, v)| k.strip_prefix("retention.").map(|t| (t.to_string(), v.clone()))).collect();
    archives::save_settings(&st.services, &user.actor, &fonds, &retention, &user.ctx.source_ip).await?;
    Ok(Redirect::to("/archives/settings"))
}

#[derive(Deserialize)]
pub struct ClassForm {
    code: String,
    name: String,
}

async fn save_class(State(st): State<AppState>, user: User, Form(f): Form<ClassForm>) -> AppResult<Redirect> {
    archives::save_class(&st.services, &user.actor, &f.code, &f.name, &user.ctx.source_ip).await?;
    Ok(Redirect::to("/archives/settings"))
}

#[derive(Template)]
#[template(path = "archives/destructions.html")]
struct DestructionsPage<'a> {
    ctx: &'a Ctx,
    rows: Vec<DestructionRow>,
}

async fn destructions(State(st): State<AppState>, user: User) -> AppResult<Response> {
    let rows = destruction::list(&st.services, &user.actor).await?;
    Ok(render(&DestructionsPage { ctx: &user.ctx, rows }))
}

#[derive(Deserialize)]
pub struct ReasonForm {
    #[serde(default)]
    reason: String,
}

async fn propose(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<ArchiveItemId>,
    Form(f): Form<ReasonForm>,
) -> AppResult<Redirect> {
    destruction::propose(&st.services, &user.actor, id, &f.reason, &user.ctx.source_ip).await?;
    Ok(Redirect::to("/archives/destructions"))
}

async fn approve(State(st): State<AppState>, user: User, Path(id): Path<DestructionId>) -> AppResult<Redirect> {
    destruction::act(&st.services, &user.actor, id, DestructionAction::Approve, &user.ctx.source_ip).await?;
    Ok(Redirect::to("/archives/destructions"))
}

async fn reject(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<DestructionId>,
    Form(f): Form<ReasonForm>,
) -> AppResult<Redirect> {
    let action = DestructionAction::Reject { reason: f.reason };
    destruction::act(&st.services, &user.actor, id, action, &user.ctx.source_ip).await?;
    Ok(Redirect::to("/archives/destructions"))
}

async fn destroy(State(st): State<AppState>, user: User, Path(id): Path<DestructionId>) -> AppResult<Redirect> {
    destruction::act(&st.services, &user.actor, id, DestructionAction::Destroy, &user.ctx.source_ip).await?;
    Ok(Redirect::to("/archives/destructions"))
}
