//! Archives (归档, R1.7; DA/T 22-2015): retention periods (保管期限), the 档号 and its parts,
//! what may be filed, the destruction review and the borrowing workflow, the chronicle
//! (大事记, R8.2) and the materials library (R8.3). Pure rules; the service stores them.

pub mod borrowing;
pub mod chronicle;
pub mod code;
pub mod destruction;
pub mod materials;
pub mod requests;

use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use borrowing::{BorrowAction, BorrowState};
pub use code::{ArchiveCode, FondsCode};
pub use destruction::{DestructionAction, DestructionState};

/// Errors of the archives domain, each naming what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ArchiveError {
    #[error("{field}: {message}")]
    Invalid { field: &'static str, message: String },
    #[error("not allowed in state {0}")]
    WrongState(&'static str),
    #[error("{0}")]
    NotAllowed(&'static str),
    #[error("档号 {0} is already taken")]
    CodeTaken(String),
    #[error("already filed as {0}")]
    AlreadyFiled(String),
}

pub fn invalid(field: &'static str, message: impl Into<String>) -> ArchiveError {
    ArchiveError::Invalid { field, message: message.into() }
}

/// 保管期限 (国家档案局令第8号): permanent, or kept 30 or 10 years (standards.md §3.2), with
/// the codes DA/T 22-2015 puts in the 档号 (Y, D30, D10).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Retention {
    Permanent,
    Years30,
    Years10,
}

impl Retention {
    pub const ALL: [Retention; 3] = [Retention::Permanent, Retention::Years30, Retention::Years10];

    /// The 档号 code: Y, D30, D10.
    pub fn code(self) -> &'static str {
        match self {
            Retention::Permanent => "Y",
            Retention::Years30 => "D30",
            Retention::Years10 => "D10",
        }
    }

    /// Years kept; `None` for permanent.
    pub fn years(self) -> Option<i32> {
        match self {
            Retention::Permanent => None,
            Retention::Years30 => Some(30),
            Retention::Years10 => Some(10),
        }
    }

    /// Accepts the code (Y/D30/D10) or the Chinese name (永久, 定期30年, 定期10年).
    pub fn parse(raw: &str) -> Result<Retention, ArchiveError> {
        let s = raw.trim();
        Retention::ALL
            .into_iter()
            .find(|r| r.code() == s || r.name_zh() == s || r.slug() == s)
            .ok_or_else(|| invalid("retention", format!("`{s}`: expected Y (永久), D30 (定期30年) or D10 (定期10年)")))
    }

    /// Lower-case form used in catalogue keys and forms.
    pub fn slug(self) -> &'static str {
        match self {
            Retention::Permanent => "y",
            Retention::Years30 => "d30",
            Retention::Years10 => "d10",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Retention::Permanent => "永久",
            Retention::Years30 => "定期30年",
            Retention::Years10 => "定期10年",
        }
    }

    /// The year whose end the review for destruction is due: filing year + years kept.
    pub fn review_year(self, filing_year: i32) -> Option<i32> {
        self.years().map(|y| filing_year + y)
    }
}

/// What kinds of finished item can be filed. The service has one loader per kind; a new
/// domain is one more variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// A closed received document (收文) with its route.
    Incoming,
    /// A meeting with its minutes (one meeting = one 件, DA/T 22).
    Meeting,
    /// A stamped seal-use application (用印申请) with its log line.
    SealApplication,
    /// A closed leader-assigned task (领导交办) with its answer.
    LeaderTask,
    /// An issued (distributed) outgoing document (发文): its 正本 PDF, 定稿 and sign-off.
    Outgoing,
}

impl SourceKind {
    pub const ALL: [SourceKind; 5] = [
        SourceKind::Incoming,
        SourceKind::Meeting,
        SourceKind::SealApplication,
        SourceKind::LeaderTask,
        SourceKind::Outgoing,
    ];
    pub fn code(self) -> &'static str {
        match self {
            SourceKind::Incoming => "incoming",
            SourceKind::Meeting => "meeting",
            SourceKind::SealApplication => "seal_application",
            SourceKind::LeaderTask => "leader_task",
            SourceKind::Outgoing => "outgoing",
        }
    }
    /// The spine's domain of a filing task (待归档) for this kind of item: one per kind, so
    /// the task's subject id names one item, and filing that item closes the task.
    pub fn task_domain(self) -> &'static str {
        match self {
            SourceKind::Incoming => "filing_incoming",
            SourceKind::Meeting => "filing_meeting",
            SourceKind::SealApplication => "filing_seal_application",
            SourceKind::LeaderTask => "filing_leader_task",
            SourceKind::Outgoing => "filing_outgoing",
        }
    }
    /// The kind a filing task's domain names, if it is one.
    pub fn of_task_domain(domain: &str) -> Option<SourceKind> {
        SourceKind::ALL.into_iter().find(|k| k.task_domain() == domain)
    }
    pub fn parse(s: &str) -> Result<SourceKind, ArchiveError> {
        SourceKind::ALL
            .into_iter()
            .find(|k| k.code() == s.trim())
            .ok_or_else(|| invalid("source", format!("`{}`: not a kind of item that can be filed", s.trim())))
    }
}

