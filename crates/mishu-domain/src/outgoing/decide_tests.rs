//! The 发文 workflow as a table: state, actor, action → next state or refusal.

use super::*;
use crate::access::Actor;
use crate::ids::{DepartmentId, OutgoingStepId as Sid, PersonId};
use crate::org::{Clearance, Role};
use crate::time::Timestamp;
use OutgoingAction as A;
use OutgoingState as S;

const DRAFTER: i64 = 1;
const OFFICE: i64 = 2;
const CS1: i64 = 3;
const CS2: i64 = 4;
const LEADER: i64 = 5;
const OTHER: i64 = 6;
const NOW: Timestamp = Timestamp(1_795_741_200_000);

fn actor(id: i64) -> Actor {
    let roles = match id {
        OFFICE => vec![(Role::Secretary, Some(DepartmentId(1)))],
        LEADER | OTHER => vec![(Role::Leader, None)],
        _ => vec![(Role::Handler, Some(DepartmentId(2)))],
    };
    Actor {
        person_id: PersonId(id),
        name: format!("p{id}"),
        department_id: Some(DepartmentId(1)),
        roles,
        admin: None,
        clearance: Clearance::Secret,
        acting_for: None,
    }
}

fn step(id: i64, kind: StepKind, person: i64, seq: i64, state: StepState) -> StepFacts {
    StepFacts { id: Sid(id), kind, person: PersonId(person), round: 1, seq, state }
}

fn facts(state: S, parallel: bool, steps: Vec<StepFacts>) -> OutgoingFacts {
    OutgoingFacts {
        state,
        drafter: PersonId(DRAFTER),
        signer: PersonId(LEADER),
        countersigners: vec![PersonId(CS1), PersonId(CS2)],
        countersign_parallel: parallel,
        round: 1,
        steps,
        has_text: true,
        lint_errors: vec![],
        number: None,
    }
}

fn seq_cs() -> Vec<StepFacts> {
    vec![
        step(10, StepKind::Countersign, CS1, 0, StepState::Open),
        step(11, StepKind::Countersign, CS2, 1, StepState::Waiting),
    ]
}

fn par_cs() -> Vec<StepFacts> {
    vec![
        step(10, StepKind::Countersign, CS1, 0, StepState::Open),
        step(11, StepKind::Countersign, CS2, 0, StepState::Open),
    ]
}

fn sign() -> Vec<StepFacts> {
    vec![step(20, StepKind::Sign, LEADER, 0, StepState::Open)]
}

type Want = Result<S, OutgoingError>;

