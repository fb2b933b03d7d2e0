//! SQL for loans (借阅): the requests, their decisions and returns.

use super::store::changed;
use crate::db::{Db, DbResult, Tx};
use crate::{ServiceResult, args};
use mishu_domain::{ArchiveItemId, BorrowingId, PersonId, Timestamp};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct BorrowingRow {
    pub borrowing_id: i64,
    pub item_id: i64,
    pub archive_code: String,
    pub title: String,
    pub borrower_id: i64,
    pub borrower_name: String,
    pub purpose: String,
    pub state: String,
    pub return_by: Option<String>,
    pub decided_by_name: Option<String>,
    pub reject_reason: Option<String>,
    pub returned_at: Option<i64>,
    pub created_at: i64,
    pub version: i64,
}

const SELECT_BORROWING: &str = "SELECT b.borrowing_id, b.item_id, i.archive_code, i.title, b.borrower_id,
    bp.name AS borrower_name, b.purpose, b.state, b.return_by, dp.name AS decided_by_name, b.reject_reason,
    b.returned_at, b.created_at, b.version
    FROM archive_borrowings b JOIN archive_items i ON i.item_id = b.item_id
    JOIN people bp ON bp.person_id = b.borrower_id LEFT JOIN people dp ON dp.person_id = b.decided_by";

pub(super) async fn insert_borrowing(
    tx: &mut Tx,
    item: ArchiveItemId,
    borrower: PersonId,
    purpose: &str,
    now: Timestamp,
) -> DbResult<BorrowingId> {
    tx.insert_returning_id(
        "INSERT INTO archive_borrowings (item_id, borrower_id, purpose, state, created_at)
         VALUES ($1, $2, $3, 'requested', $4) RETURNING borrowing_id",
        args![item, borrower, purpose, now],
    )
    .await
    .map(BorrowingId)
}

pub(super) async fn get_borrowing_tx(tx: &mut Tx, id: BorrowingId) -> DbResult<Option<BorrowingRow>> {
    tx.fetch_optional(&format!("{SELECT_BORROWING} WHERE b.borrowing_id = $1"), args![id]).await
}

pub(super) async fn get_borrowing(db: &Db, id: BorrowingId) -> DbResult<Option<BorrowingRow>> {
    db.fetch_optional(&format!("{SELECT_BORROWING} WHERE b.borrowing_id = $1"), args![id]).await
}

/// Every loan (for the archives' keepers) or one person's.
pub(super) async fn borrowings(db: &Db, borrower: Option<PersonId>) -> DbResult<Vec<BorrowingRow>> {
    match borrower {
        Some(p) => {
            db.fetch_all(&format!("{SELECT_BORROWING} WHERE b.borrower_id = $1 ORDER BY b.borrowing_id DESC"), args![p])
                .await
        }
        None => db.fetch_all(&format!("{SELECT_BORROWING} ORDER BY b.borrowing_id DESC"), args![]).await,
    }
}

pub(super) async fn has_loan(db: &Db, item: ArchiveItemId, person: PersonId) -> DbResult<bool> {
    let row: Option<(i64,)> = db
        .fetch_optional(
            "SELECT borrowing_id FROM archive_borrowings WHERE item_id = $1 AND borrower_id = $2 AND state = 'lent'",
            args![item, person],
        )
        .await?;
    Ok(row.is_some())
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn set_borrowing(
    tx: &mut Tx,
    id: BorrowingId,
    state: &str,
    return_by: Option<String>,
    by: Option<PersonId>,
    reject_reason: Option<&str>,
    returned_at: Option<Timestamp>,
    now: Timestamp,
    version: i64,
) -> ServiceResult<()> {
    let n = tx
        .execute(
            "UPDATE archive_borrowings SET state = $1, return_by = COALESCE($2, return_by),
             decided_by = COALESCE($3, decided_by), reject_reason = $4, returned_at = $5,
             decided_at = COALESCE(decided_at, $6), version = version + 1
             WHERE borrowing_id = $7 AND version = $8",
            args![state, return_by, by, reject_reason, returned_at, now, id, version],
        )
        .await?;
    if n == 0 { Err(changed()) } else { Ok(()) }
}
