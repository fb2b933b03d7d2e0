//! Every legal and illegal move of a seal-use application, and the registry's validation.

use super::application::{validate_copies, validate_outgoing};
use super::*;
use crate::access::Actor;
use crate::ids::PersonId;
use crate::org::{Clearance, Role};
use crate::time::Timestamp;
use ApplicationAction as A;
use ApplicationState::*;

fn actor(id: i64, acting_for: Option<i64>) -> Actor {
    Actor {
        person_id: PersonId(id),
        name: format!("p{id}"),
        department_id: None,
        roles: vec![(Role::Handler, None)],
        admin: None,
        clearance: Clearance::None,
        acting_for: acting_for.map(PersonId),
    }
}

const APPLICANT: i64 = 1;
const HEAD: i64 = 2;
const LEADER: i64 = 3;
const KEEPER: i64 = 4;
const STRANGER: i64 = 9;

fn facts(state: ApplicationState, seal_active: bool) -> ApplicationFacts {
    ApplicationFacts {
        state,
        applicant: PersonId(APPLICANT),
        head: PersonId(HEAD),
        leader: PersonId(LEADER),
        keeper: PersonId(KEEPER),
        seal: if seal_active { SealState::Active } else { SealState::Decommissioned },
        copies: 3,
    }
}

#[test]
fn every_move_table() {
    let now = Timestamp(1000);
    let reject = || A::Reject { reason: "用途不明".into() };
    let stamp = |n| A::Stamp { copies: n };
    type Case = (ApplicationState, bool, i64, Option<i64>, A, Result<ApplicationState, SealError>);
    let cases: Vec<Case> = vec![
        // The happy path, in order.
        (Drafted, true, HEAD, None, A::HeadSign, Ok(HeadSigned)),
        (HeadSigned, true, LEADER, None, A::LeaderApprove, Ok(Approved)),
        (Approved, true, KEEPER, None, stamp(3), Ok(Stamped)),
        (Approved, true, KEEPER, None, stamp(1), Ok(Stamped)),
        // Delegates sign for the signer; nobody stamps for the keeper.
        (Drafted, true, 7, Some(HEAD), A::HeadSign, Ok(HeadSigned)),
        (HeadSigned, true, 8, Some(LEADER), A::LeaderApprove, Ok(Approved)),
        (Approved, true, 6, Some(KEEPER), stamp(1), Err(SealError::NotKeeper)),
        // Wrong signer.
        (Drafted, true, STRANGER, None, A::HeadSign, Err(SealError::NotDepartmentHead)),
        (Drafted, true, LEADER, None, A::HeadSign, Err(SealError::NotDepartmentHead)),
        (Drafted, true, APPLICANT, None, A::HeadSign, Err(SealError::NotDepartmentHead)),
        (HeadSigned, true, HEAD, None, A::LeaderApprove, Err(SealError::NotSupervisingLeader)),
        (HeadSigned, true, STRANGER, None, A::LeaderApprove, Err(SealError::NotSupervisingLeader)),
        (Approved, true, STRANGER, None, stamp(1), Err(SealError::NotKeeper)),
        (Approved, true, LEADER, None, stamp(1), Err(SealError::NotKeeper)),
        // Out of order: no skipping a signature, no stamping before approval.
        (Drafted, true, LEADER, None, A::LeaderApprove, Err(SealError::WrongState("drafted"))),
        (Drafted, true, KEEPER, None, stamp(1), Err(SealError::WrongState("drafted"))),
        (HeadSigned, true, KEEPER, None, stamp(1), Err(SealError::WrongState("head_signed"))),
        (HeadSigned, true, HEAD, None, A::HeadSign, Err(SealError::WrongState("head_signed"))),
        (Approved, true, LEADER, None, A::LeaderApprove, Err(SealError::WrongState("approved"))),
        (Approved, true, LEADER, None, reject(), Err(SealError::WrongState("approved"))),
        // Copies.
        (Approved, true, KEEPER, None, stamp(0), Err(SealError::Invalid { field: "copies", message: "" })),
        (Approved, true, KEEPER, None, stamp(4), Err(SealError::Invalid { field: "copies", message: "" })),
        // Refusal by the signer whose turn it is, with a reason.
        (Drafted, true, HEAD, None, reject(), Ok(Rejected)),
        (HeadSigned, true, LEADER, None, reject(), Ok(Rejected)),
        (Drafted, true, LEADER, None, reject(), Err(SealError::NotDepartmentHead)),
        (HeadSigned, true, HEAD, None, reject(), Err(SealError::NotSupervisingLeader)),
        (
            Drafted,
            true,
            HEAD,
            None,
            A::Reject { reason: " ".into() },
            Err(SealError::Invalid { field: "reason", message: "" }),
        ),
        // Withdrawal by the applicant before use.
        (Drafted, true, APPLICANT, None, A::Withdraw, Ok(Withdrawn)),
        (HeadSigned, true, APPLICANT, None, A::Withdraw, Ok(Withdrawn)),
        (Approved, true, APPLICANT, None, A::Withdraw, Ok(Withdrawn)),
        (Drafted, true, HEAD, None, A::Withdraw, Err(SealError::NotApplicant)),
        // A decommissioned seal: no signing, no stamping; refusing and withdrawing still end it.
        (Drafted, false, HEAD, None, A::HeadSign, Err(SealError::Decommissioned)),
        (HeadSigned, false, LEADER, None, A::LeaderApprove, Err(SealError::Decommissioned)),
        (Approved, false, KEEPER, None, stamp(1), Err(SealError::Decommissioned)),
        (Approved, false, APPLICANT, None, A::Withdraw, Ok(Withdrawn)),
        (Drafted, false, HEAD, None, reject(), Ok(Rejected)),
        // Final states accept nothing: stamping twice is refused.
        (Stamped, true, KEEPER, None, stamp(1), Err(SealError::WrongState("stamped"))),
        (Stamped, true, APPLICANT, None, A::Withdraw, Err(SealError::WrongState("stamped"))),
        (Rejected, true, HEAD, None, A::HeadSign, Err(SealError::WrongState("rejected"))),
        (Withdrawn, true, HEAD, None, A::HeadSign, Err(SealError::WrongState("withdrawn"))),
    ];
    for (state, active, who, acting_for, action, want) in cases {
        let label = format!("{state:?} active={active} by {who} for {acting_for:?}: {action:?}");
        let got = decide(&facts(state, active), &actor(who, acting_for), action, now).map(|(s, _)| s);
        // Invalid errors are compared by field: the message is for people.
        let norm = |r: Result<ApplicationState, SealError>| match r {
            Err(SealError::Invalid { field, .. }) => Err(SealError::Invalid { field, message: "" }),
            other => other,
        };
        assert_eq!(norm(got), norm(want), "{label}");
    }
}

