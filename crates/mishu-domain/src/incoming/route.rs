//! How a route moves on and who holds a document at each moment. When a step ends, the
//! next leaders in order open, or the stage ends and the document returns to the office.
//! `holders` names every person the document waits for, so the service keeps exactly one
//! open task on the spine for each of them (R1.8: nothing sits without an owner).

use super::{IncomingFacts, IncomingState, Stage, StepFacts, StepMode, StepState};
use crate::ids::{IncomingStepId, PersonId};
use crate::tasks::TaskKind;
use crate::time::Timestamp;
use serde::Serialize;

/// After a leader step ends: still with leaders (possibly opening the next position in
/// order), or back to the office: instructed if anyone acted this round, else to propose again.
pub(crate) fn advance_leaders(steps: &[StepFacts], round: i64) -> (IncomingState, Vec<IncomingStepId>) {
    let current: Vec<&StepFacts> = steps.iter().filter(|s| s.stage == Stage::Leader && s.round == round).collect();
    if current.iter().any(|s| s.state == StepState::Open) {
        return (IncomingState::WithLeaders, vec![]);
    }
    if let Some(next_seq) = current.iter().filter(|s| s.state == StepState::Waiting).map(|s| s.seq).min() {
        let opened =
            current.iter().filter(|s| s.state == StepState::Waiting && s.seq == next_seq).map(|s| s.id).collect();
        return (IncomingState::WithLeaders, opened);
    }
    if current.iter().any(|s| s.state == StepState::Done) {
        (IncomingState::Instructed, vec![])
    } else {
        (IncomingState::Registered, vec![])
    }
}

/// After a department step ends: still assigned while any department holds it; handled
/// once one has reported; otherwise back to the office to assign again.
pub(crate) fn advance_departments(steps: &[StepFacts], round: i64) -> IncomingState {
    let depts = || steps.iter().filter(|s| s.stage == Stage::Department);
    if depts().any(|s| s.state == StepState::Open) {
        IncomingState::Assigned
    } else if depts().any(|s| s.state == StepState::Done) {
        IncomingState::Handled
    } else if steps.iter().any(|s| s.stage == Stage::Leader && s.round == round && s.state == StepState::Done) {
        IncomingState::Instructed
    } else {
        IncomingState::Proposed
    }
}

/// What the document waits for from a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ask {
    /// The office writes the proposal (拟办).
    Propose,
    /// The office assigns or closes (分办).
    Dispatch,
    /// A leader instructs (批示).
    Instruct,
    /// A leader reads (圈阅).
    Read,
    /// The office reports orally to leaders and records what they said.
    RecordOral,
    /// A department handles it and reports.
    Handle,
    /// The office closes it (办结).
    Close,
}

