//! Importing departments or people: upload (multipart, CSRF token in the query), a preview
//! of every row with its errors, and a confirmation that stores all rows or none.
//!
//! Between preview and confirmation the upload waits on the server (`import::stash`), named by
//! a random id the confirm form carries. Re-posting the file as base64 in a hidden field was
//! the alternative; it would push up to 7 MB back through the browser into a urlencoded form,
//! over the 2 MB form limit, and let the confirmed content differ from the previewed one.

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::pages::render;
use crate::routes::Routes;
use askama::Template;
use axum::Form;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::handler::Handler;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use mishu_service::audit::Origin;
use mishu_service::org::import::{self, ImportKind, ImportPreview, MAX_FILE_BYTES};
use serde::Deserialize;

/// The upload route's own body limit: the file plus the multipart envelope.
const UPLOAD_LIMIT: usize = MAX_FILE_BYTES + 512 * 1024;

pub fn routes(r: Routes) -> Routes {
    r.get("/admin/org/import", page)
        .post("/admin/org/import", upload.layer(DefaultBodyLimit::max(UPLOAD_LIMIT)))
        .post("/admin/org/import/commit", commit)
        .get("/admin/org/import/template/{kind}", template)
}

fn kind_field(raw: &str) -> AppResult<ImportKind> {
    ImportKind::parse(raw).ok_or(AppError::BadRequest { field: "kind", message: "departments or people".into() })
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    kind: String,
    created: Option<usize>,
}

#[derive(Template)]
#[template(path = "admin/org/import.html")]
struct ImportPage<'a> {
    ctx: &'a Ctx,
    kind: String,
    created: Option<usize>,
    max_rows: usize,
}

async fn page(user: User, Query(q): Query<PageQuery>) -> Response {
    let kind = ImportKind::parse(&q.kind).unwrap_or(ImportKind::People).code().to_string();
    render(&ImportPage { ctx: &user.ctx, kind, created: q.created, max_rows: import::MAX_ROWS })
}

/// One row of the preview, with its messages already in the reader's language.
struct RowView {
    line: usize,
    cells: Vec<(String, bool)>,
    messages: Vec<String>,
}

#[derive(Template)]
#[template(path = "admin/org/preview.html")]
struct PreviewPage<'a> {
    ctx: &'a Ctx,
    kind: &'static str,
    filename: String,
    columns: Vec<&'static str>,
    /// `tk` prefix of the column headings for this kind.
    col_prefix: String,
    rows: Vec<RowView>,
    ok_count: usize,
    error_count: usize,
    /// Set when every row is good: the stashed upload to confirm.
    stash_id: Option<String>,
}

/// The catalogue key of a column heading, per kind (`name` is a department's or a person's).
pub fn column_key(kind: ImportKind, field: &str) -> String {
    format!("admin_org.col_{}_{field}", kind.code())
}

fn row_views(ctx: &Ctx, p: &ImportPreview) -> Vec<RowView> {
    let columns = p.kind.columns();
    p.rows
        .iter()
        .map(|r| RowView {
            line: r.line,
            cells: r.values.iter().zip(columns).map(|(v, c)| (v.clone(), r.has_error(c))).collect(),
            messages: r
                .errors
                .iter()
                .map(|e| {
                    let field = ctx.t(&column_key(p.kind, e.field));
                    let message = ctx.tf(&format!("admin_org.err_{}", e.code), &[("v", &e.arg)]);
                    ctx.tf("admin_org.field_message", &[("field", field), ("message", &message)])
                })
                .collect(),
        })
        .collect()
}

struct Upload {
    kind: ImportKind,
    filename: String,
    bytes: Vec<u8>,
}

async fn read_upload(mut mp: Multipart) -> AppResult<Upload> {
    let bad = |field: &'static str, message: String| AppError::BadRequest { field, message };
    let (mut kind, mut file) = (None, None);
    while let Some(field) = mp.next_field().await.map_err(|e| bad("file", e.body_text()))? {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "kind" => kind = Some(kind_field(&field.text().await.map_err(|e| bad("kind", e.body_text()))?)?),
            "file" => {
                let filename = field.file_name().unwrap_or_default().to_string();
                let bytes = field.bytes().await.map_err(|e| bad("file", e.body_text()))?;
                file = Some((filename, bytes.to_vec()));
            }
            _ => {}
        }
    }
    let kind = kind.ok_or_else(|| bad("kind", "departments or people".into()))?;
    match file {
        Some((filename, bytes)) if !bytes.is_empty() => Ok(Upload { kind, filename, bytes }),
        _ => Err(bad("file", "choose a CSV or XLSX file".into())),
    }
}

async fn upload(State(st): State<AppState>, user: User, mp: Multipart) -> AppResult<Response> {
    let s = &st.services;
    let up = read_upload(mp).await?;
    let preview = import::preview(s, up.kind, &up.bytes, &up.filename).await?;
    let stash_id = match preview.error_count {
        0 => Some(import::stash(s, user.actor.person_id, up.kind, &up.filename, &up.bytes).await?),
        _ => None,
    };
    Ok(render(&PreviewPage {
        ctx: &user.ctx,
        kind: up.kind.code(),
        filename: import::clean_filename(&up.filename),
        columns: up.kind.columns().to_vec(),
        col_prefix: format!("admin_org.col_{}_", up.kind.code()),
        rows: row_views(&user.ctx, &preview),
        ok_count: preview.ok_count,
        error_count: preview.error_count,
        stash_id,
    }))
}

#[derive(Deserialize)]
pub struct CommitForm {
    id: String,
}

async fn commit(State(st): State<AppState>, user: User, Form(f): Form<CommitForm>) -> AppResult<Redirect> {
    let origin = Origin::of(&user.actor, &user.ctx.source_ip);
    let (kind, created) = import::commit_stashed(&st.services, &origin, f.id.trim()).await?;
    Ok(Redirect::to(&format!("/admin/org/import?kind={}&created={created}", kind.code())))
}

/// An empty template with the headings, in Chinese unless the reader works in English.
async fn template(ctx: Ctx, Path(kind): Path<String>) -> AppResult<Response> {
    let kind = kind_field(kind.trim_end_matches(".csv"))?;
    let body = import::template_csv(kind, ctx.locale == Locale::En);
    let disposition = format!("attachment; filename=\"{}.csv\"", kind.code());
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)],
        body,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_code_and_column_has_words() {
        for l in Locale::ALL {
            for code in import::ERROR_CODES {
                let key = format!("admin_org.err_{code}");
                assert!(crate::i18n::has_key(l, &key), "{l:?}: {key}");
            }
            for kind in [ImportKind::Departments, ImportKind::People] {
                for field in kind.columns().iter().chain(&["row"]) {
                    let key = column_key(kind, field);
                    assert!(crate::i18n::has_key(l, &key), "{l:?}: {key}");
                }
            }
        }
    }
}