#[test]
fn stamping_records_the_keeper_and_copies() {
    let (_, ev) = decide(&facts(Approved, true), &actor(KEEPER, None), A::Stamp { copies: 2 }, Timestamp(5)).unwrap();
    assert_eq!(ev, ApplicationEvent::Stamped { keeper: PersonId(KEEPER), copies: 2, at: Timestamp(5) });
    assert_eq!(ev.name(), "stamped");
}

#[test]
fn copies_and_registry_validation() {
    assert_eq!(validate_copies(" 5 "), Ok(5));
    for bad in ["0", "-1", "1000", "x", ""] {
        assert!(validate_copies(bad).is_err(), "{bad}");
    }
    let input = |kind: &str, d: &str| SealInput {
        name: "行政科".into(),
        kind: kind.into(),
        diameter_mm: d.into(),
        issuer: "党政办公室".into(),
    };
    assert_eq!(validate_seal(&input("section", "")).unwrap().diameter_mm, 38, "R7.1 default");
    assert_eq!(validate_seal(&input("division", "")).unwrap().diameter_mm, 40, "R7.1 default");
    assert_eq!(validate_seal(&input("division", "42")).unwrap().diameter_mm, 42);
    assert!(matches!(validate_seal(&input("round", "")), Err(SealError::Invalid { field: "kind", .. })));
    assert!(matches!(validate_seal(&input("section", "4.0")), Err(SealError::Invalid { field: "diameter_mm", .. })));
    let no_name = SealInput { name: " ".into(), ..input("section", "") };
    assert!(matches!(validate_seal(&no_name), Err(SealError::Invalid { field: "name", .. })));
}