impl Ask {
    pub fn code(self) -> &'static str {
        match self {
            Ask::Propose => "propose",
            Ask::Dispatch => "dispatch",
            Ask::Instruct => "instruct",
            Ask::Read => "read",
            Ask::RecordOral => "record_oral",
            Ask::Handle => "handle",
            Ask::Close => "close",
        }
    }

    /// The kind of spine task: reading goes to 待阅, the rest to 待办.
    pub fn task_kind(self) -> TaskKind {
        match self {
            Ask::Instruct => TaskKind::Approve,
            Ask::Read => TaskKind::Read,
            Ask::RecordOral => TaskKind::Reply,
            Ask::Propose | Ask::Dispatch | Ask::Handle | Ask::Close => TaskKind::Handle,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Holder {
    pub person: PersonId,
    pub ask: Ask,
    pub due: Option<Timestamp>,
}

/// Everyone the document waits for now, one entry per person, in route order.
pub fn holders(f: &IncomingFacts, doc_due: Option<Timestamp>) -> Vec<Holder> {
    let office = |ask| vec![Holder { person: f.registered_by, ask, due: doc_due }];
    let mut out: Vec<Holder> = Vec::new();
    let mut push = |h: Holder| {
        if !out.iter().any(|x| x.person == h.person) {
            out.push(h);
        }
    };
    let mut open: Vec<&StepFacts> = f.steps.iter().filter(|s| s.state == StepState::Open).collect();
    open.sort_by_key(|s| (s.seq, s.id));
    match f.state {
        IncomingState::Registered => return office(Ask::Propose),
        IncomingState::Proposed | IncomingState::Instructed => return office(Ask::Dispatch),
        IncomingState::Handled => return office(Ask::Close),
        IncomingState::Closed | IncomingState::Returned => {}
        IncomingState::WithLeaders => {
            for s in open.iter().filter(|s| s.stage == Stage::Leader && s.round == f.round) {
                match s.mode {
                    StepMode::Oral => push(Holder { person: f.registered_by, ask: Ask::RecordOral, due: s.due }),
                    StepMode::Instruct => push(Holder { person: s.person, ask: Ask::Instruct, due: s.due }),
                    StepMode::Read | StepMode::Handle => push(Holder { person: s.person, ask: Ask::Read, due: s.due }),
                }
            }
        }
        IncomingState::Assigned => {
            for s in open.iter().filter(|s| s.stage == Stage::Department) {
                push(Holder { person: s.person, ask: Ask::Handle, due: s.due });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incoming::DocType;

    fn step(id: i64, stage: Stage, mode: StepMode, person: i64, seq: i64, state: StepState) -> StepFacts {
        StepFacts {
            id: IncomingStepId(id),
            stage,
            mode,
            person: PersonId(person),
            department: None,
            round: 1,
            seq,
            state,
            due: Some(Timestamp(id)),
        }
    }

    fn facts(state: IncomingState, steps: Vec<StepFacts>) -> IncomingFacts {
        IncomingFacts { state, doc_type: DocType::Notice, registered_by: PersonId(9), round: 1, steps }
    }

    #[test]
    fn leaders_open_in_order_and_parallel_ones_together() {
        use StepState::*;
        let s = |id, seq, st| step(id, Stage::Leader, StepMode::Read, id, seq, st);
        assert_eq!(
            advance_leaders(&[s(1, 1, Done), s(2, 2, Waiting), s(3, 3, Waiting)], 1),
            (IncomingState::WithLeaders, vec![IncomingStepId(2)])
        );
        assert_eq!(
            advance_leaders(&[s(1, 1, Done), s(2, 2, Waiting), s(3, 2, Waiting)], 1),
            (IncomingState::WithLeaders, vec![IncomingStepId(2), IncomingStepId(3)])
        );
        assert_eq!(advance_leaders(&[s(1, 1, Done), s(2, 2, Open)], 1), (IncomingState::WithLeaders, vec![]));
        assert_eq!(advance_leaders(&[s(1, 1, Done), s(2, 2, Recalled)], 1), (IncomingState::Instructed, vec![]));
        assert_eq!(advance_leaders(&[s(1, 1, Recalled)], 1), (IncomingState::Registered, vec![]));
        // An instruction from an earlier round does not count for this one.
        let mut old = s(1, 1, Done);
        old.round = 0;
        assert_eq!(advance_leaders(&[old, s(2, 1, Recalled)], 1), (IncomingState::Registered, vec![]));
    }

    #[test]
    fn departments_finish_into_handled_or_back_to_the_office() {
        use StepState::*;
        let d = |id, st| step(id, Stage::Department, StepMode::Handle, id, 1, st);
        let l = |st| step(10, Stage::Leader, StepMode::Instruct, 10, 1, st);
        assert_eq!(advance_departments(&[d(1, Done), d(2, Open)], 1), IncomingState::Assigned);
        assert_eq!(advance_departments(&[d(1, Done), d(2, Returned)], 1), IncomingState::Handled);
        assert_eq!(advance_departments(&[l(Done), d(2, Recalled)], 1), IncomingState::Instructed);
        assert_eq!(advance_departments(&[d(2, Returned)], 1), IncomingState::Proposed);
    }

    #[test]
    fn holders_follow_the_document() {
        use StepState::*;
        assert_eq!(holders(&facts(IncomingState::Registered, vec![]), None)[0].ask, Ask::Propose);
        assert_eq!(holders(&facts(IncomingState::Handled, vec![]), None)[0].person, PersonId(9));
        assert!(holders(&facts(IncomingState::Closed, vec![]), None).is_empty());
        let with = facts(
            IncomingState::WithLeaders,
            vec![
                step(1, Stage::Leader, StepMode::Instruct, 1, 1, Done),
                step(2, Stage::Leader, StepMode::Read, 2, 2, Open),
                step(3, Stage::Leader, StepMode::Read, 3, 3, Waiting),
            ],
        );
        assert_eq!(holders(&with, None), vec![Holder { person: PersonId(2), ask: Ask::Read, due: Some(Timestamp(2)) }]);
        let oral = facts(
            IncomingState::WithLeaders,
            vec![
                step(1, Stage::Leader, StepMode::Oral, 1, 1, Open),
                step(2, Stage::Leader, StepMode::Oral, 2, 1, Open),
            ],
        );
        assert_eq!(
            holders(&oral, None),
            vec![Holder { person: PersonId(9), ask: Ask::RecordOral, due: Some(Timestamp(1)) }]
        );
        // One person heading two departments holds one task, not two.
        let mut d2 = step(2, Stage::Department, StepMode::Handle, 5, 1, Open);
        d2.person = PersonId(5);
        let assigned =
            facts(IncomingState::Assigned, vec![step(1, Stage::Department, StepMode::Handle, 5, 1, Open), d2]);
        assert_eq!(holders(&assigned, None).len(), 1);
        assert_eq!(Ask::Instruct.task_kind(), TaskKind::Approve);
        assert_eq!(Ask::Read.task_kind(), TaskKind::Read);
    }
}
