//! Label integrity (T18, GB/T 39786 §8.4 c): every write of a 密级 seals it with its MAC in
//! the same transaction, every read that decides access checks it, a mismatch refuses the
//! object and is audited, and `mishu labels verify` walks every labelled row.

use crate::audit::{self, Origin};
use crate::db::{DbResult, Tx};
use crate::{ServiceError, ServiceResult, Services, args};
use mishu_domain::Timestamp;
use mishu_domain::access::Actor;
use mishu_domain::audit::AuditEvent;
pub use mishu_domain::labels::{Label, LabelKind};
use serde::Serialize;
use serde_json::json;

/// Where each kind keeps its label: table, id column, and the label's three fields (a kind
/// without one reads it as '').
fn table(kind: LabelKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        LabelKind::Incoming => ("incoming_documents", "incoming_id", "classification, secrecy_period, copy_no"),
        LabelKind::Outgoing => {
            ("outgoing_documents", "outgoing_id", "classification, secrecy_period, CAST('' AS TEXT) AS copy_no")
        }
        LabelKind::ArchiveItem => (
            "archive_items",
            "item_id",
            "classification, CAST('' AS TEXT) AS secrecy_period, CAST('' AS TEXT) AS copy_no",
        ),
    }
}

/// Writes the label's MAC on its row, inside the transaction that wrote the label.
pub(crate) async fn seal(tx: &mut Tx, key: &[u8], label: &Label<'_>) -> DbResult<()> {
    let (table, id_col, _) = table(label.kind);
    let sql = format!("UPDATE {table} SET label_mac = $1 WHERE {id_col} = $2");
    tx.execute(&sql, args![label.mac(key), label.id]).await.map(|_| ())
}

/// Seals the labels of rows the caller inserted in bulk inside `tx` (the benchmark's
/// generator): reads them back in the same transaction and writes each MAC, 400 rows to a
/// statement. Ids must exist; the rows are sealed as they stand in `tx`.
pub async fn seal_inserted(tx: &mut Tx, key: &[u8], kind: LabelKind, ids: &[i64]) -> DbResult<()> {
    let (table, id_col, fields) = table(kind);
    for chunk in ids.chunks(400) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql =
            format!("SELECT {id_col} AS id, {fields}, label_mac FROM {table} WHERE {id_col} IN ({})", marks.join(", "));
        let rows: Vec<LabelRow> = tx.fetch_all(&sql, chunk.iter().map(|i| crate::db::Arg::from(*i)).collect()).await?;
        let values: Vec<String> = (0..rows.len()).map(|i| format!("(${}, ${})", 2 * i + 1, 2 * i + 2)).collect();
        if values.is_empty() {
            continue;
        }
        let mut args = Vec::with_capacity(rows.len() * 2);
        for r in &rows {
            args.push(crate::db::Arg::from(r.id));
            args.push(crate::db::Arg::from(r.label(kind).mac(key)));
        }
        // VALUES columns are column1, column2 on both databases.
        let sql = format!(
            "UPDATE {table} SET label_mac = v.column2 FROM (VALUES {}) AS v WHERE {table}.{id_col} = v.column1",
            values.join(", ")
        );
        tx.execute(&sql, args).await?;
    }
    Ok(())
}

/// Whether a row read from the database still carries the label the service wrote.
pub(crate) fn intact(s: &Services, label: &Label<'_>, mac: Option<&str>) -> bool {
    label.intact(&s.audit_key, mac)
}

/// Refuses an object whose label fails its MAC: one `label.integrity_failed` record in its
/// own transaction (the read that found it writes nothing else), then the integrity error.
pub(crate) async fn refuse(s: &Services, actor: Option<&Actor>, kind: LabelKind, id: i64, ip: &str) -> ServiceError {
    tracing::error!(kind = kind.code(), id, "security label does not match its MAC: object refused");
    let origin = actor.map_or_else(Origin::system, |a| Origin::of(a, ip));
    let event = AuditEvent::new("label.integrity_failed", kind.code(), Some(id.to_string()), json!({}));
    let now = s.clock.now();
    let written = async {
        let mut tx = s.db.begin().await?;
        audit::append(&mut tx, &s.audit_key, &origin, now, &event).await?;
        tx.commit().await
    };
    match written.await {
        Ok(()) => ServiceError::LabelIntegrity { kind: kind.code(), id },
        Err(e) => e.into(),
    }
}

/// Checks one object before it is shown or acted on; `Err` is the refusal (audited).
pub(crate) async fn check(
    s: &Services,
    actor: Option<&Actor>,
    label: &Label<'_>,
    mac: Option<&str>,
    ip: &str,
) -> ServiceResult<()> {
    if intact(s, label, mac) { Ok(()) } else { Err(refuse(s, actor, label.kind, label.id, ip).await) }
}

