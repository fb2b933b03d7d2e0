//! Archives over JSON: the catalogue of a year, filing an item, one item; the chronicle's
//! accepted entries; the materials library's search.

use crate::AppState;
use crate::api::ApiError;
use crate::ctx::User;
use crate::error::{AppError, AppResult};
use crate::routes::Routes;
use axum::Json;
use axum::extract::{Path, Query, State};
use mishu_domain::ArchiveItemId;
use mishu_service::archives::chronicle::{self, EntryRow};
use mishu_service::archives::materials::{self, MaterialRow};
use mishu_service::archives::{self, FileRequest, FilingSource, ItemRow, catalogue};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/archives/items", list)
        .post("/api/v1/archives/items", file)
        .get("/api/v1/archives/items/{id}", get)
        .get("/api/v1/chronicle", chronicle_list)
        .get("/api/v1/materials", materials_search)
}

/// A filed item (件) as its catalogue line (归档文件目录) shows it.
#[derive(Serialize, ToSchema)]
pub struct ItemLine {
    id: i64,
    /// 档号, e.g. `0194-WS·2026-Y-BGS-0001`.
    archive_code: String,
    year: i64,
    /// `Y` (永久), `D30` (定期30年) or `D10` (定期10年).
    retention: String,
    class_code: String,
    item_no: i64,
    title: String,
    doc_number: String,
    responsible: String,
    /// YYYY-MM-DD.
    date: String,
    doc_type: String,
    classification: String,
    pages: i64,
    /// `incoming`, `meeting`, `seal_application`, `leader_task` or `outgoing`.
    source_kind: String,
    source_id: i64,
    destroyed: bool,
}

impl From<ItemRow> for ItemLine {
    fn from(r: ItemRow) -> Self {
        ItemLine {
            id: r.item_id,
            archive_code: r.archive_code,
            year: r.year,
            retention: r.retention,
            class_code: r.class_code,
            item_no: r.item_no,
            title: r.title,
            doc_number: r.doc_number,
            responsible: r.responsible,
            date: r.doc_date,
            doc_type: r.doc_type,
            classification: r.classification,
            pages: r.pages,
            source_kind: r.source_kind,
            source_id: r.source_id,
            destroyed: r.destroyed_at.is_some(),
        }
    }
}

#[derive(Deserialize, IntoParams)]
pub struct YearParam {
    /// The year; the current one when absent.
    year: Option<i32>,
}

fn year_of(st: &AppState, y: Option<i32>) -> AppResult<i32> {
    let y = y.unwrap_or_else(|| chrono::Datelike::year(&st.services.clock.now().local_date()));
    if (1949..=9999).contains(&y) {
        Ok(y)
    } else {
        Err(AppError::BadRequest { field: "year", message: "a year like 2026".into() })
    }
}

/// The catalogue of a year (archivists and the office head).
#[utoipa::path(get, path = "/api/v1/archives/items", operation_id = "list_archive_items", params(YearParam), responses((status = 200, body = [ItemLine]), (status = 403, body = ApiError)))]
pub async fn list(
    State(st): State<AppState>,
    user: User,
    Query(q): Query<YearParam>,
) -> AppResult<Json<Vec<ItemLine>>> {
    let year = year_of(&st, q.year)?;
    let rows = catalogue::catalogue_lines(&st.services, &user.actor, year).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// What to file: a finished item of a domain, its retention and class.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FileBody {
    /// `incoming`, `meeting`, `seal_application`, `leader_task` or `outgoing`.
    kind: String,
    id: i64,
    /// `Y`, `D30` or `D10`; empty or absent takes the default for the document type.
    #[serde(default)]
    retention: String,
    /// A class code from the settings (e.g. `BGS`); empty for none.
    #[serde(default)]
    class_code: String,
    #[serde(default)]
    note: String,
}

#[utoipa::path(post, path = "/api/v1/archives/items", request_body = FileBody, responses((status = 200, body = ItemLine), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn file(State(st): State<AppState>, user: User, Json(b): Json<FileBody>) -> AppResult<Json<ItemLine>> {
    let source = FilingSource::parse(&b.kind, b.id)?;
    let req = FileRequest { source, retention: b.retention, class_code: b.class_code, note: b.note };
    let id = archives::file(&st.services, &user.actor, req, &user.ctx.source_ip).await?;
    Ok(Json(archives::item(&st.services, &user.actor, id).await?.item.into()))
}

#[utoipa::path(get, path = "/api/v1/archives/items/{id}", operation_id = "get_archive_item", params(("id" = i64, Path, description = "The item")), responses((status = 200, body = ItemLine), (status = 404, body = ApiError)))]
pub async fn get(State(st): State<AppState>, user: User, Path(id): Path<ArchiveItemId>) -> AppResult<Json<ItemLine>> {
    Ok(Json(archives::item(&st.services, &user.actor, id).await?.item.into()))
}

/// An accepted chronicle entry (大事记).
#[derive(Serialize, ToSchema)]
pub struct ChronicleEntry {
    id: i64,
    /// YYYY-MM-DD.
    date: String,
    event: String,
    people: String,
    source: String,
}

impl From<EntryRow> for ChronicleEntry {
    fn from(e: EntryRow) -> Self {
        ChronicleEntry { id: e.entry_id, date: e.entry_date, event: e.event, people: e.people, source: e.source }
    }
}

#[utoipa::path(get, path = "/api/v1/chronicle", params(YearParam), responses((status = 200, body = [ChronicleEntry])))]
pub async fn chronicle_list(
    State(st): State<AppState>,
    user: User,
    Query(q): Query<YearParam>,
) -> AppResult<Json<Vec<ChronicleEntry>>> {
    let year = year_of(&st, q.year)?;
    let rows = chronicle::list(&st.services, &user.actor, year, false).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// A reference material (资料).
#[derive(Serialize, ToSchema)]
pub struct Material {
    id: i64,
    title: String,
    tags: Vec<String>,
    source: String,
    link: String,
    summary: String,
}

impl From<MaterialRow> for Material {
    fn from(m: MaterialRow) -> Self {
        let tags = m.tag_list().into_iter().map(str::to_string).collect();
        Material { id: m.material_id, title: m.title, tags, source: m.source, link: m.link, summary: m.summary }
    }
}

#[derive(Deserialize, IntoParams)]
pub struct SearchParam {
    /// Part of a title, summary or tag; all materials when absent.
    #[serde(default)]
    q: String,
}

#[utoipa::path(get, path = "/api/v1/materials", params(SearchParam), responses((status = 200, body = [Material]), (status = 422, body = ApiError)))]
pub async fn materials_search(
    State(st): State<AppState>,
    user: User,
    Query(q): Query<SearchParam>,
) -> AppResult<Json<Vec<Material>>> {
    Ok(Json(materials::search(&st.services, &user.actor, &q.q).await?.into_iter().map(Into::into).collect()))
}
