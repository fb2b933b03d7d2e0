//! Leader-assigned tasks (领导交办事项): a leader gives a task, the owner answers
//! ("领导交办有回音", R1.8), and nobody can close it without an answer.

use crate::access::Actor;
use crate::ids::PersonId;
use crate::org::Role;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LeaderTaskError {
    #[error("title: required (1–200 characters)")]
    TitleInvalid,
    #[error("due: must be after now")]
    DueInPast,
    #[error("answer: required")]
    AnswerRequired,
    #[error("reason: required")]
    ReasonRequired,
    /// A text field with characters no text may hold (`crate::text`).
    #[error("{0}: {1}")]
    TextInvalid(&'static str, &'static str),
    #[error("cannot close without an answer")]
    NoAnswer,
    #[error("not allowed in state {0}")]
    WrongState(&'static str),
    #[error("only the owner (or their delegate) may answer")]
    NotOwner,
    #[error("only the leader who gave the task or the office may do this")]
    NotGiver,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeaderTaskState {
    /// Given and waiting for the owner's answer.
    Given,
    /// The owner answered; the leader (or the office) reviews it.
    Answered,
    /// Closed with the answer as its outcome.
    Closed,
}

impl LeaderTaskState {
    pub fn code(self) -> &'static str {
        match self {
            LeaderTaskState::Given => "given",
            LeaderTaskState::Answered => "answered",
            LeaderTaskState::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> LeaderTaskState {
        match s {
            "answered" => LeaderTaskState::Answered,
            "closed" => LeaderTaskState::Closed,
            _ => LeaderTaskState::Given,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LeaderTaskAction {
    Answer {
        text: String,
    },
    /// Not good enough: back to the owner with a reason.
    Return {
        reason: String,
    },
    Close,
}

/// What happened, for the audit log and for the task spine.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum LeaderTaskEvent {
    Answered { by: PersonId, acting_for: Option<PersonId>, at: Timestamp },
    Returned { by: PersonId, reason: String, at: Timestamp },
    Closed { by: PersonId, at: Timestamp },
}

/// The facts `decide` needs about a task.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeaderTaskFacts {
    pub state: LeaderTaskState,
    pub leader: PersonId,
    pub owner: PersonId,
    pub has_answer: bool,
}

pub fn validate_new(title: &str, due: Timestamp, now: Timestamp) -> Result<String, LeaderTaskError> {
    let t = title.trim();
    if t.is_empty() || t.chars().count() > 200 || t.chars().any(char::is_control) {
        return Err(LeaderTaskError::TitleInvalid);
    }
    if due <= now {
        return Err(LeaderTaskError::DueInPast);
    }
    Ok(t.to_string())
}

fn is_giver_side(actor: &Actor, leader: PersonId) -> bool {
    actor.person_id == leader
        || actor.acting_for == Some(leader)
        || actor.has_role(Role::OfficeHead)
        || actor.has_role(Role::Secretary)
}

pub fn decide(
    facts: &LeaderTaskFacts,
    actor: &Actor,
    action: LeaderTaskAction,
    now: Timestamp,
) -> Result<(LeaderTaskState, LeaderTaskEvent), LeaderTaskError> {
    use LeaderTaskState::*;
    match (facts.state, action) {
        (Given, LeaderTaskAction::Answer { text }) => {
            if actor.person_id != facts.owner && actor.acting_for != Some(facts.owner) {
                return Err(LeaderTaskError::NotOwner);
            }
            if text.trim().is_empty() {
                return Err(LeaderTaskError::AnswerRequired);
            }
            crate::text::check_multiline(&text).map_err(|m| LeaderTaskError::TextInvalid("text", m))?;
            Ok((Answered, LeaderTaskEvent::Answered { by: actor.person_id, acting_for: actor.acting_for, at: now }))
        }
        (Answered, LeaderTaskAction::Return { reason }) => {
            if !is_giver_side(actor, facts.leader) {
                return Err(LeaderTaskError::NotGiver);
            }
            if reason.trim().is_empty() {
                return Err(LeaderTaskError::ReasonRequired);
            }
            crate::text::check_multiline(&reason).map_err(|m| LeaderTaskError::TextInvalid("reason", m))?;
            Ok((Given, LeaderTaskEvent::Returned { by: actor.person_id, reason: reason.trim().to_string(), at: now }))
        }
        (Given, LeaderTaskAction::Close) => Err(LeaderTaskError::NoAnswer),
        (Answered, LeaderTaskAction::Close) => {
            if !is_giver_side(actor, facts.leader) {
                return Err(LeaderTaskError::NotGiver);
            }
            if !facts.has_answer {
                return Err(LeaderTaskError::NoAnswer);
            }
            Ok((Closed, LeaderTaskEvent::Closed { by: actor.person_id, at: now }))
        }
        (state, _) => Err(LeaderTaskError::WrongState(state.code())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::Clearance;
    use LeaderTaskAction as A;
    use LeaderTaskState::*;

    fn actor(id: i64, roles: &[Role], acting_for: Option<i64>) -> Actor {
        Actor {
            person_id: PersonId(id),
            name: "x".into(),
            department_id: None,
            roles: roles.iter().map(|r| (*r, None)).collect(),
            admin: None,
            clearance: Clearance::None,
            acting_for: acting_for.map(PersonId),
        }
    }

    #[test]
    fn the_loop_table() {
        let now = Timestamp(1000);
        let leader = actor(1, &[Role::Leader], None);
        let owner = actor(2, &[Role::Handler], None);
        let deputy = actor(3, &[Role::Handler], Some(2));
        let stranger = actor(4, &[Role::Handler], None);
        let secretary = actor(5, &[Role::Secretary], None);
        let facts = |state, has_answer| LeaderTaskFacts { state, leader: PersonId(1), owner: PersonId(2), has_answer };
        let answer = || A::Answer { text: "已落实".into() };
        let cases: Vec<(LeaderTaskFacts, &Actor, A, Result<LeaderTaskState, LeaderTaskError>)> = vec![
            (facts(Given, false), &owner, answer(), Ok(Answered)),
            (facts(Given, false), &deputy, answer(), Ok(Answered)),
            (facts(Given, false), &stranger, answer(), Err(LeaderTaskError::NotOwner)),
            (facts(Given, false), &owner, A::Answer { text: " ".into() }, Err(LeaderTaskError::AnswerRequired)),
            (facts(Given, false), &leader, A::Close, Err(LeaderTaskError::NoAnswer)),
            (facts(Answered, true), &leader, A::Close, Ok(Closed)),
            (facts(Answered, true), &secretary, A::Close, Ok(Closed)),
            (facts(Answered, true), &owner, A::Close, Err(LeaderTaskError::NotGiver)),
            (facts(Answered, false), &leader, A::Close, Err(LeaderTaskError::NoAnswer)),
            (facts(Answered, true), &leader, A::Return { reason: "再细化".into() }, Ok(Given)),
            (facts(Answered, true), &leader, A::Return { reason: "".into() }, Err(LeaderTaskError::ReasonRequired)),
            (facts(Closed, true), &leader, A::Close, Err(LeaderTaskError::WrongState("closed"))),
            (facts(Closed, true), &owner, answer(), Err(LeaderTaskError::WrongState("closed"))),
        ];
        for (f, a, action, want) in cases {
            let label = format!("{:?} by {} {:?}", f.state, a.person_id, action);
            assert_eq!(decide(&f, a, action, now).map(|(s, _)| s), want, "{label}");
        }
    }

    #[test]
    fn new_tasks_need_a_title_and_a_future_deadline() {
        assert!(validate_new("  ", Timestamp(10), Timestamp(0)).is_err());
        assert_eq!(validate_new("x", Timestamp(0), Timestamp(0)), Err(LeaderTaskError::DueInPast));
        assert_eq!(validate_new(" 报送材料 ", Timestamp(10), Timestamp(0)).unwrap(), "报送材料");
    }
}
