//! SQL for the archives: filed items and their files, classes, destruction records (loans
//! are in `loans_store`; the chronicle and the materials keep their few statements inline).

use crate::db::{Db, DbResult, Tx};
use crate::{ServiceError, ServiceResult, args};
use mishu_domain::labels::{Label, LabelKind};
use mishu_domain::{ArchiveItemId, DestructionId, PersonId, Timestamp};
use serde::Serialize;

/// One filed item (件) as the catalogue and its page show it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ItemRow {
    pub item_id: i64,
    pub archive_code: String,
    pub fonds: String,
    pub year: i64,
    pub retention: String,
    pub class_code: String,
    pub item_no: i64,
    pub source_kind: String,
    pub source_id: i64,
    pub title: String,
    pub doc_number: String,
    pub responsible: String,
    pub doc_date: String,
    pub doc_type: String,
    pub classification: String,
    pub pages: i64,
    pub note: String,
    pub filed_by_name: String,
    pub filed_at: i64,
    pub destroyed_at: Option<i64>,
    /// The label's HMAC-SM3 (T18); checked, never shown.
    #[serde(skip)]
    pub label_mac: Option<String>,
}

impl ItemRow {
    /// The security label as stored, for its MAC (an item keeps only its 密级).
    pub fn label(&self) -> Label<'_> {
        Label {
            kind: LabelKind::ArchiveItem,
            id: self.item_id,
            classification: &self.classification,
            secrecy_period: "",
            copy_no: "",
        }
    }

    /// 日期 as the catalogue prints it: eight digits, YYYYMMDD (DA/T 22).
    pub fn date8(&self) -> String {
        self.doc_date.replace('-', "")
    }
}

const SELECT_ITEM: &str = "SELECT i.item_id, i.archive_code, i.fonds, i.year, i.retention, i.class_code, i.item_no,
    i.source_kind, i.source_id, i.title, i.doc_number, i.responsible, i.doc_date, i.doc_type, i.classification,
    i.pages, i.note, p.name AS filed_by_name, i.filed_at, i.destroyed_at, i.label_mac
    FROM archive_items i JOIN people p ON p.person_id = i.filed_by";

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct FileRow {
    pub file_id: i64,
    pub item_id: i64,
    pub storage_key: Option<String>,
    pub filename: String,
    pub kind: String,
    pub size_bytes: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ClassRow {
    pub code: String,
    pub name: String,
}

/// The values of a new item row.
pub(super) struct NewItem<'a> {
    pub code: &'a str,
    pub fonds: &'a str,
    pub year: i32,
    pub retention: &'a str,
    pub class_code: &'a str,
    pub item_no: u32,
    pub source_kind: &'a str,
    pub source_id: i64,
    pub title: &'a str,
    pub doc_number: &'a str,
    pub responsible: &'a str,
    pub doc_date: &'a str,
    pub doc_type: &'a str,
    pub classification: &'a str,
    pub pages: i64,
    pub department_id: Option<i64>,
    pub note: &'a str,
    pub route_json: &'a str,
}

/// Inserts the item and seals its label (T18) in the same transaction.
pub(super) async fn insert_item(
    tx: &mut Tx,
    key: &[u8],
    n: &NewItem<'_>,
    by: PersonId,
    now: Timestamp,
) -> DbResult<ArchiveItemId> {
    let id = tx.insert_returning_id(
        "INSERT INTO archive_items (archive_code, fonds, year, retention, class_code, item_no, source_kind, source_id,
         title, doc_number, responsible, doc_date, doc_type, classification, pages, department_id, note, route_json,
         filed_by, filed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
         RETURNING item_id",
        args![
            n.code,
            n.fonds,
            n.year,
            n.retention,
            n.class_code,
            n.item_no,
            n.source_kind,
            n.source_id,
            n.title,
            n.doc_number,
            n.responsible,
            n.doc_date,
            n.doc_type,
            n.classification,
            n.pages,
            n.department_id,
            n.note,
            n.route_json,
            by,
            now
        ],
    )
    .await?;
    let label =
        Label { kind: LabelKind::ArchiveItem, id, classification: n.classification, secrecy_period: "", copy_no: "" };
    crate::labels::seal(tx, key, &label).await?;
    Ok(ArchiveItemId(id))
}

pub(super) async fn insert_file(
    tx: &mut Tx,
    item: ArchiveItemId,
    key: &str,
    filename: &str,
    kind: &str,
    size: i64,
    order: i64,
) -> DbResult<()> {
    tx.execute(
        "INSERT INTO archive_files (item_id, storage_key, filename, kind, size_bytes, sort_order)
         VALUES ($1, $2, $3, $4, $5, $6)",
        args![item, key, filename, kind, size, order],
    )
    .await
    .map(|_| ())
}

