//! The chronicle (大事记, R8.2): dated entries (date, event, people, source). Other domains
//! propose candidates inside their own transaction through `propose_from` (a major meeting's
//! minutes, a closed leader-assigned task, an issued decision document, an arranged reception); the secretary
//! accepts (possibly edited), edits or drops them, or types entries in.

use crate::audit::{self, Origin};
use crate::db::{DbResult, Tx};
use crate::forms::Labels;
use crate::{ServiceError, ServiceResult, Services, args};
use chrono::{Datelike, NaiveDate};
use mishu_domain::access::{Actor, Capability, allows};
use mishu_domain::archives::chronicle::{self as rules, EntryInput, EntryState, SourceKind};
use mishu_domain::audit::AuditEvent;
use mishu_domain::{BookingId, ChronicleEntryId, LeaderTaskId, MeetingId, Timestamp};
use mishu_render::{TableColumn, TableSheet};
use serde::Serialize;
use serde_json::json;

pub const DOMAIN: &str = "chronicle";

/// Where a candidate comes from. Meetings and leader tasks are read here; the outgoing
/// domain hands over what it knows (it owns its tables).
#[derive(Debug, Clone)]
pub enum CandidateSource {
    /// A meeting whose minutes were just recorded; proposed when a leader chaired it.
    Meeting(MeetingId),
    /// A leader-assigned task (督办事项) just closed.
    LeaderTask(LeaderTaskId),
    /// A booking whose visiting leaders or guests the office has just arranged to receive.
    Reception(BookingId),
    /// An issued decision document (决定, 决议, 命令…): its id in the outgoing domain and
    /// the entry as the outgoing domain words it.
    Outgoing { id: i64, date: NaiveDate, event: String, people: String, source: String },
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct EntryRow {
    pub entry_id: i64,
    pub entry_date: String,
    pub event: String,
    pub people: String,
    pub source: String,
    pub state: String,
    pub source_kind: String,
    pub source_id: Option<i64>,
    pub version: i64,
}

const SELECT: &str = "SELECT entry_id, entry_date, event, people, source, state, source_kind, source_id, version
    FROM chronicle_entries";

fn day(ms: i64) -> String {
    Timestamp(ms).local_date().format("%Y-%m-%d").to_string()
}

/// Proposes a candidate inside the caller's transaction, with an audit record of its own
/// (`chronicle.proposed`) whose actor is the person whose step caused it; answers its id, or
/// `None` when the source is not major or was proposed before (each source once).
pub async fn propose_from(
    tx: &mut Tx,
    audit_key: &[u8],
    origin: &Origin,
    source: CandidateSource,
    now: Timestamp,
) -> DbResult<Option<ChronicleEntryId>> {
    let (kind, id, date, event, people, src) = match source {
        CandidateSource::Meeting(m) => {
            let row: Option<(String, i64, String, String)> = tx
                .fetch_optional(
                    "SELECT m.title, m.starts_at, p.name, m.location FROM meetings m
                     JOIN people p ON p.person_id = m.chair_id
                     WHERE m.meeting_id = $1 AND EXISTS (SELECT 1 FROM person_roles r
                       WHERE r.person_id = m.chair_id AND r.role = 'leader')",
                    args![m],
                )
                .await?;
            let Some((title, at, chair, location)) = row else { return Ok(None) };
            let place = if location.is_empty() { String::new() } else { format!("在{location}") };
            (
                SourceKind::Meeting,
                m.0,
                day(at),
                format!("{chair}主持召开{title}{place}"),
                chair,
                format!("会议纪要：{title}"),
            )
        }
        CandidateSource::LeaderTask(t) => {
            let row: Option<(String, String, String, Option<i64>)> = tx
                .fetch_optional(
                    "SELECT t.title, l.name, o.name, t.closed_at FROM leader_tasks t
                     JOIN people l ON l.person_id = t.leader_id JOIN people o ON o.person_id = t.owner_id
                     WHERE t.leader_task_id = $1 AND t.state = 'closed'",
                    args![t],
                )
                .await?;
            let Some((title, leader, owner, closed)) = row else { return Ok(None) };
            let people = format!("{leader}、{owner}");
            let at = closed.unwrap_or(now.0);
            (
                SourceKind::LeaderTask,
                t.0,
                day(at),
                format!("{leader}交办的“{title}”办结"),
                people,
                "领导交办事项".into(),
            )
        }
        CandidateSource::Reception(b) => {
            let row: Option<(String, String, i64, String)> = tx
                .fetch_optional(
                    "SELECT b.title, b.guests, b.starts_at, r.name FROM room_bookings b JOIN rooms r ON r.room_id = b.room_id
                     WHERE b.booking_id = $1 AND b.guests <> ''",
                    args![b],
                )
                .await?;
            let Some((title, guests, at, room)) = row else { return Ok(None) };
            (
                SourceKind::Reception,
                b.0,
                day(at),
                format!("{guests}来访，出席{title}（{room}）"),
                guests,
                format!("来宾接待：{title}"),
            )
        }
        CandidateSource::Outgoing { id, date, event, people, source } => {
            (SourceKind::Outgoing, id, date.format("%Y-%m-%d").to_string(), event, people, source)
        }
    };
    let event: String = event.chars().take(500).collect();
    let row: Option<(i64,)> = tx
        .fetch_optional(
            "INSERT INTO chronicle_entries (entry_date, event, people, source, state, source_kind, source_id, created_at)
             VALUES ($1, $2, $3, $4, 'candidate', $5, $6, $7)
             ON CONFLICT (source_kind, source_id) DO NOTHING RETURNING entry_id",
            args![&date, &event, &people, &src, kind.code(), id, now],
        )
        .await?;
    let Some((entry,)) = row else { return Ok(None) };
    let detail = json!({"date": date, "event": event, "people": people, "source": src,
        "source_kind": kind.code(), "source_id": id});
    let ev = AuditEvent::new("chronicle.proposed", DOMAIN, Some(entry.to_string()), detail);
    audit::append(tx, audit_key, origin, now, &ev).await?;
    Ok(Some(ChronicleEntryId(entry)))
}

fn require_keeper(actor: &Actor) -> ServiceResult<()> {
    if allows(Some(actor), Capability::KeepChronicle) { Ok(()) } else { Err(ServiceError::Forbidden) }
}

/// A year's chronicle: accepted entries in date order; with `candidates`, the keeper also
/// sees the pending candidates. Any business user may read the accepted entries.
pub async fn list(s: &Services, actor: &Actor, year: i32, candidates: bool) -> ServiceResult<Vec<EntryRow>> {
    if !actor.is_business_user() {
        return Err(ServiceError::Forbidden);
    }
    if candidates {
        require_keeper(actor)?;
    }
    let states = if candidates { "('accepted', 'candidate')" } else { "('accepted')" };
    let from = format!("{year:04}-01-01");
    let to = format!("{year:04}-12-31");
    Ok(s.db
        .fetch_all(
            &format!(
                "{SELECT} WHERE entry_date >= $1 AND entry_date <= $2 AND state IN {states} ORDER BY entry_date, entry_id"
            ),
            args![from, to],
        )
        .await?)
}

/// The year's chronicle as a printable list: the accepted entries in date order under the
/// organ's title, headings in the reader's language.
pub fn year_sheet(entries: &[EntryRow], year: i32, organ: &str, l: &dyn Labels) -> TableSheet {
    let columns = vec![
        TableColumn::new(&l.t("archives.date"), 3, true),
        TableColumn::new(&l.t("archives.event"), 12, false),
        TableColumn::new(&l.t("archives.people"), 4, false),
        TableColumn::new(&l.t("archives.entry_source"), 5, false),
    ];
    let rows = entries
        .iter()
        .filter(|e| e.state == EntryState::Accepted.code())
        .map(|e| vec![e.entry_date.clone(), e.event.clone(), e.people.clone(), e.source.clone()])
        .collect();
    TableSheet {
        title: format!("{organ}{year}{}", l.t("archives.chronicle_title")),
        reference: None,
        columns,
        rows,
        footer: None,
        landscape: false,
    }
}

/// The year's accepted chronicle as an A4 PDF, with its file name ("大事记2026"); whoever
/// may read the chronicle may print it.
pub async fn year_pdf(s: &Services, actor: &Actor, year: i32, l: &dyn Labels) -> ServiceResult<(String, Vec<u8>)> {
    let entries = list(s, actor, year, false).await?;
    let organ = crate::org::organ(s).await?.map(|o| o.name).unwrap_or_default();
    let pdf = crate::forms::render_table(s, year_sheet(&entries, year, &organ, l)).await?;
    Ok((format!("{}{year}", l.t("archives.chronicle")), pdf))
}

pub async fn get(s: &Services, actor: &Actor, id: ChronicleEntryId) -> ServiceResult<EntryRow> {
    require_keeper(actor)?;
    s.db.fetch_optional(&format!("{SELECT} WHERE entry_id = $1"), args![id]).await?.ok_or(ServiceError::NotFound)
}

fn input(date: &str, event: &str, people: &str, source: &str, now: Timestamp) -> ServiceResult<EntryInput> {
    Ok(rules::validate_entry(date, event, people, source, now.local_date().year())?)
}

/// Types in an entry (accepted at once).
pub async fn add(
    s: &Services,
    actor: &Actor,
    date: &str,
    event: &str,
    people: &str,
    source: &str,
    source_ip: &str,
) -> ServiceResult<ChronicleEntryId> {
    require_keeper(actor)?;
    let now = s.clock.now();
    let e = input(date, event, people, source, now)?;
    let mut tx = s.db.begin().await?;
    let id = tx
        .insert_returning_id(
            "INSERT INTO chronicle_entries (entry_date, event, people, source, state, source_kind, created_at, decided_by,
             decided_at) VALUES ($1, $2, $3, $4, 'accepted', 'manual', $5, $6, $7) RETURNING entry_id",
            args![e.date.format("%Y-%m-%d").to_string(), e.event.as_str(), e.people.as_str(), e.source.as_str(), now,
                  actor.person_id, now],
        )
        .await
        .map(ChronicleEntryId)?;
    let ev = AuditEvent::new("chronicle.added", DOMAIN, Some(id.to_string()), json!(e));
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &ev).await?;
    tx.commit().await?;
    Ok(id)
}

