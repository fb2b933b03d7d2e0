//! Keeps the task spine in step with a document: a task for each open step (review reply,
//! countersign, sign-off), for the drafter when a draft comes back, and for each internal
//! recipient's receipt (签收), chased by the reminders until done (R1.8).

use super::{DOMAIN, OutgoingRow, classification};
use crate::db::{DbResult, Tx};
use crate::tasks::{self, NewTask};
use mishu_domain::access::Actor;
use mishu_domain::tasks::{TaskKind, Urgency};
use mishu_domain::{PersonId, Timestamp};

#[allow(clippy::too_many_arguments)]
pub(super) async fn open(
    tx: &mut Tx,
    doc: &OutgoingRow,
    person: PersonId,
    kind: TaskKind,
    title_prefix: &str,
    by: &Actor,
    due: Option<Timestamp>,
    now: Timestamp,
) -> DbResult<()> {
    let t = NewTask {
        domain: DOMAIN,
        subject_id: doc.outgoing_id,
        title: format!("{title_prefix}{}", doc.title),
        kind,
        assignee: person,
        created_by: Some(by.person_id),
        classification: classification(doc),
        urgency: Urgency::from_rank(doc.urgency),
        due_at: due,
    };
    tasks::open_task(tx, &t, now).await.map(|_| ())
}

pub(super) async fn close(
    tx: &mut Tx,
    doc: &OutgoingRow,
    person: PersonId,
    by: &Actor,
    outcome: &str,
    now: Timestamp,
) -> DbResult<()> {
    tasks::close_subject_tasks(tx, DOMAIN, doc.outgoing_id, Some(person), by, outcome, now).await.map(|_| ())
}

pub(super) async fn cancel(tx: &mut Tx, doc: &OutgoingRow, person: PersonId, now: Timestamp) -> DbResult<()> {
    tasks::cancel_subject_tasks(tx, DOMAIN, doc.outgoing_id, person, now).await.map(|_| ())
}
