//! Keeping this node's index current: apply the change record from the index's own cursor
//! (re-reading each changed object from the database), or rebuild everything (`reindex`).
//! Both are idempotent, so a node that applies a change twice still converges.

use super::{Domain, SearchDoc};
use crate::{ServiceResult, Services, args};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// Changes read per commit.
const BATCH: i64 = 500;
/// Objects loaded per round trip during a rebuild.
const LOAD: usize = 200;

/// Applies every change recorded after this node's cursor; returns how many it read. An
/// index that was never built (a new node, or a new schema) is rebuilt instead.
pub async fn apply_changes_now(s: &Services) -> ServiceResult<usize> {
    let idx = &s.search;
    let guard = idx.apply.lock().await;
    let Some(mut cursor) = idx.cursor() else {
        drop(guard);
        return reindex(s, &|_, _| {}).await.map(|n| n as usize);
    };
    let mut applied = 0;
    loop {
        let rows: Vec<(i64, String, i64)> =
            s.db.fetch_all(
                "SELECT seq, domain, subject_id FROM search_changes WHERE seq > $1 ORDER BY seq LIMIT $2",
                args![cursor, BATCH],
            )
            .await?;
        // After the first batch (nothing applied yet), read the watermark: a prune that
        // deleted some of these rows before they were read (it commits its deletion and its
        // watermark together) shows here.
        if applied == 0 && cursor < super::record::watermark(&s.db).await? {
            drop(guard);
            tracing::info!(cursor, "search: the change record was pruned past this node's cursor; rebuilding");
            return reindex(s, &|_, _| {}).await.map(|n| n as usize);
        }
        let Some(last) = rows.last().map(|r| r.0) else { break };
        let mut by_domain: BTreeMap<Domain, BTreeSet<i64>> = BTreeMap::new();
        for (seq, code, id) in &rows {
            match Domain::parse(code) {
                Some(d) => {
                    by_domain.entry(d).or_default().insert(*id);
                }
                // A rebuild request's marker: the watermark has it, nothing to apply.
                None if code == super::record::REBUILD_MARK => {}
                // Written by a newer node during an upgrade; the rebuild after it catches up.
                None => tracing::warn!(seq, domain = %code, "search: a change of an unknown domain was skipped"),
            }
        }
        let mut remove = Vec::new();
        let mut docs: Vec<SearchDoc> = Vec::new();
        for (d, ids) in by_domain {
            let ids: Vec<i64> = ids.into_iter().collect();
            remove.extend(ids.iter().map(|id| (d, *id)));
            docs.extend(d.load(s, &ids).await?);
        }
        idx.write(&remove, &docs, Some(last))?;
        applied += rows.len();
        cursor = last;
        if (rows.len() as i64) < BATCH {
            break;
        }
    }
    Ok(applied)
}

/// Rebuilds the index from the database; `progress(done, total)` is told after each batch.
/// Returns the number of objects indexed. Changes recorded while it runs are applied after.
pub async fn reindex(s: &Services, progress: &(dyn Fn(u64, u64) + Send + Sync)) -> ServiceResult<u64> {
    let idx = &s.search;
    let _guard = idx.apply.lock().await;
    // Read before the objects: anything that changes later is applied again, which is harmless.
    let (cursor,): (Option<i64>,) = s.db.fetch_one("SELECT MAX(seq) FROM search_changes", args![]).await?;
    // With the whole record pruned the cursor starts at the watermark, not below it.
    let cursor = cursor.unwrap_or(0).max(super::record::watermark(&s.db).await?);
    let mut all: Vec<(Domain, Vec<i64>)> = Vec::new();
    for d in Domain::ALL {
        let mut ids = Vec::new();
        loop {
            let page = d.ids_after(&s.db, ids.last().copied().unwrap_or(0), 5_000).await?;
            if page.is_empty() {
                break;
            }
            ids.extend(page);
        }
        all.push((d, ids));
    }
    let total: u64 = all.iter().map(|(_, ids)| ids.len() as u64).sum();
    progress(0, total);
    let mut done = 0u64;
    for (d, ids) in &all {
        for chunk in ids.chunks(LOAD * 10) {
            let mut docs = Vec::with_capacity(chunk.len());
            for part in chunk.chunks(LOAD) {
                docs.extend(d.load(s, part).await?);
            }
            // In place, object by object: the rest keep answering, so a node rebuilding while it
            // serves (a rebuild request) answers searches in full throughout. Not complete yet:
            // no cursor, so a crash here means a rebuild at the next start.
            let remove: Vec<(Domain, i64)> = chunk.iter().map(|id| (*d, *id)).collect();
            idx.write(&remove, &docs, None)?;
            done += chunk.len() as u64;
            progress(done, total);
        }
    }
    // What the index still holds that the database no longer has goes in the last commit.
    let wanted: BTreeSet<(Domain, i64)> = all.iter().flat_map(|(d, ids)| ids.iter().map(|id| (*d, *id))).collect();
    let stale: Vec<(Domain, i64)> = idx.keys()?.into_iter().filter(|k| !wanted.contains(k)).collect();
    idx.write(&stale, &[], Some(cursor))?;
    idx.merge_all()?;
    Ok(done)
}

/// The node's applier: every `every`, apply what changed. Errors are logged and retried.
pub async fn run_loop(s: Services, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = apply_changes_now(&s).await {
            tracing::warn!(error = %e, "search: applying changes failed; retrying");
        }
    }
}
