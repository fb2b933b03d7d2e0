//! SQL for the weekly arrangement: leaders' activities, published versions with their frozen
//! entries, and the changes each re-publication found.

use crate::args;
use crate::db::{Db, DbResult, Tx};
use mishu_domain::meetings::arrangement::{Change, Entry};
use mishu_domain::{PersonId, Timestamp};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ActivityRow {
    pub activity_id: i64,
    pub leader_id: i64,
    pub leader_name: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub place: String,
    pub what: String,
    pub state: String,
    pub version: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct VersionRow {
    pub version_id: i64,
    pub week_start: i64,
    pub number: i64,
    pub published_by: i64,
    pub publisher_name: String,
    pub published_at: i64,
    pub due_at: i64,
}

impl VersionRow {
    /// Published after the Friday cut-off (R5.3) that the week's sheet was due by.
    pub fn late(&self) -> bool {
        self.published_at > self.due_at
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ChangeRow {
    pub change_id: i64,
    pub version_id: i64,
    pub number: i64,
    pub entry_key: String,
    pub kind: String,
    pub before_text: String,
    pub after_text: String,
    pub people: String,
    pub created_at: i64,
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    entry_key: String,
    source: String,
    source_id: i64,
    meeting_id: Option<i64>,
    starts_at: i64,
    ends_at: i64,
    title: String,
    place: String,
    chair: String,
    attendee_names: String,
    people: String,
    leaders: String,
    leader_names: String,
}

fn ids(csv: &str) -> Vec<i64> {
    csv.split(',').filter_map(|s| s.trim().parse().ok()).collect()
}

fn csv(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

impl From<EntryRow> for Entry {
    fn from(r: EntryRow) -> Self {
        Entry {
            key: r.entry_key,
            source: r.source,
            source_id: r.source_id,
            meeting_id: r.meeting_id,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            title: r.title,
            place: r.place,
            chair: r.chair,
            attendee_names: r.attendee_names,
            people: ids(&r.people),
            leaders: ids(&r.leaders),
            leader_names: r.leader_names.split('、').filter(|s| !s.is_empty()).map(String::from).collect(),
        }
    }
}

const ACTIVITY: &str =
    "SELECT a.activity_id, a.leader_id, p.name AS leader_name, a.starts_at, a.ends_at, a.place, a.what,
    a.state, a.version FROM leader_activities a JOIN people p ON p.person_id = a.leader_id";

const VERSION: &str = "SELECT v.version_id, v.week_start, v.number, v.published_by, p.name AS publisher_name,
    v.published_at, v.due_at FROM arrangement_versions v JOIN people p ON p.person_id = v.published_by";

/// Active people holding the leader role, in the organ's order.
pub(super) async fn leaders(db: &Db) -> DbResult<Vec<(i64, String)>> {
    db.fetch_all(
        "SELECT p.person_id, p.name FROM people p WHERE p.active AND EXISTS
         (SELECT 1 FROM person_roles r WHERE r.person_id = p.person_id AND r.role = 'leader')
         ORDER BY p.sort_order, p.person_id",
        args![],
    )
    .await
}

/// (meeting, person, name) for every attendee of a meeting starting in [from, to).
pub(super) async fn attendees_between(db: &Db, from: Timestamp, to: Timestamp) -> DbResult<Vec<(i64, i64, String)>> {
    db.fetch_all(
        "SELECT a.meeting_id, a.person_id, p.name FROM meeting_attendees a
         JOIN meetings m ON m.meeting_id = a.meeting_id JOIN people p ON p.person_id = a.person_id
         WHERE m.starts_at >= $1 AND m.starts_at < $2 ORDER BY a.meeting_id, p.sort_order, p.person_id",
        args![from, to],
    )
    .await
}

pub(super) async fn activities_between(db: &Db, from: Timestamp, to: Timestamp) -> DbResult<Vec<ActivityRow>> {
    db.fetch_all(
        &format!(
            "{ACTIVITY} WHERE a.state = 'active' AND a.starts_at >= $1 AND a.starts_at < $2
             ORDER BY a.starts_at, a.activity_id"
        ),
        args![from, to],
    )
    .await
}

pub(super) async fn activity_tx(tx: &mut Tx, id: i64) -> DbResult<Option<ActivityRow>> {
    tx.fetch_optional(&format!("{ACTIVITY} WHERE a.activity_id = $1"), args![id]).await
}

pub(super) struct ActivityFields<'a> {
    pub leader: PersonId,
    pub from: Timestamp,
    pub to: Timestamp,
    pub place: &'a str,
    pub what: &'a str,
}

pub(super) async fn insert_activity(
    tx: &mut Tx,
    f: &ActivityFields<'_>,
    by: PersonId,
    now: Timestamp,
) -> DbResult<i64> {
    tx.insert_returning_id(
        "INSERT INTO leader_activities (leader_id, starts_at, ends_at, place, what, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING activity_id",
        args![f.leader, f.from, f.to, f.place, f.what, by, now],
    )
    .await
}

/// Rewrites an active activity; `false` when it changed meanwhile or was cancelled.
pub(super) async fn update_activity(
    tx: &mut Tx,
    id: i64,
    f: &ActivityFields<'_>,
    version: i64,
    now: Timestamp,
) -> DbResult<bool> {
    let n = tx
        .execute(
            "UPDATE leader_activities SET leader_id = $1, starts_at = $2, ends_at = $3, place = $4, what = $5,
             updated_at = $6, version = version + 1 WHERE activity_id = $7 AND version = $8 AND state = 'active'",
            args![f.leader, f.from, f.to, f.place, f.what, now, id, version],
        )
        .await?;
    Ok(n == 1)
}

pub(super) async fn cancel_activity(tx: &mut Tx, id: i64, version: i64, now: Timestamp) -> DbResult<bool> {
    let n = tx
        .execute(
            "UPDATE leader_activities SET state = 'cancelled', updated_at = $1, version = version + 1
             WHERE activity_id = $2 AND version = $3 AND state = 'active'",
            args![now, id, version],
        )
        .await?;
    Ok(n == 1)
}

pub(super) async fn versions(db: &Db, week_start: Timestamp) -> DbResult<Vec<VersionRow>> {
    db.fetch_all(&format!("{VERSION} WHERE v.week_start = $1 ORDER BY v.number DESC"), args![week_start]).await
}

pub(super) async fn version(db: &Db, id: i64) -> DbResult<Option<VersionRow>> {
    db.fetch_optional(&format!("{VERSION} WHERE v.version_id = $1"), args![id]).await
}

pub(super) async fn latest_tx(tx: &mut Tx, week_start: Timestamp) -> DbResult<Option<VersionRow>> {
    tx.fetch_optional(&format!("{VERSION} WHERE v.week_start = $1 ORDER BY v.number DESC LIMIT 1"), args![week_start])
        .await
}

const ENTRY: &str = "SELECT entry_key, source, source_id, meeting_id, starts_at, ends_at, title, place, chair,
    attendee_names, people, leaders, leader_names FROM arrangement_entries WHERE version_id = $1 ORDER BY seq";

pub(super) async fn entries(db: &Db, version: i64) -> DbResult<Vec<Entry>> {
    let rows: Vec<EntryRow> = db.fetch_all(ENTRY, args![version]).await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

pub(super) async fn entries_tx(tx: &mut Tx, version: i64) -> DbResult<Vec<Entry>> {
    let rows: Vec<EntryRow> = tx.fetch_all(ENTRY, args![version]).await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

pub(super) async fn insert_version(
    tx: &mut Tx,
    week_start: Timestamp,
    number: i64,
    by: PersonId,
    now: Timestamp,
    due: Timestamp,
) -> DbResult<i64> {
    tx.insert_returning_id(
        "INSERT INTO arrangement_versions (week_start, number, published_by, published_at, due_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING version_id",
        args![week_start, number, by, now, due],
    )
    .await
}

pub(super) async fn insert_entry(tx: &mut Tx, version: i64, seq: usize, e: &Entry) -> DbResult<()> {
    tx.execute(
        "INSERT INTO arrangement_entries (version_id, seq, entry_key, source, source_id, meeting_id, starts_at,
         ends_at, title, place, chair, attendee_names, people, leaders, leader_names)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        args![
            version,
            seq as i64,
            &e.key,
            &e.source,
            e.source_id,
            e.meeting_id,
            e.starts_at,
            e.ends_at,
            &e.title,
            &e.place,
            &e.chair,
            &e.attendee_names,
            csv(&e.people),
            csv(&e.leaders),
            e.leader_names.join("、")
        ],
    )
    .await
    .map(|_| ())
}

pub(super) async fn insert_change(
    tx: &mut Tx,
    version: i64,
    week_start: Timestamp,
    c: &Change,
    now: Timestamp,
) -> DbResult<i64> {
    tx.insert_returning_id(
        "INSERT INTO arrangement_changes (version_id, week_start, entry_key, kind, before_text, after_text, people,
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING change_id",
        args![version, week_start, &c.key, c.kind.code(), &c.before, &c.after, csv(&c.people), now],
    )
    .await
}

pub(super) async fn changes(db: &Db, week_start: Timestamp) -> DbResult<Vec<ChangeRow>> {
    db.fetch_all(
        "SELECT c.change_id, c.version_id, v.number, c.entry_key, c.kind, c.before_text, c.after_text, c.people,
         c.created_at FROM arrangement_changes c JOIN arrangement_versions v ON v.version_id = c.version_id
         WHERE c.week_start = $1 ORDER BY c.change_id DESC",
        args![week_start],
    )
    .await
}

/// Of `people`, those still active (a departed colleague is not told).
pub(super) async fn active_of(tx: &mut Tx, people: &[i64]) -> DbResult<Vec<PersonId>> {
    let mut out = Vec::new();
    for p in people {
        let row: Option<(i64,)> =
            tx.fetch_optional("SELECT person_id FROM people WHERE person_id = $1 AND active", args![*p]).await?;
        if let Some((id,)) = row {
            out.push(PersonId(id));
        }
    }
    Ok(out)
}
