//! `decide`: given an outgoing document's facts, who acts and what they do, the next state
//! and what happened, or why the move is refused. Countersigning in order or together; a
//! disagreement sends the draft back to the drafter with the objection and cancels — never
//! skips — the countersignatures not yet given. The service applies the events.

use super::{OutgoingError, OutgoingState, StepKind, StepState, required_text};
use crate::access::Actor;
use crate::ids::{OutgoingStepId, PersonId};
use crate::org::Role;
use crate::tasks::acts_as_owner;
use crate::time::Timestamp;
use chrono::NaiveDate;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepFacts {
    pub id: OutgoingStepId,
    pub kind: StepKind,
    pub person: PersonId,
    pub round: i64,
    pub seq: i64,
    pub state: StepState,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutgoingFacts {
    pub state: OutgoingState,
    pub drafter: PersonId,
    pub signer: PersonId,
    pub countersigners: Vec<PersonId>,
    pub countersign_parallel: bool,
    pub round: i64,
    pub steps: Vec<StepFacts>,
    /// At least one version of the text exists.
    pub has_text: bool,
    /// The lint (run by the service on the latest version) found errors.
    pub lint_errors: Vec<&'static str>,
    /// The 发文字号 held now, if any.
    pub number: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OutgoingAction {
    /// The drafter asks several people for comments in parallel (R2.2 step 6).
    OpenReview {
        reviewers: Vec<PersonId>,
    },
    /// A reviewer's comment.
    Comment {
        step: OutgoingStepId,
        text: String,
    },
    /// The drafter ends the round; comments not given are cancelled, visibly.
    CloseReview,
    /// The drafter sends the latest version to the office for the check.
    Submit,
    /// 核稿: passes (errors must be fixed first) or goes back with what to change.
    Check {
        pass: bool,
        opinion: String,
    },
    /// 不宜发文: the office stops the draft for good, with a reason.
    Withdraw {
        reason: String,
    },
    Countersign {
        step: OutgoingStepId,
        agree: bool,
        opinion: String,
    },
    /// 签发: approve (圈阅 counts as consent) or send back with a reason.
    Sign {
        approve: bool,
        opinion: String,
    },
    /// 复核 and 登记: the final check passes and the next number is assigned.
    Register,
    /// A number was wrong: it is voided with a reason and stays in the ledger.
    VoidNumber {
        reason: String,
    },
    Distribute,
    CancelDistribution {
        reason: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OutgoingEvent {
    /// New steps of `kind` in `round`: (person, position, initial state).
    StepsAdded {
        kind: StepKind,
        round: i64,
        steps: Vec<(PersonId, i64, StepState)>,
    },
    StepActed {
        step: OutgoingStepId,
        state: StepState,
        opinion: String,
    },
    StepsOpened {
        steps: Vec<OutgoingStepId>,
    },
    StepsCancelled {
        steps: Vec<OutgoingStepId>,
    },
    Submitted,
    Checked {
        pass: bool,
        opinion: String,
    },
    /// Back to the drafter with the reason (check failed, objection, sign-off refused).
    ReturnedToDrafter {
        reason: String,
    },
    Withdrawn {
        reason: String,
    },
    /// 成文日期 := the sign-off date (条例 9(12)); derived, never typed.
    Signed {
        date: NaiveDate,
        opinion: String,
    },
    NumberRequested,
    NumberVoided {
        reason: String,
    },
    Distributed,
    DistributionCancelled {
        reason: String,
    },
}

fn is_office(a: &Actor) -> bool {
    a.has_role(Role::Secretary) || a.has_role(Role::OfficeHead)
}

fn office(a: &Actor) -> Result<(), OutgoingError> {
    if is_office(a) { Ok(()) } else { Err(OutgoingError::NotOffice) }
}

fn drafter(f: &OutgoingFacts, a: &Actor) -> Result<(), OutgoingError> {
    if acts_as_owner(a, f.drafter) { Ok(()) } else { Err(OutgoingError::NotDrafter) }
}

fn in_state(f: &OutgoingFacts, s: OutgoingState) -> Result<(), OutgoingError> {
    if f.state == s { Ok(()) } else { Err(OutgoingError::WrongState(f.state.code())) }
}

fn pending(f: &OutgoingFacts, kind: StepKind) -> Vec<&StepFacts> {
    f.steps
        .iter()
        .filter(|s| s.kind == kind && s.round == f.round && matches!(s.state, StepState::Waiting | StepState::Open))
        .collect()
}

fn held<'a>(
    f: &'a OutgoingFacts,
    a: &Actor,
    id: OutgoingStepId,
    kind: StepKind,
) -> Result<&'a StepFacts, OutgoingError> {
    let s = f.steps.iter().find(|s| s.id == id && s.kind == kind).ok_or(OutgoingError::NotHolder)?;
    if s.state != StepState::Open || !acts_as_owner(a, s.person) {
        return Err(OutgoingError::NotHolder);
    }
    Ok(s)
}

/// After the check passes or the last countersignature: the countersigners (in order or
/// together), or straight to the signer.
fn next_route(f: &OutgoingFacts, after_countersign: bool) -> (OutgoingState, Vec<OutgoingEvent>) {
    let round = f.round + 1;
    if !after_countersign && !f.countersigners.is_empty() {
        let steps = f
            .countersigners
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let seq = if f.countersign_parallel { 0 } else { i as i64 };
                let st = if f.countersign_parallel || i == 0 { StepState::Open } else { StepState::Waiting };
                (*p, seq, st)
            })
            .collect();
        return (
            OutgoingState::Countersigning,
            vec![OutgoingEvent::StepsAdded { kind: StepKind::Countersign, round, steps }],
        );
    }
    let steps = vec![(f.signer, 0, StepState::Open)];
    (OutgoingState::AwaitingSignature, vec![OutgoingEvent::StepsAdded { kind: StepKind::Sign, round, steps }])
}

