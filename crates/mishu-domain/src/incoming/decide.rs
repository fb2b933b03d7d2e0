//! `decide`: given a received document's facts, who acts, what they do and when, the next
//! state and what happened (new steps, acted steps, steps opened, ended or cancelled), or
//! why the move is refused. The service applies the events; nothing here does I/O.

use super::new_steps::{department_steps, leader_steps};
use super::route::{advance_departments, advance_leaders};
use super::state::{IncomingAction, IncomingEvent, IncomingFacts, StepAct, StepFacts};
use super::{IncomingError, IncomingState, Stage, StepMode, StepState, required_text};
use crate::access::Actor;
use crate::ids::IncomingStepId;
use crate::org::Role;
use crate::tasks::acts_as_owner;
use crate::time::Timestamp;
use std::collections::BTreeSet;

fn is_office(a: &Actor) -> bool {
    a.has_role(Role::Secretary) || a.has_role(Role::OfficeHead)
}

fn office(a: &Actor) -> Result<(), IncomingError> {
    if is_office(a) { Ok(()) } else { Err(IncomingError::NotOffice) }
}

fn step_of(f: &IncomingFacts, id: IncomingStepId) -> Result<&StepFacts, IncomingError> {
    f.steps.iter().find(|s| s.id == id).ok_or(IncomingError::NoSuchStep)
}

/// The open step `id` of `stage`, held by the actor (or the person they act for).
fn held_step<'a>(
    f: &'a IncomingFacts,
    a: &Actor,
    id: IncomingStepId,
    stage: Stage,
) -> Result<&'a StepFacts, IncomingError> {
    let s = step_of(f, id)?;
    if s.stage != stage {
        return Err(IncomingError::NoSuchStep);
    }
    if s.state != StepState::Open {
        return Err(IncomingError::StepEnded);
    }
    if !acts_as_owner(a, s.person) {
        return Err(IncomingError::NotHolder);
    }
    Ok(s)
}

/// Facts after a set of step changes, for working out what opens next.
fn with_changes(f: &IncomingFacts, changes: &[(IncomingStepId, StepState)]) -> Vec<StepFacts> {
    let mut steps = f.steps.clone();
    for (id, st) in changes {
        if let Some(s) = steps.iter_mut().find(|s| s.id == *id) {
            s.state = *st;
        }
    }
    steps
}

/// Applies step changes, then lets the route move on: the next leaders open, or the
/// stage ends and the document goes back to the office.
fn finish_step(
    f: &IncomingFacts,
    stage: Stage,
    changes: &[(IncomingStepId, StepState)],
    mut events: Vec<IncomingEvent>,
) -> (IncomingState, Vec<IncomingEvent>) {
    let steps = with_changes(f, changes);
    let (next, opened) = match stage {
        Stage::Leader => advance_leaders(&steps, f.round),
        Stage::Department => (advance_departments(&steps, f.round), vec![]),
    };
    if !opened.is_empty() {
        events.push(IncomingEvent::StepsOpened { steps: opened });
    }
    (next, events)
}

