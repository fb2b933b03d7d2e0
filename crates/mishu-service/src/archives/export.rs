//! The transfer package (移交): a zip of one year's filed items for an archives system:
//! each item's files under `files/<档号>/`, and the metadata in `metadata.xml` and
//! `metadata.csv` with the GB/T 33480 core fields the office holds plus the DA/T 22 ones.
//! Entries are stored, not deflated: scans and PDFs are compressed already, and the zip
//! crate is built read-mostly here (no compression features).

use super::catalogue::catalogue_lines;
use super::store::{self, ItemRow};
use super::{DOMAIN, require_keeper};
use crate::audit::{self, Origin};
use crate::{ServiceError, ServiceResult, Services};
use mishu_domain::ArchiveItemId;
use mishu_domain::access::Actor;
use mishu_domain::audit::AuditEvent;
use serde_json::json;
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;

/// The metadata columns: (CSV/XML name, GB/T 33480 or DA/T 22 name).
pub const FIELDS: [(&str, &str); 16] = [
    ("archive_code", "档号"),
    ("fonds", "全宗号"),
    ("year", "年度"),
    ("retention", "保管期限"),
    ("class_code", "机构（问题）"),
    ("item_no", "件号"),
    ("title", "标题"),
    ("doc_type", "文种"),
    ("doc_number", "发文字号"),
    ("responsible", "发文机关或签发人署名"),
    ("date", "成文日期"),
    ("classification", "密级"),
    ("pages", "页数"),
    ("note", "附注"),
    ("files", "附件"),
    ("destroyed", "销毁"),
];

fn values(r: &ItemRow, files: &[String]) -> [String; 16] {
    [
        r.archive_code.clone(),
        r.fonds.clone(),
        r.year.to_string(),
        r.retention.clone(),
        r.class_code.clone(),
        format!("{:04}", r.item_no),
        r.title.clone(),
        r.doc_type.clone(),
        r.doc_number.clone(),
        r.responsible.clone(),
        r.date8(),
        r.classification.clone(),
        r.pages.to_string(),
        r.note.clone(),
        files.join(";"),
        r.destroyed_at.is_some().to_string(),
    ]
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn zip_err(e: impl std::fmt::Display) -> ServiceError {
    ServiceError::Conflict(format!("could not write the package: {e}"))
}

/// Builds the package of one year (only the items the keeper may read).
pub async fn package(s: &Services, actor: &Actor, year: i32, source_ip: &str) -> ServiceResult<Vec<u8>> {
    require_keeper(actor)?;
    let rows = catalogue_lines(s, actor, year).await?;
    let mut out = Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record(FIELDS.iter().map(|(k, _)| *k)).map_err(zip_err)?;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<archive_package standard=\"DA/T 22-2015; GB/T 33480-2016\"",
    );
    xml.push_str(&format!(" year=\"{year}\">\n"));
    for r in &rows {
        let mut names = Vec::new();
        for f in store::files_of(&s.db, ArchiveItemId(r.item_id)).await? {
            let Some(key) = f.storage_key else { continue };
            let name = format!("files/{}/{}", r.archive_code, f.filename);
            zip.start_file(name.as_str(), opts).map_err(zip_err)?;
            zip.write_all(&s.blobs.read(&key).await?).map_err(zip_err)?;
            names.push(name);
        }
        let v = values(r, &names);
        csv.write_record(&v).map_err(zip_err)?;
        xml.push_str("  <item>\n");
        for ((k, label), val) in FIELDS.iter().zip(v.iter()) {
            xml.push_str(&format!("    <{k} name=\"{label}\">{}</{k}>\n", esc(val)));
        }
        xml.push_str("  </item>\n");
    }
    xml.push_str("</archive_package>\n");
    zip.start_file("metadata.xml", opts).map_err(zip_err)?;
    zip.write_all(xml.as_bytes()).map_err(zip_err)?;
    zip.start_file("metadata.csv", opts).map_err(zip_err)?;
    // A BOM so spreadsheet programs read the Chinese as UTF-8.
    zip.write_all(b"\xEF\xBB\xBF").map_err(zip_err)?;
    zip.write_all(&csv.into_inner().map_err(zip_err)?).map_err(zip_err)?;
    zip.finish().map_err(zip_err)?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let ev = AuditEvent::new("archive.package_exported", DOMAIN, None, json!({"year": year, "items": rows.len()}));
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &ev).await?;
    tx.commit().await?;
    Ok(out.into_inner())
}
