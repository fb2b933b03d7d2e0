//! The node's copy of the organisation's short lists (departments, people by role, heads by
//! department), checked against `org_version` on each use: a select of three hundred
//! departments costs one one-row query instead of three hundred rows (issue 7), and a change
//! made anywhere shows on every node at once.

use crate::args;
use crate::db::{Db, DbResult};
use mishu_domain::PersonId;
use mishu_domain::access::Actor;
use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

type Entry = (i64, Arc<dyn Any + Send + Sync>);

/// Actors of one organisation version: a new version starts an empty map, so the map never
/// holds more than the people who signed in since the last change.
type Actors = (i64, HashMap<(PersonId, Option<PersonId>), Actor>);

#[derive(Default)]
pub struct OrgCache {
    entries: Mutex<HashMap<(&'static str, &'static str), Entry>>,
    actors: Mutex<Actors>,
}

impl std::fmt::Debug for OrgCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.entries.lock().map(|e| e.len()).unwrap_or(0);
        f.debug_struct("OrgCache").field("entries", &n).finish()
    }
}

/// The database's organisation version (migration 0030's triggers move it).
pub(crate) async fn version(db: &Db) -> DbResult<i64> {
    let (v,): (i64,) = db.fetch_one("SELECT version FROM org_version WHERE id = 1", args![]).await?;
    Ok(v)
}

impl OrgCache {
    /// The list under `key`, loaded again when the organisation changed since it was kept.
    /// The version is read before the list, so a kept list is never older than its version:
    /// a change in between only makes the next use load it once more.
    pub(crate) async fn get<T, F, Fut>(&self, db: &Db, key: (&'static str, &'static str), load: F) -> DbResult<T>
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = DbResult<T>>,
    {
        let now = version(db).await?;
        if let Some(v) = self.kept::<T>(key, now) {
            return Ok(v);
        }
        let value = load().await?;
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        // A slower load must not replace what a newer one kept.
        if entries.get(&key).is_none_or(|(v, _)| *v <= now) {
            entries.insert(key, (now, Arc::new(value.clone())));
        }
        Ok(value)
    }

    fn kept<T: Clone + 'static>(&self, key: (&'static str, &'static str), version: i64) -> Option<T> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let (v, value) = entries.get(&key)?;
        if *v != version {
            return None;
        }
        value.downcast_ref::<T>().cloned()
    }

    /// The actor kept for this version, if the organisation has not changed since.
    pub(crate) fn actor(&self, version: i64, id: PersonId, acting_for: Option<PersonId>) -> Option<Actor> {
        let actors = self.actors.lock().unwrap_or_else(|e| e.into_inner());
        if actors.0 != version {
            return None;
        }
        actors.1.get(&(id, acting_for)).cloned()
    }

    /// Keeps an actor read at (or after) `version`; an older version's map is dropped.
    pub(crate) fn keep_actor(&self, version: i64, id: PersonId, acting_for: Option<PersonId>, actor: Actor) {
        let mut actors = self.actors.lock().unwrap_or_else(|e| e.into_inner());
        if actors.0 < version {
            *actors = (version, HashMap::new());
        }
        if actors.0 == version {
            actors.1.insert((id, acting_for), actor);
        }
    }
}
