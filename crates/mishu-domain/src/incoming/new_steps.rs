//! The steps a proposal or an assignment adds to a route: leaders with the leader in charge
//! first (R1.5), in order or together; departments with their deadlines, the first leading.

use super::state::{Assignment, IncomingFacts, NewStep};
use super::{IncomingError, Stage, StepMode, StepState, SubmissionKind};
use crate::ids::{DepartmentId, PersonId};
use crate::time::Timestamp;
use std::collections::BTreeSet;

pub(crate) fn leader_steps(
    round: i64,
    submission: SubmissionKind,
    leaders: &[PersonId],
    parallel: bool,
) -> Vec<NewStep> {
    let others = leaders.len().saturating_sub(1);
    leaders
        .iter()
        .enumerate()
        .map(|(i, p)| {
            // The leader in charge first (R1.5); the rest all at position 2, or one after another.
            let seq = if i == 0 || parallel { i64::from(i > 0) + 1 } else { i as i64 + 1 };
            NewStep {
                stage: Stage::Leader,
                mode: submission.step_mode(i),
                person: *p,
                department: None,
                round,
                seq,
                parallel: i > 0 && parallel && others > 1,
                lead: i == 0,
                state: if i == 0 { StepState::Open } else { StepState::Waiting },
                due: None,
            }
        })
        .collect()
}

/// Checks an assignment against the document and builds its steps. The first department
/// ever assigned leads (主办); later additions assist.
pub(crate) fn department_steps(
    f: &IncomingFacts,
    assignments: &[Assignment],
    now: Timestamp,
) -> Result<Vec<NewStep>, IncomingError> {
    if assignments.is_empty() {
        return Err(IncomingError::invalid("departments", "choose at least one department"));
    }
    let distinct: BTreeSet<_> = assignments.iter().map(|x| x.department).collect();
    if distinct.len() != assignments.len() {
        return Err(IncomingError::invalid("departments", "a department appears twice"));
    }
    if assignments.iter().any(|x| x.due <= now) {
        return Err(IncomingError::invalid("due", "the deadline must be in the future"));
    }
    let busy = |d: DepartmentId| {
        f.steps.iter().any(|s| s.stage == Stage::Department && s.department == Some(d) && s.state == StepState::Open)
    };
    if assignments.iter().any(|x| busy(x.department)) {
        return Err(IncomingError::invalid("departments", "a department chosen already has this document"));
    }
    let first = !f.steps.iter().any(|s| s.stage == Stage::Department && s.state != StepState::Recalled);
    let several = assignments.len() > 1;
    Ok(assignments
        .iter()
        .enumerate()
        .map(|(i, x)| NewStep {
            stage: Stage::Department,
            mode: StepMode::Handle,
            person: x.head,
            department: Some(x.department),
            round: f.round,
            seq: 1,
            parallel: several,
            lead: first && i == 0,
            state: StepState::Open,
            due: Some(x.due),
        })
        .collect())
}