pub fn decide(
    f: &IncomingFacts,
    a: &Actor,
    action: IncomingAction,
    now: Timestamp,
) -> Result<(IncomingState, Vec<IncomingEvent>), IncomingError> {
    use IncomingAction as A;
    use IncomingState as S;
    let wrong = || Err(IncomingError::WrongState(f.state.code()));
    match action {
        A::Propose { opinion, submission, leaders, parallel } => {
            if !matches!(f.state, S::Registered | S::Proposed) {
                return wrong();
            }
            office(a)?;
            let opinion = required_text("opinion", &opinion)?;
            let distinct: BTreeSet<_> = leaders.iter().collect();
            if distinct.len() != leaders.len() {
                return Err(IncomingError::invalid("leaders", "a leader appears twice in the route"));
            }
            if leaders.len() > 12 {
                return Err(IncomingError::invalid("leaders", "at most 12 leaders"));
            }
            let round = f.round + 1;
            let steps = leader_steps(round, submission, &leaders, parallel);
            let next = if steps.is_empty() { S::Proposed } else { S::WithLeaders };
            Ok((next, vec![IncomingEvent::Proposed { opinion, submission, round, steps }]))
        }
        A::Instruct { step, text } => {
            if f.state != S::WithLeaders {
                return wrong();
            }
            let s = held_step(f, a, step, Stage::Leader)?;
            if s.mode == StepMode::Oral {
                return Err(IncomingError::invalid("step", "an oral report is recorded by the office"));
            }
            let text = required_text("text", &text)?;
            let acted = IncomingEvent::StepActed {
                step,
                act: StepAct::Instructed,
                text,
                by: a.person_id,
                acting_for: a.acting_for,
                at: now,
            };
            Ok(finish_step(f, Stage::Leader, &[(step, StepState::Done)], vec![acted]))
        }
        A::MarkRead { step } => {
            if f.state != S::WithLeaders {
                return wrong();
            }
            let s = held_step(f, a, step, Stage::Leader)?;
            if s.mode != StepMode::Read {
                return Err(IncomingError::invalid("text", "this step asks for a written instruction (呈批)"));
            }
            let acted = IncomingEvent::StepActed {
                step,
                act: StepAct::Read,
                text: String::new(),
                by: a.person_id,
                acting_for: a.acting_for,
                at: now,
            };
            Ok(finish_step(f, Stage::Leader, &[(step, StepState::Done)], vec![acted]))
        }
        A::RecordOral { step, reply, reported_at } => {
            if f.state != S::WithLeaders {
                return wrong();
            }
            office(a)?;
            let s = step_of(f, step)?;
            if s.stage != Stage::Leader || s.mode != StepMode::Oral {
                return Err(IncomingError::NoSuchStep);
            }
            if s.state != StepState::Open {
                return Err(IncomingError::StepEnded);
            }
            let text = required_text("reply", &reply)?;
            if reported_at > now {
                return Err(IncomingError::invalid("reported_at", "cannot be in the future"));
            }
            let acted = IncomingEvent::StepActed {
                step,
                act: StepAct::OralRecorded,
                text,
                by: a.person_id,
                acting_for: a.acting_for,
                at: reported_at,
            };
            Ok(finish_step(f, Stage::Leader, &[(step, StepState::Done)], vec![acted]))
        }
        A::Assign { assignments } => {
            if !matches!(f.state, S::Proposed | S::Instructed | S::Assigned | S::Handled) {
                return wrong();
            }
            office(a)?;
            let steps = department_steps(f, &assignments, now)?;
            Ok((S::Assigned, vec![IncomingEvent::Assigned { steps }]))
        }
        A::Reply { step, result } => {
            if f.state != S::Assigned {
                return wrong();
            }
            held_step(f, a, step, Stage::Department)?;
            let text = required_text("result", &result)?;
            let acted = IncomingEvent::StepActed {
                step,
                act: StepAct::Replied,
                text,
                by: a.person_id,
                acting_for: a.acting_for,
                at: now,
            };
            Ok(finish_step(f, Stage::Department, &[(step, StepState::Done)], vec![acted]))
        }
        A::Recall { step } => {
            if !matches!(f.state, S::WithLeaders | S::Assigned) {
                return wrong();
            }
            office(a)?;
            let s = step_of(f, step)?;
            let stage_now = if f.state == S::WithLeaders { Stage::Leader } else { Stage::Department };
            if s.stage != stage_now || !s.state.is_pending() {
                return Err(IncomingError::StepEnded);
            }
            let ended = IncomingEvent::StepEnded { step, end: StepState::Recalled, reason: String::new() };
            Ok(finish_step(f, s.stage, &[(step, StepState::Recalled)], vec![ended]))
        }
        A::ReturnStep { step, reason } => {
            let stage = match f.state {
                S::WithLeaders => Stage::Leader,
                S::Assigned => Stage::Department,
                _ => return wrong(),
            };
            held_step(f, a, step, stage)?;
            let reason = required_text("reason", &reason)?;
            let mut events = vec![IncomingEvent::StepEnded { step, end: StepState::Returned, reason }];
            if stage == Stage::Department {
                return Ok(finish_step(f, stage, &[(step, StepState::Returned)], events));
            }
            // A leader sending the route back sends the whole proposal back: the office
            // proposes again, and the leaders still waiting are not asked this round.
            for s in f
                .steps
                .iter()
                .filter(|s| s.stage == Stage::Leader && s.round == f.round && s.id != step && s.state.is_pending())
            {
                events.push(IncomingEvent::StepEnded { step: s.id, end: StepState::Cancelled, reason: String::new() });
            }
            Ok((S::Registered, events))
        }
        A::ReturnToSender { reason } => {
            if !matches!(f.state, S::Registered | S::Proposed) {
                return wrong();
            }
            office(a)?;
            let reason = required_text("reason", &reason)?;
            Ok((S::Returned, vec![IncomingEvent::ReturnedToSender { reason }]))
        }
        A::Close { outcome, reply, promote } => {
            if !matches!(f.state, S::Proposed | S::Instructed | S::Handled) {
                return wrong();
            }
            office(a)?;
            let outcome = required_text("outcome", &outcome)?;
            let reply = super::optional_text("reply", &reply)?;
            if f.doc_type.needs_reply() && reply.is_empty() {
                return Err(IncomingError::NoReply);
            }
            if promote && !f.doc_type.may_be_promoted() {
                return Err(IncomingError::invalid(
                    "promote",
                    "only reports (报告) are selected for wider circulation",
                ));
            }
            Ok((S::Closed, vec![IncomingEvent::Closed { outcome, reply, promoted: promote }]))
        }
    }
}
