//! SQL for outgoing documents: the document row and its drafting parts here; the route in
//! `route`, the number ledger in `ledger`, distributions and receipts in `distribution`.

mod appendix;
mod distribution;
mod ledger;
mod route;

pub use appendix::{AttachmentRow, CopyRow};
pub(super) use appendix::{
    attachments, copies, copy_state, delete_attachment, insert_attachment, lock_document, set_annotation, upsert_copy,
};
pub use distribution::{DistributionRow, ReceiptRow};
pub(super) use distribution::{
    cancel_distribution, confirm_receipt, distributions, insert_distribution, insert_receipt, receipt_tx, receipts,
    receipts_tx,
};
pub use ledger::LedgerRow;
pub(super) use ledger::{assign_number, last_seq, ledger, void_number};
pub use route::{RecipientRow, StepRow};
pub(super) use route::{
    countersigners, department_head, exists, insert_countersigner, insert_recipient, insert_step, is_active_leader,
    office_people, office_people_tx, recipients, recipients_tx, set_step, steps, steps_tx,
};

use crate::args;
use crate::db::{Db, DbResult, Tx};
use mishu_domain::labels::{Label, LabelKind};
use mishu_domain::outgoing::Draft;
use mishu_domain::{OutgoingId, PersonId, Timestamp};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct OutgoingRow {
    pub outgoing_id: i64,
    pub title: String,
    pub doc_type: String,
    pub direction: String,
    pub classification: String,
    pub secrecy_period: String,
    pub urgency: i64,
    pub prefix: String,
    pub intent: String,
    pub outline: String,
    /// 附注: one line under the date, without its parentheses; empty for none.
    pub annotation: String,
    pub drafter_id: i64,
    pub drafter_name: String,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub signer_id: i64,
    pub signer_name: String,
    pub countersign_parallel: bool,
    pub copies: i64,
    pub state: String,
    pub round: i64,
    pub checked_by: Option<i64>,
    pub checker_name: Option<String>,
    pub check_opinion: Option<String>,
    pub signed_on: Option<String>,
    pub sign_opinion: Option<String>,
    pub number_year: Option<i64>,
    pub number_seq: Option<i64>,
    pub doc_number: Option<String>,
    pub return_reason: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
    /// The label's HMAC-SM3 (T18); checked, never shown.
    #[serde(skip)]
    pub label_mac: Option<String>,
}

impl OutgoingRow {
    /// The security label as stored, for its MAC (each copy's 份号 is in the copy register).
    pub fn label(&self) -> Label<'_> {
        Label {
            kind: LabelKind::Outgoing,
            id: self.outgoing_id,
            classification: &self.classification,
            secrecy_period: &self.secrecy_period,
            copy_no: "",
        }
    }
}

const SELECT: &str = "SELECT d.outgoing_id, d.title, d.doc_type, d.direction, d.classification, d.secrecy_period,
    d.urgency, d.prefix, d.intent, d.outline, d.annotation, d.drafter_id, dp.name AS drafter_name, d.department_id,
    dep.name AS department_name, d.signer_id, sp.name AS signer_name, d.countersign_parallel, d.copies, d.state,
    d.round, d.checked_by, cp.name AS checker_name, d.check_opinion, d.signed_on, d.sign_opinion, d.number_year,
    d.number_seq, d.doc_number, d.return_reason, d.created_at, d.updated_at, d.version, d.label_mac
    FROM outgoing_documents d JOIN people dp ON dp.person_id = d.drafter_id
    JOIN people sp ON sp.person_id = d.signer_id LEFT JOIN people cp ON cp.person_id = d.checked_by
    LEFT JOIN departments dep ON dep.department_id = d.department_id";

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct VersionRow {
    pub version_id: i64,
    pub seq: i64,
    pub body: String,
    pub note: String,
    pub author_id: i64,
    pub author_name: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct MaterialRow {
    pub material_id: i64,
    pub kind: String,
    pub title: String,
    pub reference: String,
    pub rank: i64,
    pub kept: bool,
    pub note: String,
    pub added_by_name: String,
    pub added_at: i64,
}

/// Inserts the document and seals its label (T18) in the same transaction.
pub(super) async fn insert(
    tx: &mut Tx,
    key: &[u8],
    d: &Draft,
    by: PersonId,
    department: Option<i64>,
    now: Timestamp,
) -> DbResult<OutgoingId> {
    let id = tx.insert_returning_id(
        "INSERT INTO outgoing_documents (title, doc_type, direction, classification, secrecy_period, urgency, prefix,
            intent, drafter_id, department_id, signer_id, countersign_parallel, copies, state, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'drafting', $14, $14) RETURNING outgoing_id",
        args![
            &d.title,
            d.doc_type.code(),
            d.direction.code(),
            d.classification.code(),
            &d.secrecy_period,
            d.urgency.rank(),
            d.prefix.as_str(),
            &d.intent,
            by,
            department,
            d.signer,
            d.countersign_parallel,
            d.copies,
            now
        ],
    )
    .await?;
    let label = Label {
        kind: LabelKind::Outgoing,
        id,
        classification: d.classification.code(),
        secrecy_period: &d.secrecy_period,
        copy_no: "",
    };
    crate::labels::seal(tx, key, &label).await?;
    Ok(OutgoingId(id))
}

