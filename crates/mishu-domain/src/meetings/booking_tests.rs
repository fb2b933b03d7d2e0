//! Every legal and illegal move of the booking state machine, as one table.

use super::*;
use crate::access::Actor;
use crate::ids::{DepartmentId, PersonId};
use crate::org::{AdminKind, Clearance, Role};
use crate::time::Timestamp;
use Approver::*;
use BookingState::*;

const SECTION: DepartmentId = DepartmentId(7);

fn actor(id: i64, roles: &[(Role, Option<i64>)], admin: Option<AdminKind>) -> Actor {
    Actor {
        person_id: PersonId(id),
        name: format!("p{id}"),
        department_id: Some(DepartmentId(1)),
        roles: roles.iter().map(|(r, d)| (*r, d.map(DepartmentId))).collect(),
        admin,
        clearance: Clearance::None,
        acting_for: None,
    }
}

fn facts(state: BookingState, pending: &[Approver]) -> BookingFacts {
    BookingFacts {
        state,
        requested_by: PersonId(1),
        starts_at: Timestamp(10_000),
        pending: pending.to_vec(),
        section: Some(SECTION),
    }
}

#[test]
fn the_booking_table() {
    let now = Timestamp(1_000);
    let requester = actor(1, &[(Role::Handler, Some(1))], None);
    let office_head = actor(2, &[(Role::OfficeHead, Some(1))], None);
    let section_head = actor(3, &[(Role::DepartmentHead, Some(SECTION.0))], None);
    let other_head = actor(4, &[(Role::DepartmentHead, Some(9))], None);
    let admin = actor(5, &[], Some(AdminKind::System));
    let mut deputy = actor(6, &[(Role::Handler, Some(1))], None);
    deputy.acting_for = Some(PersonId(1));
    let approve = || BookingAction::Approve;
    let reject = |r: &str| BookingAction::Reject { reason: r.into() };
    let cancel = |r: &str| BookingAction::Cancel { reason: r.into() };
    type Want = Result<(BookingState, Vec<Approver>), MeetingError>;
    let cases: Vec<(BookingFacts, &Actor, BookingAction, Want)> = vec![
        // R5.5: the office head approves an ad-hoc request.
        (facts(Requested, &[OfficeHead]), &office_head, approve(), Ok((Approved, vec![]))),
        (facts(Requested, &[OfficeHead]), &section_head, approve(), Err(MeetingError::NotApprover)),
        (facts(Requested, &[OfficeHead]), &requester, approve(), Err(MeetingError::NotApprover)),
        // R5.8: only the head of the section that manages the rooms consents to equipment.
        (facts(Requested, &[Section]), &section_head, approve(), Ok((Approved, vec![]))),
        (facts(Requested, &[Section]), &other_head, approve(), Err(MeetingError::NotApprover)),
        (facts(Requested, &[Section]), &office_head, approve(), Err(MeetingError::NotApprover)),
        (facts(Requested, &[Section]), &admin, approve(), Err(MeetingError::NotApprover)),
        // Both needed: the first approval leaves the other pending.
        (facts(Requested, &[OfficeHead, Section]), &office_head, approve(), Ok((Requested, vec![Section]))),
        (facts(Requested, &[OfficeHead, Section]), &section_head, approve(), Ok((Requested, vec![OfficeHead]))),
        (facts(Requested, &[Section]), &section_head, reject("设备检修"), Ok((Rejected, vec![]))),
        (facts(Requested, &[Section]), &section_head, reject("  "), Err(MeetingError::ReasonRequired)),
        (facts(Requested, &[OfficeHead]), &requester, reject("x"), Err(MeetingError::NotApprover)),
        // Cancelling: the requester, their deputy, or the office head; never by a stranger.
        (facts(Requested, &[OfficeHead]), &requester, cancel("会议取消"), Ok((Cancelled, vec![]))),
        (facts(Approved, &[]), &requester, cancel("会议取消"), Ok((Cancelled, vec![]))),
        (facts(Approved, &[]), &deputy, cancel("会议取消"), Ok((Cancelled, vec![]))),
        (facts(Approved, &[]), &office_head, cancel("改期"), Ok((Cancelled, vec![]))),
        (facts(Approved, &[]), &section_head, cancel("改期"), Err(MeetingError::NotRequester)),
        (facts(Approved, &[]), &requester, cancel(""), Err(MeetingError::ReasonRequired)),
        // Terminal and already-decided states.
        (facts(Approved, &[]), &office_head, approve(), Err(MeetingError::WrongState("approved"))),
        (facts(Approved, &[]), &office_head, reject("x"), Err(MeetingError::WrongState("approved"))),
        (facts(Rejected, &[]), &office_head, approve(), Err(MeetingError::WrongState("rejected"))),
        (facts(Rejected, &[]), &requester, cancel("x"), Err(MeetingError::WrongState("rejected"))),
        (facts(Cancelled, &[]), &requester, cancel("x"), Err(MeetingError::WrongState("cancelled"))),
        (facts(Cancelled, &[]), &office_head, approve(), Err(MeetingError::WrongState("cancelled"))),
    ];
    for (f, a, action, want) in cases {
        let label = format!("{:?} {:?} by {} {:?}", f.state, f.pending, a.name, action);
        assert_eq!(decide(&f, a, action, now).map(|(s, p, _)| (s, p)), want, "{label}");
    }
}

