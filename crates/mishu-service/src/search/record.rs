//! The change record's upkeep: pruning it, asking every node to rebuild (both through one
//! watermark), and this node's standing against it. Every searchable write appends a row to
//! `search_changes`, so without pruning it grows for ever. Changes older than `KEEP_DAYS` are
//! deleted and the highest deleted number is kept as the watermark: a node whose cursor is
//! below it (offline that long, or restored from an old index) missed changes it can no longer
//! read, and rebuilds its index instead of applying a record with a hole in it. A rebuild
//! request raises the watermark to a marker appended for the purpose, so every node rebuilds
//! while serving.

use crate::audit::{self, Origin};
use crate::db::{Db, DbResult, Tx};
use crate::{ServiceResult, Services, args, settings};
use mishu_domain::Timestamp;
use mishu_domain::audit::AuditEvent;

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
    raise(&mut tx, last, now).await?;
    tx.commit().await?;
    Ok(removed)
}

/// The domain code of the marker a rebuild request appends; appliers skip it.
pub(crate) const REBUILD_MARK: &str = "rebuild";

/// Asks every node to rebuild its index from the database, without stopping any (after a
/// change to what is indexed that the schema version does not capture, or an index suspected
/// damaged): a marker is appended to the change record and the watermark raised to it, so
/// each node finds its cursor below and rebuilds at its next apply. Audited. Returns the
/// marker's number.
pub async fn request_rebuild(s: &Services, origin: &Origin) -> ServiceResult<i64> {
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    // The audit append locks the audit head first, so the marker's number is taken in commit
    // order, as every change's is (see `touch`).
    let event = AuditEvent::new("search.rebuild_requested", "search_index", None, serde_json::json!({}));
    audit::append(&mut tx, &s.audit_key, origin, now, &event).await?;
    let (mark,): (i64,) = tx
        .fetch_one(
            "INSERT INTO search_changes (domain, subject_id, at) VALUES ($1, 0, $2) RETURNING seq",
            args![REBUILD_MARK, now],
        )
        .await?;
    raise(&mut tx, mark, now).await?;
    tx.commit().await?;
    Ok(mark)
}

/// Moves the watermark up to `to`, never down.
async fn raise(tx: &mut Tx, to: i64, now: Timestamp) -> DbResult<()> {
    let before: i64 = settings::get_tx(tx, WATERMARK).await?;
    settings::put(tx, WATERMARK, &to.max(before), now).await
}

/// The highest change number deleted so far (0 when none was).
pub(crate) async fn watermark(db: &Db) -> DbResult<i64> {
    settings::get::<i64>(db, WATERMARK).await
}

/// This node's index against the change record, for the system administrator's page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexStatus {
    /// The folder (or "memory") of this node's index.
    pub location: String,
    /// Objects in this node's index.
    pub documents: u64,
    /// The last change this node applied; `None` while it has never been built.
    pub cursor: Option<i64>,
    /// The last change recorded by any node.
    pub latest: Option<i64>,
    /// Changes kept in the record (the rest were pruned).
    pub kept: i64,
    /// The highest change pruned or passed over by a rebuild request.
    pub watermark: i64,
}

impl IndexStatus {
    /// Changes recorded that this node has not applied yet (seconds' worth while it serves).
    pub fn behind(&self) -> i64 {
        (self.latest.unwrap_or(0) - self.cursor.unwrap_or(0)).max(0)
    }

    /// Whether this node will rebuild at its next apply (never built, or a request pending).
    pub fn rebuild_pending(&self) -> bool {
        self.cursor.is_none_or(|c| c < self.watermark)
    }
}

pub async fn status(s: &Services) -> ServiceResult<IndexStatus> {
    let (latest, kept): (Option<i64>, i64) =
        s.db.fetch_one("SELECT MAX(seq), COUNT(*) FROM search_changes", args![]).await?;
    Ok(IndexStatus {
        location: s.search.location().to_string(),
        documents: s.search.documents(),
        cursor: s.search.cursor(),
        latest,
        kept,
        watermark: watermark(&s.db).await?,
    })
}