#[test]
fn decommissioning_needs_reason_authority_and_disposal_and_happens_once() {
    let ok = validate_decommission(SealState::Active, "机构更名", "党政办公室", "destroyed").unwrap();
    assert_eq!(ok.disposal, Disposal::Destroyed);
    assert!(matches!(
        validate_decommission(SealState::Active, "", "党政办公室", "destroyed"),
        Err(SealError::Invalid { field: "reason", .. })
    ));
    assert!(matches!(
        validate_decommission(SealState::Active, "机构更名", "", "sealed_up"),
        Err(SealError::Invalid { field: "authority", .. })
    ));
    assert!(matches!(
        validate_decommission(SealState::Active, "机构更名", "党政办公室", "lost"),
        Err(SealError::Invalid { field: "disposal", .. })
    ));
    assert_eq!(
        validate_decommission(SealState::Decommissioned, "机构更名", "党政办公室", "destroyed"),
        Err(SealError::Decommissioned)
    );
}

#[test]
fn a_suspended_seal_is_neither_signed_for_nor_stamped_until_resumed() {
    let mut f = facts(Approved, true);
    f.seal = SealState::Suspended;
    let keeper = actor(KEEPER, None);
    assert_eq!(decide(&f, &keeper, A::Stamp { copies: 1 }, Timestamp(0)).unwrap_err(), SealError::Suspended);
    f.seal = SealState::Active;
    assert!(decide(&f, &keeper, A::Stamp { copies: 1 }, Timestamp(0)).is_ok());
}

#[test]
fn suspension_and_resumption_follow_the_seal_state() {
    use SealState::*;
    type Case = (SealState, bool, &'static str, Result<Option<&'static str>, SealError>);
    let cases: &[Case] = &[
        (Active, true, "保管人休假，无人代管", Ok(Some("保管人休假，无人代管"))),
        (Active, true, "  ", Err(SealError::Invalid { field: "reason", message: "required" })),
        (Suspended, false, "", Ok(None)),
        (Active, false, "", Err(SealError::WrongState("active"))),
        (Suspended, true, "again", Err(SealError::WrongState("suspended"))),
        (Decommissioned, true, "x", Err(SealError::Decommissioned)),
        (Decommissioned, false, "", Err(SealError::Decommissioned)),
    ];
    for (state, suspend, reason, want) in cases {
        let got = validate_suspension(*state, *suspend, reason);
        assert_eq!(got, want.clone().map(|o| o.map(str::to_string)), "{state:?} suspend={suspend}");
    }
    assert_eq!(SealState::parse("suspended"), Suspended);
    assert_eq!(SealState::parse(Suspended.code()), Suspended);
}

#[test]
fn only_a_final_unclassified_outgoing_document_may_be_named() {
    use crate::outgoing::OutgoingState as O;
    for ok in [O::Signed, O::Registered, O::Distributed] {
        assert_eq!(validate_outgoing(ok, Clearance::None), Ok(()), "{ok:?}");
        assert!(validate_outgoing(ok, Clearance::Secret).is_err(), "{ok:?} classified");
    }
    for bad in [O::Drafting, O::Checking, O::Countersigning, O::AwaitingSignature, O::Withdrawn] {
        let e = validate_outgoing(bad, Clearance::None).unwrap_err();
        assert!(matches!(e, SealError::Invalid { field: "outgoing_id", .. }), "{bad:?}: {e:?}");
    }
}