#[test]
fn a_started_meeting_cannot_be_cancelled() {
    let requester = actor(1, &[(Role::Handler, Some(1))], None);
    let f = facts(Approved, &[]);
    let got = decide(&f, &requester, BookingAction::Cancel { reason: "x".into() }, Timestamp(10_000));
    assert_eq!(got.map(|(s, _, _)| s), Err(MeetingError::AlreadyStarted));
}

#[test]
fn the_section_head_is_recognised_by_home_department_too() {
    let mut head = actor(3, &[(Role::DepartmentHead, None)], None);
    head.department_id = Some(SECTION);
    assert_eq!(approver_roles(&head, Some(SECTION)), vec![Section]);
    assert_eq!(approver_roles(&head, None), vec![]);
}

#[test]
fn the_move_table() {
    let now = Timestamp(1_000);
    let requester = actor(1, &[(Role::Handler, Some(1))], None);
    let office_head = actor(2, &[(Role::OfficeHead, Some(1))], None);
    let section_head = actor(3, &[(Role::DepartmentHead, Some(SECTION.0))], None);
    let from = Slot { from: Timestamp(10_000), to: Timestamp(20_000) };
    let later = Slot { from: Timestamp(30_000), to: Timestamp(40_000) };
    type Want = Result<(BookingState, Vec<Approver>), MeetingError>;
    let cases: Vec<(BookingFacts, &Actor, Slot, bool, Want)> = vec![
        // In good time: the approvals given stand.
        (facts(Approved, &[]), &requester, later, false, Ok((Approved, vec![]))),
        (facts(Requested, &[Section]), &requester, later, false, Ok((Requested, vec![Section]))),
        // Late (R5.5): the new time waits for the office head again, unless the office head moves it.
        (facts(Approved, &[]), &requester, later, true, Ok((Requested, vec![OfficeHead]))),
        (facts(Requested, &[OfficeHead]), &requester, later, true, Ok((Requested, vec![OfficeHead]))),
        (facts(Approved, &[]), &office_head, later, true, Ok((Approved, vec![]))),
        // Who, when and to what.
        (facts(Approved, &[]), &section_head, later, false, Err(MeetingError::NotMover)),
        (facts(Cancelled, &[]), &requester, later, false, Err(MeetingError::WrongState("cancelled"))),
        (facts(Rejected, &[]), &office_head, later, false, Err(MeetingError::WrongState("rejected"))),
        (facts(Approved, &[]), &requester, from, false, Err(MeetingError::SameTime)),
        (
            facts(Approved, &[]),
            &requester,
            Slot { from: later.to, to: later.from },
            false,
            Err(MeetingError::EndBeforeStart),
        ),
        (
            facts(Approved, &[]),
            &requester,
            Slot { from: Timestamp(500), to: later.to },
            false,
            Err(MeetingError::StartInPast),
        ),
    ];
    for (f, a, to, late, want) in cases {
        let label = format!("{:?} {:?} by {} to {to:?} late={late}", f.state, f.pending, a.name);
        assert_eq!(decide_move(&f, a, from, to, late, now).map(|(s, p, _)| (s, p)), want, "{label}");
    }
    let started = decide_move(&facts(Approved, &[]), &requester, from, later, false, Timestamp(10_000));
    assert_eq!(started.map(|(s, _, _)| s), Err(MeetingError::AlreadyStarted));
}
