//! Moving a document along its route: propose, instruct, read, record an oral report,
//! assign, reply, recall, return and close all go through `act`, which asks the pure
//! `decide`, stores what it says, keeps the spine's tasks in step and audits, in one transaction.

use super::{DOMAIN, IncomingRow, classification, facts, files, refuse, route_of, spine, store, subject};
use crate::audit::{self, Origin};
use crate::files::Upload;
use crate::search;
use crate::{ServiceError, ServiceResult, Services, tasks};
use mishu_domain::access::{Actor, may_read};
use mishu_domain::audit::AuditEvent;
use mishu_domain::calendar::WorkCalendar;
use mishu_domain::incoming::{
    Assignment, IncomingAction, IncomingEvent, IncomingState, StepState, SubmissionKind, decide, holders,
};
use mishu_domain::org::Clearance;
use mishu_domain::{DepartmentId, IncomingId, PersonId, Timestamp};
use serde_json::json;

/// Finds who answers for each department (its head) so the office can assign to departments
/// by name. A department without an active head cannot be given work.
pub async fn assignments(s: &Services, departments: &[(DepartmentId, Timestamp)]) -> ServiceResult<Vec<Assignment>> {
    let mut out = Vec::new();
    for (d, due) in departments {
        let heads = store::department_heads(&s.db, *d).await?;
        let (head, _) = heads.first().ok_or_else(|| {
            ServiceError::invalid("departments", format!("department {d} has no active head to receive it"))
        })?;
        out.push(Assignment { department: *d, head: PersonId(*head), due: *due });
    }
    Ok(out)
}

/// The departments the office can assign to: those with an active head.
pub async fn assignable_departments(s: &Services) -> ServiceResult<Vec<store::DepartmentHeadRow>> {
    Ok(s.org_cache.get(&s.db, ("incoming_assignable", ""), || store::assignable(&s.db)).await?)
}

