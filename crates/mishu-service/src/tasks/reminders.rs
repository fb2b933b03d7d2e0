//! The reminder sweep: for every open task with a deadline, send what is due (before, at,
//! past → escalate to the supervising leader) exactly once, and ask a keeper to file every
//! finished item not yet asked for (`archives::ask_for_filing`). Idempotent; on several
//! nodes a lease in `job_leases` lets one node run it at a time.

use crate::audit::{self, Origin};
use crate::db::Tx;
use crate::{ServiceResult, Services, args, org, settings};
use mishu_domain::audit::AuditEvent;
use mishu_domain::tasks::{ReminderKind, ReminderMarks, reminders_due};
use mishu_domain::{DepartmentId, PersonId, TaskId, Timestamp};
use serde_json::json;

#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct SweepReport {
    pub reminded: usize,
    pub escalated: usize,
    /// Filing tasks (待归档) opened for finished items nobody was asked to file yet.
    pub filing_requested: usize,
}

#[derive(sqlx::FromRow)]
struct Due {
    task_id: i64,
    title: String,
    assignee_id: i64,
    department_id: Option<i64>,
    due_at: i64,
    before_sent: bool,
    due_sent: bool,
    escalated_at: Option<i64>,
}

/// Takes the sweep lease for `holder` if it is free or expired.
async fn take_lease(s: &Services, holder: &str, now: Timestamp) -> ServiceResult<bool> {
    let mut tx = s.db.begin().await?;
    tx.execute(
        "INSERT INTO job_leases (name, holder, lease_until) VALUES ('reminders', '', 0) ON CONFLICT (name) DO NOTHING",
        args![],
    )
    .await?;
    let n = tx
        .execute(
            "UPDATE job_leases SET holder = $1, lease_until = $2, last_run_at = $3 WHERE name = 'reminders' AND (lease_until < $3 OR holder = $1)",
            args![holder, now.plus_minutes(2), now],
        )
        .await?;
    tx.commit().await?;
    Ok(n == 1)
}

/// The periodic sweep: runs only on the node holding the lease.
pub async fn run_reminder_sweep(s: &Services, holder: &str) -> ServiceResult<SweepReport> {
    if !take_lease(s, holder, s.clock.now()).await? {
        return Ok(SweepReport::default());
    }
    sweep(s).await
}

/// A sweep on demand (`mishu reminders run`), whoever holds the lease. Safe beside a running
/// sweep: each mark is set only if it is still unset, and a reminder is sent only by the
/// update that set its mark, so nothing is sent twice.
pub async fn run_reminder_sweep_now(s: &Services) -> ServiceResult<SweepReport> {
    sweep(s).await
}

async fn sweep(s: &Services) -> ServiceResult<SweepReport> {
    let now = s.clock.now();
    let rule = settings::reminder_rule(&s.db).await?;
    let horizon = now.plus_hours(rule.before_hours);
    let due: Vec<Due> = s
        .db
        .fetch_all(
            "SELECT t.task_id, t.title, t.assignee_id, p.department_id, t.due_at, t.before_sent, t.due_sent, t.escalated_at
             FROM tasks t JOIN people p ON p.person_id = t.assignee_id
             WHERE t.state = 'open' AND t.due_at IS NOT NULL AND t.due_at <= $1 AND t.escalated_at IS NULL
             ORDER BY t.due_at LIMIT 1000",
            args![horizon],
        )
        .await?;
    // What each task is owed, and to whom an escalation goes, is read before any write.
    let mut owed = Vec::new();
    for t in due {
        let marks =
            ReminderMarks { before_sent: t.before_sent, due_sent: t.due_sent, escalated: t.escalated_at.is_some() };
        let kinds = reminders_due(Timestamp(t.due_at), now, marks, rule);
        if kinds.is_empty() {
            continue;
        }
        let escalate_to = match (kinds.contains(&ReminderKind::Escalation), t.department_id) {
            (true, Some(d)) => org::supervising_leader(s, DepartmentId(d)).await?,
            _ => None,
        };
        owed.push((t, kinds, escalate_to));
    }
    let mut report = SweepReport::default();
    // A backlog (after a holiday, or a restored backup) is sent in groups: one commit, and
    // one fsync, per group instead of per task, while each group holds the writer briefly.
    for group in owed.chunks(GROUP) {
        let mut tx = s.db.begin().await?;
        for (t, kinds, escalate_to) in group {
            send(&mut tx, s, now, t, kinds, *escalate_to, &mut report).await?;
        }
        tx.commit().await?;
    }
    report.filing_requested = crate::archives::ask_for_filing(s, now).await?;
    Ok(report)
}

/// Tasks per transaction of a sweep.
const GROUP: usize = 50;

/// One task's reminders, each sent only by the update that sets its mark.
async fn send(
    tx: &mut Tx,
    s: &Services,
    now: Timestamp,
    t: &Due,
    kinds: &[ReminderKind],
    escalate_to: Option<PersonId>,
    report: &mut SweepReport,
) -> ServiceResult<()> {
    for kind in kinds {
        let person = match kind {
            ReminderKind::Escalation => escalate_to.unwrap_or(PersonId(t.assignee_id)),
            _ => PersonId(t.assignee_id),
        };
        let n = match kind {
            ReminderKind::BeforeDue => {
                tx.execute(
                    "UPDATE tasks SET before_sent = TRUE WHERE task_id = $1 AND state = 'open' AND before_sent = FALSE",
                    args![t.task_id],
                )
                .await?
            }
            ReminderKind::AtDue => {
                tx.execute(
                    "UPDATE tasks SET due_sent = TRUE, before_sent = TRUE WHERE task_id = $1 AND state = 'open' AND due_sent = FALSE",
                    args![t.task_id],
                )
                .await?
            }
            ReminderKind::Escalation => {
                tx.execute(
                    "UPDATE tasks SET escalated_at = $1, escalated_to = $2 WHERE task_id = $3 AND state = 'open' AND escalated_at IS NULL",
                    args![now, escalate_to, t.task_id],
                )
                .await?
            }
        };
        if n == 0 {
            continue;
        }
        tx.execute(
            "INSERT INTO notifications (person_id, task_id, kind, message, created_at) VALUES ($1, $2, $3, $4, $5)",
            args![person, TaskId(t.task_id), kind.code(), &t.title, now],
        )
        .await?;
        if *kind == ReminderKind::Escalation {
            // The owner is told too: an escalation is never a surprise.
            tx.execute(
                "INSERT INTO notifications (person_id, task_id, kind, message, created_at) VALUES ($1, $2, 'escalated_notice', $3, $4)",
                args![PersonId(t.assignee_id), TaskId(t.task_id), &t.title, now],
            )
            .await?;
            report.escalated += 1;
        } else {
            report.reminded += 1;
        }
        audit::append(
            tx,
            &s.audit_key,
            &Origin::system(),
            now,
            &AuditEvent::new(
                &format!("task.{}", kind.code()),
                "task",
                Some(t.task_id.to_string()),
                json!({"to": person.0}),
            ),
        )
        .await?;
    }
    Ok(())
}
