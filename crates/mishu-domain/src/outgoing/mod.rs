//! Outgoing documents (发文): drafting in seven steps (R2.2), the office's check (核稿)
//! against GB/T 9704 and the 行文规则, countersigning (会签), the leader's sign-off (签发)
//! that fixes the 成文日期, numbering in a gapless ledger, and distribution with receipts
//! (R1.8 发出文电询收到). The workflow is one pure `decide`; the lint and the diff are pure too.

mod appendix;
mod copies;
mod decide;
mod diff;
mod draft;
mod lint;
mod number;

#[cfg(test)]
mod decide_tests;

pub use appendix::{
    AttachmentText, MAX_ANNOTATION, MAX_ATTACHMENT_TITLE, MAX_ATTACHMENTS, annotation, room_for_attachment,
};
pub use copies::{CopyAction, CopyState, copy_label, decide_copy};
pub use decide::{OutgoingAction, OutgoingEvent, OutgoingFacts, StepFacts, decide};
pub use diff::{Change, Segment, diff};
pub use draft::{Direction, Draft, DraftInput, Recipient, RecipientInput, RecipientKind, RecipientRole};
pub use lint::{Finding, LintInput, Severity, blocking, lint};
pub use number::{DocNumber, DocPrefix, GapLine, LedgerEntry, gap_report};

use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum OutgoingError {
    #[error("{field}: {message}")]
    Invalid { field: &'static str, message: String },
    #[error("not allowed in state {0}")]
    WrongState(&'static str),
    #[error("only the office (secretaries, the office head) may do this")]
    NotOffice,
    #[error("only the drafter may do this")]
    NotDrafter,
    #[error("only the person this step is with (or their delegate) may act on it")]
    NotHolder,
    #[error("signer: only the leader named as signer may sign this document off (签发)")]
    NotSigner,
    #[error("check: the draft has errors that must be fixed first ({0})")]
    LintFailed(String),
    #[error("number: this document already has a number ({0}); void it first to renumber")]
    AlreadyNumbered(String),
}

impl OutgoingError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        OutgoingError::Invalid { field, message: message.into() }
    }
}

/// Where an outgoing document is (standards §2.7.1, condensed to what the office acts on).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutgoingState {
    /// 起草: intent, materials, outline, versions; review rounds happen here.
    Drafting,
    /// 核稿: with the office for the check.
    Checking,
    /// 会签: with the countersigning departments, in order or together.
    Countersigning,
    /// 待签发: with the signing leader.
    AwaitingSignature,
    /// 已签发: 成文日期 fixed; the office registers (复核 then 登记) next.
    Signed,
    /// 已登记: 发文字号 assigned; ready to print and distribute.
    Registered,
    /// 已分发: sent; receipts are chased until every recipient confirms.
    Distributed,
    /// 不宜发文: returned by the office for good, with a reason. Terminal.
    Withdrawn,
}

impl OutgoingState {
    pub const ALL: [OutgoingState; 8] = [
        OutgoingState::Drafting,
        OutgoingState::Checking,
        OutgoingState::Countersigning,
        OutgoingState::AwaitingSignature,
        OutgoingState::Signed,
        OutgoingState::Registered,
        OutgoingState::Distributed,
        OutgoingState::Withdrawn,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OutgoingState::Drafting => "drafting",
            OutgoingState::Checking => "checking",
            OutgoingState::Countersigning => "countersigning",
            OutgoingState::AwaitingSignature => "awaiting_signature",
            OutgoingState::Signed => "signed",
            OutgoingState::Registered => "registered",
            OutgoingState::Distributed => "distributed",
            OutgoingState::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<OutgoingState> {
        OutgoingState::ALL.into_iter().find(|x| x.code() == s)
    }
}

/// What a step on a draft's route asks of its person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// A collective-review comment (R2.2 step 6), in parallel, while drafting.
    Review,
    /// 会签.
    Countersign,
    /// 签发.
    Sign,
}

impl StepKind {
    pub fn code(self) -> &'static str {
        match self {
            StepKind::Review => "review",
            StepKind::Countersign => "countersign",
            StepKind::Sign => "sign",
        }
    }
    pub fn parse(s: &str) -> Option<StepKind> {
        [StepKind::Review, StepKind::Countersign, StepKind::Sign].into_iter().find(|k| k.code() == s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepState {
    /// In a sequential countersign, not reached yet.
    Waiting,
    Open,
    /// Agreed, commented or signed.
    Done,
    /// Disagreed: the draft went back to the drafter with this objection.
    Objected,
    /// Dropped because the draft went back before this person's turn.
    Cancelled,
}

impl StepState {
    pub fn code(self) -> &'static str {
        match self {
            StepState::Waiting => "waiting",
            StepState::Open => "open",
            StepState::Done => "done",
            StepState::Objected => "objected",
            StepState::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> StepState {
        match s {
            "waiting" => StepState::Waiting,
            "open" => StepState::Open,
            "done" => StepState::Done,
            "objected" => StepState::Objected,
            _ => StepState::Cancelled,
        }
    }
}

/// Longest free text (intent, outline, opinions, reasons) in characters.
pub const MAX_TEXT: usize = 4000;
/// Longest body of one version in characters.
pub const MAX_BODY: usize = 100_000;
/// Longest title in characters: a title is 发文机关 + 事由 + 文种 and fits on three lines of
/// 22 pt (about 16 characters a line).
pub const MAX_TITLE: usize = 50;

/// Trims a required text and checks its length.
pub(crate) fn required_text(field: &'static str, raw: &str, max: usize) -> Result<String, OutgoingError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(OutgoingError::invalid(field, "required"));
    }
    if t.chars().count() > max {
        return Err(OutgoingError::invalid(field, format!("at most {max} characters")));
    }
    crate::text::check_multiline(t).map_err(|m| OutgoingError::invalid(field, m))?;
    Ok(t.to_string())
}
