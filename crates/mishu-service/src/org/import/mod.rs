//! Importing departments and people from XLSX or CSV. `preview` checks every row and says
//! what is wrong with each, field by field; `commit` checks again inside one transaction and
//! stores every row or, if any row is wrong, nothing at all.

mod departments;
mod parse;
mod people;
mod resolve;
mod stash;

use super::store;
use crate::audit::{self, Origin};
use crate::{ServiceError, ServiceResult, Services};
use mishu_domain::audit::AuditEvent;
use mishu_domain::org::OrgError;
use serde::Serialize;
use serde_json::json;
use std::collections::HashSet;

pub use stash::{Stashed, discard, stash, unstash};

/// Uploads larger than this are refused before parsing.
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;
/// Data rows per file; an organ larger than this imports in parts.
pub const MAX_ROWS: usize = 5_000;

/// Every `RowError::code`, so the web layer can prove it has words for each.
pub const ERROR_CODES: &[&str] = &[
    "required",
    "too_long",
    "invalid",
    "not_a_number",
    "login_taken",
    "duplicate_in_file",
    "exists",
    "unknown_department",
    "ambiguous_department",
    "disabled_department",
    "cycle",
    "stray_value",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    Departments,
    People,
}

impl ImportKind {
    pub fn code(self) -> &'static str {
        match self {
            ImportKind::Departments => "departments",
            ImportKind::People => "people",
        }
    }

    pub fn parse(s: &str) -> Option<ImportKind> {
        match s.trim() {
            "departments" => Some(ImportKind::Departments),
            "people" => Some(ImportKind::People),
            _ => None,
        }
    }

    /// Column keys in the order rows carry their values.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            ImportKind::Departments => &["name", "parent", "sort"],
            ImportKind::People => &["login", "name", "department", "position", "phone"],
        }
    }

    /// The headings of the downloadable template, in Chinese (what organs fill in).
    pub fn headings_zh(self) -> &'static [&'static str] {
        match self {
            ImportKind::Departments => &["部门名称", "上级部门", "排序"],
            ImportKind::People => &["登录名", "姓名", "部门", "职务", "电话"],
        }
    }

    fn required(self) -> &'static [&'static str] {
        match self {
            ImportKind::Departments => &["name"],
            ImportKind::People => &["login", "name"],
        }
    }

    fn heading_list(self) -> String {
        let pairs: Vec<String> =
            self.headings_zh().iter().zip(self.columns()).map(|(zh, en)| format!("{zh}/{en}")).collect();
        pairs.join(", ")
    }
}

/// What is wrong with one cell: the column (`field`), a stable `code` the pages translate,
/// the value or line number the message refers to (`arg`), and an English `detail`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    pub field: &'static str,
    pub code: &'static str,
    pub arg: String,
    pub detail: String,
}

impl RowError {
    fn new(field: &'static str, code: &'static str, arg: &str, detail: impl Into<String>) -> Self {
        RowError { field, code, arg: arg.to_string(), detail: detail.into() }
    }
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.detail)
    }
}

