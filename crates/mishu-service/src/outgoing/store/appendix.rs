//! SQL for what follows the body (attachments, the 附注) and for the copy register (份号).

use crate::args;
use crate::db::{Db, DbResult, Tx};
use mishu_domain::{OutgoingId, PersonId, Timestamp};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AttachmentRow {
    pub attachment_id: i64,
    pub position: i64,
    pub title: String,
    /// Empty when the attachment travels separately (named, not printed).
    pub body: String,
    pub added_by_name: String,
    pub added_at: i64,
}

/// One printed copy of a classified document, as the register holds it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CopyRow {
    pub copy_no: i64,
    pub state: String,
    pub holder: String,
    pub prints: i64,
    pub note: String,
    pub updated_by_name: String,
    pub updated_at: i64,
}

pub(in crate::outgoing) async fn attachments(db: &Db, id: OutgoingId) -> DbResult<Vec<AttachmentRow>> {
    db.fetch_all(
        "SELECT a.attachment_id, a.position, a.title, a.body, p.name AS added_by_name, a.added_at
         FROM outgoing_attachments a JOIN people p ON p.person_id = a.added_by
         WHERE a.outgoing_id = $1 ORDER BY a.position, a.attachment_id",
        args![id],
    )
    .await
}

/// Appends an attachment after the last one; answers its id and how many there are now.
pub(in crate::outgoing) async fn insert_attachment(
    tx: &mut Tx,
    id: OutgoingId,
    title: &str,
    body: &str,
    by: PersonId,
    now: Timestamp,
) -> DbResult<(i64, i64)> {
    let (count, last): (i64, Option<i64>) = tx
        .fetch_one("SELECT COUNT(*), MAX(position) FROM outgoing_attachments WHERE outgoing_id = $1", args![id])
        .await?;
    let attachment = tx
        .insert_returning_id(
            "INSERT INTO outgoing_attachments (outgoing_id, position, title, body, added_by, added_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING attachment_id",
            args![id, last.unwrap_or(0) + 1, title, body, by, now],
        )
        .await?;
    tx.execute("UPDATE outgoing_documents SET updated_at = $1 WHERE outgoing_id = $2", args![now, id]).await?;
    Ok((attachment, count + 1))
}

/// Removes one attachment; the rest keep their order (the 附件说明 numbers them afresh).
pub(in crate::outgoing) async fn delete_attachment(
    tx: &mut Tx,
    id: OutgoingId,
    attachment: i64,
    now: Timestamp,
) -> DbResult<Option<String>> {
    let title: Option<(String,)> = tx
        .fetch_optional(
            "SELECT title FROM outgoing_attachments WHERE attachment_id = $1 AND outgoing_id = $2",
            args![attachment, id],
        )
        .await?;
    if title.is_some() {
        tx.execute("DELETE FROM outgoing_attachments WHERE attachment_id = $1", args![attachment]).await?;
        tx.execute("UPDATE outgoing_documents SET updated_at = $1 WHERE outgoing_id = $2", args![now, id]).await?;
    }
    Ok(title.map(|t| t.0))
}

pub(in crate::outgoing) async fn set_annotation(
    tx: &mut Tx,
    id: OutgoingId,
    text: &str,
    now: Timestamp,
) -> DbResult<u64> {
    tx.execute(
        "UPDATE outgoing_documents SET annotation = $1, updated_at = $2 WHERE outgoing_id = $3",
        args![text, now, id],
    )
    .await
}

const COPY_SELECT: &str =
    "SELECT c.copy_no, c.state, c.holder, c.prints, c.note, p.name AS updated_by_name, c.updated_at
    FROM outgoing_copies c JOIN people p ON p.person_id = c.updated_by";

pub(in crate::outgoing) async fn copies(db: &Db, id: OutgoingId) -> DbResult<Vec<CopyRow>> {
    db.fetch_all(&format!("{COPY_SELECT} WHERE c.outgoing_id = $1 ORDER BY c.copy_no"), args![id]).await
}

/// Takes the document's row lock first (PostgreSQL; SQLite's write transaction holds the
/// database already), so two offices printing the same copy at once are served in turn and
/// the second sees the first's print instead of failing on the primary key.
pub(in crate::outgoing) async fn lock_document(tx: &mut Tx, id: OutgoingId, now: Timestamp) -> DbResult<u64> {
    tx.execute("UPDATE outgoing_documents SET updated_at = $1 WHERE outgoing_id = $2", args![now, id]).await
}

/// The copy's row, read inside the transaction that changes it.
pub(in crate::outgoing) async fn copy_state(tx: &mut Tx, id: OutgoingId, n: i64) -> DbResult<Option<CopyRow>> {
    tx.fetch_optional(&format!("{COPY_SELECT} WHERE c.outgoing_id = $1 AND c.copy_no = $2"), args![id, n]).await
}

/// Writes the copy's new state. `printed` counts one more print; `holder` and `note` replace
/// the stored ones when given.
#[allow(clippy::too_many_arguments)]
pub(in crate::outgoing) async fn upsert_copy(
    tx: &mut Tx,
    id: OutgoingId,
    n: i64,
    state: &str,
    printed: bool,
    holder: Option<&str>,
    note: Option<&str>,
    by: PersonId,
    now: Timestamp,
) -> DbResult<u64> {
    let prints = i64::from(printed);
    let changed = tx
        .execute(
            "UPDATE outgoing_copies SET state = $1, prints = prints + $2, holder = COALESCE($3, holder),
                note = COALESCE($4, note), updated_by = $5, updated_at = $6
             WHERE outgoing_id = $7 AND copy_no = $8",
            args![state, prints, holder, note, by, now, id, n],
        )
        .await?;
    if changed > 0 {
        return Ok(changed);
    }
    tx.execute(
        "INSERT INTO outgoing_copies (outgoing_id, copy_no, state, holder, prints, note, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        args![id, n, state, holder.unwrap_or(""), prints, note.unwrap_or(""), by, now],
    )
    .await
}
