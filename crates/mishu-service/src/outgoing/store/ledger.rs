//! SQL for the 发文字号 ledger. One head row per 机关代字 and year; taking a number is an
//! `UPDATE … SET last_seq = last_seq + 1 RETURNING` inside the registering transaction, so
//! the row stays locked until commit (like `audit_head`): concurrent registrations queue,
//! a rollback gives the number back, and numbers never repeat and never skip.

use crate::args;
use crate::db::{Db, DbResult, Tx};
use mishu_domain::{OutgoingId, PersonId, Timestamp};
use serde::Serialize;

pub(in crate::outgoing) async fn assign_number(
    tx: &mut Tx,
    prefix: &str,
    year: i64,
    doc: OutgoingId,
    by: PersonId,
    now: Timestamp,
) -> DbResult<i64> {
    tx.execute(
        "INSERT INTO outgoing_number_heads (prefix, year, last_seq) VALUES ($1, $2, 0) ON CONFLICT (prefix, year) DO NOTHING",
        args![prefix, year],
    )
    .await?;
    let (seq,): (i64,) = tx
        .fetch_one(
            "UPDATE outgoing_number_heads SET last_seq = last_seq + 1 WHERE prefix = $1 AND year = $2 RETURNING last_seq",
            args![prefix, year],
        )
        .await?;
    tx.execute(
        "INSERT INTO outgoing_numbers (prefix, year, seq, outgoing_id, assigned_by, assigned_at) VALUES ($1, $2, $3, $4, $5, $6)",
        args![prefix, year, seq, doc, by, now],
    )
    .await?;
    Ok(seq)
}

pub(in crate::outgoing) async fn void_number(
    tx: &mut Tx,
    prefix: &str,
    year: i64,
    seq: i64,
    by: PersonId,
    reason: &str,
    now: Timestamp,
) -> DbResult<u64> {
    tx.execute(
        "UPDATE outgoing_numbers SET voided_by = $1, voided_at = $2, void_reason = $3
         WHERE prefix = $4 AND year = $5 AND seq = $6 AND voided_at IS NULL",
        args![by, now, reason, prefix, year, seq],
    )
    .await
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct LedgerRow {
    pub prefix: String,
    pub year: i64,
    pub seq: i64,
    pub outgoing_id: i64,
    pub title: String,
    pub classification: String,
    pub assigned_by_name: String,
    pub assigned_at: i64,
    pub voided_at: Option<i64>,
    pub voided_by_name: Option<String>,
    pub void_reason: Option<String>,
    /// The document's label and its MAC (T18): a line whose label fails is masked.
    #[serde(skip)]
    pub secrecy_period: String,
    #[serde(skip)]
    pub label_mac: Option<String>,
}

impl LedgerRow {
    pub fn label(&self) -> mishu_domain::labels::Label<'_> {
        mishu_domain::labels::Label {
            kind: mishu_domain::labels::LabelKind::Outgoing,
            id: self.outgoing_id,
            classification: &self.classification,
            secrecy_period: &self.secrecy_period,
            copy_no: "",
        }
    }
}

pub(in crate::outgoing) async fn ledger(db: &Db, prefix: &str, year: i64) -> DbResult<Vec<LedgerRow>> {
    db.fetch_all(
        "SELECT n.prefix, n.year, n.seq, n.outgoing_id, d.title, d.classification, ap.name AS assigned_by_name,
            n.assigned_at, n.voided_at, vp.name AS voided_by_name, n.void_reason, d.secrecy_period, d.label_mac
         FROM outgoing_numbers n JOIN outgoing_documents d ON d.outgoing_id = n.outgoing_id
         JOIN people ap ON ap.person_id = n.assigned_by LEFT JOIN people vp ON vp.person_id = n.voided_by
         WHERE n.prefix = $1 AND n.year = $2 ORDER BY n.seq",
        args![prefix, year],
    )
    .await
}

/// The last number taken for a prefix and year (0 when none), and every prefix/year known.
pub(in crate::outgoing) async fn last_seq(db: &Db) -> DbResult<Vec<(String, i64, i64)>> {
    db.fetch_all("SELECT prefix, year, last_seq FROM outgoing_number_heads ORDER BY year DESC, prefix", args![]).await
}
