//! The seal-use application (用印申请单, R7.4): the department head signs, then the
//! supervising leader approves, and only then may the seal's keeper stamp and log the use
//! (R7.2, R7.6). One pure `decide` holds every move.

use super::SealState;
use super::{SealError, invalid};
use crate::access::Actor;
use crate::ids::PersonId;
use crate::org::Clearance;
use crate::outgoing::OutgoingState;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationState {
    /// Filled in; waits for the applicant's department head.
    Drafted,
    /// The department head signed; waits for the supervising leader.
    HeadSigned,
    /// The supervising leader approved; waits for the keeper.
    Approved,
    /// The keeper applied the seal and logged the use. Final.
    Stamped,
    /// A signer refused. Final.
    Rejected,
    /// The applicant took it back before use. Final.
    Withdrawn,
}

impl ApplicationState {
    pub const ALL: [ApplicationState; 6] = [
        ApplicationState::Drafted,
        ApplicationState::HeadSigned,
        ApplicationState::Approved,
        ApplicationState::Stamped,
        ApplicationState::Rejected,
        ApplicationState::Withdrawn,
    ];
    pub fn code(self) -> &'static str {
        match self {
            ApplicationState::Drafted => "drafted",
            ApplicationState::HeadSigned => "head_signed",
            ApplicationState::Approved => "approved",
            ApplicationState::Stamped => "stamped",
            ApplicationState::Rejected => "rejected",
            ApplicationState::Withdrawn => "withdrawn",
        }
    }
    pub fn parse(s: &str) -> ApplicationState {
        Self::ALL.into_iter().find(|x| x.code() == s).unwrap_or(ApplicationState::Drafted)
    }
    pub fn is_final(self) -> bool {
        matches!(self, ApplicationState::Stamped | ApplicationState::Rejected | ApplicationState::Withdrawn)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApplicationAction {
    /// The department head's signature (R7.4, first).
    HeadSign,
    /// The supervising leader's signature (R7.4, second).
    LeaderApprove,
    /// The keeper applies the seal; `copies` is what was actually stamped.
    Stamp { copies: i64 },
    /// The signer whose turn it is refuses, with a reason.
    Reject { reason: String },
    /// The applicant takes the application back before the seal is applied.
    Withdraw,
}

/// What happened, for the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum ApplicationEvent {
    HeadSigned { by: PersonId, acting_for: Option<PersonId>, at: Timestamp },
    LeaderApproved { by: PersonId, acting_for: Option<PersonId>, at: Timestamp },
    Stamped { keeper: PersonId, copies: i64, at: Timestamp },
    Rejected { by: PersonId, reason: String, at: Timestamp },
    Withdrawn { by: PersonId, at: Timestamp },
}

impl ApplicationEvent {
    pub fn name(&self) -> &'static str {
        match self {
            ApplicationEvent::HeadSigned { .. } => "head_signed",
            ApplicationEvent::LeaderApproved { .. } => "leader_approved",
            ApplicationEvent::Stamped { .. } => "stamped",
            ApplicationEvent::Rejected { .. } => "rejected",
            ApplicationEvent::Withdrawn { .. } => "withdrawn",
        }
    }
}

/// The facts `decide` needs: who must sign, who keeps the seal, whether it is still in use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApplicationFacts {
    pub state: ApplicationState,
    pub applicant: PersonId,
    /// The applicant's department head, fixed when the application was made.
    pub head: PersonId,
    /// The department's supervising leader (分管领导), fixed when the application was made.
    pub leader: PersonId,
    /// The seal's designated keeper (R7.2).
    pub keeper: PersonId,
    /// The seal's state: only an active seal is applied for or stamped (R7.3; a suspended
    /// seal waits until the office resumes it).
    pub seal: SealState,
    /// Copies asked for; a keeper may stamp fewer, never more.
    pub copies: i64,
}

