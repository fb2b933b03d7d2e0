//! Keeps the task spine in step with a document: one open task for each person it waits
//! for (`holders`), closed when their part is done, cancelled when it was taken from them.

use super::{DOMAIN, IncomingRow, classification};
use crate::db::{DbResult, Tx};
use crate::tasks::{self, NewTask};
use mishu_domain::access::Actor;
use mishu_domain::incoming::Holder;
use mishu_domain::tasks::Urgency;
use mishu_domain::{PersonId, Timestamp};

fn task(doc: &IncomingRow, h: &Holder, by: &Actor) -> NewTask {
    NewTask {
        domain: DOMAIN,
        subject_id: doc.incoming_id,
        title: doc.title.clone(),
        kind: h.ask.task_kind(),
        assignee: h.person,
        created_by: Some(by.person_id),
        classification: classification(doc),
        urgency: Urgency::from_rank(doc.urgency),
        due_at: h.due,
    }
}

fn same(a: &Holder, b: &Holder) -> bool {
    a.person == b.person && a.ask == b.ask
}

pub(super) async fn open(
    tx: &mut Tx,
    doc: &IncomingRow,
    holders: &[Holder],
    by: &Actor,
    now: Timestamp,
) -> DbResult<()> {
    for h in holders {
        tasks::open_task(tx, &task(doc, h, by), now).await?;
    }
    Ok(())
}

/// Moves the spine from the holders before an action to those after it. People whose
/// step was recalled or dropped (`withdrawn`) see their task cancelled; everyone else who
/// is no longer waited for has theirs closed with `outcome`.
#[allow(clippy::too_many_arguments)]
pub(super) async fn sync(
    tx: &mut Tx,
    doc: &IncomingRow,
    before: &[Holder],
    after: &[Holder],
    by: &Actor,
    outcome: &str,
    withdrawn: &[PersonId],
    now: Timestamp,
) -> DbResult<()> {
    for h in before.iter().filter(|h| !after.iter().any(|a| same(a, h))) {
        if withdrawn.contains(&h.person) {
            tasks::cancel_subject_tasks(tx, DOMAIN, doc.incoming_id, h.person, now).await?;
        } else {
            tasks::close_subject_tasks(tx, DOMAIN, doc.incoming_id, Some(h.person), by, outcome, now).await?;
        }
    }
    let new: Vec<Holder> = after.iter().filter(|h| !before.iter().any(|b| same(b, h))).copied().collect();
    open(tx, doc, &new, by, now).await
}
