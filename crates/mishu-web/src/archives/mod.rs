//! Pages for the archives (归档, R1.7): the catalogue (归档文件目录) printable, as PDF and XLSX,
//! the transfer package, the filing page and one item with its 归档章. Settings and
//! destruction are in `admin`, loans in `loans`, the chronicle and the materials library
//! in their own modules; the API twin is `api::archives`.

mod admin;
mod chronicle;
mod loans;
mod materials;

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::i18n::FormLabels;
use crate::pages::render;
use crate::routes::Routes;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Redirect, Response};
use mishu_domain::ArchiveItemId;
use mishu_domain::archives::Retention;
use mishu_service::archives::{self, ClassRow, FileRequest, FilingSource, ItemRow, ItemView, catalogue, export};
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    let r = r
        .get("/archives", catalogue_page)
        .get("/archives/catalogue.xlsx", catalogue_xlsx)
        .get("/archives/catalogue.pdf", catalogue_pdf)
        .get("/archives/package.zip", package)
        .get("/archives/file", filing_page)
        .post("/archives/file", file)
        .get("/archives/items/{id}", item)
        .get("/archives/items/{id}/files/{file_id}", item_file);
    let r = admin::routes(r);
    let r = loans::routes(r);
    let r = chronicle::routes(r);
    materials::routes(r)
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<String>,
}

impl YearQuery {
    /// The year asked for, else the clock's.
    fn year(&self, st: &AppState) -> AppResult<i32> {
        match self.year.as_deref().map(str::trim) {
            None | Some("") => Ok(chrono::Datelike::year(&st.services.clock.now().local_date())),
            Some(y) => y
                .parse::<i32>()
                .ok()
                .filter(|y| (1949..=9999).contains(y))
                .ok_or(AppError::BadRequest { field: "year", message: "a year like 2026".into() }),
        }
    }
}

#[derive(Template)]
#[template(path = "archives/catalogue.html")]
struct CataloguePage<'a> {
    ctx: &'a Ctx,
    year: i32,
    years: Vec<i64>,
    lines: Vec<ItemRow>,
    organ: String,
}

/// The 归档文件目录 of a year, ready to print (the PDF is `catalogue_pdf`).
async fn catalogue_page(State(st): State<AppState>, user: User, Query(q): Query<YearQuery>) -> AppResult<Response> {
    let year = q.year(&st)?;
    let lines = catalogue::catalogue_lines(&st.services, &user.actor, year).await?;
    let years = catalogue::years(&st.services, &user.actor).await?;
    let organ = mishu_service::org::organ(&st.services).await?.map(|o| o.name).unwrap_or_default();
    Ok(render(&CataloguePage { ctx: &user.ctx, year, years, lines, organ }))
}

async fn catalogue_xlsx(State(st): State<AppState>, user: User, Query(q): Query<YearQuery>) -> AppResult<Response> {
    let year = q.year(&st)?;
    let words = |key: &str| user.ctx.t(key).to_string();
    let bytes = catalogue::catalogue_xlsx(&st.services, &user.actor, year, &words, &user.ctx.source_ip).await?;
    let name = format!("{}{year}.xlsx", user.ctx.t("archives.sheet"));
    Ok(crate::pages::xlsx(bytes, &name))
}

async fn catalogue_pdf(State(st): State<AppState>, user: User, Query(q): Query<YearQuery>) -> AppResult<Response> {
    let year = q.year(&st)?;
    let labels = FormLabels(user.ctx.locale);
    let (name, bytes) = catalogue::catalogue_pdf(&st.services, &user.actor, year, &labels, &user.ctx.source_ip).await?;
    Ok(crate::pages::pdf(&format!("catalogue-{year}"), &name, bytes))
}

async fn package(State(st): State<AppState>, user: User, Query(q): Query<YearQuery>) -> AppResult<Response> {
    let year = q.year(&st)?;
    let bytes = export::package(&st.services, &user.actor, year, &user.ctx.source_ip).await?;
    Ok(crate::pages::download(bytes, &format!("archives-{year}.zip"), "application/zip"))
}

#[derive(Template)]
#[template(path = "archives/filing.html")]
struct FilingPage<'a> {
    ctx: &'a Ctx,
    items: Vec<archives::Filable>,
    classes: Vec<ClassRow>,
    retentions: Vec<&'static str>,
}

async fn filing_page(State(st): State<AppState>, user: User) -> AppResult<Response> {
    let items = archives::filable(&st.services, &user.actor).await?;
    let classes = archives::classes(&st.services).await?;
    let retentions = Retention::ALL.iter().map(|r| r.code()).collect();
    Ok(render(&FilingPage { ctx: &user.ctx, items, classes, retentions }))
}

#[derive(Deserialize)]
pub struct FileForm {
    kind: String,
    id: String,
    #[serde(default)]
    retention: String,
    #[serde(default)]
    class_code: String,
    #[serde(default)]
    note: String,
}

async fn file(State(st): State<AppState>, user: User, Form(f): Form<FileForm>) -> AppResult<Redirect> {
    let id =
        f.id.trim().parse::<i64>().map_err(|_| AppError::BadRequest { field: "id", message: "an item id".into() })?;
    let source = FilingSource::parse(&f.kind, id)?;
    let req = FileRequest { source, retention: f.retention, class_code: f.class_code, note: f.note };
    let item = archives::file(&st.services, &user.actor, req, &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/archives/items/{item}")))
}

#[derive(Template)]
#[template(path = "archives/item.html")]
struct ItemPage<'a> {
    ctx: &'a Ctx,
    v: ItemView,
    route: String,
}

async fn item(State(st): State<AppState>, user: User, Path(id): Path<ArchiveItemId>) -> AppResult<Response> {
    let v = archives::item(&st.services, &user.actor, id).await?;
    let route = serde_json::to_string_pretty(&v.route).unwrap_or_default();
    Ok(render(&ItemPage { ctx: &user.ctx, v, route }))
}

async fn item_file(
    State(st): State<AppState>,
    user: User,
    Path((id, file_id)): Path<(ArchiveItemId, i64)>,
) -> AppResult<Response> {
    let (name, kind, bytes) = archives::item_file(&st.services, &user.actor, id, file_id).await?;
    let content_type = match kind.as_str() {
        "text" => "text/plain; charset=utf-8",
        k => mishu_service::files::FileKind::parse(k).map(|k| k.content_type()).unwrap_or("application/octet-stream"),
    };
    Ok(crate::pages::download(bytes, &name, content_type))
}
