//! The archivist's catalogue (归档文件目录, DA/T 22): one line per 件 of a year, in 档号
//! order, with 序号, 档号, 文号, 责任者, 题名, 日期 (YYYYMMDD), 密级, 页数, 备注; as rows for
//! the printable page, as XLSX and as an A4 landscape PDF laid out by mishu-render.

use super::store::{self, ItemRow};
use super::{DOMAIN, require_keeper};
use crate::audit::{self, Origin};
use crate::forms::{self, Labels};
use crate::{ServiceError, ServiceResult, Services, org};
use mishu_domain::access::Actor;
use mishu_domain::audit::AuditEvent;
use mishu_domain::org::Clearance;
use mishu_render::{TableColumn, TableSheet};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde_json::json;

/// Column keys in the catalogue's order; the caller's words turn each into a heading.
pub const COLUMNS: [&str; 9] =
    ["seq", "archive_code", "doc_number", "responsible", "title", "date", "classification", "pages", "note"];

/// The years that have filed items, newest first.
pub async fn years(s: &Services, actor: &Actor) -> ServiceResult<Vec<i64>> {
    require_keeper(actor)?;
    Ok(store::years(&s.db).await?)
}

/// The catalogue of one year: every item the keeper may read (clearance), in 档号 order.
pub async fn catalogue_lines(s: &Services, actor: &Actor, year: i32) -> ServiceResult<Vec<ItemRow>> {
    require_keeper(actor)?;
    let mut rows = store::items_of_year(&s.db, year).await?;
    // Clearance is decided on the stored label: an item whose label fails its MAC is withheld.
    crate::labels::retain_intact(s, &mut rows, |r| (r.label(), r.label_mac.as_deref()));
    Ok(rows
        .into_iter()
        .filter(|r| Clearance::parse(&r.classification).map(|c| actor.clearance >= c).unwrap_or(false))
        .collect())
}

fn xlsx(e: XlsxError) -> ServiceError {
    ServiceError::Conflict(format!("could not write the workbook: {e}"))
}

/// The 备注 column: a destroyed 件 says so before its note.
fn catalogue_note(r: &ItemRow, destroyed: &str) -> String {
    if r.destroyed_at.is_some() { format!("{destroyed} {}", r.note).trim().to_string() } else { r.note.clone() }
}

/// The catalogue as XLSX. `words(key)` answers `archives.col.<column>`, `archives.sheet`,
/// `clearance.<code>` and `archives.destroyed`.
pub async fn catalogue_xlsx(
    s: &Services,
    actor: &Actor,
    year: i32,
    words: &(dyn Fn(&str) -> String + Sync),
    source_ip: &str,
) -> ServiceResult<Vec<u8>> {
    let rows = catalogue_lines(s, actor, year).await?;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(format!("{}{year}", words("archives.sheet"))).map_err(xlsx)?;
    let bold = Format::new().set_bold();
    for (c, key) in COLUMNS.iter().enumerate() {
        let col = c as u16;
        sheet.write_string_with_format(0, col, words(&format!("archives.col.{key}")), &bold).map_err(xlsx)?;
        let width = match *key {
            "title" => 48.0,
            "archive_code" => 26.0,
            "doc_number" | "responsible" => 20.0,
            _ => 10.0,
        };
        sheet.set_column_width(col, width).map_err(xlsx)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        let note = catalogue_note(r, &words("archives.destroyed"));
        sheet.write_number(row, 0, (i + 1) as f64).map_err(xlsx)?;
        sheet.write_string(row, 1, &r.archive_code).map_err(xlsx)?;
        sheet.write_string(row, 2, &r.doc_number).map_err(xlsx)?;
        sheet.write_string(row, 3, &r.responsible).map_err(xlsx)?;
        sheet.write_string(row, 4, &r.title).map_err(xlsx)?;
        sheet.write_string(row, 5, r.date8()).map_err(xlsx)?;
        sheet.write_string(row, 6, words(&format!("clearance.{}", r.classification))).map_err(xlsx)?;
        sheet.write_number(row, 7, r.pages as f64).map_err(xlsx)?;
        sheet.write_string(row, 8, note).map_err(xlsx)?;
    }
    let bytes = book.save_to_buffer().map_err(xlsx)?;
    exported(s, actor, year, rows.len(), "xlsx", source_ip).await?;
    Ok(bytes)
}

/// A catalogue leaving the system (it may list classified titles) is recorded.
async fn exported(
    s: &Services,
    actor: &Actor,
    year: i32,
    rows: usize,
    format: &str,
    source_ip: &str,
) -> ServiceResult<()> {
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let ev = AuditEvent::new(
        "archive.catalogue_exported",
        DOMAIN,
        None,
        json!({"year": year, "rows": rows, "format": format}),
    );
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &ev).await?;
    tx.commit().await?;
    Ok(())
}

/// The catalogue of a year as a printable list: the columns of `COLUMNS` with their
/// headings in the reader's language, one line per 件 (a destroyed one says so in 备注).
pub fn catalogue_sheet(rows: &[ItemRow], year: i32, organ: &str, fonds: &str, l: &dyn Labels) -> TableSheet {
    let columns = COLUMNS
        .iter()
        .map(|key| {
            let (width, centre) = match *key {
                "title" => (12, false),
                "archive_code" => (10, false),
                "doc_number" | "responsible" => (5, false),
                "note" => (3, false),
                "date" | "classification" => (3, true),
                _ => (2, true),
            };
            TableColumn::new(&l.t(&format!("archives.col.{key}")), width, centre)
        })
        .collect();
    let lines = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let note = catalogue_note(r, &l.t("archives.destroyed"));
            vec![
                (i + 1).to_string(),
                r.archive_code.clone(),
                r.doc_number.clone(),
                r.responsible.clone(),
                r.title.clone(),
                r.date8(),
                l.tk("clearance", &r.classification),
                r.pages.to_string(),
                note,
            ]
        })
        .collect();
    let fonds = fonds.trim();
    TableSheet {
        title: format!("{organ}{year}{}", l.t("archives.catalogue_title")),
        reference: (!fonds.is_empty()).then(|| format!("{}：{fonds}", l.t("archives.fonds"))),
        columns,
        rows: lines,
        footer: None,
        landscape: true,
    }
}

/// The catalogue as an A4 landscape PDF, with its file name ("归档文件目录2026").
pub async fn catalogue_pdf(
    s: &Services,
    actor: &Actor,
    year: i32,
    l: &dyn Labels,
    source_ip: &str,
) -> ServiceResult<(String, Vec<u8>)> {
    let rows = catalogue_lines(s, actor, year).await?;
    let organ = org::organ(s).await?.map(|o| o.name).unwrap_or_default();
    let fonds = super::load_settings(&s.db).await?.fonds;
    let pdf = forms::render_table(s, catalogue_sheet(&rows, year, &organ, &fonds, l)).await?;
    exported(s, actor, year, rows.len(), "pdf", source_ip).await?;
    Ok((format!("{}{year}", l.t("archives.sheet")), pdf))
}
