//! The chronicle (大事记, R8.2; standards.md §6.2): one event per entry, with its full date,
//! the people involved and its source. Candidates are proposed from major meetings, closed
//! supervision items and issued decision documents; the secretary accepts, edits or drops.

use super::{ArchiveError, invalid, line, text};
use crate::org::Clearance;
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
    /// A reception of visiting leaders or guests (R5.6) once the office has arranged it.
    Reception,
}

impl SourceKind {
    pub fn code(self) -> &'static str {
        match self {
            SourceKind::Manual => "manual",
            SourceKind::Meeting => "meeting",
            SourceKind::LeaderTask => "leader_task",
            SourceKind::Outgoing => "outgoing",
            SourceKind::Reception => "reception",
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

/// The 文种 (codes) whose issue is itself a chronicle event (R8.2). Of the 15 types
/// (standards.md §2.1) these four decide rather than convey: 决议 (major decisions adopted by
/// a meeting), 决定 (decisions on important matters, rewards and punishments), 命令（令）
/// (regulations, major compulsory measures, conferrals, commendations) and 公报 (publishing
/// important decisions or major matters). 通报, 通知 and the rest mostly convey or arrange;
/// when one of them matters the secretary types the entry in.
pub const DECISION_TYPES: [&str; 4] = ["resolution", "decision", "order", "communique"];

pub fn is_decision_document(doc_type: &str) -> bool {
    DECISION_TYPES.contains(&doc_type.trim())
}

/// What the outgoing domain knows of a document it has just issued.
#[derive(Clone, Debug)]
pub struct IssuedDocument<'a> {
    /// The 文种 code (`decision`, …).
    pub doc_type: &'a str,
    /// The 密级 code (`none`, `secret`, …).
    pub classification: &'a str,
    pub title: &'a str,
    /// The 发文字号, once registered.
    pub doc_number: Option<&'a str>,
    /// The signing leader.
    pub signer: &'a str,
    pub issued_on: NaiveDate,
}

/// The candidate an issued document proposes, if any: only decision documents (above), and
/// only unclassified ones, because every business user reads the accepted chronicle and a
/// classified title must not reach it without the secretary choosing the words.
pub fn outgoing_candidate(d: &IssuedDocument<'_>) -> Option<EntryInput> {
    if !is_decision_document(d.doc_type) || Clearance::parse(d.classification) != Ok(Clearance::None) {
        return None;
    }
    let title = d.title.trim();
    let number = d.doc_number.map(str::trim).filter(|n| !n.is_empty());
    let event = match number {
        Some(n) => format!("印发《{title}》（{n}）"),
        None => format!("印发《{title}》"),
    };
    Some(EntryInput {
        date: d.issued_on,
        event: event.chars().take(500).collect(),
        people: d.signer.trim().chars().take(200).collect(),
        source: match number {
            Some(n) => format!("发文：{n}"),
            None => "发文".into(),
        }
        .chars()
        .take(200)
        .collect(),
    })
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
    fn decision_documents_table() {
        let day: NaiveDate = "2026-11-27".parse().unwrap();
        let doc = |doc_type, classification| IssuedDocument {
            doc_type,
            classification,
            title: "关于表彰2026年度先进集体的决定",
            doc_number: Some("江职院发〔2026〕5号"),
            signer: "院长",
            issued_on: day,
        };
        let cases: &[(&str, &str, bool)] = &[
            ("decision", "none", true),
            ("resolution", "", true),
            ("order", "none", true),
            ("communique", "none", true),
            ("decision", "secret", false),
            ("order", "top_secret", false),
            ("circular", "none", false),
            ("notice", "none", false),
            ("announcement", "none", false),
            ("request", "none", false),
            ("letter", "none", false),
            ("minutes", "none", false),
            ("decision", "bogus", false),
        ];
        for (t, c, proposed) in cases {
            assert_eq!(outgoing_candidate(&doc(t, c)).is_some(), *proposed, "{t} {c}");
        }
        let e = outgoing_candidate(&doc("decision", "none")).unwrap();
        assert_eq!(e.date, day);
        assert_eq!(e.event, "印发《关于表彰2026年度先进集体的决定》（江职院发〔2026〕5号）");
        assert_eq!((e.people.as_str(), e.source.as_str()), ("院长", "发文：江职院发〔2026〕5号"));
        let unnumbered = IssuedDocument { doc_number: None, ..doc("order", "none") };
        assert_eq!(outgoing_candidate(&unnumbered).unwrap().source, "发文");
        assert!(!is_decision_document("决定"), "codes, not names");
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
