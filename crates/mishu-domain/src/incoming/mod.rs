//! Received documents (收文): registration, the secretary's proposal, leaders' instructions
//! in order (R1.5), assignment to departments, and closing with an outcome (R1.8); a 请示
//! cannot close without its reply (R1.1). The workflow is one pure `decide`; the task spine
//! learns who holds a document now from `holders`.

mod decide;
mod kinds;
mod new_steps;
mod number;
mod registration;
mod route;
mod state;

#[cfg(test)]
mod decide_tests;

pub use decide::decide;
pub use kinds::{DocType, HandlingKind, SubmissionKind};
pub use number::SenderDocNumber;
pub use registration::{Registration, RegistrationInput};
pub use route::{Ask, Holder, holders};
pub use state::{Assignment, IncomingAction, IncomingEvent, IncomingFacts, NewStep, StepAct, StepFacts};

use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IncomingError {
    #[error("{field}: {message}")]
    Invalid { field: &'static str, message: String },
    #[error("not allowed in state {0}")]
    WrongState(&'static str),
    #[error("only the office (secretaries, the office head) may do this")]
    NotOffice,
    #[error("only the person this step is with (or their delegate) may act on it")]
    NotHolder,
    #[error("step: no such step on this document")]
    NoSuchStep,
    #[error("step: already acted on or ended")]
    StepEnded,
    #[error("reply: a request for instructions (请示) cannot be closed without its reply")]
    NoReply,
}

impl IncomingError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        IncomingError::Invalid { field, message: message.into() }
    }
}

/// Where a received document is (条例 art. 24; standards §2.7.2, condensed to what the
/// office acts on).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncomingState {
    /// 已登记: the office writes the proposal (拟办) next.
    Registered,
    /// 已拟办: proposal written, no leader route; the office assigns or closes.
    Proposed,
    /// 呈领导: with the leaders, in order or in parallel.
    WithLeaders,
    /// 已批示: the leaders are done; the office assigns or closes.
    Instructed,
    /// 承办中: with departments.
    Assigned,
    /// 已办复: every department has reported; the office closes.
    Handled,
    /// 已办结: closed with an outcome.
    Closed,
    /// 已退回: returned to the sender with a reason (初审 failed). Terminal.
    Returned,
}

impl IncomingState {
    pub const ALL: [IncomingState; 8] = [
        IncomingState::Registered,
        IncomingState::Proposed,
        IncomingState::WithLeaders,
        IncomingState::Instructed,
        IncomingState::Assigned,
        IncomingState::Handled,
        IncomingState::Closed,
        IncomingState::Returned,
    ];

    pub fn code(self) -> &'static str {
        match self {
            IncomingState::Registered => "registered",
            IncomingState::Proposed => "proposed",
            IncomingState::WithLeaders => "with_leaders",
            IncomingState::Instructed => "instructed",
            IncomingState::Assigned => "assigned",
            IncomingState::Handled => "handled",
            IncomingState::Closed => "closed",
            IncomingState::Returned => "returned",
        }
    }

    pub fn parse(s: &str) -> Option<IncomingState> {
        IncomingState::ALL.into_iter().find(|x| x.code() == s)
    }

    /// Closed and returned documents are finished: no more steps, never overdue.
    pub fn is_finished(self) -> bool {
        matches!(self, IncomingState::Closed | IncomingState::Returned)
    }
}

/// Which part of the route a step belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Leader,
    Department,
}

impl Stage {
    pub fn code(self) -> &'static str {
        match self {
            Stage::Leader => "leader",
            Stage::Department => "department",
        }
    }
    pub fn parse(s: &str) -> Stage {
        if s == "department" { Stage::Department } else { Stage::Leader }
    }
}

/// What a step asks of its person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepMode {
    /// Write an instruction (批示).
    Instruct,
    /// Read (圈阅), an instruction optional.
    Read,
    /// Hear an oral report; the office records what was said back.
    Oral,
    /// Handle and report the result (department).
    Handle,
}

impl StepMode {
    pub fn code(self) -> &'static str {
        match self {
            StepMode::Instruct => "instruct",
            StepMode::Read => "read",
            StepMode::Oral => "oral",
            StepMode::Handle => "handle",
        }
    }
    pub fn parse(s: &str) -> StepMode {
        match s {
            "instruct" => StepMode::Instruct,
            "oral" => StepMode::Oral,
            "handle" => StepMode::Handle,
            _ => StepMode::Read,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepState {
    /// In a sequential route, not reached yet.
    Waiting,
    /// With its person now.
    Open,
    /// Acted on: instructed, read, reported to, or handled.
    Done,
    /// Taken back by the office before anyone acted (取回).
    Recalled,
    /// Sent back by its person with a reason (退回).
    Returned,
    /// Dropped because the route was sent back to the office.
    Cancelled,
}

impl StepState {
    pub fn code(self) -> &'static str {
        match self {
            StepState::Waiting => "waiting",
            StepState::Open => "open",
            StepState::Done => "done",
            StepState::Recalled => "recalled",
            StepState::Returned => "returned",
            StepState::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> StepState {
        match s {
            "waiting" => StepState::Waiting,
            "open" => StepState::Open,
            "done" => StepState::Done,
            "recalled" => StepState::Recalled,
            "returned" => StepState::Returned,
            _ => StepState::Cancelled,
        }
    }
    /// Nobody has acted on it yet.
    pub fn is_pending(self) -> bool {
        matches!(self, StepState::Waiting | StepState::Open)
    }
}

/// Longest free text (proposal, instruction, result, outcome, reply) in characters.
pub const MAX_TEXT: usize = 4000;

/// Trims a required text and checks its length and characters.
pub(crate) fn required_text(field: &'static str, raw: &str) -> Result<String, IncomingError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(IncomingError::invalid(field, "required"));
    }
    optional_text(field, t)
}

/// Trims an optional text and checks its length and characters.
pub(crate) fn optional_text(field: &'static str, raw: &str) -> Result<String, IncomingError> {
    let t = raw.trim();
    if t.chars().count() > MAX_TEXT {
        return Err(IncomingError::invalid(field, format!("at most {MAX_TEXT} characters")));
    }
    crate::text::check_multiline(t).map_err(|m| IncomingError::invalid(field, m))?;
    Ok(t.to_string())
}