/// A validation error from the domain, re-labelled with the column it came from.
fn org_error(field: &'static str, e: OrgError) -> RowError {
    match e {
        OrgError::Required { .. } => RowError::new(field, "required", "", format!("{field}: required")),
        OrgError::TooLong { max, .. } => {
            RowError::new(field, "too_long", &max.to_string(), format!("{field}: too long (max {max} characters)"))
        }
        OrgError::Invalid { value, .. } => {
            RowError::new(field, "invalid", &value, format!("{field}: invalid value `{value}`"))
        }
        other => RowError::new(field, "invalid", "", format!("{field}: {other}")),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct RowResult {
    /// The row's line in the file (the heading row is line 1 in a plain file).
    pub line: usize,
    /// One value per column of the kind, in `ImportKind::columns` order.
    pub values: Vec<String>,
    pub errors: Vec<RowError>,
}

impl RowResult {
    /// Whether a column (by key) has an error, for highlighting the cell.
    pub fn has_error(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportPreview {
    pub kind: ImportKind,
    pub rows: Vec<RowResult>,
    pub ok_count: usize,
    pub error_count: usize,
}

/// What the database holds that rows are checked against.
struct Snapshot {
    departments: Vec<super::DepartmentRow>,
    logins: HashSet<String>,
}

enum Plan {
    Departments(Vec<Option<departments::Planned>>),
    People(Vec<Option<super::NewPerson>>),
}

fn check(kind: ImportKind, rows: &[parse::Row], snap: &Snapshot) -> (ImportPreview, Plan) {
    let (mut errors, plan) = match kind {
        ImportKind::Departments => {
            let (e, p) = departments::check(rows, &snap.departments);
            (e, Plan::Departments(p))
        }
        ImportKind::People => {
            let (e, p) = people::check(rows, &snap.departments, &snap.logins);
            (e, Plan::People(p))
        }
    };
    for (r, errs) in rows.iter().zip(errors.iter_mut()) {
        if r.stray {
            errs.push(RowError::new("row", "stray_value", "", "row: a value stands in a column without a heading"));
        }
    }
    let rows: Vec<RowResult> = rows
        .iter()
        .zip(errors)
        .map(|(r, errors)| RowResult { line: r.line, values: r.values.clone(), errors })
        .collect();
    let error_count = rows.iter().filter(|r| !r.errors.is_empty()).count();
    let preview = ImportPreview { kind, ok_count: rows.len() - error_count, error_count, rows };
    (preview, plan)
}

/// Parsing is CPU work on up to 5 MB; it runs off the async threads.
async fn parse_off_thread(kind: ImportKind, bytes: &[u8], filename: &str) -> ServiceResult<Vec<parse::Row>> {
    let owned = bytes.to_vec();
    let xlsx_named = filename.to_ascii_lowercase().ends_with(".xlsx");
    tokio::task::spawn_blocking(move || parse::read(kind, &owned, xlsx_named))
        .await
        .map_err(|_| ServiceError::invalid("file", "the file could not be read"))?
}

/// Checks every row without storing anything.
pub async fn preview(s: &Services, kind: ImportKind, bytes: &[u8], filename: &str) -> ServiceResult<ImportPreview> {
    let rows = parse_off_thread(kind, bytes, filename).await?;
    let departments = store::departments(&s.db).await?;
    let logins = store::logins(&s.db).await?.into_iter().collect();
    Ok(check(kind, &rows, &Snapshot { departments, logins }).0)
}

/// Stores every row in one transaction, or nothing: `ImportRejected(n)` when `n` rows are wrong
/// (checked again here, against the database as it is now). Returns the number created.
pub async fn commit(
    s: &Services,
    origin: &Origin,
    kind: ImportKind,
    bytes: &[u8],
    filename: &str,
) -> ServiceResult<usize> {
    let rows = parse_off_thread(kind, bytes, filename).await?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let departments = store::departments_tx(&mut tx).await?;
    let logins = store::logins_tx(&mut tx).await?.into_iter().collect();
    let (preview, plan) = check(kind, &rows, &Snapshot { departments, logins });
    if preview.error_count > 0 {
        return Err(ServiceError::ImportRejected(preview.error_count));
    }
    let key = s.audit_key.as_slice();
    let created = match plan {
        Plan::Departments(p) => {
            departments::store_all(&mut tx, key, origin, now, p.into_iter().flatten().collect()).await?
        }
        Plan::People(p) => people::store_all(&mut tx, key, origin, now, p.into_iter().flatten().collect()).await?,
    };
    let detail =
        json!({"kind": kind.code(), "rows": rows.len(), "created": created, "filename": clean_filename(filename)});
    audit::append(&mut tx, key, origin, now, &AuditEvent::new("org.imported", "import", None, detail)).await?;
    tx.commit().await?;
    Ok(created)
}

/// Confirms a stashed upload (see `stash`) for the person who uploaded it, then forgets it.
pub async fn commit_stashed(s: &Services, origin: &Origin, id: &str) -> ServiceResult<(ImportKind, usize)> {
    let owner = origin.actor_id.ok_or(ServiceError::Forbidden)?;
    let st = unstash(s, owner, id).await?;
    let created = commit(s, origin, st.kind, &st.bytes, &st.filename).await?;
    discard(s, id).await;
    Ok((st.kind, created))
}

/// The uploader's filename as it may appear in records: no paths, no control characters or
/// bidirectional marks (the same rule as attachments, `mishu_domain::files`), short.
pub fn clean_filename(raw: &str) -> String {
    mishu_domain::files::clean_filename(raw, 120)
}

/// A template to fill in: the headings only, with a byte-order mark so Excel reads UTF-8.
pub fn template_csv(kind: ImportKind, english: bool) -> String {
    let headings = if english { kind.columns().join(",") } else { kind.headings_zh().join(",") };
    format!("\u{feff}{headings}\r\n")
}