/// Takes the next number of a named counter inside `tx` (the row stays locked until commit,
/// like `audit_head`), so parallel filings in one class get 1, 2, 3… with no gap or repeat.
pub(super) async fn next_counter(tx: &mut Tx, name: &str) -> DbResult<i64> {
    tx.execute("INSERT INTO counters (name, value) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING", args![name]).await?;
    tx.fetch_one::<(i64,)>("UPDATE counters SET value = value + 1 WHERE name = $1 RETURNING value", args![name])
        .await
        .map(|(v,)| v)
}

pub(super) async fn item_of_source(tx: &mut Tx, kind: &str, id: i64) -> DbResult<Option<(String,)>> {
    tx.fetch_optional(
        "SELECT archive_code FROM archive_items WHERE source_kind = $1 AND source_id = $2",
        args![kind, id],
    )
    .await
}

pub(super) async fn code_taken(tx: &mut Tx, code: &str) -> DbResult<bool> {
    let row: Option<(i64,)> =
        tx.fetch_optional("SELECT item_id FROM archive_items WHERE archive_code = $1", args![code]).await?;
    Ok(row.is_some())
}

pub(super) async fn get_item(db: &Db, id: ArchiveItemId) -> DbResult<Option<ItemRow>> {
    db.fetch_optional(&format!("{SELECT_ITEM} WHERE i.item_id = $1"), args![id]).await
}

pub(super) async fn get_item_tx(tx: &mut Tx, id: ArchiveItemId) -> DbResult<Option<ItemRow>> {
    tx.fetch_optional(&format!("{SELECT_ITEM} WHERE i.item_id = $1"), args![id]).await
}

pub(super) async fn route_json(db: &Db, id: ArchiveItemId) -> DbResult<String> {
    let (r,): (String,) = db.fetch_one("SELECT route_json FROM archive_items WHERE item_id = $1", args![id]).await?;
    Ok(r)
}

/// The catalogue's order: year, retention, class, 件号.
pub(super) async fn items_of_year(db: &Db, year: i32) -> DbResult<Vec<ItemRow>> {
    db.fetch_all(&format!("{SELECT_ITEM} WHERE i.year = $1 ORDER BY i.retention, i.class_code, i.item_no"), args![year])
        .await
}

pub(super) async fn years(db: &Db) -> DbResult<Vec<i64>> {
    let rows: Vec<(i64,)> = db.fetch_all("SELECT DISTINCT year FROM archive_items ORDER BY year DESC", args![]).await?;
    Ok(rows.into_iter().map(|(y,)| y).collect())
}

pub(super) async fn files_of(db: &Db, id: ArchiveItemId) -> DbResult<Vec<FileRow>> {
    db.fetch_all(
        "SELECT file_id, item_id, storage_key, filename, kind, size_bytes FROM archive_files
         WHERE item_id = $1 ORDER BY sort_order",
        args![id],
    )
    .await
}

pub(super) async fn files_of_tx(tx: &mut Tx, id: ArchiveItemId) -> DbResult<Vec<FileRow>> {
    tx.fetch_all(
        "SELECT file_id, item_id, storage_key, filename, kind, size_bytes FROM archive_files
         WHERE item_id = $1 ORDER BY sort_order",
        args![id],
    )
    .await
}

pub(super) async fn classes(db: &Db) -> DbResult<Vec<ClassRow>> {
    db.fetch_all("SELECT code, name FROM archive_classes ORDER BY code", args![]).await
}

pub(super) async fn class_exists(tx: &mut Tx, code: &str) -> DbResult<bool> {
    let row: Option<(String,)> =
        tx.fetch_optional("SELECT code FROM archive_classes WHERE code = $1", args![code]).await?;
    Ok(row.is_some())
}

pub(super) async fn upsert_class(tx: &mut Tx, code: &str, name: &str, now: Timestamp) -> DbResult<()> {
    tx.execute(
        "INSERT INTO archive_classes (code, name, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (code) DO UPDATE SET name = excluded.name",
        args![code, name, now],
    )
    .await
    .map(|_| ())
}

// ---- destruction ----

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DestructionRow {
    pub destruction_id: i64,
    pub item_id: i64,
    pub archive_code: String,
    pub title: String,
    pub state: String,
    pub reason: String,
    pub proposed_by: i64,
    pub proposed_by_name: String,
    pub proposed_at: i64,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<i64>,
    pub reject_reason: Option<String>,
    pub destroyed_by_name: Option<String>,
    pub destroyed_at: Option<i64>,
    pub files_removed: i64,
    pub version: i64,
}

