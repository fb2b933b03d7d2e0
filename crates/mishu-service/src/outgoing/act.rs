//! Every move on the route in one place: load the facts, ask `decide`, apply its events
//! (steps, spine tasks, the number, the distribution and its receipts) and append the
//! audit record, all in one transaction. A stale page (the document moved meanwhile) is a
//! conflict, never a second number.

use super::{DOMAIN, OutgoingRow, classification, facts, get, spine, store};
use crate::archives::chronicle::{self, CandidateSource};
use crate::audit::{self, Origin};
use crate::search::{self, Domain};
use crate::{ServiceError, ServiceResult, Services, tasks};
use chrono::Datelike;
use mishu_domain::access::Actor;
use mishu_domain::archives::chronicle::{self as chronicle_rules, IssuedDocument};
use mishu_domain::audit::AuditEvent;
use mishu_domain::outgoing::{DocNumber, OutgoingAction, OutgoingEvent, OutgoingState, StepKind, StepState, decide};
use mishu_domain::tasks::TaskKind;
use mishu_domain::{DepartmentId, OutgoingId, OutgoingStepId, PersonId, Timestamp};
use serde_json::{Value, json};

/// Working days a recipient has to sign for a copy before the reminders chase them.
const RECEIPT_DAYS: u32 = 2;

fn action_name(a: &OutgoingAction) -> &'static str {
    match a {
        OutgoingAction::OpenReview { .. } => "review_opened",
        OutgoingAction::Comment { .. } => "commented",
        OutgoingAction::CloseReview => "review_closed",
        OutgoingAction::Submit => "submitted",
        OutgoingAction::Check { .. } => "checked",
        OutgoingAction::Withdraw { .. } => "withdrawn",
        OutgoingAction::Countersign { .. } => "countersigned",
        OutgoingAction::Sign { .. } => "signed",
        OutgoingAction::Register => "numbered",
        OutgoingAction::VoidNumber { .. } => "number_voided",
        OutgoingAction::Distribute => "distributed",
        OutgoingAction::CancelDistribution { .. } => "distribution_cancelled",
    }
}

fn task_for(kind: StepKind) -> (TaskKind, &'static str) {
    match kind {
        StepKind::Review => (TaskKind::Reply, "提意见："),
        StepKind::Countersign => (TaskKind::Countersign, "会签："),
        StepKind::Sign => (TaskKind::Approve, "签发："),
    }
}

