//! The seal-usage report's rules (R7.6, every use attributable): the period asked for, and
//! the inconsistencies between the keeper's log, the applications and the registry that the
//! office head must see. Pure: the service gathers the facts, this decides what is wrong.

use super::{ApplicationState, SealError, SealState, invalid};
use crate::time::{Timestamp, parse_date};
use chrono::NaiveDate;
use serde::Serialize;

/// Approved applications still unused after this many days are listed unless asked otherwise.
pub const DEFAULT_STALE_DAYS: i64 = 30;

/// The report's period (local dates, both included) and the days after which an approved,
/// unused application is listed. Empty fields take the last 30 days up to `today` and 30 days.
pub fn validate_period(
    from: &str,
    to: &str,
    days: &str,
    today: NaiveDate,
) -> Result<(NaiveDate, NaiveDate, i64), SealError> {
    let date = |v: &str, field: &'static str, default: NaiveDate| match v.trim() {
        "" => Ok(default),
        v => parse_date(v).ok_or_else(|| invalid(field, "a date as YYYY-MM-DD")),
    };
    let to = date(to, "to", today)?;
    let from = date(from, "from", to.checked_sub_days(chrono::Days::new(29)).unwrap_or(to))?;
    if from > to {
        return Err(invalid("to", "the end of the period is before its start"));
    }
    let days = match days.trim() {
        "" => DEFAULT_STALE_DAYS,
        d => match d.parse::<i64>() {
            Ok(n) if (1..=366).contains(&n) => n,
            _ => return Err(invalid("days", "a whole number of days, 1–366")),
        },
    };
    Ok((from, to, days))
}

/// One logged use, with its application as stored (absent if the row is gone).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UseFact {
    pub use_id: i64,
    pub application_id: i64,
    pub seal_id: i64,
    pub used_at: Timestamp,
    pub copies: i64,
    pub application: Option<ApplicationOnRecord>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApplicationOnRecord {
    pub state: ApplicationState,
    pub head_signed_at: Option<Timestamp>,
    pub leader_signed_at: Option<Timestamp>,
    pub copies: i64,
}

/// A seal's state over time: when it was decommissioned, and its suspensions as
/// `[from, until)` (until `None` while still suspended).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct SealHistory {
    pub decommissioned_at: Option<Timestamp>,
    pub suspensions: Vec<(Timestamp, Option<Timestamp>)>,
}

impl SealHistory {
    /// Builds the suspensions from the registry's suspend/resume events in time order
    /// (`true` suspends), and the current state for a suspension whose event is gone.
    pub fn from_events(
        state: SealState,
        suspended_at: Option<Timestamp>,
        decommissioned_at: Option<Timestamp>,
        events: &[(Timestamp, bool)],
    ) -> SealHistory {
        let mut suspensions: Vec<(Timestamp, Option<Timestamp>)> = Vec::new();
        for &(at, suspend) in events {
            match (suspend, suspensions.last_mut()) {
                (true, Some((_, None))) => {}
                (true, _) => suspensions.push((at, None)),
                (false, Some((_, until @ None))) => *until = Some(at),
                (false, _) => {}
            }
        }
        let open = suspensions.last().is_some_and(|(_, until)| until.is_none());
        if let (SealState::Suspended, Some(at), false) = (state, suspended_at, open) {
            suspensions.push((at, None));
        }
        SealHistory { decommissioned_at, suspensions }
    }

    fn suspended_at(&self, t: Timestamp) -> bool {
        self.suspensions.iter().any(|(from, until)| *from <= t && until.is_none_or(|u| t < u))
    }
}

/// What is wrong, as a stable code the report words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Inconsistency {
    /// A use whose application was not signed by both signers before it (or is gone).
    UseNotApproved,
    /// A use after the seal was decommissioned.
    UseOnDecommissioned,
    /// A use while the seal was suspended.
    UseOnSuspended,
    /// More copies stamped than the application asked for.
    CopiesExceeded,
    /// Approved, and still not used after the given days.
    ApprovedNeverUsed,
}

impl Inconsistency {
    pub fn code(self) -> &'static str {
        match self {
            Inconsistency::UseNotApproved => "use_not_approved",
            Inconsistency::UseOnDecommissioned => "use_on_decommissioned",
            Inconsistency::UseOnSuspended => "use_on_suspended",
            Inconsistency::CopiesExceeded => "copies_exceeded",
            Inconsistency::ApprovedNeverUsed => "approved_never_used",
        }
    }
}

/// Everything wrong with one use, in a fixed order.
pub fn use_inconsistencies(u: &UseFact, seal: &SealHistory) -> Vec<Inconsistency> {
    let mut out = Vec::new();
    let approved = u.application.as_ref().is_some_and(|a| {
        a.state == ApplicationState::Stamped
            && a.head_signed_at.is_some_and(|h| h <= u.used_at)
            && a.leader_signed_at.is_some_and(|l| l <= u.used_at)
    });
    if !approved {
        out.push(Inconsistency::UseNotApproved);
    }
    if seal.decommissioned_at.is_some_and(|d| d <= u.used_at) {
        out.push(Inconsistency::UseOnDecommissioned);
    }
    if seal.suspended_at(u.used_at) {
        out.push(Inconsistency::UseOnSuspended);
    }
    if u.application.as_ref().is_some_and(|a| u.copies > a.copies) {
        out.push(Inconsistency::CopiesExceeded);
    }
    out
}

