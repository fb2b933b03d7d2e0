//! One inbox per person across all domains: 待办 / 待阅 open, 已办 / 已阅 done, sorted by
//! urgency then due time, with counts and the time left. Acting for someone shows theirs.

use super::TaskRow;
use super::store::COLS;
use crate::{ServiceResult, Services, args};
use mishu_domain::PersonId;
use mishu_domain::access::{Actor, Subject, may_read};
use mishu_domain::org::Clearance;
use mishu_domain::tasks::{InboxBox, TaskKind};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct InboxItem {
    #[serde(flatten)]
    pub task: TaskRow,
    /// Milliseconds until the deadline; negative when overdue.
    pub ms_left: Option<i64>,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct InboxCounts {
    pub todo: i64,
    pub toread: i64,
    pub overdue: i64,
    pub unread_notifications: i64,
}

/// Whose tasks the actor sees: their own, or the principal's while acting for them.
fn owner(actor: &Actor) -> PersonId {
    actor.acting_for.unwrap_or(actor.person_id)
}

/// The first `limit` items of a box (callers that want one screenful).
pub async fn inbox(s: &Services, actor: &Actor, b: InboxBox, limit: i64) -> ServiceResult<Vec<InboxItem>> {
    Ok(inbox_page(s, actor, b, limit, 0).await?.items)
}

/// One page of a box and where the next one starts.
#[derive(Debug, Clone, Serialize)]
pub struct InboxPage {
    pub items: Vec<InboxItem>,
    /// The offset of the next page; `None` on the last page.
    pub next_offset: Option<i64>,
}

/// `limit` items (1–500) of a box from `offset`, in the box's order (task_id breaks ties, so
/// pages neither repeat nor skip items while the box is unchanged). A page can hold fewer than
/// `limit` items yet have a next one when the clearance filter drops rows.
pub async fn inbox_page(s: &Services, actor: &Actor, b: InboxBox, limit: i64, offset: i64) -> ServiceResult<InboxPage> {
    let limit = limit.clamp(1, 500);
    let offset = offset.max(0);
    let (state_sql, kind_sql, order) = match b {
        InboxBox::ToDo => (
            "state = 'open'",
            "kind <> 'read'",
            "urgency DESC, CASE WHEN due_at IS NULL THEN 1 ELSE 0 END, due_at, task_id",
        ),
        InboxBox::ToRead => (
            "state = 'open'",
            "kind = 'read'",
            "urgency DESC, CASE WHEN due_at IS NULL THEN 1 ELSE 0 END, due_at, task_id",
        ),
        InboxBox::Done => ("state = 'done'", "kind <> 'read'", "done_at DESC, task_id DESC"),
        InboxBox::Read => ("state = 'done'", "kind = 'read'", "done_at DESC, task_id DESC"),
    };
    let sql = format!(
        "SELECT {COLS} FROM tasks WHERE assignee_id = $1 AND {state_sql} AND {kind_sql} ORDER BY {order} LIMIT {} OFFSET {offset}",
        // One row more than asked tells whether a next page exists without a COUNT.
        limit + 1
    );
    let mut rows: Vec<TaskRow> = s.db.fetch_all(&sql, args![owner(actor)]).await?;
    let next_offset = (rows.len() as i64 > limit).then_some(offset + limit);
    rows.truncate(limit as usize);
    let now = s.clock.now();
    let items = rows
        .into_iter()
        // A task is on the person's route by definition; clearance still applies, e.g. after a downgrade.
        .filter(|t| {
            let subject = Subject {
                classification: Clearance::parse(&t.classification).unwrap_or(Clearance::TopSecret),
                department_id: None,
                route: vec![PersonId(t.assignee_id)],
            };
            may_read(actor, &subject)
        })
        .map(|t| InboxItem { ms_left: t.due_at.map(|d| d - now.0), task: t })
        .collect();
    Ok(InboxPage { items, next_offset })
}

/// Counts stop here: a tab then reads "999+". Counting every open task of a person who holds
/// thousands (an office-wide secretary) cost more than the rest of the page (issue 7); a
/// bounded count keeps the page's cost flat however full the box, and nobody acts on the
/// difference between 1,000 and 6,000 items waiting.
pub const COUNT_CAP: i64 = 1000;

pub async fn inbox_counts(s: &Services, actor: &Actor) -> ServiceResult<InboxCounts> {
    inbox_counts_upto(s, actor, COUNT_CAP).await
}

/// The counts, each stopping at `cap` (at least 1). One query: each part walks the index
/// `tasks_open_counts` (assignee, state, kind, due_at) for at most `cap` rows; the overdue
/// part names every kind so that `due_at` is a range inside each kind.
pub async fn inbox_counts_upto(s: &Services, actor: &Actor, cap: i64) -> ServiceResult<InboxCounts> {
    let cap = cap.max(1);
    let now = s.clock.now();
    let all_kinds = TaskKind::ALL.iter().map(|k| format!("'{}'", k.code())).collect::<Vec<_>>().join(", ");
    let open = "FROM tasks WHERE assignee_id = $1 AND state = 'open'";
    let sql = format!(
        "SELECT (SELECT COUNT(*) FROM (SELECT 1 AS x {open} AND kind <> 'read' LIMIT {cap}) a) AS todo,
                (SELECT COUNT(*) FROM (SELECT 1 AS x {open} AND kind = 'read' LIMIT {cap}) b) AS toread,
                (SELECT COUNT(*) FROM (SELECT 1 AS x {open} AND kind IN ({all_kinds}) AND due_at < $2 LIMIT {cap}) c) AS overdue,
                (SELECT COUNT(*) FROM (SELECT 1 AS x FROM notifications WHERE person_id = $3 AND read_at IS NULL LIMIT {cap}) d) AS unread"
    );
    let (todo, toread, overdue, unread): (i64, i64, i64, i64) =
        s.db.fetch_one(&sql, args![owner(actor), now, actor.person_id]).await?;
    Ok(InboxCounts { todo, toread, overdue, unread_notifications: unread })
}