#[test]
fn decide_table() {
    let agree = |id, ok| A::Countersign {
        step: Sid(id),
        agree: ok,
        opinion: if ok { String::new() } else { "经费来源不明".into() },
    };
    let mut no_text = facts(S::Drafting, false, vec![]);
    no_text.has_text = false;
    let mut dirty = facts(S::Checking, false, vec![]);
    dirty.lint_errors = vec!["title_ends_in_punctuation"];
    let mut numbered = facts(S::Registered, false, vec![]);
    numbered.number = Some("江职院〔2026〕3号".into());
    let review_open = facts(S::Drafting, false, vec![step(30, StepKind::Review, CS1, 0, StepState::Open)]);
    let cases: Vec<(&str, OutgoingFacts, i64, A, Want)> = vec![
        ("submit", facts(S::Drafting, false, vec![]), DRAFTER, A::Submit, Ok(S::Checking)),
        ("submit by other", facts(S::Drafting, false, vec![]), OTHER, A::Submit, Err(OutgoingError::NotDrafter)),
        (
            "submit without text",
            no_text,
            DRAFTER,
            A::Submit,
            Err(OutgoingError::invalid("body", "write a first version before submitting")),
        ),
        (
            "submit while reviewing",
            review_open.clone(),
            DRAFTER,
            A::Submit,
            Err(OutgoingError::invalid("review", "the review round is still open: wait or close it")),
        ),
        (
            "comment",
            review_open.clone(),
            CS1,
            A::Comment { step: Sid(30), text: "第二段数据需核实".into() },
            Ok(S::Drafting),
        ),
        (
            "comment by other",
            review_open.clone(),
            CS2,
            A::Comment { step: Sid(30), text: "x".into() },
            Err(OutgoingError::NotHolder),
        ),
        ("close review", review_open, DRAFTER, A::CloseReview, Ok(S::Drafting)),
        (
            "check pass → countersign",
            facts(S::Checking, false, vec![]),
            OFFICE,
            A::Check { pass: true, opinion: String::new() },
            Ok(S::Countersigning),
        ),
        (
            "check by drafter",
            facts(S::Checking, false, vec![]),
            DRAFTER,
            A::Check { pass: true, opinion: String::new() },
            Err(OutgoingError::NotOffice),
        ),
        (
            "check with lint errors",
            dirty,
            OFFICE,
            A::Check { pass: true, opinion: String::new() },
            Err(OutgoingError::LintFailed("title_ends_in_punctuation".into())),
        ),
        (
            "check fail needs opinion",
            facts(S::Checking, false, vec![]),
            OFFICE,
            A::Check { pass: false, opinion: " ".into() },
            Err(OutgoingError::invalid("opinion", "required")),
        ),
        (
            "check fail",
            facts(S::Checking, false, vec![]),
            OFFICE,
            A::Check { pass: false, opinion: "文种不当".into() },
            Ok(S::Drafting),
        ),
        (
            "withdraw",
            facts(S::Checking, false, vec![]),
            OFFICE,
            A::Withdraw { reason: "不宜发文".into() },
            Ok(S::Withdrawn),
        ),
        ("seq first agrees", facts(S::Countersigning, false, seq_cs()), CS1, agree(10, true), Ok(S::Countersigning)),
        (
            "seq second not yet",
            facts(S::Countersigning, false, seq_cs()),
            CS2,
            agree(11, true),
            Err(OutgoingError::NotHolder),
        ),
        ("seq first objects", facts(S::Countersigning, false, seq_cs()), CS1, agree(10, false), Ok(S::Drafting)),
        ("par one agrees", facts(S::Countersigning, true, par_cs()), CS2, agree(11, true), Ok(S::Countersigning)),
        (
            "objection needs reason",
            facts(S::Countersigning, true, par_cs()),
            CS2,
            A::Countersign { step: Sid(11), agree: false, opinion: String::new() },
            Err(OutgoingError::invalid("opinion", "required")),
        ),
        (
            "sign",
            facts(S::AwaitingSignature, false, sign()),
            LEADER,
            A::Sign { approve: true, opinion: String::new() },
            Ok(S::Signed),
        ),
        (
            "sign by another leader",
            facts(S::AwaitingSignature, false, sign()),
            OTHER,
            A::Sign { approve: true, opinion: String::new() },
            Err(OutgoingError::NotSigner),
        ),
        (
            "sign by office",
            facts(S::AwaitingSignature, false, sign()),
            OFFICE,
            A::Sign { approve: true, opinion: String::new() },
            Err(OutgoingError::NotSigner),
        ),
        (
            "sign refused",
            facts(S::AwaitingSignature, false, sign()),
            LEADER,
            A::Sign { approve: false, opinion: "再压缩篇幅".into() },
            Ok(S::Drafting),
        ),
        (
            "sign while drafting",
            facts(S::Drafting, false, vec![]),
            LEADER,
            A::Sign { approve: true, opinion: String::new() },
            Err(OutgoingError::WrongState("drafting")),
        ),
        ("register", facts(S::Signed, false, vec![]), OFFICE, A::Register, Ok(S::Registered)),
        ("register by leader", facts(S::Signed, false, vec![]), LEADER, A::Register, Err(OutgoingError::NotOffice)),
        (
            "register twice",
            numbered.clone(),
            OFFICE,
            A::Register,
            Err(OutgoingError::AlreadyNumbered("江职院〔2026〕3号".into())),
        ),
        (
            "register unsigned",
            facts(S::AwaitingSignature, false, sign()),
            OFFICE,
            A::Register,
            Err(OutgoingError::WrongState("awaiting_signature")),
        ),
        (
            "void needs reason",
            numbered.clone(),
            OFFICE,
            A::VoidNumber { reason: String::new() },
            Err(OutgoingError::invalid("reason", "required")),
        ),
        ("void", numbered.clone(), OFFICE, A::VoidNumber { reason: "标题有误".into() }, Ok(S::Signed)),
        ("distribute", numbered, OFFICE, A::Distribute, Ok(S::Distributed)),
        (
            "distribute unsigned",
            facts(S::Signed, false, vec![]),
            OFFICE,
            A::Distribute,
            Err(OutgoingError::WrongState("signed")),
        ),
        (
            "cancel distribution",
            facts(S::Distributed, false, vec![]),
            OFFICE,
            A::CancelDistribution { reason: "主送有误".into() },
            Ok(S::Registered),
        ),
    ];
    for (name, f, who, action, want) in cases {
        let got = decide(&f, &actor(who), &action, NOW).map(|(s, _)| s);
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn sequential_countersign_opens_the_next_and_the_last_goes_to_the_signer() {
    let f = facts(S::Countersigning, false, seq_cs());
    let (_, ev) =
        decide(&f, &actor(CS1), &A::Countersign { step: Sid(10), agree: true, opinion: "同意".into() }, NOW).unwrap();
    assert!(ev.contains(&OutgoingEvent::StepsOpened { steps: vec![Sid(11)] }), "{ev:?}");
    let mut f = f;
    f.steps[0].state = StepState::Done;
    f.steps[1].state = StepState::Open;
    let (s, ev) =
        decide(&f, &actor(CS2), &A::Countersign { step: Sid(11), agree: true, opinion: String::new() }, NOW).unwrap();
    assert_eq!(s, S::AwaitingSignature);
    assert!(ev.iter().any(|e| matches!(e, OutgoingEvent::StepsAdded { kind: StepKind::Sign, round: 2, .. })));
}

#[test]
fn an_objection_returns_the_draft_and_cancels_the_rest_visibly() {
    let f = facts(S::Countersigning, true, par_cs());
    let (s, ev) =
        decide(&f, &actor(CS1), &A::Countersign { step: Sid(10), agree: false, opinion: "经费来源不明".into() }, NOW)
            .unwrap();
    assert_eq!(s, S::Drafting);
    assert_eq!(
        ev,
        vec![
            OutgoingEvent::StepActed {
                step: Sid(10), state: StepState::Objected, opinion: "经费来源不明".into()
            },
            OutgoingEvent::StepsCancelled { steps: vec![Sid(11)] },
            OutgoingEvent::ReturnedToDrafter { reason: "经费来源不明".into() },
        ]
    );
}

#[test]
fn sign_off_fixes_the_date_from_the_clock() {
    let f = facts(S::AwaitingSignature, false, sign());
    let (_, ev) = decide(&f, &actor(LEADER), &A::Sign { approve: true, opinion: String::new() }, NOW).unwrap();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    assert!(ev.contains(&OutgoingEvent::Signed { date, opinion: "同意".into() }), "{ev:?}");
}

#[test]
fn no_countersigners_goes_straight_to_the_signer() {
    let mut f = facts(S::Checking, false, vec![]);
    f.countersigners.clear();
    let (s, _) = decide(&f, &actor(OFFICE), &A::Check { pass: true, opinion: String::new() }, NOW).unwrap();
    assert_eq!(s, S::AwaitingSignature);
}