/// Acting as `who`: in person or as their delegate.
fn is(actor: &Actor, who: PersonId) -> bool {
    actor.person_id == who || actor.acting_for == Some(who)
}

/// Copies asked for on an application: 1–999.
pub fn validate_copies(copies: &str) -> Result<i64, SealError> {
    match copies.trim().parse::<i64>() {
        Ok(n) if (1..=999).contains(&n) => Ok(n),
        _ => Err(invalid("copies", "a whole number, 1–999")),
    }
}

/// An outgoing document named on an application (issue 6, "an outgoing document from the
/// system"): its text must be final, so signed off (签发), registered or distributed. A
/// classified one is refused: the application and its sealed file are read by the keeper and
/// the signers, who need not be on the document's route, and carry no classification, so
/// classified documents go to the keeper on paper.
pub fn validate_outgoing(state: OutgoingState, classification: Clearance) -> Result<(), SealError> {
    if classification > Clearance::None {
        return Err(invalid("outgoing_id", "a classified document is sealed on paper, not through the system"));
    }
    match state {
        OutgoingState::Signed | OutgoingState::Registered | OutgoingState::Distributed => Ok(()),
        _ => Err(invalid("outgoing_id", "only a document signed off, registered or distributed can be sealed")),
    }
}

pub fn decide(
    f: &ApplicationFacts,
    actor: &Actor,
    action: ApplicationAction,
    now: Timestamp,
) -> Result<(ApplicationState, ApplicationEvent), SealError> {
    use ApplicationAction as A;
    use ApplicationState::*;
    if f.state.is_final() {
        return Err(SealError::WrongState(f.state.code()));
    }
    let acting_for = actor.acting_for;
    match (f.state, action) {
        // Refusing or withdrawing stays possible on a decommissioned seal, so nothing is stuck.
        (_, A::Withdraw) => {
            if !is(actor, f.applicant) {
                return Err(SealError::NotApplicant);
            }
            Ok((Withdrawn, ApplicationEvent::Withdrawn { by: actor.person_id, at: now }))
        }
        (Drafted | HeadSigned, A::Reject { reason }) => {
            let signer_ok = if f.state == Drafted { is(actor, f.head) } else { is(actor, f.leader) };
            if !signer_ok {
                return Err(if f.state == Drafted {
                    SealError::NotDepartmentHead
                } else {
                    SealError::NotSupervisingLeader
                });
            }
            let reason = reason.trim();
            if reason.is_empty() {
                return Err(invalid("reason", "required"));
            }
            crate::text::check_multiline(reason).map_err(|m| invalid("reason", m))?;
            Ok((Rejected, ApplicationEvent::Rejected { by: actor.person_id, reason: reason.to_string(), at: now }))
        }
        _ if f.seal == SealState::Decommissioned => Err(SealError::Decommissioned),
        _ if f.seal == SealState::Suspended => Err(SealError::Suspended),
        (Drafted, A::HeadSign) => {
            if !is(actor, f.head) {
                return Err(SealError::NotDepartmentHead);
            }
            Ok((HeadSigned, ApplicationEvent::HeadSigned { by: actor.person_id, acting_for, at: now }))
        }
        (HeadSigned, A::LeaderApprove) => {
            if !is(actor, f.leader) {
                return Err(SealError::NotSupervisingLeader);
            }
            Ok((Approved, ApplicationEvent::LeaderApproved { by: actor.person_id, acting_for, at: now }))
        }
        // The seal never leaves its keeper's custody: only the keeper stamps, in person.
        (Approved, A::Stamp { copies }) => {
            if actor.person_id != f.keeper {
                return Err(SealError::NotKeeper);
            }
            if copies < 1 || copies > f.copies {
                return Err(invalid("copies", "at least 1 and no more than were approved"));
            }
            Ok((Stamped, ApplicationEvent::Stamped { keeper: actor.person_id, copies, at: now }))
        }
        (state, _) => Err(SealError::WrongState(state.code())),
    }
}