const SELECT_DESTRUCTION: &str = "SELECT d.destruction_id, d.item_id, i.archive_code, i.title, d.state, d.reason,
    d.proposed_by, pp.name AS proposed_by_name, d.proposed_at, dp.name AS decided_by_name, d.decided_at,
    d.reject_reason, xp.name AS destroyed_by_name, d.destroyed_at, d.files_removed, d.version
    FROM archive_destructions d JOIN archive_items i ON i.item_id = d.item_id
    JOIN people pp ON pp.person_id = d.proposed_by
    LEFT JOIN people dp ON dp.person_id = d.decided_by
    LEFT JOIN people xp ON xp.person_id = d.destroyed_by";

pub(super) async fn open_destruction_of(tx: &mut Tx, item: ArchiveItemId) -> DbResult<Option<(i64,)>> {
    tx.fetch_optional(
        "SELECT destruction_id FROM archive_destructions WHERE item_id = $1 AND state IN ('proposed', 'approved')",
        args![item],
    )
    .await
}

pub(super) async fn insert_destruction(
    tx: &mut Tx,
    item: ArchiveItemId,
    reason: &str,
    by: PersonId,
    now: Timestamp,
) -> DbResult<DestructionId> {
    tx.insert_returning_id(
        "INSERT INTO archive_destructions (item_id, state, reason, proposed_by, proposed_at)
         VALUES ($1, 'proposed', $2, $3, $4) RETURNING destruction_id",
        args![item, reason, by, now],
    )
    .await
    .map(DestructionId)
}

pub(super) async fn get_destruction_tx(tx: &mut Tx, id: DestructionId) -> DbResult<Option<DestructionRow>> {
    tx.fetch_optional(&format!("{SELECT_DESTRUCTION} WHERE d.destruction_id = $1"), args![id]).await
}

pub(super) async fn destructions(db: &Db) -> DbResult<Vec<DestructionRow>> {
    db.fetch_all(&format!("{SELECT_DESTRUCTION} ORDER BY d.destruction_id DESC"), args![]).await
}

pub(super) async fn set_destruction_decided(
    tx: &mut Tx,
    id: DestructionId,
    state: &str,
    by: PersonId,
    reject_reason: Option<&str>,
    now: Timestamp,
    version: i64,
) -> ServiceResult<()> {
    let n = tx
        .execute(
            "UPDATE archive_destructions SET state = $1, decided_by = $2, reject_reason = $3, decided_at = $4,
             version = version + 1 WHERE destruction_id = $5 AND version = $6",
            args![state, by, reject_reason, now, id, version],
        )
        .await?;
    if n == 0 { Err(changed()) } else { Ok(()) }
}

pub(super) async fn set_destroyed(
    tx: &mut Tx,
    id: DestructionId,
    item: ArchiveItemId,
    by: PersonId,
    files: i64,
    now: Timestamp,
    version: i64,
) -> ServiceResult<()> {
    let n = tx
        .execute(
            "UPDATE archive_destructions SET state = 'destroyed', destroyed_by = $1, destroyed_at = $2,
             files_removed = $3, version = version + 1 WHERE destruction_id = $4 AND version = $5 AND state = 'approved'",
            args![by, now, files, id, version],
        )
        .await?;
    if n == 0 {
        return Err(changed());
    }
    tx.execute("UPDATE archive_files SET storage_key = NULL WHERE item_id = $1", args![item]).await?;
    tx.execute("UPDATE archive_items SET destroyed_at = $1 WHERE item_id = $2", args![now, item]).await?;
    Ok(())
}

pub(super) fn changed() -> ServiceError {
    ServiceError::Conflict("this record changed meanwhile; reload".into())
}

/// The archives' keepers: people holding the archivist role, else the office head.
pub(super) async fn keepers(db: &Db) -> DbResult<Vec<PersonId>> {
    let rows: Vec<(i64,)> = db
        .fetch_all(
            "SELECT p.person_id FROM person_roles r JOIN people p ON p.person_id = r.person_id
             WHERE r.role IN ('archivist', 'office_head') AND p.active AND p.admin_kind IS NULL
             ORDER BY CASE WHEN r.role = 'archivist' THEN 0 ELSE 1 END, p.person_id",
            args![],
        )
        .await?;
    Ok(rows.into_iter().map(|(p,)| PersonId(p)).collect())
}
