//! The register (收文登记簿) as XLSX, with the list's filters and only the documents the
//! person may see. The words (headings, states, types) come from the caller's catalogue.

use super::{DOMAIN, IncomingFilter, list, store};
use crate::audit::{self, Origin};
use crate::{ServiceError, ServiceResult, Services};
use mishu_domain::Timestamp;
use mishu_domain::access::Actor;
use mishu_domain::audit::AuditEvent;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde_json::json;
use std::collections::HashMap;

/// Column keys in the register's order; the caller's `words` turns each into a heading.
pub const COLUMNS: [&str; 13] = [
    "reg_no",
    "received_at",
    "sender_organ",
    "sender_number",
    "title",
    "doc_type",
    "classification",
    "urgency",
    "copies",
    "due",
    "state",
    "departments",
    "closed_at",
];

fn day(ms: Option<i64>) -> String {
    ms.map(|t| Timestamp(t).local_date().format("%Y-%m-%d").to_string()).unwrap_or_default()
}

fn xlsx(e: XlsxError) -> ServiceError {
    ServiceError::Conflict(format!("could not write the workbook: {e}"))
}

/// `words(key)` answers catalogue keys: `incoming.export.<column>`, `incoming.state.<code>`,
/// `incoming.type.<code>`, `clearance.<code>`, `urgency.<code>`, `incoming.export.sheet`.
pub async fn export_register(
    s: &Services,
    actor: &Actor,
    filter: &IncomingFilter,
    words: &(dyn Fn(&str) -> String + Sync),
    source_ip: &str,
) -> ServiceResult<Vec<u8>> {
    let docs = list(s, actor, filter).await?;
    let ids: Vec<i64> = docs.iter().map(|d| d.incoming_id).collect();
    let mut departments: HashMap<i64, Vec<String>> = HashMap::new();
    for (id, name) in store::departments_of(&s.db, &ids).await? {
        let names = departments.entry(id).or_default();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let headings: Vec<String> = COLUMNS.iter().map(|key| words(&format!("incoming.export.{key}"))).collect();
    let rows: Vec<[String; 13]> = docs
        .iter()
        .map(|d| {
            let urgency = ["normal", "urgent", "very_urgent"][d.urgency.clamp(0, 2) as usize];
            [
                d.reg_no(),
                day(Some(d.received_at)),
                d.sender_organ.clone(),
                d.sender_number.clone(),
                d.title.clone(),
                words(&format!("incoming.type.{}", d.doc_type)),
                words(&format!("clearance.{}", d.classification)),
                words(&format!("urgency.{urgency}")),
                d.copies.to_string(),
                day(d.due_at),
                words(&format!("incoming.state.{}", d.state)),
                departments.get(&d.incoming_id).map(|n| n.join("、")).unwrap_or_default(),
                day(d.closed_at.filter(|_| d.state == "closed")),
            ]
        })
        .collect();
    let sheet_name = words("incoming.export.sheet");
    let row_count = rows.len();
    // Writing and zipping a large register is CPU work: keep it off the request threads.
    let bytes = tokio::task::spawn_blocking(move || workbook(&sheet_name, &headings, &rows))
        .await
        .map_err(|e| ServiceError::Conflict(format!("the workbook writer stopped: {e}")))?
        .map_err(xlsx)?;
    let now = s.clock.now();
    let detail = json!({
        "rows": row_count,
        "filter": {"state": filter.state, "organ": filter.organ, "doc_type": filter.doc_type,
                   "year": filter.year, "department": filter.department.map(|d| d.0)},
    });
    let mut tx = s.db.begin().await?;
    let event = AuditEvent::new("incoming.register_exported", DOMAIN, None, detail);
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &event).await?;
    tx.commit().await?;
    Ok(bytes)
}

fn workbook(sheet_name: &str, headings: &[String], rows: &[[String; 13]]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name)?;
    let bold = Format::new().set_bold();
    for (c, (key, heading)) in COLUMNS.iter().zip(headings).enumerate() {
        let col = c as u16;
        sheet.write_string_with_format(0, col, heading, &bold)?;
        let width = match *key {
            "title" => 48.0,
            "sender_organ" | "sender_number" | "departments" => 22.0,
            _ => 12.0,
        };
        sheet.set_column_width(col, width)?;
    }
    for (i, cells) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        for (c, v) in cells.iter().enumerate() {
            match (COLUMNS[c], v.parse::<f64>()) {
                ("copies", Ok(n)) => sheet.write_number(row, c as u16, n)?,
                _ => sheet.write_string(row, c as u16, v)?,
            };
        }
    }
    book.save_to_buffer()
}
