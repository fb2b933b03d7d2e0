//! Pruning the change record. Every searchable write appends a row to `search_changes`, so
//! without pruning it grows for ever. Changes older than `KEEP_DAYS` are deleted and the
//! highest deleted number is kept as a watermark: a node whose cursor is below it (offline
//! that long, or restored from an old index) missed changes it can no longer read, and
//! rebuilds its index instead of applying a record with a hole in it.

use crate::db::{Db, DbResult};
use crate::{ServiceResult, Services, args, settings};
use mishu_domain::Timestamp;

/// How long a change stays readable: the longest a node may be away and still catch up by
/// applying changes rather than rebuilding.
pub const KEEP_DAYS: i64 = 30;

const WATERMARK: &str = "search.pruned_through";

/// Deletes the changes recorded more than `KEEP_DAYS` ago; returns how many. Safe on several
/// nodes at once and beside appliers (see `apply_changes_now` for the order of its reads).
pub async fn prune(s: &Services) -> ServiceResult<u64> {
    let now = s.clock.now();
    let cutoff = Timestamp(now.0 - KEEP_DAYS * 86_400_000);
    let mut tx = s.db.begin().await?;
    let (last,): (Option<i64>,) =
        tx.fetch_one("SELECT MAX(seq) FROM search_changes WHERE at < $1", args![cutoff]).await?;
    let Some(last) = last else { return Ok(0) };
    let removed = tx.execute("DELETE FROM search_changes WHERE seq <= $1", args![last]).await?;
    let before: Option<(String,)> =
        tx.fetch_optional("SELECT value FROM settings WHERE key = $1", args![WATERMARK]).await?;
    let before = before.and_then(|(v,)| v.parse::<i64>().ok()).unwrap_or(0);
    settings::put(&mut tx, WATERMARK, &last.max(before), now).await?;
    tx.commit().await?;
    Ok(removed)
}

/// The highest change number deleted so far (0 when none was).
pub(crate) async fn watermark(db: &Db) -> DbResult<i64> {
    settings::get::<i64>(db, WATERMARK).await
}