/// Applies one action. Returns the new state.
pub async fn act(
    s: &Services,
    actor: &Actor,
    id: OutgoingId,
    action: OutgoingAction,
    source_ip: &str,
) -> ServiceResult<OutgoingState> {
    // Reading rights first (a stranger learns nothing), outside the transaction.
    get(s, actor, id, source_ip).await?;
    let now = s.clock.now();
    let receipt_due = match action {
        OutgoingAction::Distribute => Some(tasks::add_working_days(s, RECEIPT_DAYS).await?),
        _ => None,
    };
    let mut tx = s.db.begin().await?;
    let doc = store::get_tx(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    let steps = store::steps_tx(&mut tx, id).await?;
    let body = store::latest_body(&mut tx, id).await?;
    let recipients = store::recipients_tx(&mut tx, id).await?;
    let countersigners = store::countersigners(&mut tx, id).await?;
    let f = facts(&doc, &steps, countersigners, body.as_deref(), &recipients)?;
    let (next, events) = decide(&f, actor, &action, now)?;
    let mut round = doc.round;
    let mut detail = serde_json::Map::new();
    detail.insert("from".into(), json!(doc.state));
    detail.insert("to".into(), json!(next.code()));
    let origin = Origin::of(actor, source_ip);
    for e in &events {
        apply(&mut tx, (s, &origin), &doc, &steps, actor, e, &mut round, &mut detail, receipt_due, &recipients, now)
            .await?;
    }
    if store::set_state(&mut tx, &doc, next.code(), round, now).await? == 0 {
        return Err(ServiceError::Conflict("the document changed meanwhile; reload and try again".into()));
    }
    let event = AuditEvent::new(
        &format!("outgoing.{}", action_name(&action)),
        DOMAIN,
        Some(id.to_string()),
        Value::Object(detail),
    )
    .at_level(classification(&doc));
    search::touch(&mut tx, Domain::Outgoing, id.0, now).await?;
    audit::append(&mut tx, &s.audit_key, &origin, now, &event).await?;
    tx.commit().await?;
    Ok(next)
}

#[allow(clippy::too_many_arguments)]
async fn apply(
    tx: &mut crate::db::Tx,
    (s, origin): (&Services, &Origin),
    doc: &OutgoingRow,
    steps: &[super::StepRow],
    actor: &Actor,
    e: &OutgoingEvent,
    round: &mut i64,
    detail: &mut serde_json::Map<String, Value>,
    receipt_due: Option<Timestamp>,
    recipients: &[super::RecipientRow],
    now: Timestamp,
) -> ServiceResult<()> {
    let id = OutgoingId(doc.outgoing_id);
    let person_of = |step: OutgoingStepId| {
        steps.iter().find(|x| x.step_id == step.0).map(|x| (PersonId(x.person_id), x.kind.clone()))
    };
    match e {
        OutgoingEvent::StepsAdded { kind, round: r, steps: new } => {
            if *kind != StepKind::Review {
                *round = *r;
            }
            let (task_kind, prefix) = task_for(*kind);
            for (person, seq, state) in new {
                store::insert_step(tx, id, *kind, *person, *r, *seq, state.code(), now).await?;
                if *state == StepState::Open {
                    spine::open(tx, doc, *person, task_kind, prefix, actor, None, now).await?;
                }
            }
            detail.insert(format!("{}_steps", kind.code()), json!(new.iter().map(|(p, _, _)| p.0).collect::<Vec<_>>()));
        }
        OutgoingEvent::StepActed { step, state, opinion } => {
            store::set_step(tx, *step, state.code(), Some((actor.person_id, opinion)), now).await?;
            if let Some((p, _)) = person_of(*step) {
                spine::close(tx, doc, p, actor, state.code(), now).await?;
            }
            detail.insert("step".into(), json!(step.0));
            detail.insert("step_state".into(), json!(state.code()));
            detail.insert("opinion".into(), json!(opinion));
        }
        OutgoingEvent::StepsOpened { steps: opened } => {
            for st in opened {
                store::set_step(tx, *st, StepState::Open.code(), None, now).await?;
                if let Some((p, k)) = person_of(*st) {
                    let (task_kind, prefix) = task_for(StepKind::parse(&k).unwrap_or(StepKind::Countersign));
                    spine::open(tx, doc, p, task_kind, prefix, actor, None, now).await?;
                }
            }
            detail.insert("opened".into(), json!(opened.iter().map(|x| x.0).collect::<Vec<_>>()));
        }
        OutgoingEvent::StepsCancelled { steps: gone } => {
            for st in gone {
                store::set_step(tx, *st, StepState::Cancelled.code(), None, now).await?;
                if let Some((p, _)) = person_of(*st) {
                    spine::cancel(tx, doc, p, now).await?;
                }
            }
            detail.insert("cancelled".into(), json!(gone.iter().map(|x| x.0).collect::<Vec<_>>()));
        }
        OutgoingEvent::Submitted => {
            spine::close(tx, doc, PersonId(doc.drafter_id), actor, "submitted", now).await?;
        }
        OutgoingEvent::Checked { pass, opinion } => {
            store::set_check(tx, id, actor.person_id, opinion).await?;
            detail.insert("pass".into(), json!(pass));
            detail.insert("opinion".into(), json!(opinion));
        }
        OutgoingEvent::ReturnedToDrafter { reason } => {
            store::set_return_reason(tx, id, reason).await?;
            spine::open(tx, doc, PersonId(doc.drafter_id), TaskKind::Handle, "修改：", actor, None, now).await?;
            detail.insert("reason".into(), json!(reason));
        }
        OutgoingEvent::Withdrawn { reason } => {
            store::set_return_reason(tx, id, reason).await?;
            detail.insert("reason".into(), json!(reason));
        }
        OutgoingEvent::Signed { date, opinion } => {
            store::set_signed(tx, id, &date.format("%Y-%m-%d").to_string(), opinion).await?;
            detail.insert("signed_on".into(), json!(date.to_string()));
        }
        OutgoingEvent::NumberRequested => {
            let year = i64::from(now.local_date().year());
            let seq = store::assign_number(tx, &doc.prefix, year, id, actor.person_id, now).await?;
            let n = DocNumber { prefix: doc.prefix.clone(), year, seq };
            store::set_number(tx, id, Some(year), Some(seq), Some(n.to_string())).await?;
            detail.insert("number".into(), json!(n.to_string()));
        }
        OutgoingEvent::NumberVoided { reason } => {
            let (Some(year), Some(seq)) = (doc.number_year, doc.number_seq) else {
                return Err(ServiceError::Conflict("no number to void".into()));
            };
            store::void_number(tx, &doc.prefix, year, seq, actor.person_id, reason, now).await?;
            store::set_number(tx, id, None, None, None).await?;
            detail.insert("number".into(), json!(doc.doc_number));
            detail.insert("reason".into(), json!(reason));
        }
        OutgoingEvent::Distributed => {
            let dist = store::insert_distribution(tx, id, actor.person_id, now).await?;
            let mut internal = Vec::new();
            for r in recipients {
                let person = match (r.department_id, r.person_id) {
                    (Some(d), _) => Some(store::department_head(tx, DepartmentId(d)).await?.ok_or_else(|| {
                        ServiceError::invalid("recipients", format!("{} has no active head to sign for it", r.name))
                    })?),
                    (None, Some(p)) => Some(PersonId(p)),
                    _ => None,
                };
                store::insert_receipt(tx, dist, id, r.recipient_id, person).await?;
                if let Some(p) = person {
                    internal.push(p.0);
                    spine::open(tx, doc, p, TaskKind::Handle, "签收：", actor, receipt_due, now).await?;
                }
            }
            detail.insert("distribution".into(), json!(dist));
            detail.insert("receipts".into(), json!(recipients.len()));
            detail.insert("internal".into(), json!(internal));
            if let Some(entry) = propose_chronicle(tx, s, origin, doc, now).await? {
                detail.insert("chronicle_candidate".into(), json!(entry));
            }
        }
        OutgoingEvent::DistributionCancelled { reason } => {
            for r in store::receipts_tx(tx, id).await?.iter().filter(|r| r.state == "pending") {
                if let Some(p) = r.person_id {
                    spine::cancel(tx, doc, PersonId(p), now).await?;
                }
            }
            store::cancel_distribution(tx, id, actor.person_id, reason, now).await?;
            detail.insert("reason".into(), json!(reason));
        }
    }
    Ok(())
}

/// R8.2: an issued decision document proposes a chronicle candidate, in the issuing
/// transaction; which documents qualify is the domain's rule. A document distributed again
/// after a cancelled distribution proposes nothing new (each source once). The candidate's
/// own record names the distributor.
async fn propose_chronicle(
    tx: &mut crate::db::Tx,
    s: &Services,
    origin: &Origin,
    doc: &OutgoingRow,
    now: Timestamp,
) -> ServiceResult<Option<i64>> {
    let issued = IssuedDocument {
        doc_type: &doc.doc_type,
        classification: &doc.classification,
        title: &doc.title,
        doc_number: doc.doc_number.as_deref(),
        signer: &doc.signer_name,
        issued_on: now.local_date(),
    };
    let Some(e) = chronicle_rules::outgoing_candidate(&issued) else { return Ok(None) };
    let source = CandidateSource::Outgoing {
        id: doc.outgoing_id,
        date: e.date,
        event: e.event,
        people: e.people,
        source: e.source,
    };
    Ok(chronicle::propose_from(tx, &s.audit_key, origin, source, now).await?.map(|c| c.0))
}
