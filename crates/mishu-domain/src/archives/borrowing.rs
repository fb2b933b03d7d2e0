//! Borrowing (借阅): a person asks to borrow a filed item, the archivist or the office head
//! approves with a return date (or refuses), and the archivist records the return. The
//! return date is chased on the spine like any other deadline.

use super::{ArchiveError, invalid};
use crate::PersonId;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Longest loan an approval may grant.
pub const MAX_LOAN_DAYS: i64 = 90;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BorrowState {
    Requested,
    Lent,
    Rejected,
    Returned,
}

impl BorrowState {
    pub fn code(self) -> &'static str {
        match self {
            BorrowState::Requested => "requested",
            BorrowState::Lent => "lent",
            BorrowState::Rejected => "rejected",
            BorrowState::Returned => "returned",
        }
    }
    pub fn parse(s: &str) -> BorrowState {
        match s {
            "lent" => BorrowState::Lent,
            "rejected" => BorrowState::Rejected,
            "returned" => BorrowState::Returned,
            _ => BorrowState::Requested,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum BorrowAction {
    Approve { return_by: NaiveDate },
    Reject { reason: String },
    Return,
}

#[derive(Clone, Debug)]
pub struct BorrowFacts {
    pub state: BorrowState,
    pub borrower: PersonId,
    pub actor: PersonId,
    /// The actor keeps the archives (archivist or office head).
    pub actor_keeps_archives: bool,
    pub today: NaiveDate,
}

/// One step of a loan.
pub fn decide(f: &BorrowFacts, action: &BorrowAction) -> Result<BorrowState, ArchiveError> {
    use BorrowAction as A;
    use BorrowState as S;
    if !f.actor_keeps_archives {
        return Err(ArchiveError::NotAllowed("only the archivist or the office head decides loans"));
    }
    match (f.state, action) {
        (S::Requested, _) if f.actor == f.borrower => Err(ArchiveError::NotAllowed("nobody approves their own loan")),
        (S::Requested, A::Approve { return_by }) => {
            let days = (*return_by - f.today).num_days();
            if days < 0 {
                Err(invalid("return_by", "in the past"))
            } else if days > MAX_LOAN_DAYS {
                Err(invalid("return_by", format!("at most {MAX_LOAN_DAYS} days from today")))
            } else {
                Ok(S::Lent)
            }
        }
        (S::Requested, A::Reject { reason }) if reason.trim().is_empty() => Err(invalid("reason", "required")),
        (S::Requested, A::Reject { .. }) => Ok(S::Rejected),
        (S::Lent, A::Return) => Ok(S::Returned),
        (s, _) => Err(ArchiveError::WrongState(s.code())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use BorrowAction as A;
    use BorrowState as S;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn decide_table() {
        let keeper = PersonId(1);
        let borrower = PersonId(2);
        let today = d("2026-11-27");
        let ok_date = A::Approve { return_by: d("2026-12-11") };
        let cases: &[(S, PersonId, bool, A, Option<S>)] = &[
            (S::Requested, keeper, true, ok_date.clone(), Some(S::Lent)),
            (S::Requested, keeper, true, A::Approve { return_by: d("2026-11-26") }, None),
            (S::Requested, keeper, true, A::Approve { return_by: d("2027-06-01") }, None),
            (S::Requested, keeper, true, A::Reject { reason: "涉密".into() }, Some(S::Rejected)),
            (S::Requested, keeper, true, A::Reject { reason: "".into() }, None),
            (S::Requested, borrower, false, ok_date.clone(), None),
            (S::Requested, borrower, true, ok_date.clone(), None),
            (S::Requested, keeper, true, A::Return, None),
            (S::Lent, keeper, true, A::Return, Some(S::Returned)),
            (S::Lent, keeper, true, ok_date.clone(), None),
            (S::Returned, keeper, true, A::Return, None),
            (S::Rejected, keeper, true, ok_date, None),
        ];
        for (state, actor, keeps, action, want) in cases {
            let f = BorrowFacts { state: *state, borrower, actor: *actor, actor_keeps_archives: *keeps, today };
            assert_eq!(decide(&f, action).ok(), *want, "{state:?} {actor:?} {action:?}");
        }
    }
}
