//! SQL for distributions (分发) and receipts (签收): one receipt per recipient per
//! distribution; internal ones name who signs for it, external ones are recorded.

use crate::args;
use crate::db::{Db, DbResult, Tx};
use mishu_domain::{OutgoingId, PersonId, Timestamp};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DistributionRow {
    pub distribution_id: i64,
    pub distributed_by_name: String,
    pub distributed_at: i64,
    pub cancelled_at: Option<i64>,
    pub cancelled_by_name: Option<String>,
    pub cancel_reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ReceiptRow {
    pub receipt_id: i64,
    pub distribution_id: i64,
    pub outgoing_id: i64,
    pub recipient_id: i64,
    pub recipient_name: String,
    pub role: String,
    pub kind: String,
    pub person_id: Option<i64>,
    pub person_name: Option<String>,
    /// pending, confirmed or cancelled.
    pub state: String,
    pub confirmed_at: Option<i64>,
    pub confirmed_by: Option<i64>,
    pub confirmer_name: Option<String>,
    pub channel: Option<String>,
    pub note: Option<String>,
}

const RECEIPTS: &str = "SELECT c.receipt_id, c.distribution_id, c.outgoing_id, c.recipient_id,
    COALESCE(d.name, rp.name, r.organ) AS recipient_name, r.role, r.kind, c.person_id, p.name AS person_name, c.state,
    c.confirmed_at, c.confirmed_by, c.confirmer_name, c.channel, c.note
    FROM outgoing_receipts c JOIN outgoing_recipients r ON r.recipient_id = c.recipient_id
    LEFT JOIN departments d ON d.department_id = r.department_id LEFT JOIN people rp ON rp.person_id = r.person_id
    LEFT JOIN people p ON p.person_id = c.person_id";

pub(in crate::outgoing) async fn insert_distribution(
    tx: &mut Tx,
    id: OutgoingId,
    by: PersonId,
    now: Timestamp,
) -> DbResult<i64> {
    tx.insert_returning_id(
        "INSERT INTO outgoing_distributions (outgoing_id, distributed_by, distributed_at) VALUES ($1, $2, $3)
         RETURNING distribution_id",
        args![id, by, now],
    )
    .await
}

pub(in crate::outgoing) async fn insert_receipt(
    tx: &mut Tx,
    distribution: i64,
    id: OutgoingId,
    recipient: i64,
    person: Option<PersonId>,
) -> DbResult<i64> {
    tx.insert_returning_id(
        "INSERT INTO outgoing_receipts (distribution_id, outgoing_id, recipient_id, person_id, state)
         VALUES ($1, $2, $3, $4, 'pending') RETURNING receipt_id",
        args![distribution, id, recipient, person],
    )
    .await
}

/// Cancels the open distribution and its pending receipts; returns the distribution's id.
pub(in crate::outgoing) async fn cancel_distribution(
    tx: &mut Tx,
    id: OutgoingId,
    by: PersonId,
    reason: &str,
    now: Timestamp,
) -> DbResult<u64> {
    tx.execute(
        "UPDATE outgoing_receipts SET state = 'cancelled' WHERE outgoing_id = $1 AND state = 'pending'",
        args![id],
    )
    .await?;
    tx.execute(
        "UPDATE outgoing_distributions SET cancelled_by = $1, cancelled_at = $2, cancel_reason = $3
         WHERE outgoing_id = $4 AND cancelled_at IS NULL",
        args![by, now, reason, id],
    )
    .await
}

pub(in crate::outgoing) async fn distributions(db: &Db, id: OutgoingId) -> DbResult<Vec<DistributionRow>> {
    db.fetch_all(
        "SELECT x.distribution_id, p.name AS distributed_by_name, x.distributed_at, x.cancelled_at,
            cp.name AS cancelled_by_name, x.cancel_reason
         FROM outgoing_distributions x JOIN people p ON p.person_id = x.distributed_by
         LEFT JOIN people cp ON cp.person_id = x.cancelled_by WHERE x.outgoing_id = $1 ORDER BY x.distribution_id",
        args![id],
    )
    .await
}

pub(in crate::outgoing) async fn receipts(db: &Db, id: OutgoingId) -> DbResult<Vec<ReceiptRow>> {
    db.fetch_all(
        &format!("{RECEIPTS} WHERE c.outgoing_id = $1 ORDER BY c.distribution_id, r.role DESC, r.position"),
        args![id],
    )
    .await
}

pub(in crate::outgoing) async fn receipt_tx(tx: &mut Tx, receipt: i64) -> DbResult<Option<ReceiptRow>> {
    tx.fetch_optional(&format!("{RECEIPTS} WHERE c.receipt_id = $1"), args![receipt]).await
}

pub(in crate::outgoing) async fn confirm_receipt(
    tx: &mut Tx,
    receipt: i64,
    by: PersonId,
    confirmer: &str,
    channel: &str,
    note: &str,
    at: Timestamp,
) -> DbResult<u64> {
    tx.execute(
        "UPDATE outgoing_receipts SET state = 'confirmed', confirmed_by = $1, confirmer_name = $2, channel = $3,
            note = $4, confirmed_at = $5 WHERE receipt_id = $6 AND state = 'pending'",
        args![by, confirmer, channel, note, at, receipt],
    )
    .await
}

pub(in crate::outgoing) async fn receipts_tx(tx: &mut Tx, id: OutgoingId) -> DbResult<Vec<ReceiptRow>> {
    tx.fetch_all(&format!("{RECEIPTS} WHERE c.outgoing_id = $1 ORDER BY c.receipt_id"), args![id]).await
}
