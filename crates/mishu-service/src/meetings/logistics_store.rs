//! SQL for a meeting's logistics checklist (会务保障清单).

use crate::args;
use crate::db::{Db, DbResult, Tx};
use mishu_domain::meetings::logistics::ItemContent;
use mishu_domain::{LogisticsItemId, MeetingId, PersonId, Timestamp};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct LogisticsRow {
    pub item_id: i64,
    pub meeting_id: i64,
    pub kind: String,
    pub note: String,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    pub due_at: i64,
    /// `open`, `done` or `not_needed`.
    pub state: String,
    pub closed_by: Option<i64>,
    pub closed_by_name: Option<String>,
    pub closed_at: Option<i64>,
    pub created_at: i64,
    pub version: i64,
}

const ITEM: &str = "SELECT l.item_id, l.meeting_id, l.kind, l.note, l.owner_id, o.name AS owner_name, l.due_at,
    l.state, l.closed_by, c.name AS closed_by_name, l.closed_at, l.created_at, l.version
    FROM meeting_logistics l LEFT JOIN people o ON o.person_id = l.owner_id
    LEFT JOIN people c ON c.person_id = l.closed_by";

pub(super) async fn items(db: &Db, m: MeetingId) -> DbResult<Vec<LogisticsRow>> {
    db.fetch_all(&format!("{ITEM} WHERE l.meeting_id = $1 ORDER BY l.due_at, l.item_id"), args![m]).await
}

pub(super) async fn item(db: &Db, id: LogisticsItemId) -> DbResult<Option<LogisticsRow>> {
    db.fetch_optional(&format!("{ITEM} WHERE l.item_id = $1"), args![id]).await
}

pub(super) async fn item_tx(tx: &mut Tx, id: LogisticsItemId) -> DbResult<Option<LogisticsRow>> {
    tx.fetch_optional(&format!("{ITEM} WHERE l.item_id = $1"), args![id]).await
}

/// An active person (an owner or a new attendee must be one).
pub(super) async fn person_active(tx: &mut Tx, p: PersonId) -> DbResult<bool> {
    let row: Option<(i64,)> =
        tx.fetch_optional("SELECT person_id FROM people WHERE person_id = $1 AND active", args![p]).await?;
    Ok(row.is_some())
}

pub(super) async fn insert(
    tx: &mut Tx,
    m: MeetingId,
    c: &ItemContent,
    owner: Option<PersonId>,
    by: PersonId,
    now: Timestamp,
) -> DbResult<LogisticsItemId> {
    tx.insert_returning_id(
        "INSERT INTO meeting_logistics (meeting_id, kind, note, owner_id, due_at, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING item_id",
        args![m, c.kind.code(), c.note.as_str(), owner, c.due_at, by, now],
    )
    .await
    .map(LogisticsItemId)
}

/// Changes an open item's content; 0 rows when it changed meanwhile.
pub(super) async fn update(
    tx: &mut Tx,
    id: LogisticsItemId,
    version: i64,
    c: &ItemContent,
    owner: Option<PersonId>,
) -> DbResult<u64> {
    tx.execute(
        "UPDATE meeting_logistics SET kind = $1, note = $2, owner_id = $3, due_at = $4, version = version + 1
         WHERE item_id = $5 AND version = $6",
        args![c.kind.code(), c.note.as_str(), owner, c.due_at, id, version],
    )
    .await
}

/// Moves an item to a state (who closed it and when, or none when reopened); 0 rows when it
/// changed meanwhile.
pub(super) async fn set_state(
    tx: &mut Tx,
    id: LogisticsItemId,
    version: i64,
    state: &str,
    closed: Option<(PersonId, Timestamp)>,
) -> DbResult<u64> {
    tx.execute(
        "UPDATE meeting_logistics SET state = $1, closed_by = $2, closed_at = $3, version = version + 1
         WHERE item_id = $4 AND version = $5",
        args![state, closed.map(|c| c.0), closed.map(|c| c.1), id, version],
    )
    .await
}

/// The open items of a meeting (their tasks follow the meeting when it moves or is called off).
pub(super) async fn open_items(tx: &mut Tx, m: i64) -> DbResult<Vec<(i64, i64)>> {
    tx.fetch_all(
        "SELECT item_id, due_at FROM meeting_logistics WHERE meeting_id = $1 AND state = 'open' ORDER BY item_id",
        args![m],
    )
    .await
}

pub(super) async fn set_due(tx: &mut Tx, id: i64, due: Timestamp) -> DbResult<u64> {
    tx.execute("UPDATE meeting_logistics SET due_at = $1 WHERE item_id = $2", args![due, id]).await
}