/// Accepts a candidate or saves an edit of an entry (with the texts as edited).
#[allow(clippy::too_many_arguments)]
pub async fn accept(
    s: &Services,
    actor: &Actor,
    id: ChronicleEntryId,
    date: &str,
    event: &str,
    people: &str,
    source: &str,
    source_ip: &str,
) -> ServiceResult<()> {
    require_keeper(actor)?;
    let now = s.clock.now();
    let e = input(date, event, people, source, now)?;
    change(s, actor, id, EntryState::Accepted, Some(e), source_ip).await
}

/// Drops a candidate or an entry (kept, not shown).
pub async fn drop_entry(s: &Services, actor: &Actor, id: ChronicleEntryId, source_ip: &str) -> ServiceResult<()> {
    require_keeper(actor)?;
    change(s, actor, id, EntryState::Dropped, None, source_ip).await
}

async fn change(
    s: &Services,
    actor: &Actor,
    id: ChronicleEntryId,
    to: EntryState,
    e: Option<EntryInput>,
    source_ip: &str,
) -> ServiceResult<()> {
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let row: EntryRow =
        tx.fetch_optional(&format!("{SELECT} WHERE entry_id = $1"), args![id]).await?.ok_or(ServiceError::NotFound)?;
    rules::may_change(EntryState::parse(&row.state), to)?;
    let (date, event, people, source) = match &e {
        Some(e) => (e.date.format("%Y-%m-%d").to_string(), e.event.clone(), e.people.clone(), e.source.clone()),
        None => (row.entry_date.clone(), row.event.clone(), row.people.clone(), row.source.clone()),
    };
    let n = tx
        .execute(
            "UPDATE chronicle_entries SET entry_date = $1, event = $2, people = $3, source = $4, state = $5,
             decided_by = $6, decided_at = $7, version = version + 1 WHERE entry_id = $8 AND version = $9",
            args![&date, &event, people, source, to.code(), actor.person_id, now, id, row.version],
        )
        .await?;
    if n == 0 {
        return Err(ServiceError::Conflict("this entry changed meanwhile; reload".into()));
    }
    let ev = AuditEvent::new(
        &format!("chronicle.{}", to.code()),
        DOMAIN,
        Some(id.to_string()),
        json!({"date": date, "event": event, "from": row.state}),
    );
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &ev).await?;
    tx.commit().await?;
    Ok(())
}