pub fn decide(
    f: &OutgoingFacts,
    a: &Actor,
    action: &OutgoingAction,
    now: Timestamp,
) -> Result<(OutgoingState, Vec<OutgoingEvent>), OutgoingError> {
    use OutgoingAction as A;
    use OutgoingEvent as E;
    use OutgoingState as S;
    match action {
        A::OpenReview { reviewers } => {
            in_state(f, S::Drafting)?;
            drafter(f, a)?;
            if reviewers.is_empty() {
                return Err(OutgoingError::invalid("reviewers", "name at least one reviewer"));
            }
            if !pending(f, StepKind::Review).is_empty() {
                return Err(OutgoingError::invalid("reviewers", "a review round is already open"));
            }
            let mut people: Vec<PersonId> = Vec::new();
            for p in reviewers {
                if !people.contains(p) && *p != f.drafter {
                    people.push(*p);
                }
            }
            let steps = people.into_iter().map(|p| (p, 0, StepState::Open)).collect();
            Ok((S::Drafting, vec![E::StepsAdded { kind: StepKind::Review, round: f.round, steps }]))
        }
        A::Comment { step, text } => {
            in_state(f, S::Drafting)?;
            let s = held(f, a, *step, StepKind::Review)?;
            let text = required_text("comment", text, super::MAX_TEXT)?;
            Ok((S::Drafting, vec![E::StepActed { step: s.id, state: StepState::Done, opinion: text }]))
        }
        A::CloseReview => {
            in_state(f, S::Drafting)?;
            drafter(f, a)?;
            let open: Vec<OutgoingStepId> = pending(f, StepKind::Review).iter().map(|s| s.id).collect();
            if open.is_empty() {
                return Err(OutgoingError::invalid("review", "no review round is open"));
            }
            Ok((S::Drafting, vec![E::StepsCancelled { steps: open }]))
        }
        A::Submit => {
            in_state(f, S::Drafting)?;
            drafter(f, a)?;
            if !f.has_text {
                return Err(OutgoingError::invalid("body", "write a first version before submitting"));
            }
            if !pending(f, StepKind::Review).is_empty() {
                return Err(OutgoingError::invalid("review", "the review round is still open: wait or close it"));
            }
            Ok((S::Checking, vec![E::Submitted]))
        }
        A::Check { pass, opinion } => {
            in_state(f, S::Checking)?;
            office(a)?;
            if *pass {
                if !f.lint_errors.is_empty() {
                    return Err(OutgoingError::LintFailed(f.lint_errors.join(", ")));
                }
                let (next, mut events) = next_route(f, false);
                events.insert(0, E::Checked { pass: true, opinion: opinion.trim().to_string() });
                Ok((next, events))
            } else {
                let reason = required_text("opinion", opinion, super::MAX_TEXT)?;
                Ok((
                    S::Drafting,
                    vec![E::Checked { pass: false, opinion: reason.clone() }, E::ReturnedToDrafter { reason }],
                ))
            }
        }
        A::Withdraw { reason } => {
            in_state(f, S::Checking)?;
            office(a)?;
            let reason = required_text("reason", reason, super::MAX_TEXT)?;
            Ok((S::Withdrawn, vec![E::Withdrawn { reason }]))
        }
        A::Countersign { step, agree, opinion } => {
            in_state(f, S::Countersigning)?;
            let s = held(f, a, *step, StepKind::Countersign)?;
            if !agree {
                let reason = required_text("opinion", opinion, super::MAX_TEXT)?;
                let rest: Vec<OutgoingStepId> =
                    pending(f, StepKind::Countersign).iter().map(|x| x.id).filter(|id| *id != s.id).collect();
                let mut events = vec![E::StepActed { step: s.id, state: StepState::Objected, opinion: reason.clone() }];
                if !rest.is_empty() {
                    events.push(E::StepsCancelled { steps: rest });
                }
                events.push(E::ReturnedToDrafter { reason });
                return Ok((S::Drafting, events));
            }
            let mut events =
                vec![E::StepActed { step: s.id, state: StepState::Done, opinion: opinion.trim().to_string() }];
            let left: Vec<&StepFacts> =
                pending(f, StepKind::Countersign).into_iter().filter(|x| x.id != s.id).collect();
            if left.is_empty() {
                let (next, more) = next_route(f, true);
                events.extend(more);
                return Ok((next, events));
            }
            if !left.iter().any(|x| x.state == StepState::Open) {
                let first = left.iter().map(|x| x.seq).min().unwrap_or(0);
                let open = left.iter().filter(|x| x.seq == first).map(|x| x.id).collect();
                events.push(E::StepsOpened { steps: open });
            }
            Ok((S::Countersigning, events))
        }
        A::Sign { approve, opinion } => {
            in_state(f, S::AwaitingSignature)?;
            let Some(s) = pending(f, StepKind::Sign).into_iter().find(|s| s.state == StepState::Open) else {
                return Err(OutgoingError::WrongState(f.state.code()));
            };
            if !acts_as_owner(a, s.person) {
                return Err(OutgoingError::NotSigner);
            }
            if *approve {
                let opinion = match opinion.trim() {
                    "" => "同意".to_string(),
                    o => required_text("opinion", o, super::MAX_TEXT)?,
                };
                let date = now.local_date();
                Ok((
                    S::Signed,
                    vec![
                        E::StepActed { step: s.id, state: StepState::Done, opinion: opinion.clone() },
                        E::Signed { date, opinion },
                    ],
                ))
            } else {
                let reason = required_text("opinion", opinion, super::MAX_TEXT)?;
                Ok((
                    S::Drafting,
                    vec![
                        E::StepActed { step: s.id, state: StepState::Objected, opinion: reason.clone() },
                        E::ReturnedToDrafter { reason },
                    ],
                ))
            }
        }
        A::Register => {
            office(a)?;
            if let Some(n) = &f.number {
                return Err(OutgoingError::AlreadyNumbered(n.clone()));
            }
            in_state(f, S::Signed)?;
            if !f.lint_errors.is_empty() {
                return Err(OutgoingError::LintFailed(f.lint_errors.join(", ")));
            }
            Ok((S::Registered, vec![E::NumberRequested]))
        }
        A::VoidNumber { reason } => {
            in_state(f, S::Registered)?;
            office(a)?;
            let reason = required_text("reason", reason, super::MAX_TEXT)?;
            Ok((S::Signed, vec![E::NumberVoided { reason }]))
        }
        A::Distribute => {
            in_state(f, S::Registered)?;
            office(a)?;
            Ok((S::Distributed, vec![E::Distributed]))
        }
        A::CancelDistribution { reason } => {
            in_state(f, S::Distributed)?;
            office(a)?;
            let reason = required_text("reason", reason, super::MAX_TEXT)?;
            Ok((S::Registered, vec![E::DistributionCancelled { reason }]))
        }
    }
}
