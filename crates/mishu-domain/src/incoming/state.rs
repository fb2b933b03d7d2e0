//! The vocabulary of the 收文 workflow: the facts `decide` reads, the actions people take,
//! the steps it creates and the events it reports.

use super::{DocType, IncomingState, Stage, StepMode, StepState, SubmissionKind};
use crate::ids::{DepartmentId, IncomingStepId, PersonId};
use crate::time::Timestamp;
use serde::Serialize;

/// One step of a document's route as `decide` needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepFacts {
    pub id: IncomingStepId,
    pub stage: Stage,
    pub mode: StepMode,
    pub person: PersonId,
    pub department: Option<DepartmentId>,
    /// Proposal round the step belongs to (a route sent back and proposed again is a new round).
    pub round: i64,
    /// Position in the route; steps sharing a position run in parallel.
    pub seq: i64,
    pub state: StepState,
    pub due: Option<Timestamp>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncomingFacts {
    pub state: IncomingState,
    pub doc_type: DocType,
    pub registered_by: PersonId,
    pub round: i64,
    pub steps: Vec<StepFacts>,
}

/// A department and who answers for it there (its head, found by the service).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Assignment {
    pub department: DepartmentId,
    pub head: PersonId,
    pub due: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IncomingAction {
    /// 拟办: the proposal and the leader route. `leaders[0]` is the leader in charge (R1.5);
    /// the others follow in order, or together when `parallel`. No leaders: straight to the office.
    Propose { opinion: String, submission: SubmissionKind, leaders: Vec<PersonId>, parallel: bool },
    /// A leader's written instruction (批示).
    Instruct { step: IncomingStepId, text: String },
    /// A leader marks it read (圈阅).
    MarkRead { step: IncomingStepId },
    /// The office records an oral report: to whom (the step), when, and what was said back.
    RecordOral { step: IncomingStepId, reply: String, reported_at: Timestamp },
    /// 分办: to departments, the first one leading (主办) when there are several.
    Assign { assignments: Vec<Assignment> },
    /// A department's result (办理结果).
    Reply { step: IncomingStepId, result: String },
    /// 取回: the office takes back a step nobody has acted on.
    Recall { step: IncomingStepId },
    /// 退回: the step's person sends it back to the office with a reason.
    ReturnStep { step: IncomingStepId, reason: String },
    /// 退回来文单位: the office returns the document to its sender (初审 failed).
    ReturnToSender { reason: String },
    /// 办结: with an outcome; a 请示 also with its reply (R1.1); a report may be promoted (R1.2).
    Close { outcome: String, reply: String, promote: bool },
}

/// A step to create.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NewStep {
    pub stage: Stage,
    pub mode: StepMode,
    pub person: PersonId,
    pub department: Option<DepartmentId>,
    pub round: i64,
    pub seq: i64,
    pub parallel: bool,
    /// 主办 among several departments.
    pub lead: bool,
    pub state: StepState,
    pub due: Option<Timestamp>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepAct {
    Instructed,
    Read,
    OralRecorded,
    Replied,
}

/// What happened, for the store, the task spine and the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum IncomingEvent {
    Proposed {
        opinion: String,
        submission: SubmissionKind,
        round: i64,
        steps: Vec<NewStep>,
    },
    Assigned {
        steps: Vec<NewStep>,
    },
    StepActed {
        step: IncomingStepId,
        act: StepAct,
        text: String,
        by: PersonId,
        acting_for: Option<PersonId>,
        at: Timestamp,
    },
    StepsOpened {
        steps: Vec<IncomingStepId>,
    },
    StepEnded {
        step: IncomingStepId,
        end: StepState,
        reason: String,
    },
    ReturnedToSender {
        reason: String,
    },
    Closed {
        outcome: String,
        reply: String,
        promoted: bool,
    },
}