/// Everyone the action puts on the route must be who they are said to be and cleared for
/// the document: a classified document never reaches someone who may not read it.
async fn check_people(s: &Services, doc: &IncomingRow, action: &IncomingAction) -> ServiceResult<()> {
    let level = classification(doc);
    let cleared = |c: &str| Clearance::parse(c).unwrap_or(Clearance::None) >= level;
    match action {
        IncomingAction::Propose { leaders, .. } => {
            for l in leaders {
                match store::leader_clearance(&s.db, *l).await? {
                    None => {
                        return Err(ServiceError::invalid("leaders", format!("person {l} is not an active leader")));
                    }
                    Some(c) if !cleared(&c) => {
                        return Err(ServiceError::invalid(
                            "leaders",
                            format!("person {l} is not cleared for this document"),
                        ));
                    }
                    Some(_) => {}
                }
            }
        }
        IncomingAction::Assign { assignments } => {
            for a in assignments {
                let heads = store::department_heads(&s.db, a.department).await?;
                match heads.iter().find(|(p, _)| *p == a.head.0) {
                    None => {
                        return Err(ServiceError::invalid(
                            "departments",
                            format!("person {} does not head department {}", a.head, a.department),
                        ));
                    }
                    Some((_, c)) if !cleared(c) => {
                        return Err(ServiceError::invalid(
                            "departments",
                            format!("the head of department {} is not cleared for this document", a.department),
                        ));
                    }
                    Some(_) => {}
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// The text a closed task keeps as its outcome: what the person wrote, if anything.
fn outcome_text(action: &IncomingAction) -> &str {
    match action {
        IncomingAction::Propose { opinion, .. } => opinion,
        IncomingAction::Instruct { text, .. } => text,
        IncomingAction::RecordOral { reply, .. } => reply,
        IncomingAction::Reply { result, .. } => result,
        IncomingAction::ReturnStep { reason, .. } | IncomingAction::ReturnToSender { reason } => reason,
        IncomingAction::Close { outcome, .. } => outcome,
        IncomingAction::MarkRead { .. } | IncomingAction::Assign { .. } | IncomingAction::Recall { .. } => "",
    }
    .trim()
}

fn action_name(action: &IncomingAction) -> &'static str {
    match action {
        IncomingAction::Propose { .. } => "proposed",
        IncomingAction::Instruct { .. } => "instructed",
        IncomingAction::MarkRead { .. } => "read",
        IncomingAction::RecordOral { .. } => "oral_report_recorded",
        IncomingAction::Assign { .. } => "assigned",
        IncomingAction::Reply { .. } => "replied",
        IncomingAction::Recall { .. } => "step_recalled",
        IncomingAction::ReturnStep { .. } => "step_returned",
        IncomingAction::ReturnToSender { .. } => "returned_to_sender",
        IncomingAction::Close { .. } => "closed",
    }
}

/// When a leader step that opens now is due: the submission kind's working days, but never
/// after the document's own deadline while that is still ahead.
fn leader_due(cal: &WorkCalendar, kind: SubmissionKind, doc_due: Option<i64>, now: Timestamp) -> Timestamp {
    let own = Timestamp::end_of_local_day(cal.add_working_days(now.local_date(), kind.step_working_days()));
    match doc_due.map(Timestamp) {
        Some(d) if d > now && d < own => d,
        _ => own,
    }
}

pub async fn act(
    s: &Services,
    actor: &Actor,
    id: IncomingId,
    action: IncomingAction,
    source_ip: &str,
) -> ServiceResult<IncomingState> {
    act_with_files(s, actor, id, action, vec![], source_ip).await
}

/// `act` with files: only a department's reply carries them (its result's documents).
/// They are checked before anything is stored and on disk before the reply commits.
pub async fn act_with_files(
    s: &Services,
    actor: &Actor,
    id: IncomingId,
    action: IncomingAction,
    uploads: Vec<Upload>,
    source_ip: &str,
) -> ServiceResult<IncomingState> {
    let now = s.clock.now();
    let reply_step = match &action {
        IncomingAction::Reply { step, .. } => Some(step.0),
        _ => None,
    };
    if reply_step.is_none() && !uploads.is_empty() {
        return Err(ServiceError::invalid("files", "files go with a registration or a department's reply"));
    }
    // Access first, outside the write transaction, so a refusal can be audited on its own.
    let seen = store::get(&s.db, id).await?.ok_or(ServiceError::NotFound)?;
    crate::labels::check(s, Some(actor), &seen.label(), seen.label_mac.as_deref(), source_ip).await?;
    if !may_read(actor, &subject(&seen, route_of(&s.db, id, &store::steps(&s.db, id).await?).await?)) {
        return Err(refuse(s, actor, id, source_ip).await);
    }
    check_people(s, &seen, &action).await?;
    let (cal, _) = tasks::calendar(s).await?;
    // Written only after the access and people checks, so a refused request leaves no file.
    let stored = files::check_and_store(s, uploads).await?;
    let mut tx = s.db.begin().await?;
    let doc = store::get_tx(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    let steps = store::steps_tx(&mut tx, id).await?;
    let before_facts = facts(&doc, &steps)?;
    let (next, events) = decide(&before_facts, actor, action.clone(), now)?;
    let submission = doc.submission_kind.as_deref().and_then(|k| SubmissionKind::parse(k).ok());
    let mut withdrawn = Vec::new();
    for e in &events {
        match e {
            IncomingEvent::Proposed { opinion, submission, round, steps: new } => {
                store::set_proposal(&mut tx, id, opinion, submission.code(), *round, actor.person_id, now).await?;
                for st in new {
                    let due = (st.state == StepState::Open).then(|| leader_due(&cal, *submission, doc.due_at, now));
                    store::insert_step(&mut tx, id, st, due, actor.person_id, now).await?;
                }
            }
            IncomingEvent::Assigned { steps: new } => {
                for st in new {
                    store::insert_step(&mut tx, id, st, st.due, actor.person_id, now).await?;
                }
            }
            IncomingEvent::StepActed { step, text, by, acting_for, at, .. } => {
                store::act_step(&mut tx, *step, text, *by, *acting_for, *at).await?
            }
            IncomingEvent::StepsOpened { steps: opened } => {
                let kind = submission.unwrap_or(SubmissionKind::ForReading);
                for st in opened {
                    store::open_step(&mut tx, *st, Some(leader_due(&cal, kind, doc.due_at, now)), now).await?;
                }
            }
            IncomingEvent::StepEnded { step, end, reason } => {
                store::end_step(&mut tx, *step, *end, reason, actor.person_id, now).await?;
                if matches!(end, StepState::Recalled | StepState::Cancelled) {
                    withdrawn.extend(before_facts.steps.iter().filter(|x| x.id == *step).map(|x| x.person));
                }
            }
            IncomingEvent::ReturnedToSender { reason } => {
                store::set_returned(&mut tx, id, reason, actor.person_id, now).await?
            }
            IncomingEvent::Closed { outcome, reply, promoted } => {
                store::set_closed(&mut tx, id, outcome, reply, *promoted, actor.person_id, now).await?
            }
        }
    }
    store::set_state(&mut tx, id, next.code(), doc.version).await?;
    let after_doc = store::get_tx(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    let after_facts = facts(&after_doc, &store::steps_tx(&mut tx, id).await?)?;
    let due = doc.due_at.map(Timestamp);
    let (before, after) = (holders(&before_facts, due), holders(&after_facts, due));
    spine::sync(&mut tx, &after_doc, &before, &after, actor, outcome_text(&action), &withdrawn, now).await?;
    let attached = files::link(&mut tx, id, reply_step, &stored, actor.person_id, now).await?;
    let detail = json!({"from": doc.state, "to": next.code(), "events": events, "files": attached});
    let event = AuditEvent::new(&format!("incoming.{}", action_name(&action)), DOMAIN, Some(id.to_string()), detail)
        .at_level(classification(&doc));
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &event).await?;
    search::touch(&mut tx, search::Domain::Incoming, id.0, now).await?;
    tx.commit().await?;
    Ok(next)
}
