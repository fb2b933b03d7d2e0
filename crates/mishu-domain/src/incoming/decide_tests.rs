//! Table tests of the 收文 workflow: every action in every state (each move not allowed is
//! refused with the state named), then each guard of the allowed moves.

use super::*;
use crate::access::Actor;
use crate::ids::{DepartmentId, IncomingStepId, PersonId};
use crate::org::{Clearance, Role};
use crate::time::Timestamp;
use IncomingAction as A;
use IncomingState as S;

const NOW: Timestamp = Timestamp(1_000_000);
const SECRETARY: i64 = 9;

fn actor(id: i64, roles: &[Role], acting_for: Option<i64>) -> Actor {
    Actor {
        person_id: PersonId(id),
        name: format!("p{id}"),
        department_id: None,
        roles: roles.iter().map(|r| (*r, None)).collect(),
        admin: None,
        clearance: Clearance::TopSecret,
        acting_for: acting_for.map(PersonId),
    }
}

fn secretary() -> Actor {
    actor(SECRETARY, &[Role::Secretary], None)
}
fn leader(id: i64) -> Actor {
    actor(id, &[Role::Leader], None)
}
fn head(id: i64) -> Actor {
    actor(id, &[Role::DepartmentHead], None)
}
fn sid(n: i64) -> IncomingStepId {
    IncomingStepId(n)
}

fn step(id: i64, stage: Stage, mode: StepMode, person: i64, seq: i64, state: StepState) -> StepFacts {
    let department = (stage == Stage::Department).then_some(DepartmentId(person * 10));
    let (person, round, due) = (PersonId(person), 1, None);
    StepFacts { id: sid(id), stage, mode, person, department, round, seq, state, due }
}

/// One document carrying a step of every sort, so each action finds what it needs and
/// only the state decides whether the move is allowed.
fn facts(state: IncomingState, doc_type: DocType) -> IncomingFacts {
    use StepState::*;
    IncomingFacts {
        state,
        doc_type,
        registered_by: PersonId(SECRETARY),
        round: 1,
        steps: vec![
            step(1, Stage::Leader, StepMode::Instruct, 1, 1, Open),
            step(2, Stage::Leader, StepMode::Read, 2, 2, Open),
            step(3, Stage::Leader, StepMode::Oral, 3, 2, Open),
            step(4, Stage::Leader, StepMode::Read, 4, 3, Waiting),
            step(5, Stage::Department, StepMode::Handle, 5, 1, Open),
            step(6, Stage::Department, StepMode::Handle, 6, 1, Done),
        ],
    }
}

fn assign_to(dept: i64, due: Timestamp) -> A {
    let a = Assignment { department: DepartmentId(dept), head: PersonId(7), due };
    A::Assign { assignments: vec![a] }
}

type Case = (&'static str, fn(IncomingState) -> (Actor, IncomingAction), &'static [(IncomingState, IncomingState)]);

/// Each action, who does it, and the states where it is allowed with the state it leads to.
#[rustfmt::skip]
const MOVES: &[Case] = &[
    ("propose", |_| (secretary(), A::Propose { opinion: "拟请张书记阅示".into(), submission: SubmissionKind::ForInstruction, leaders: vec![PersonId(1), PersonId(2)], parallel: false }),
        &[(S::Registered, S::WithLeaders), (S::Proposed, S::WithLeaders)]),
    ("instruct", |_| (leader(1), A::Instruct { step: sid(1), text: "请教务处研究办理".into() }), &[(S::WithLeaders, S::WithLeaders)]),
    ("mark_read", |_| (leader(2), A::MarkRead { step: sid(2) }), &[(S::WithLeaders, S::WithLeaders)]),
    ("record_oral", |_| (secretary(), A::RecordOral { step: sid(3), reply: "同意".into(), reported_at: NOW }), &[(S::WithLeaders, S::WithLeaders)]),
    ("assign", |_| (secretary(), assign_to(70, NOW.plus_hours(24))),
        &[(S::Proposed, S::Assigned), (S::Instructed, S::Assigned), (S::Assigned, S::Assigned), (S::Handled, S::Assigned)]),
    ("reply", |_| (head(5), A::Reply { step: sid(5), result: "已按要求报送".into() }), &[(S::Assigned, S::Handled)]),
    ("recall", |s| (secretary(), A::Recall { step: sid(if s == S::Assigned { 5 } else { 4 }) }), &[(S::WithLeaders, S::WithLeaders), (S::Assigned, S::Handled)]),
    ("return_step", |s| if s == S::Assigned { (head(5), A::ReturnStep { step: sid(5), reason: "非我处职责".into() }) } else { (leader(1), A::ReturnStep { step: sid(1), reason: "拟办意见不妥".into() }) },
        &[(S::WithLeaders, S::Registered), (S::Assigned, S::Handled)]),
    ("return_to_sender", |_| (secretary(), A::ReturnToSender { reason: "越级行文".into() }), &[(S::Registered, S::Returned), (S::Proposed, S::Returned)]),
    ("close", |_| (secretary(), A::Close { outcome: "已办结".into(), reply: "同意所请".into(), promote: false }),
        &[(S::Proposed, S::Closed), (S::Instructed, S::Closed), (S::Handled, S::Closed)]),
];

