//! The chronicle (大事记, R8.2; standards.md §6.2): one event per entry, with its full date,
//! the people involved and its source. Candidates are proposed from major meetings, closed
//! supervision items and issued decision documents; the secretary accepts, edits or drops.

use super::{ArchiveError, invalid, line, text};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryState {
    /// Proposed by the system, waiting for the secretary.
    Candidate,
    Accepted,
    Dropped,
}

impl EntryState {
    pub fn code(self) -> &'static str {
        match self {
            EntryState::Candidate => "candidate",
            EntryState::Accepted => "accepted",
            EntryState::Dropped => "dropped",
        }
    }
    pub fn parse(s: &str) -> EntryState {
        match s {
            "accepted" => EntryState::Accepted,
            "dropped" => EntryState::Dropped,
            _ => EntryState::Candidate,
        }
    }
}

/// Where an entry came from; the pair (kind, id) is proposed at most once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// Typed in by the secretary.
    Manual,
    /// A major meeting (chaired by a leader) whose minutes were recorded.
    Meeting,
    /// A closed supervision item (领导交办).
    LeaderTask,
    /// An issued decision document (发文); the outgoing domain calls the hook.
    Outgoing,
}

impl SourceKind {
    pub fn code(self) -> &'static str {
        match self {
            SourceKind::Manual => "manual",
            SourceKind::Meeting => "meeting",
            SourceKind::LeaderTask => "leader_task",
            SourceKind::Outgoing => "outgoing",
        }
    }
}

/// An entry as the secretary confirms it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryInput {
    pub date: NaiveDate,
    pub event: String,
    pub people: String,
    pub source: String,
}

/// Checks an entry: a full date between 1949 and next year, the event (one line, ≤ 500
/// characters), the people and the source (≤ 200 each).
pub fn validate_entry(
    date: &str,
    event: &str,
    people: &str,
    source: &str,
    this_year: i32,
) -> Result<EntryInput, ArchiveError> {
    let d: NaiveDate = date.trim().parse().map_err(|_| invalid("date", "a date like 2026-11-27"))?;
    if d.year() < 1949 || d.year() > this_year + 1 {
        return Err(invalid("date", format!("between 1949 and {}", this_year + 1)));
    }
    Ok(EntryInput {
        date: d,
        event: line(event, "event", 500)?,
        people: text(people, "people", 200)?,
        source: text(source, "source", 200)?,
    })
}

/// Accept / drop on a candidate; an accepted entry may still be edited or dropped.
pub fn may_change(state: EntryState, to: EntryState) -> Result<(), ArchiveError> {
    match (state, to) {
        (EntryState::Candidate, EntryState::Accepted | EntryState::Dropped) => Ok(()),
        (EntryState::Accepted, EntryState::Accepted | EntryState::Dropped) => Ok(()),
        (s, _) => Err(ArchiveError::WrongState(s.code())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_table() {
        let cases: &[(&str, &str, bool)] = &[
            ("2026-11-27", "召开院长办公会", true),
            ("2026-13-01", "x", false),
            ("2028-01-01", "x", false),
            ("1900-01-01", "x", false),
            ("2026-11-27", "", false),
            ("2026-11-27", "a\u{0}b", false),
        ];
        for (date, event, ok) in cases {
            assert_eq!(validate_entry(date, event, "", "", 2026).is_ok(), *ok, "{date} {event}");
        }
        assert!(validate_entry("2026-11-27", &"事".repeat(501), "", "", 2026).is_err());
    }

    #[test]
    fn state_changes() {
        use EntryState::*;
        assert!(may_change(Candidate, Accepted).is_ok());
        assert!(may_change(Candidate, Dropped).is_ok());
        assert!(may_change(Accepted, Dropped).is_ok());
        assert!(may_change(Dropped, Accepted).is_err());
        assert!(may_change(Accepted, Candidate).is_err());
    }
}
