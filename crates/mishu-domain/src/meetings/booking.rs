//! The booking state machine: requested → approved once every approval it waits for is
//! given (office head for ad hoc, R5.5; 行政科 head for equipment, R5.8), or rejected by
//! one of them; requested or approved → cancelled by the requester or the office head.

use super::MeetingError;
use super::Slot;
use super::rules::check_slot;
use crate::access::Actor;
use crate::ids::{DepartmentId, PersonId};
use crate::org::Role;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingState {
    /// Waiting for one or more approvals; holds the slot so nobody else can take it.
    Requested,
    Approved,
    Rejected,
    Cancelled,
}

impl BookingState {
    pub fn code(self) -> &'static str {
        match self {
            BookingState::Requested => "requested",
            BookingState::Approved => "approved",
            BookingState::Rejected => "rejected",
            BookingState::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> BookingState {
        match s {
            "approved" => BookingState::Approved,
            "rejected" => BookingState::Rejected,
            "cancelled" => BookingState::Cancelled,
            _ => BookingState::Requested,
        }
    }
    /// Whether the booking holds its slot (a pending request does, so two cannot race).
    pub fn holds_slot(self) -> bool {
        matches!(self, BookingState::Requested | BookingState::Approved)
    }
}

/// Who a booking may wait for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Approver {
    /// 办公室主任: ad-hoc requests and kinds outside R5.1.
    OfficeHead,
    /// 行政科科长: equipment (R5.8).
    Section,
}

impl Approver {
    pub fn code(self) -> &'static str {
        match self {
            Approver::OfficeHead => "office_head",
            Approver::Section => "section",
        }
    }
}

/// The approvals the actor can give: the office head's, and the section's when the actor
/// heads the section that manages the rooms.
pub fn approver_roles(actor: &Actor, section: Option<DepartmentId>) -> Vec<Approver> {
    let mut out = Vec::new();
    if !actor.is_business_user() {
        return out;
    }
    if actor.has_role(Role::OfficeHead) {
        out.push(Approver::OfficeHead);
    }
    let heads_section = section.is_some_and(|d| {
        actor.roles.iter().any(|(r, scope)| *r == Role::DepartmentHead && scope.or(actor.department_id) == Some(d))
    });
    if heads_section {
        out.push(Approver::Section);
    }
    out
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BookingAction {
    Approve,
    Reject { reason: String },
    Cancel { reason: String },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum BookingEvent {
    Approved {
        by: PersonId,
        as_: Approver,
        at: Timestamp,
    },
    Rejected {
        by: PersonId,
        as_: Approver,
        reason: String,
        at: Timestamp,
    },
    Cancelled {
        by: PersonId,
        reason: String,
        at: Timestamp,
    },
    /// The time changed (改期); `reapproval` when the new time is late and waits for the office head.
    Moved {
        by: PersonId,
        from: Slot,
        to: Slot,
        reapproval: bool,
        at: Timestamp,
    },
}

/// The facts `decide` needs about a booking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BookingFacts {
    pub state: BookingState,
    pub requested_by: PersonId,
    pub starts_at: Timestamp,
    /// Approvals still outstanding.
    pub pending: Vec<Approver>,
    /// The department managing the rooms (行政科), whose head consents to equipment.
    pub section: Option<DepartmentId>,
}

/// The new state, the approvals still pending and the event to record.
pub type Decision = (BookingState, Vec<Approver>, BookingEvent);

fn reason_of(reason: &str) -> Result<String, MeetingError> {
    let r = reason.trim();
    if r.is_empty() || r.chars().count() > 1000 {
        return Err(MeetingError::ReasonRequired);
    }
    crate::text::check_multiline(r).map_err(|m| MeetingError::TextInvalid("reason", m))?;
    Ok(r.to_string())
}

/// Moving a booking to another time in the same room (改期). The requester or the office
/// head may move a live booking that has not started, to a valid future slot; whether the
/// slot is free is the service's check, under the room lock. The approvals already given
/// stand (the room, its equipment and the kind were allowed), except that a new time which
/// is itself late for its week (`late`, R5.5) waits again for the office head, unless the
/// office head moves it.
pub fn decide_move(
    facts: &BookingFacts,
    actor: &Actor,
    from: Slot,
    to: Slot,
    late: bool,
    now: Timestamp,
) -> Result<Decision, MeetingError> {
    if !facts.state.holds_slot() {
        return Err(MeetingError::WrongState(facts.state.code()));
    }
    let mine = approver_roles(actor, facts.section);
    let me = actor.acting_for.unwrap_or(actor.person_id);
    let is_requester = actor.person_id == facts.requested_by || me == facts.requested_by;
    if !is_requester && !mine.contains(&Approver::OfficeHead) {
        return Err(MeetingError::NotMover);
    }
    if now >= facts.starts_at {
        return Err(MeetingError::AlreadyStarted);
    }
    check_slot(to, now)?;
    if to == from {
        return Err(MeetingError::SameTime);
    }
    let mut pending = facts.pending.clone();
    let reapproval = late && !mine.contains(&Approver::OfficeHead) && !pending.contains(&Approver::OfficeHead);
    if reapproval {
        pending.push(Approver::OfficeHead);
    }
    let next = if pending.is_empty() { BookingState::Approved } else { BookingState::Requested };
    Ok((next, pending, BookingEvent::Moved { by: actor.person_id, from, to, reapproval, at: now }))
}

pub fn decide(
    facts: &BookingFacts,
    actor: &Actor,
    action: BookingAction,
    now: Timestamp,
) -> Result<Decision, MeetingError> {
    use BookingState::*;
    let mine = approver_roles(actor, facts.section);
    // The first outstanding approval this actor can give.
    let as_ = facts.pending.iter().copied().find(|p| mine.contains(p));
    match (facts.state, action) {
        (Requested, BookingAction::Approve) => {
            let as_ = as_.ok_or(MeetingError::NotApprover)?;
            let left: Vec<Approver> = facts.pending.iter().copied().filter(|p| *p != as_).collect();
            let next = if left.is_empty() { Approved } else { Requested };
            Ok((next, left, BookingEvent::Approved { by: actor.person_id, as_, at: now }))
        }
        (Requested, BookingAction::Reject { reason }) => {
            let as_ = as_.ok_or(MeetingError::NotApprover)?;
            let reason = reason_of(&reason)?;
            Ok((Rejected, vec![], BookingEvent::Rejected { by: actor.person_id, as_, reason, at: now }))
        }
        (Requested | Approved, BookingAction::Cancel { reason }) => {
            let me = actor.acting_for.unwrap_or(actor.person_id);
            let is_requester = actor.person_id == facts.requested_by || me == facts.requested_by;
            if !is_requester && !mine.contains(&Approver::OfficeHead) {
                return Err(MeetingError::NotRequester);
            }
            if now >= facts.starts_at {
                return Err(MeetingError::AlreadyStarted);
            }
            let reason = reason_of(&reason)?;
            Ok((Cancelled, vec![], BookingEvent::Cancelled { by: actor.person_id, reason, at: now }))
        }
        (state, _) => Err(MeetingError::WrongState(state.code())),
    }
}
