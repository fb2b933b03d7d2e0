//! The log as CSV, shared by the audit administrator's download and `mishu audit export`:
//! UTF-8 with a byte-order mark (so Excel reads Chinese correctly), RFC 4180 quoting, at
//! most `MAX_EXPORT_ROWS` newest records of the filter. Produced in chunks, so the web can
//! stream it and the CLI can write it to a file without holding it all.

use super::browse::filter_detail;
use super::store::{self, AuditFilter, NamedRecord};
use super::{Origin, append};
use crate::{ServiceError, ServiceResult, Services};
use mishu_domain::Timestamp;
use mishu_domain::audit::AuditEvent;
use mishu_domain::time::office_offset;

/// The cap on one export: beyond it, narrow the dates.
pub const MAX_EXPORT_ROWS: i64 = 100_000;
/// Records read per chunk.
const BATCH: i64 = 1_000;
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Column codes, in order; callers may pass translated labels of the same length as the header.
pub const COLUMNS: [&str; 12] = [
    "seq",
    "time",
    "actor_id",
    "actor",
    "acting_for_id",
    "acting_for",
    "source_ip",
    "action",
    "subject_type",
    "subject_id",
    "detail",
    "mac",
];

/// An export in progress. `rows` is fixed when it starts (and recorded in `audit.exported`);
/// records written after that are not part of it.
pub struct Export {
    filter: AuditFilter,
    pub rows: i64,
    /// More matched than the cap allows; the newest `MAX_EXPORT_ROWS` are exported.
    pub truncated: bool,
    remaining: i64,
    next_before: Option<i64>,
    header: Option<Vec<String>>,
}

/// Counts what the filter matches, records `audit.exported` (filter, row count) in the same
/// transaction, and returns the export ready to produce its chunks. The filter's own limit
/// and `before_seq` paging do not apply: an export is the whole filtered range.
pub async fn begin(s: &Services, origin: &Origin, filter: &AuditFilter, header: &[&str]) -> ServiceResult<Export> {
    if header.len() != COLUMNS.len() {
        return Err(ServiceError::invalid("header", format!("{} columns expected", COLUMNS.len())));
    }
    let filter = AuditFilter { limit: None, before_seq: None, ..filter.clone() };
    let mut tx = s.db.begin().await?;
    let (matched, newest) = store::count_and_newest(&mut tx, &filter).await?;
    let rows = matched.min(MAX_EXPORT_ROWS);
    let truncated = matched > MAX_EXPORT_ROWS;
    let mut detail = filter_detail(&filter);
    detail["rows"] = rows.into();
    detail["truncated"] = truncated.into();
    append(&mut tx, &s.audit_key, origin, s.clock.now(), &AuditEvent::new("audit.exported", "audit_log", None, detail))
        .await?;
    tx.commit().await?;
    Ok(Export {
        filter,
        rows,
        truncated,
        remaining: rows,
        next_before: newest.map(|n| n + 1),
        header: Some(header.iter().map(|h| (*h).to_string()).collect()),
    })
}

impl Export {
    /// The next piece of the file: first the BOM and header, then up to `BATCH` records
    /// newest first; `None` when done.
    pub async fn next_chunk(&mut self, s: &Services) -> ServiceResult<Option<Vec<u8>>> {
        if let Some(header) = self.header.take() {
            let mut out = BOM.to_vec();
            out.extend(encode(std::iter::once(header)));
            return Ok(Some(out));
        }
        if self.remaining <= 0 || self.next_before.is_none() {
            return Ok(None);
        }
        let page =
            AuditFilter { before_seq: self.next_before, limit: Some(self.remaining.min(BATCH)), ..self.filter.clone() };
        let records = store::list_named(&s.db, &page).await?;
        let Some(last) = records.last() else {
            self.remaining = 0;
            return Ok(None);
        };
        self.next_before = Some(last.seq);
        self.remaining -= records.len() as i64;
        Ok(Some(encode(records.iter().map(fields))))
    }

    /// The whole file in memory (tests, small exports).
    pub async fn collect(mut self, s: &Services) -> ServiceResult<Vec<u8>> {
        let mut out = Vec::new();
        while let Some(chunk) = self.next_chunk(s).await? {
            out.extend(chunk);
        }
        Ok(out)
    }
}

fn fields(r: &NamedRecord) -> Vec<String> {
    let id = |v: Option<i64>| v.map(|i| i.to_string()).unwrap_or_default();
    vec![
        r.seq.to_string(),
        exact_local_time(Timestamp(r.at)),
        id(r.actor_id),
        r.actor_name.clone().unwrap_or_default(),
        id(r.acting_for),
        r.acting_for_name.clone().unwrap_or_default(),
        r.source_ip.clone(),
        r.action.clone(),
        r.subject_type.clone(),
        r.subject_id.clone().unwrap_or_default(),
        r.detail.clone(),
        r.mac.clone(),
    ]
}

/// Office time to the second: an audit export needs more than the pages' minutes.
fn exact_local_time(t: Timestamp) -> String {
    t.to_datetime().with_timezone(&office_offset()).format("%Y-%m-%d %H:%M:%S").to_string()
}

/// A cell that starts like a formula (`=`, `+`, `-`, `@`, tab, CR) gets a leading `'`, so a
/// spreadsheet shows it as text: a failed login's typed name reaches the log unfiltered.
fn defuse(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}") } else { cell }
}

/// RFC 4180: a cell with a comma, quote or line break is quoted, its quotes doubled; CRLF ends rows.
fn encode(rows: impl Iterator<Item = Vec<String>>) -> Vec<u8> {
    let mut out = String::new();
    for row in rows {
        for (i, cell) in row.into_iter().map(defuse).enumerate() {
            if i > 0 {
                out.push(',');
            }
            if cell.contains([',', '"', '\n', '\r']) {
                out.push('"');
                out.push_str(&cell.replace('"', "\"\""));
                out.push('"');
            } else {
                out.push_str(&cell);
            }
        }
        out.push_str("\r\n");
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_commas_newlines_and_formulas() {
        let out = encode(std::iter::once(vec![
            "a,b".into(),
            "say \"hi\"".into(),
            "line1\nline2".into(),
            "=1+1".into(),
            "plain".into(),
        ]));
        assert_eq!(String::from_utf8(out).unwrap(), "\"a,b\",\"say \"\"hi\"\"\",\"line1\nline2\",'=1+1,plain\r\n");
    }

    #[test]
    fn office_time_to_the_second() {
        // 2026-11-27 09:00:05 +08:00
        assert_eq!(exact_local_time(Timestamp(1_795_741_205_000)), "2026-11-27 09:00:05");
    }
}
