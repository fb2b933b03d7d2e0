//! Asking a keeper to file what is finished (待归档): the reminder sweep opens one filing
//! task for every finished item that is neither filed nor asked for before, assigned to the
//! first keeper cleared for it and due by the end of June of the next year. Filing the item
//! closes the task (see `filing::file`). Idempotent, so the sweep may run on any node.

use super::filing::{FINISHED, filing_task};
use super::sources::FilingSource;
use crate::audit::{self, Origin};
use crate::{ServiceResult, Services, args, tasks};
use mishu_domain::archives::requests::{Keeper, filing_due, keeper_for};
use mishu_domain::audit::AuditEvent;
use mishu_domain::org::Clearance;
use mishu_domain::{PersonId, Timestamp};
use serde_json::json;

/// At most this many tasks are opened by one sweep, so a database with years of unfiled
/// items is worked through over several sweeps instead of one long transaction.
const PER_SWEEP: i64 = 200;

#[derive(sqlx::FromRow)]
struct Unasked {
    kind: String,
    id: i64,
    title: String,
    at: i64,
    c: String,
    sp: String,
    cn: String,
    lm: Option<String>,
}

/// Opens the filing tasks that are missing; answers how many.
pub async fn ask_for_filing(s: &Services, now: Timestamp) -> ServiceResult<usize> {
    let keepers: Vec<(i64, String)> =
        s.db.fetch_all(
            "SELECT DISTINCT p.person_id, p.clearance FROM person_roles r JOIN people p ON p.person_id = r.person_id
             WHERE r.role = 'archivist' AND p.active AND p.admin_kind IS NULL ORDER BY p.person_id",
            args![],
        )
        .await?;
    if keepers.is_empty() {
        return Ok(0);
    }
    let keepers: Vec<Keeper> = keepers
        .into_iter()
        .map(|(person, c)| Keeper { person, clearance: Clearance::parse(&c).unwrap_or_default() })
        .collect();
    // A task of any state counts as asked: a keeper who closed it without filing decided so.
    let rows: Vec<Unasked> =
        s.db.fetch_all(
            &format!(
                "SELECT kind, id, title, at, c, sp, cn, lm FROM ({FINISHED}) f
                 WHERE NOT EXISTS (SELECT 1 FROM archive_items i WHERE i.source_kind = f.kind AND i.source_id = f.id)
                   AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.domain = 'filing_' || f.kind AND t.subject_id = f.id)
                 ORDER BY at, kind, id LIMIT $1"
            ),
            args![PER_SWEEP],
        )
        .await?;
    let mut opened = 0;
    for r in rows {
        let Ok(source) = FilingSource::parse(&r.kind, r.id) else { continue };
        if !super::filing::finished_intact(s, &r.kind, r.id, &r.c, &r.sp, &r.cn, r.lm.as_deref()) {
            continue;
        }
        // An unreadable stored level is the highest: fail closed.
        let classification = Clearance::parse(&r.c).unwrap_or(Clearance::TopSecret);
        let Some(keeper) = keeper_for(&keepers, classification) else { continue };
        let due = Timestamp::end_of_local_day(filing_due(Timestamp(r.at).local_date()));
        let t = filing_task(source, format!("归档：{}", r.title), PersonId(keeper), None, classification, Some(due));
        let mut tx = s.db.begin().await?;
        // Asked between our read and this transaction (another node's sweep): leave it.
        let asked: Option<(i64,)> = tx
            .fetch_optional("SELECT task_id FROM tasks WHERE domain = $1 AND subject_id = $2", args![t.domain, r.id])
            .await?;
        if asked.is_some() {
            continue;
        }
        let id = tasks::open_task(&mut tx, &t, now).await?;
        let shown = (classification == Clearance::None).then_some(r.title.as_str());
        let detail = json!({"domain": t.domain, "subject_id": r.id, "assignee_id": keeper, "title": shown,
                            "classification": classification.code(), "due_at": due.0});
        let event = AuditEvent::new("archive.filing_requested", "task", Some(id.to_string()), detail);
        audit::append(&mut tx, &s.audit_key, &Origin::system(), now, &event).await?;
        tx.commit().await?;
        opened += 1;
    }
    Ok(opened)
}