#[test]
fn every_action_in_every_state() {
    let mut checked = 0;
    for (name, make, allowed) in MOVES {
        for state in IncomingState::ALL {
            let (who, action) = make(state);
            let got = decide(&facts(state, DocType::Request), &who, action, NOW).map(|(s, _)| s);
            let want = allowed
                .iter()
                .find(|(from, _)| *from == state)
                .map(|(_, to)| *to)
                .ok_or(IncomingError::WrongState(state.code()));
            assert_eq!(got, want, "{name} in {state:?}");
            checked += 1;
        }
    }
    assert_eq!(checked, 10 * 8);
}

/// The refusal a guard case expects: exactly this error, or an invalid value in this field.
enum Want {
    Is(IncomingError),
    Field(&'static str),
}

impl Want {
    fn matches(&self, e: &IncomingError) -> bool {
        match self {
            Want::Is(want) => e == want,
            Want::Field(field) => {
                matches!(e, IncomingError::Invalid { field: f, .. } if f == field)
            }
        }
    }
}

#[test]
fn guards_of_the_allowed_moves() {
    use IncomingError::*;
    use Want::{Field as inv, Is as is};
    let propose = |leaders: Vec<i64>, opinion: &str| A::Propose {
        opinion: opinion.into(),
        submission: SubmissionKind::ForReading,
        leaders: leaders.into_iter().map(PersonId).collect(),
        parallel: false,
    };
    let close =
        |outcome: &str, reply: &str, promote: bool| A::Close { outcome: outcome.into(), reply: reply.into(), promote };
    let text = |s: &str| s.to_string();
    #[rustfmt::skip]
    let cases: Vec<(&str, S, DocType, Actor, A, Want)> = vec![
        ("propose by a handler", S::Registered, DocType::Notice, head(5), propose(vec![1], "x"), is(NotOffice)),
        ("propose by a leader", S::Registered, DocType::Notice, leader(1), propose(vec![1], "x"), is(NotOffice)),
        ("propose without opinion", S::Registered, DocType::Notice, secretary(), propose(vec![1], "  "), inv("opinion")),
        ("propose a leader twice", S::Registered, DocType::Notice, secretary(), propose(vec![1, 2, 1], "x"), inv("leaders")),
        ("instruct someone else's step", S::WithLeaders, DocType::Notice, leader(2), A::Instruct { step: sid(1), text: text("x") }, is(NotHolder)),
        ("instruct with no words", S::WithLeaders, DocType::Notice, leader(1), A::Instruct { step: sid(1), text: text(" ") }, inv("text")),
        ("instruct before it is your turn", S::WithLeaders, DocType::Notice, leader(4), A::Instruct { step: sid(4), text: text("x") }, is(StepEnded)),
        ("instruct an oral step", S::WithLeaders, DocType::Notice, leader(3), A::Instruct { step: sid(3), text: text("x") }, inv("step")),
        ("instruct a missing step", S::WithLeaders, DocType::Notice, leader(1), A::Instruct { step: sid(99), text: text("x") }, is(NoSuchStep)),
        ("instruct a department step", S::WithLeaders, DocType::Notice, head(5), A::Instruct { step: sid(5), text: text("x") }, is(NoSuchStep)),
        ("mark read when asked to instruct", S::WithLeaders, DocType::Notice, leader(1), A::MarkRead { step: sid(1) }, inv("text")),
        ("oral report recorded by the leader", S::WithLeaders, DocType::Notice, leader(3), A::RecordOral { step: sid(3), reply: text("x"), reported_at: NOW }, is(NotOffice)),
        ("oral report in the future", S::WithLeaders, DocType::Notice, secretary(), A::RecordOral { step: sid(3), reply: text("x"), reported_at: NOW.plus_hours(1) }, inv("reported_at")),
        ("oral report with nothing said back", S::WithLeaders, DocType::Notice, secretary(), A::RecordOral { step: sid(3), reply: text(""), reported_at: NOW }, inv("reply")),
        ("oral report on a written step", S::WithLeaders, DocType::Notice, secretary(), A::RecordOral { step: sid(2), reply: text("x"), reported_at: NOW }, is(NoSuchStep)),
        ("assign nobody", S::Instructed, DocType::Notice, secretary(), A::Assign { assignments: vec![] }, inv("departments")),
        ("assign with a past deadline", S::Instructed, DocType::Notice, secretary(), assign_to(70, NOW), inv("due")),
        ("assign a department that has it", S::Assigned, DocType::Notice, secretary(), assign_to(50, NOW.plus_hours(1)), inv("departments")),
        ("assign by a handler", S::Instructed, DocType::Notice, head(5), assign_to(70, NOW.plus_hours(1)), is(NotOffice)),
        ("reply for another department", S::Assigned, DocType::Notice, head(6), A::Reply { step: sid(5), result: text("x") }, is(NotHolder)),
        ("reply with no result", S::Assigned, DocType::Notice, head(5), A::Reply { step: sid(5), result: text("") }, inv("result")),
        ("reply twice", S::Assigned, DocType::Notice, head(6), A::Reply { step: sid(6), result: text("x") }, is(StepEnded)),
        ("recall a step already acted on", S::Assigned, DocType::Notice, secretary(), A::Recall { step: sid(6) }, is(StepEnded)),
        ("recall a leader step while assigned", S::Assigned, DocType::Notice, secretary(), A::Recall { step: sid(4) }, is(StepEnded)),
        ("recall by a leader", S::WithLeaders, DocType::Notice, leader(1), A::Recall { step: sid(4) }, is(NotOffice)),
        ("return without a reason", S::WithLeaders, DocType::Notice, leader(1), A::ReturnStep { step: sid(1), reason: text("") }, inv("reason")),
        ("return someone else's step", S::Assigned, DocType::Notice, head(6), A::ReturnStep { step: sid(5), reason: text("x") }, is(NotHolder)),
        ("return to sender without a reason", S::Registered, DocType::Notice, secretary(), A::ReturnToSender { reason: text(" ") }, inv("reason")),
        ("close without an outcome", S::Handled, DocType::Notice, secretary(), close("", "", false), inv("outcome")),
        ("close a 请示 without its reply", S::Handled, DocType::Request, secretary(), close("已办", " ", false), is(NoReply)),
        ("promote a notice", S::Handled, DocType::Notice, secretary(), close("已办", "", true), inv("promote")),
        ("close by a department", S::Handled, DocType::Notice, head(5), close("已办", "", false), is(NotOffice)),
    ];
    for (label, state, doc_type, who, action, want) in cases {
        match decide(&facts(state, doc_type), &who, action, NOW) {
            Err(e) => assert!(want.matches(&e), "{label}: got {e:?}"),
            Ok((s, _)) => panic!("{label}: allowed, went to {s:?}"),
        }
    }
}

#[test]
fn allowed_variants_and_what_they_produce() {
    // A delegate acts for the leader; the event records both.
    let deputy = actor(11, &[Role::Handler], Some(1));
    let instruct = A::Instruct { step: sid(1), text: "同意".into() };
    let (_, ev) = decide(&facts(S::WithLeaders, DocType::Notice), &deputy, instruct, NOW).unwrap();
    let by_deputy = IncomingEvent::StepActed {
        step: sid(1),
        act: StepAct::Instructed,
        text: "同意".into(),
        by: PersonId(11),
        acting_for: Some(PersonId(1)),
        at: NOW,
    };
    assert_eq!(ev[0], by_deputy);
    // Notices close without a reply; reports may be promoted (R1.2).
    let sec = secretary();
    let close = |t, promote| {
        let action = A::Close { outcome: "已阅".into(), reply: "".into(), promote };
        decide(&facts(S::Handled, t), &sec, action, NOW)
    };
    assert!(close(DocType::Notice, false).is_ok());
    assert!(matches!(&close(DocType::Report, true).unwrap().1[0], IncomingEvent::Closed { promoted: true, .. }));
}

#[test]
fn routes_go_to_the_leader_in_charge_first() {
    use StepMode::*;
    use StepState::*;
    let empty = IncomingFacts {
        state: S::Registered,
        doc_type: DocType::Request,
        registered_by: PersonId(SECRETARY),
        round: 0,
        steps: vec![],
    };
    let propose = |leaders: Vec<i64>, parallel| A::Propose {
        opinion: "拟办".into(),
        submission: SubmissionKind::ForInstruction,
        leaders: leaders.into_iter().map(PersonId).collect(),
        parallel,
    };
    let steps = |e: &IncomingEvent| match e {
        IncomingEvent::Proposed { steps, round: 1, .. } => {
            steps.iter().map(|s| (s.person.0, s.seq, s.mode, s.state)).collect::<Vec<_>>()
        }
        other => panic!("{other:?}"),
    };
    let (st, ev) = decide(&empty, &secretary(), propose(vec![1, 2, 3], false), NOW).unwrap();
    assert_eq!(st, S::WithLeaders);
    assert_eq!(steps(&ev[0]), vec![(1, 1, Instruct, Open), (2, 2, Read, Waiting), (3, 3, Read, Waiting)]);
    let (_, ev) = decide(&empty, &secretary(), propose(vec![1, 2, 3], true), NOW).unwrap();
    assert_eq!(steps(&ev[0]), vec![(1, 1, Instruct, Open), (2, 2, Read, Waiting), (3, 2, Read, Waiting)]);
    let (st, ev) = decide(&empty, &secretary(), propose(vec![], false), NOW).unwrap();
    assert_eq!((st, steps(&ev[0]).len()), (S::Proposed, 0));
}

#[test]
fn steps_move_the_route_on() {
    use StepState::*;
    let sequential = IncomingFacts {
        state: S::WithLeaders,
        doc_type: DocType::Request,
        registered_by: PersonId(SECRETARY),
        round: 1,
        steps: vec![
            step(1, Stage::Leader, StepMode::Instruct, 1, 1, Open),
            step(2, Stage::Leader, StepMode::Read, 2, 2, Waiting),
            step(3, Stage::Leader, StepMode::Read, 3, 3, Waiting),
        ],
    };
    let opened_2 = IncomingEvent::StepsOpened { steps: vec![sid(2)] };
    let instruct = A::Instruct { step: sid(1), text: "同意".into() };
    let (st, ev) = decide(&sequential, &leader(1), instruct, NOW).unwrap();
    assert_eq!((st, &ev[1]), (S::WithLeaders, &opened_2));
    // The leader in charge sends it back: the leaders still waiting are not asked this round.
    let back = A::ReturnStep { step: sid(1), reason: "请补充材料".into() };
    let (st, ev) = decide(&sequential, &leader(1), back, NOW).unwrap();
    assert_eq!(st, S::Registered);
    let ended: Vec<_> = ev
        .iter()
        .filter_map(|e| match e {
            IncomingEvent::StepEnded { step, end, .. } => Some((step.0, *end)),
            _ => None,
        })
        .collect();
    assert_eq!(ended, vec![(1, Returned), (2, Cancelled), (3, Cancelled)]);
    // Recalling the only open step opens the next one.
    let (st, ev) = decide(&sequential, &secretary(), A::Recall { step: sid(1) }, NOW).unwrap();
    assert_eq!((st, ev.last()), (S::WithLeaders, Some(&opened_2)));
}
