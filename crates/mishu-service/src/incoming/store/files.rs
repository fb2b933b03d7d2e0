//! SQL for a document's attachments: the rows that name files kept under `<data_dir>/files/`.

use crate::args;
use crate::db::{Db, DbResult, Tx};
use mishu_domain::{IncomingId, PersonId, Timestamp};
use serde::Serialize;

/// One attachment, as the document page lists it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct FileRow {
    pub file_id: i64,
    pub incoming_id: i64,
    pub step_id: Option<i64>,
    #[serde(skip)]
    pub storage_key: String,
    pub filename: String,
    pub kind: String,
    pub size_bytes: i64,
    pub uploaded_by: i64,
    pub uploaded_by_name: String,
    pub uploaded_at: i64,
}

const SELECT: &str = "SELECT f.file_id, f.incoming_id, f.step_id, f.storage_key, f.filename, f.kind, f.size_bytes,
    f.uploaded_by, p.name AS uploaded_by_name, f.uploaded_at
    FROM incoming_files f JOIN people p ON p.person_id = f.uploaded_by";

#[allow(clippy::too_many_arguments)]
pub(in crate::incoming) async fn insert_file(
    tx: &mut Tx,
    id: IncomingId,
    step: Option<i64>,
    key: &str,
    filename: &str,
    kind: &str,
    size: i64,
    by: PersonId,
    now: Timestamp,
) -> DbResult<i64> {
    tx.insert_returning_id(
        "INSERT INTO incoming_files (incoming_id, step_id, storage_key, filename, kind, size_bytes, uploaded_by, uploaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING file_id",
        args![id, step, key, filename, kind, size, by, now],
    )
    .await
}

pub(in crate::incoming) async fn files(db: &Db, id: IncomingId) -> DbResult<Vec<FileRow>> {
    db.fetch_all(&format!("{SELECT} WHERE f.incoming_id = $1 ORDER BY f.file_id"), args![id]).await
}