pub(super) async fn get(db: &Db, id: OutgoingId) -> DbResult<Option<OutgoingRow>> {
    db.fetch_optional(&format!("{SELECT} WHERE d.outgoing_id = $1"), args![id]).await
}

pub(super) async fn get_tx(tx: &mut Tx, id: OutgoingId) -> DbResult<Option<OutgoingRow>> {
    tx.fetch_optional(&format!("{SELECT} WHERE d.outgoing_id = $1"), args![id]).await
}

/// Every document, newest first; the caller filters by `may_read`.
pub(super) async fn list(db: &Db, state: Option<&str>) -> DbResult<Vec<OutgoingRow>> {
    match state {
        Some(st) => {
            db.fetch_all(
                &format!("{SELECT} WHERE d.state = $1 ORDER BY d.updated_at DESC, d.outgoing_id DESC"),
                args![st],
            )
            .await
        }
        None => db.fetch_all(&format!("{SELECT} ORDER BY d.updated_at DESC, d.outgoing_id DESC"), args![]).await,
    }
}

/// Everyone on any document's route (drafter, signer, countersigners, step holders), for lists.
pub(super) async fn route_people(db: &Db) -> DbResult<Vec<(i64, i64)>> {
    db.fetch_all(
        "SELECT outgoing_id, person_id FROM outgoing_steps
         UNION SELECT outgoing_id, person_id FROM outgoing_countersigners
         UNION SELECT outgoing_id, person_id FROM outgoing_receipts WHERE person_id IS NOT NULL",
        args![],
    )
    .await
}

/// Moves the document to `state`, guarded by the version read (optimistic lock).
pub(super) async fn set_state(tx: &mut Tx, d: &OutgoingRow, state: &str, round: i64, now: Timestamp) -> DbResult<u64> {
    tx.execute(
        "UPDATE outgoing_documents SET state = $1, round = $2, updated_at = $3, version = version + 1
         WHERE outgoing_id = $4 AND version = $5",
        args![state, round, now, d.outgoing_id, d.version],
    )
    .await
}

pub(super) async fn set_check(tx: &mut Tx, id: OutgoingId, by: PersonId, opinion: &str) -> DbResult<u64> {
    tx.execute(
        "UPDATE outgoing_documents SET checked_by = $1, check_opinion = $2 WHERE outgoing_id = $3",
        args![by, opinion, id],
    )
    .await
}

pub(super) async fn set_signed(tx: &mut Tx, id: OutgoingId, date: &str, opinion: &str) -> DbResult<u64> {
    tx.execute(
        "UPDATE outgoing_documents SET signed_on = $1, sign_opinion = $2 WHERE outgoing_id = $3",
        args![date, opinion, id],
    )
    .await
}

pub(super) async fn set_return_reason(tx: &mut Tx, id: OutgoingId, reason: &str) -> DbResult<u64> {
    tx.execute("UPDATE outgoing_documents SET return_reason = $1 WHERE outgoing_id = $2", args![reason, id]).await
}

pub(super) async fn set_number(
    tx: &mut Tx,
    id: OutgoingId,
    year: Option<i64>,
    seq: Option<i64>,
    text: Option<String>,
) -> DbResult<u64> {
    tx.execute(
        "UPDATE outgoing_documents SET number_year = $1, number_seq = $2, doc_number = $3 WHERE outgoing_id = $4",
        args![year, seq, text, id],
    )
    .await
}

pub(super) async fn set_outline(
    tx: &mut Tx,
    id: OutgoingId,
    intent: &str,
    outline: &str,
    now: Timestamp,
) -> DbResult<u64> {
    tx.execute(
        "UPDATE outgoing_documents SET intent = $1, outline = $2, updated_at = $3 WHERE outgoing_id = $4",
        args![intent, outline, now, id],
    )
    .await
}

pub(super) async fn versions(db: &Db, id: OutgoingId) -> DbResult<Vec<VersionRow>> {
    db.fetch_all(
        "SELECT v.version_id, v.seq, v.body, v.note, v.author_id, p.name AS author_name, v.created_at
         FROM outgoing_versions v JOIN people p ON p.person_id = v.author_id WHERE v.outgoing_id = $1 ORDER BY v.seq",
        args![id],
    )
    .await
}