/// Drops rows whose label fails from a list: a tampered row is never listed under the label
/// the database now claims. Each one is logged (not audited: a list is read often, and the
/// object's own page audits the refusal); returns how many were withheld.
pub(crate) fn retain_intact<T>(
    s: &Services,
    rows: &mut Vec<T>,
    label: impl Fn(&T) -> (Label<'_>, Option<&str>),
) -> usize {
    let before = rows.len();
    rows.retain(|r| {
        let (l, mac) = label(r);
        let ok = intact(s, &l, mac);
        if !ok {
            tracing::error!(
                kind = l.kind.code(),
                id = l.id,
                "security label does not match its MAC: withheld from a list"
            );
        }
        ok
    });
    before - rows.len()
}

#[derive(sqlx::FromRow)]
struct LabelRow {
    id: i64,
    classification: String,
    secrecy_period: String,
    copy_no: String,
    label_mac: Option<String>,
}

impl LabelRow {
    fn label(&self, kind: LabelKind) -> Label<'_> {
        Label {
            kind,
            id: self.id,
            classification: &self.classification,
            secrecy_period: &self.secrecy_period,
            copy_no: &self.copy_no,
        }
    }
}

/// Rows after `after` in id order, a page at a time (the walk never holds a whole table).
async fn page(tx: &mut Tx, kind: LabelKind, after: i64, unsealed_only: bool) -> DbResult<Vec<LabelRow>> {
    let (table, id_col, fields) = table(kind);
    let only = if unsealed_only { "AND label_mac IS NULL" } else { "" };
    let sql = format!(
        "SELECT {id_col} AS id, {fields}, label_mac FROM {table} WHERE {id_col} > $1 {only} ORDER BY {id_col} LIMIT 1000"
    );
    tx.fetch_all(&sql, args![after]).await
}

/// Whether one row's label is intact, read inside the caller's transaction (a missing row
/// counts as intact: not finding it is the caller's answer).
pub(crate) async fn row_intact(tx: &mut Tx, key: &[u8], kind: LabelKind, id: i64) -> DbResult<bool> {
    let (table, id_col, fields) = table(kind);
    let sql = format!("SELECT {id_col} AS id, {fields}, label_mac FROM {table} WHERE {id_col} = $1");
    let row: Option<LabelRow> = tx.fetch_optional(&sql, args![id]).await?;
    Ok(row.is_none_or(|r| r.label(kind).intact(key, r.label_mac.as_deref())))
}

/// The one-time sealing pass for rows written before labels had a MAC (migration 0033). It
/// runs only while the migration's marker is there and removes it in the same transaction,
/// so it happens once per database, however many nodes start together; afterwards an
/// unsealed row is tampered like any other. Recorded as one `label.sealed` with the count.
pub async fn seal_unsealed(s: &Services) -> ServiceResult<u64> {
    let mut tx = s.db.begin().await?;
    if !crate::settings::take_marker(&mut tx, "labels.unsealed").await? {
        tx.commit().await?;
        return Ok(0);
    }
    let mut counts = serde_json::Map::new();
    let mut total = 0u64;
    for kind in LabelKind::ALL {
        let (mut after, mut n) = (0i64, 0u64);
        loop {
            let rows = page(&mut tx, kind, after, true).await?;
            let Some(last) = rows.last() else { break };
            after = last.id;
            for r in &rows {
                seal(&mut tx, &s.audit_key, &r.label(kind)).await?;
            }
            n += rows.len() as u64;
        }
        counts.insert(kind.code().into(), n.into());
        total += n;
    }
    if total > 0 {
        let event = AuditEvent::new("label.sealed", "label", None, json!({ "count": total, "by_kind": counts }));
        audit::append(&mut tx, &s.audit_key, &Origin::system(), s.clock.now(), &event).await?;
    }
    tx.commit().await?;
    Ok(total)
}

/// One row whose label no longer matches its MAC.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Tampered {
    pub kind: &'static str,
    pub id: i64,
    /// The 密级 the database claims now (what the row would have been read as).
    pub classification: String,
    /// Whether the MAC is missing rather than wrong.
    pub unsealed: bool,
}

/// What `mishu labels verify` found.
#[derive(Clone, Debug, Default, Serialize)]
pub struct VerifyReport {
    pub checked: u64,
    pub tampered: Vec<Tampered>,
}

/// Walks every labelled row of the three tables and names each whose MAC fails. Reads only;
/// the command's own run is recorded as `label.verified`.
pub async fn verify(s: &Services, origin: &Origin) -> ServiceResult<VerifyReport> {
    let mut report = VerifyReport::default();
    let mut tx = s.db.begin().await?;
    for kind in LabelKind::ALL {
        let mut after = 0i64;
        loop {
            let rows = page(&mut tx, kind, after, false).await?;
            let Some(last) = rows.last() else { break };
            after = last.id;
            report.checked += rows.len() as u64;
            for r in &rows {
                if !r.label(kind).intact(&s.audit_key, r.label_mac.as_deref()) {
                    report.tampered.push(Tampered {
                        kind: kind.code(),
                        id: r.id,
                        classification: r.classification.clone(),
                        unsealed: r.label_mac.is_none(),
                    });
                }
            }
        }
    }
    let named: Vec<String> = report.tampered.iter().take(100).map(|t| format!("{}:{}", t.kind, t.id)).collect();
    let detail = json!({ "checked": report.checked, "tampered": report.tampered.len(), "first": named });
    let now: Timestamp = s.clock.now();
    audit::append(&mut tx, &s.audit_key, origin, now, &AuditEvent::new("label.verified", "label", None, detail))
        .await?;
    tx.commit().await?;
    Ok(report)
}