/// An application still approved and unused: listed once `days` have passed since approval.
pub fn approved_too_long(
    state: ApplicationState,
    leader_signed_at: Option<Timestamp>,
    now: Timestamp,
    days: i64,
) -> bool {
    state == ApplicationState::Approved && leader_signed_at.is_some_and(|t| now.0 - t.0 >= days * 24 * 3600 * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 24 * 3600 * 1000;

    fn stamped(copies: i64) -> Option<ApplicationOnRecord> {
        Some(ApplicationOnRecord {
            state: ApplicationState::Stamped,
            head_signed_at: Some(Timestamp(DAY)),
            leader_signed_at: Some(Timestamp(2 * DAY)),
            copies,
        })
    }

    fn used(at: i64, copies: i64, application: Option<ApplicationOnRecord>) -> UseFact {
        UseFact { use_id: 1, application_id: 1, seal_id: 1, used_at: Timestamp(at), copies, application }
    }

    #[test]
    fn a_proper_use_is_consistent() {
        assert!(use_inconsistencies(&used(3 * DAY, 2, stamped(2)), &SealHistory::default()).is_empty());
    }

    #[test]
    fn each_kind_of_inconsistency_is_found() {
        let early = used(DAY + 1, 1, stamped(2));
        assert_eq!(use_inconsistencies(&early, &SealHistory::default()), vec![Inconsistency::UseNotApproved]);
        let orphan = used(3 * DAY, 1, None);
        assert_eq!(use_inconsistencies(&orphan, &SealHistory::default()), vec![Inconsistency::UseNotApproved]);
        let mut pending = stamped(2);
        pending.as_mut().unwrap().state = ApplicationState::HeadSigned;
        assert_eq!(
            use_inconsistencies(&used(3 * DAY, 1, pending), &SealHistory::default()),
            vec![Inconsistency::UseNotApproved]
        );
        let more = used(3 * DAY, 5, stamped(2));
        assert_eq!(use_inconsistencies(&more, &SealHistory::default()), vec![Inconsistency::CopiesExceeded]);
        let gone = SealHistory { decommissioned_at: Some(Timestamp(3 * DAY)), suspensions: vec![] };
        assert_eq!(use_inconsistencies(&used(3 * DAY, 1, stamped(1)), &gone), vec![Inconsistency::UseOnDecommissioned]);
        let h = SealHistory::from_events(
            SealState::Active,
            None,
            None,
            &[(Timestamp(3 * DAY), true), (Timestamp(4 * DAY), false)],
        );
        assert_eq!(use_inconsistencies(&used(3 * DAY, 1, stamped(1)), &h), vec![Inconsistency::UseOnSuspended]);
        assert!(use_inconsistencies(&used(4 * DAY, 1, stamped(1)), &h).is_empty(), "resumed");
    }

    #[test]
    fn a_suspension_without_its_event_comes_from_the_registry() {
        let h = SealHistory::from_events(SealState::Suspended, Some(Timestamp(5 * DAY)), None, &[]);
        assert_eq!(h.suspensions, vec![(Timestamp(5 * DAY), None)]);
        assert!(h.suspended_at(Timestamp(9 * DAY)) && !h.suspended_at(Timestamp(4 * DAY)));
        let h = SealHistory::from_events(
            SealState::Suspended,
            Some(Timestamp(5 * DAY)),
            None,
            &[(Timestamp(5 * DAY), true)],
        );
        assert_eq!(h.suspensions.len(), 1, "not twice");
    }

    #[test]
    fn approved_and_unused_is_listed_after_the_days() {
        let now = Timestamp(40 * DAY);
        assert!(approved_too_long(ApplicationState::Approved, Some(Timestamp(10 * DAY)), now, 30));
        assert!(!approved_too_long(ApplicationState::Approved, Some(Timestamp(11 * DAY)), now, 30));
        assert!(!approved_too_long(ApplicationState::Stamped, Some(Timestamp(DAY)), now, 30));
    }

    #[test]
    fn the_period_defaults_and_refuses_nonsense() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let (from, to, days) = validate_period("", "", "", today).unwrap();
        assert_eq!((from.to_string(), to.to_string(), days), ("2026-10-29".into(), "2026-11-27".into(), 30));
        assert!(matches!(
            validate_period("2026-11-28", "2026-11-27", "", today),
            Err(SealError::Invalid { field: "to", .. })
        ));
        assert!(matches!(validate_period("27/11", "", "", today), Err(SealError::Invalid { field: "from", .. })));
        assert!(matches!(validate_period("", "", "0", today), Err(SealError::Invalid { field: "days", .. })));
        // Found by T11 (`fuzz/fuzz_targets/dates.rs`): chrono reads six-digit years, and the
        // default start (29 days before `to`) then panicked with "`NaiveDate - Days` out of range".
        for far in ["-262143-1-1", "+262142-12-31", "0999-01-01"] {
            assert!(
                matches!(validate_period("", far, "", today), Err(SealError::Invalid { field: "to", .. })),
                "{far}"
            );
        }
    }
}