/// Default retention per document type, before the archivist changes it in the settings
/// (standards.md §3.2: the organ's own 纪要, 决定 and 请示 with 批复 matter longest; routine
/// notices and letters are 定期). `doc_type` is the 文种 code or the kind of record.
pub fn default_retention(doc_type: &str) -> Retention {
    match doc_type {
        "minutes" | "resolution" | "decision" | "order" | "communique" | "announcement" => Retention::Permanent,
        "request" | "reply" | "report" | "opinion" | "leader_task" | "motion" => Retention::Years30,
        _ => Retention::Years10,
    }
}

/// The document types whose default retention the settings page offers to change.
pub const RETENTION_TYPES: [&str; 17] = [
    "resolution",
    "decision",
    "order",
    "communique",
    "announcement",
    "public_notice",
    "opinion",
    "notice",
    "circular",
    "report",
    "request",
    "reply",
    "motion",
    "letter",
    "minutes",
    "seal_register",
    "leader_task",
];

/// A 机构(问题) class: a short code of capital letters and digits (办公室 = BGS) and its name.
pub fn validate_class_code(raw: &str) -> Result<String, ArchiveError> {
    let s = raw.trim();
    let ok = !s.is_empty() && s.len() <= 8 && s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if ok { Ok(s.to_string()) } else { Err(invalid("class_code", "1 to 8 capital letters or digits, e.g. BGS")) }
}

/// A required one-line text of at most `max` characters, without control characters.
pub fn line(raw: &str, field: &'static str, max: usize) -> Result<String, ArchiveError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(invalid(field, "required"));
    }
    text(t, field, max)
}

/// An optional text (newlines allowed) of at most `max` characters.
pub fn text(raw: &str, field: &'static str, max: usize) -> Result<String, ArchiveError> {
    let t = raw.trim();
    if t.chars().count() > max {
        return Err(invalid(field, format!("at most {max} characters")));
    }
    crate::text::check_multiline(t).map_err(|m| invalid(field, m))?;
    Ok(t.to_string())
}

/// A filing year the archives accept: from 1949 to next year.
pub fn validate_year(year: i64, this_year: i32) -> Result<i32, ArchiveError> {
    if (1949..=i64::from(this_year) + 1).contains(&year) {
        Ok(year as i32)
    } else {
        Err(invalid("year", format!("between 1949 and {}", this_year + 1)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_its_own_filing_task_domain() {
        let domains: std::collections::BTreeSet<_> = SourceKind::ALL.iter().map(|k| k.task_domain()).collect();
        assert_eq!(domains.len(), SourceKind::ALL.len());
        for k in SourceKind::ALL {
            assert_eq!(SourceKind::of_task_domain(k.task_domain()), Some(k));
        }
        assert_eq!(SourceKind::of_task_domain("outgoing"), None);
    }

    #[test]
    fn retention_values_table() {
        let cases: &[(&str, Option<Retention>)] = &[
            ("Y", Some(Retention::Permanent)),
            ("永久", Some(Retention::Permanent)),
            ("D30", Some(Retention::Years30)),
            ("定期30年", Some(Retention::Years30)),
            (" D10 ", Some(Retention::Years10)),
            ("d10", Some(Retention::Years10)),
            ("D20", None),
            ("", None),
            ("长期", None),
        ];
        for (raw, want) in cases {
            assert_eq!(Retention::parse(raw).ok(), *want, "{raw}");
        }
        assert_eq!(Retention::Years10.review_year(2026), Some(2036));
        assert_eq!(Retention::Permanent.review_year(2026), None);
    }

    #[test]
    fn default_retention_table() {
        assert_eq!(default_retention("minutes"), Retention::Permanent);
        assert_eq!(default_retention("request"), Retention::Years30);
        assert_eq!(default_retention("notice"), Retention::Years10);
        assert_eq!(default_retention("seal_register"), Retention::Years10);
    }

    #[test]
    fn class_codes_and_years() {
        assert_eq!(validate_class_code(" BGS ").unwrap(), "BGS");
        for bad in ["", "bgs", "办公室", "B-S", "ABCDEFGHI"] {
            assert!(validate_class_code(bad).is_err(), "{bad}");
        }
        assert_eq!(validate_year(2026, 2026).unwrap(), 2026);
        assert!(validate_year(1900, 2026).is_err());
        assert!(validate_year(2028, 2026).is_err());
        assert!(line("a\u{7}b", "title", 10).is_err());
        assert!(line("  ", "title", 10).is_err());
    }
}
