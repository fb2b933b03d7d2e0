//! The copy register (份号登记) of a classified outgoing document: every printed copy has its
//! own 份号 (GB/T 9704 7.2.1, six digits), and the office records where each copy is until
//! it comes back and is destroyed. One pure `decide` per copy; the service stores the result.

use super::OutgoingError;
use serde::{Deserialize, Serialize};

/// Where one numbered copy is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CopyState {
    /// Not printed yet (no row in the register).
    Unprinted,
    /// Printed, still with the office.
    Printed,
    /// Handed to a holder (a recipient organ or person) who signs for it.
    Issued,
    /// Back with the office.
    Returned,
    /// Destroyed (a spoiled print, or a copy returned for destruction). Terminal.
    Destroyed,
}

impl CopyState {
    pub fn code(self) -> &'static str {
        match self {
            CopyState::Unprinted => "unprinted",
            CopyState::Printed => "printed",
            CopyState::Issued => "issued",
            CopyState::Returned => "returned",
            CopyState::Destroyed => "destroyed",
        }
    }
    pub fn parse(s: &str) -> Option<CopyState> {
        [CopyState::Unprinted, CopyState::Printed, CopyState::Issued, CopyState::Returned, CopyState::Destroyed]
            .into_iter()
            .find(|x| x.code() == s)
    }
}

/// What the office does with one copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CopyAction {
    /// Print the copy. A copy printed before and not yet issued may be printed again (a
    /// jammed printer), but only with a reason, which the audit keeps.
    Print { reprint_reason: Option<String> },
    /// Hand it to a holder.
    Issue { holder: String },
    /// It came back.
    Return,
    /// Destroy it, with a reason (spoiled, returned for destruction).
    Destroy { reason: String },
}

/// The 份号 as printed: six digits, zero-padded (GB/T 9704 7.2.1).
pub fn copy_label(n: i64) -> String {
    format!("{n:06}")
}

/// Checks that `n` is one of the document's `copies` and answers the copy's next state.
/// `classified` is whether the document carries a 密级: unclassified documents print
/// without 份号 and keep no register.
pub fn decide_copy(
    classified: bool,
    copies: i64,
    n: i64,
    state: CopyState,
    action: &CopyAction,
) -> Result<CopyState, OutgoingError> {
    if !classified {
        return Err(OutgoingError::invalid("copy", "only a classified document has numbered copies (份号)"));
    }
    if n < 1 || n > copies {
        return Err(OutgoingError::invalid("copy", format!("a copy number from 1 to {copies}")));
    }
    use CopyAction as A;
    use CopyState as S;
    match (state, action) {
        (S::Unprinted, A::Print { .. }) => Ok(S::Printed),
        (S::Printed, A::Print { reprint_reason }) => match reprint_reason.as_deref().map(str::trim) {
            Some(r) if !r.is_empty() => Ok(S::Printed),
            _ => Err(OutgoingError::invalid("reason", "this copy was printed before: say why it is printed again")),
        },
        (S::Printed | S::Returned, A::Issue { holder }) => {
            let h = holder.trim();
            if h.is_empty() || h.chars().count() > 100 {
                return Err(OutgoingError::invalid("holder", "required, at most 100 characters"));
            }
            Ok(S::Issued)
        }
        (S::Issued, A::Return) => Ok(S::Returned),
        (S::Printed | S::Returned, A::Destroy { reason }) => {
            if reason.trim().is_empty() {
                return Err(OutgoingError::invalid("reason", "required"));
            }
            Ok(S::Destroyed)
        }
        (s, _) => Err(OutgoingError::WrongState(s.code())),
    }
}

#[cfg(test)]
mod tests {
    use super::CopyAction as A;
    use super::CopyState as S;
    use super::*;

    fn print() -> A {
        A::Print { reprint_reason: None }
    }

    #[test]
    fn each_copy_moves_through_the_register() {
        let reprint = A::Print { reprint_reason: Some("卡纸".into()) };
        let issue = A::Issue { holder: "教务处".into() };
        let destroy = A::Destroy { reason: "收回销毁".into() };
        let ok: &[(S, A, S)] = &[
            (S::Unprinted, print(), S::Printed),
            (S::Printed, reprint.clone(), S::Printed),
            (S::Printed, issue.clone(), S::Issued),
            (S::Issued, A::Return, S::Returned),
            (S::Returned, issue.clone(), S::Issued),
            (S::Returned, destroy.clone(), S::Destroyed),
            (S::Printed, destroy.clone(), S::Destroyed),
        ];
        for (from, action, to) in ok {
            assert_eq!(decide_copy(true, 5, 3, *from, action), Ok(*to), "{from:?} {action:?}");
        }
        let wrong: &[(S, A)] = &[
            (S::Unprinted, issue.clone()),
            (S::Unprinted, A::Return),
            (S::Unprinted, destroy.clone()),
            (S::Issued, print()),
            (S::Issued, reprint.clone()),
            (S::Issued, destroy.clone()),
            (S::Printed, A::Return),
            (S::Destroyed, print()),
            (S::Destroyed, issue.clone()),
            (S::Returned, print()),
        ];
        for (from, action) in wrong {
            assert_eq!(
                decide_copy(true, 5, 3, *from, action),
                Err(OutgoingError::WrongState(from.code())),
                "{from:?} {action:?}"
            );
        }
    }

    #[test]
    fn bad_requests_name_their_field() {
        let field = |r: Result<S, OutgoingError>| match r {
            Err(OutgoingError::Invalid { field, .. }) => field,
            other => panic!("expected Invalid, got {other:?}"),
        };
        assert_eq!(field(decide_copy(false, 5, 1, S::Unprinted, &print())), "copy");
        assert_eq!(field(decide_copy(true, 5, 0, S::Unprinted, &print())), "copy");
        assert_eq!(field(decide_copy(true, 5, 6, S::Unprinted, &print())), "copy");
        assert_eq!(field(decide_copy(true, 5, 2, S::Printed, &print())), "reason");
        let blank = A::Print { reprint_reason: Some("  ".into()) };
        assert_eq!(field(decide_copy(true, 5, 2, S::Printed, &blank)), "reason");
        assert_eq!(field(decide_copy(true, 5, 2, S::Printed, &A::Issue { holder: " ".into() })), "holder");
        assert_eq!(field(decide_copy(true, 5, 2, S::Printed, &A::Destroy { reason: "".into() })), "reason");
    }

    #[test]
    fn copy_numbers_print_with_six_digits() {
        assert_eq!(copy_label(1), "000001");
        assert_eq!(copy_label(120), "000120");
    }
}
