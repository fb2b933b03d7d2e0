//! Publishing the week's sheet: the office freezes what the sheet holds now as the week's
//! next numbered version. The first version sends everyone on it a Read task; a later one
//! is a re-publication after changes, and sends each change — before → after — only to the
//! people it touches, recording it in the week's change list.
//!
//! Why changes go out when the office re-publishes, not the moment a booking or activity
//! changes: the sheet goes out under the office's name (R5.4), so the office checks a change
//! before it is announced; several edits to one meeting (moved, then re-roomed) reach people
//! as one change instead of a stream; and a booking approved after publication is only "on
//! the sheet" once the office has placed it. The page shows what differs from the published
//! version until it is re-published, so a change is not forgotten.

use super::activities::is_office;
use super::{ARRANGEMENT_CHANGE_DOMAIN, ARRANGEMENT_DOMAIN, compile, due_at, store};
use crate::audit::{self, Origin};
use crate::db::Tx;
use crate::forms::Labels;
use crate::tasks::{self, NewTask};
use crate::{ServiceError, ServiceResult, Services};
use chrono::{Duration, NaiveDate};
use mishu_domain::access::Actor;
use mishu_domain::audit::AuditEvent;
use mishu_domain::meetings::arrangement::{diff, monday_of, week_bounds};
use mishu_domain::org::Clearance;
use mishu_domain::tasks::{TaskKind, Urgency};
use mishu_domain::{PersonId, Timestamp};
use serde::Serialize;
use serde_json::json;

#[derive(Debug, Clone, Serialize)]
pub struct Published {
    pub version_id: i64,
    pub number: i64,
    /// Changes against the version before (0 for the first).
    pub changes: usize,
    /// Read tasks sent.
    pub notified: usize,
}

async fn tell(
    tx: &mut Tx,
    domain: &'static str,
    version: i64,
    title: &str,
    people: &[i64],
    by: PersonId,
    now: Timestamp,
) -> ServiceResult<usize> {
    let people = store::active_of(tx, people).await?;
    for p in &people {
        let t = NewTask {
            domain,
            subject_id: version,
            title: title.to_string(),
            kind: TaskKind::Read,
            assignee: *p,
            created_by: Some(by),
            classification: Clearance::None,
            urgency: Urgency::Normal,
            due_at: None,
        };
        tasks::open_task(tx, &t, now).await?;
    }
    Ok(people.len())
}

/// Publishes the week containing `day`. Office only. The words of the Read tasks come from
/// `l` (the publisher's catalogue).
pub async fn publish(
    s: &Services,
    actor: &Actor,
    day: NaiveDate,
    l: &dyn Labels,
    source_ip: &str,
) -> ServiceResult<Published> {
    if !is_office(actor) {
        return Err(ServiceError::Forbidden);
    }
    let monday = monday_of(day);
    let start = week_bounds(monday).0;
    let entries = compile(s, monday).await?;
    let due = due_at(s, monday).await?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let prev = store::latest_tx(&mut tx, start).await?;
    let changes = match &prev {
        Some(v) => diff(&store::entries_tx(&mut tx, v.version_id).await?, &entries),
        None => vec![],
    };
    if let (Some(v), true) = (&prev, changes.is_empty()) {
        return Err(ServiceError::Conflict(format!("nothing changed since version {}", v.number)));
    }
    let number = prev.as_ref().map_or(1, |v| v.number + 1);
    let id = store::insert_version(&mut tx, start, number, actor.person_id, now, due).await.map_err(|e| {
        if e.is_unique_violation() {
            ServiceError::Conflict("the week was published meanwhile; reload".into())
        } else {
            e.into()
        }
    })?;
    for (seq, e) in entries.iter().enumerate() {
        store::insert_entry(&mut tx, id, seq, e).await?;
    }
    let week = format!("{}–{}", monday.format("%m-%d"), (monday + Duration::days(6)).format("%m-%d"));
    let mut notified = 0;
    if prev.is_none() {
        let mut people: Vec<i64> = entries.iter().flat_map(|e| e.people.iter().copied()).collect();
        people.sort_unstable();
        people.dedup();
        let title = l.tf("meetings.week.task_published", &[("week", &week), ("n", &number.to_string())]);
        notified += tell(&mut tx, ARRANGEMENT_DOMAIN, id, &title, &people, actor.person_id, now).await?;
    }
    for c in &changes {
        store::insert_change(&mut tx, id, start, c, now).await?;
        let dash = |s: &str| if s.is_empty() { "—".to_string() } else { s.to_string() };
        let title = l.tf(
            "meetings.week.task_change",
            &[
                ("week", &week),
                ("kind", &l.tk("meetings.week.change", c.kind.code())),
                ("before", &dash(&c.before)),
                ("after", &dash(&c.after)),
            ],
        );
        notified += tell(&mut tx, ARRANGEMENT_CHANGE_DOMAIN, id, &title, &c.people, actor.person_id, now).await?;
    }
    let detail = json!({"week": monday.to_string(), "number": number, "entries": entries.len(),
        "late": now > due, "changes": changes, "notified": notified});
    let ev = AuditEvent::new("arrangement.published", ARRANGEMENT_DOMAIN, Some(id.to_string()), detail);
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &ev).await?;
    tx.commit().await?;
    Ok(Published { version_id: id, number, changes: changes.len(), notified })
}
