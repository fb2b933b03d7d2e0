//! Retention review and destruction (鉴定销毁): the archivist proposes destroying an item whose
//! retention has run out, the office head approves or rejects (never the proposer), and only
//! then the archivist destroys: the files go, the item's metadata and this record stay.

use super::{ArchiveError, Retention, invalid};
use crate::PersonId;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DestructionState {
    Proposed,
    Approved,
    Rejected,
    Destroyed,
}

impl DestructionState {
    pub fn code(self) -> &'static str {
        match self {
            DestructionState::Proposed => "proposed",
            DestructionState::Approved => "approved",
            DestructionState::Rejected => "rejected",
            DestructionState::Destroyed => "destroyed",
        }
    }
    pub fn parse(s: &str) -> DestructionState {
        match s {
            "approved" => DestructionState::Approved,
            "rejected" => DestructionState::Rejected,
            "destroyed" => DestructionState::Destroyed,
            _ => DestructionState::Proposed,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum DestructionAction {
    Approve,
    Reject { reason: String },
    Destroy,
}

/// Who acts and who proposed, as the rules need them.
#[derive(Clone, Debug)]
pub struct DestructionFacts {
    pub state: DestructionState,
    pub proposed_by: PersonId,
    pub actor: PersonId,
    pub actor_is_office_head: bool,
    pub actor_is_archivist: bool,
}

/// May this item be proposed for destruction in `this_year`? Permanent items never; the
/// others once their period has run out (filing year + years ≤ this year).
pub fn may_propose(retention: Retention, filing_year: i32, this_year: i32) -> Result<(), ArchiveError> {
    match retention.review_year(filing_year) {
        None => Err(ArchiveError::NotAllowed("permanent records are never destroyed")),
        Some(y) if y > this_year => Err(invalid("retention", format!("kept until the end of {y}; not yet due"))),
        Some(_) => Ok(()),
    }
}

/// One step of the destruction review.
pub fn decide(f: &DestructionFacts, action: &DestructionAction) -> Result<DestructionState, ArchiveError> {
    use DestructionAction as A;
    use DestructionState as S;
    match (f.state, action) {
        (S::Proposed, A::Approve | A::Reject { .. }) => {
            if !f.actor_is_office_head {
                return Err(ArchiveError::NotAllowed("only the office head approves a destruction"));
            }
            if f.actor == f.proposed_by {
                return Err(ArchiveError::NotAllowed("the proposer cannot approve their own destruction"));
            }
            match action {
                A::Reject { reason } if reason.trim().is_empty() => Err(invalid("reason", "required")),
                A::Reject { .. } => Ok(S::Rejected),
                _ => Ok(S::Approved),
            }
        }
        (S::Approved, A::Destroy) => {
            if f.actor_is_archivist {
                Ok(S::Destroyed)
            } else {
                Err(ArchiveError::NotAllowed("only an archivist destroys records"))
            }
        }
        (s, _) => Err(ArchiveError::WrongState(s.code())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DestructionAction as A;
    use DestructionState as S;

    const ARCHIVIST: PersonId = PersonId(1);
    const HEAD: PersonId = PersonId(2);
    const OTHER: PersonId = PersonId(3);

    fn facts(state: S, actor: PersonId) -> DestructionFacts {
        DestructionFacts {
            state,
            proposed_by: ARCHIVIST,
            actor,
            actor_is_office_head: actor == HEAD,
            actor_is_archivist: actor == ARCHIVIST,
        }
    }

    #[test]
    fn decide_table() {
        let reject = A::Reject { reason: "仍有查考价值".into() };
        let cases: &[(S, PersonId, A, Option<S>)] = &[
            (S::Proposed, HEAD, A::Approve, Some(S::Approved)),
            (S::Proposed, HEAD, reject.clone(), Some(S::Rejected)),
            (S::Proposed, HEAD, A::Reject { reason: " ".into() }, None),
            (S::Proposed, OTHER, A::Approve, None),
            (S::Proposed, ARCHIVIST, A::Approve, None),
            // Destruction without approval is refused.
            (S::Proposed, ARCHIVIST, A::Destroy, None),
            (S::Rejected, ARCHIVIST, A::Destroy, None),
            (S::Approved, ARCHIVIST, A::Destroy, Some(S::Destroyed)),
            (S::Approved, HEAD, A::Destroy, None),
            (S::Approved, HEAD, A::Approve, None),
            (S::Destroyed, ARCHIVIST, A::Destroy, None),
        ];
        for (state, actor, action, want) in cases {
            assert_eq!(decide(&facts(*state, *actor), action).ok(), *want, "{state:?} {actor:?} {action:?}");
        }
    }

    #[test]
    fn the_proposer_cannot_approve_even_as_office_head() {
        let f = DestructionFacts {
            state: S::Proposed,
            proposed_by: HEAD,
            actor: HEAD,
            actor_is_office_head: true,
            actor_is_archivist: true,
        };
        assert!(decide(&f, &A::Approve).is_err());
    }

    #[test]
    fn proposal_only_when_due() {
        assert!(may_propose(Retention::Permanent, 2000, 2100).is_err());
        assert!(may_propose(Retention::Years10, 2026, 2035).is_err());
        assert!(may_propose(Retention::Years10, 2026, 2036).is_ok());
        assert!(may_propose(Retention::Years30, 1990, 2026).is_ok());
    }
}