pub(super) async fn latest_body(tx: &mut Tx, id: OutgoingId) -> DbResult<Option<String>> {
    let r: Option<(String,)> = tx
        .fetch_optional(
            "SELECT body FROM outgoing_versions WHERE outgoing_id = $1 ORDER BY seq DESC LIMIT 1",
            args![id],
        )
        .await?;
    Ok(r.map(|r| r.0))
}

pub(super) async fn insert_version(
    tx: &mut Tx,
    id: OutgoingId,
    body: &str,
    note: &str,
    by: PersonId,
    now: Timestamp,
) -> DbResult<i64> {
    let (seq,): (i64,) = tx
        .fetch_one("SELECT COALESCE(MAX(seq), 0) + 1 FROM outgoing_versions WHERE outgoing_id = $1", args![id])
        .await?;
    tx.execute(
        "INSERT INTO outgoing_versions (outgoing_id, seq, body, note, author_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        args![id, seq, body, note, by, now],
    )
    .await?;
    tx.execute("UPDATE outgoing_documents SET updated_at = $1 WHERE outgoing_id = $2", args![now, id]).await?;
    Ok(seq)
}

pub(super) async fn materials(db: &Db, id: OutgoingId) -> DbResult<Vec<MaterialRow>> {
    db.fetch_all(
        "SELECT m.material_id, m.kind, m.title, m.reference, m.rank, m.kept, m.note, p.name AS added_by_name, m.added_at
         FROM outgoing_materials m JOIN people p ON p.person_id = m.added_by WHERE m.outgoing_id = $1
         ORDER BY m.kept DESC, m.rank, m.material_id",
        args![id],
    )
    .await
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn insert_material(
    tx: &mut Tx,
    id: OutgoingId,
    kind: &str,
    title: &str,
    reference: &str,
    rank: i64,
    note: &str,
    by: PersonId,
    now: Timestamp,
) -> DbResult<i64> {
    tx.insert_returning_id(
        "INSERT INTO outgoing_materials (outgoing_id, kind, title, reference, rank, kept, note, added_by, added_at)
         VALUES ($1, $2, $3, $4, $5, TRUE, $6, $7, $8) RETURNING material_id",
        args![id, kind, title, reference, rank, note, by, now],
    )
    .await
}

pub(super) async fn set_material(tx: &mut Tx, id: OutgoingId, material: i64, rank: i64, kept: bool) -> DbResult<u64> {
    tx.execute(
        "UPDATE outgoing_materials SET rank = $1, kept = $2 WHERE material_id = $3 AND outgoing_id = $4",
        args![rank, kept, material, id],
    )
    .await
}

/// Documents with an open step held by `person`.
pub(super) async fn open_steps_of(db: &Db, person: PersonId) -> DbResult<Vec<i64>> {
    let rows: Vec<(i64,)> = db
        .fetch_all(
            "SELECT DISTINCT outgoing_id FROM outgoing_steps WHERE person_id = $1 AND state = 'open'
             UNION SELECT DISTINCT outgoing_id FROM outgoing_receipts WHERE person_id = $1 AND state = 'pending'",
            args![person],
        )
        .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Documents with a receipt still pending.
pub(super) async fn unconfirmed_docs(db: &Db) -> DbResult<Vec<i64>> {
    let rows: Vec<(i64,)> =
        db.fetch_all("SELECT DISTINCT outgoing_id FROM outgoing_receipts WHERE state = 'pending'", args![]).await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Active leaders, in the organ's order (who may sign off).
pub(super) async fn leaders(db: &Db) -> DbResult<Vec<(i64, String)>> {
    db.fetch_all(
        "SELECT DISTINCT p.person_id, p.name, p.sort_order FROM person_roles r JOIN people p ON p.person_id = r.person_id
         WHERE r.role = 'leader' AND p.active AND p.admin_kind IS NULL ORDER BY p.sort_order, p.person_id",
        args![],
    )
    .await
    .map(|rows: Vec<(i64, String, i64)>| rows.into_iter().map(|(id, n, _)| (id, n)).collect())
}

/// The prefix of the newest document of a 文种.
pub(super) async fn last_prefix(db: &Db, doc_type: &str) -> DbResult<Option<String>> {
    let row: Option<(String,)> = db
        .fetch_optional(
            "SELECT prefix FROM outgoing_documents WHERE doc_type = $1 ORDER BY outgoing_id DESC LIMIT 1",
            args![doc_type],
        )
        .await?;
    Ok(row.map(|r| r.0))
}
