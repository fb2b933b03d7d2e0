//! Meetings and rooms (办会): the office's room rules (R5) as pure functions — half-open
//! booking slots, the permitted kinds, the Friday cut-off that makes a request ad hoc,
//! capacity and equipment (the items a room may ask for) — and the booking state machine
//! `decide`; the room register (`rooms`); a meeting's attendees and its logistics checklist
//! (`logistics`).

pub mod arrangement;
mod attendance;
mod booking;
#[cfg(test)]
mod booking_tests;
mod equipment;
pub mod logistics;
mod rooms;
mod rules;
mod summary;

pub use attendance::{AttendeeChange, AttendeeFacts, Rsvp, attendee_change, check_in_open};
pub use booking::{
    Approver, BookingAction, BookingEvent, BookingFacts, BookingState, approver_roles, decide, decide_move,
};
pub use equipment::{EquipmentFacts, EquipmentKind, MAX_ITEMS, check_equipment, needs_consent, offered};
pub use rooms::{RoomFieldError, RoomFields, may_keep_rooms};
pub use rules::{
    BookingRequest, MAX_BOOKING_MINUTES, RoomFacts, RoomRules, Slot, Validated, is_ad_hoc, request_deadline,
    validate_request,
};
pub use summary::{SummaryDecision, summary_body, summary_title};

use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MeetingError {
    #[error("title: required (1–200 characters)")]
    TitleInvalid,
    #[error("chair: required (1–100 characters)")]
    ChairInvalid,
    #[error("content: at most 4000 characters")]
    ContentTooLong,
    #[error("ends_at: must be after the start")]
    EndBeforeStart,
    #[error("starts_at: must be in the future")]
    StartInPast,
    #[error("ends_at: a booking lasts at most one day")]
    TooLong,
    #[error("attendees: must be at least 1")]
    AttendeesInvalid,
    #[error("attendees: {attendees} exceed the room's {capacity} seats{}", suggestion.as_ref().map(|s| format!("; {s} would fit")).unwrap_or_default())]
    OverCapacity { attendees: i64, capacity: i64, suggestion: Option<String> },
    #[error("room: not in use")]
    RoomInactive,
    #[error("kind: `{0}` is not a permitted use of the rooms (R5.1)")]
    KindInvalid(String),
    #[error("reason: required")]
    ReasonRequired,
    /// A text field with characters no text may hold (`crate::text`).
    #[error("{0}: {1}")]
    TextInvalid(&'static str, &'static str),
    #[error("not allowed in state {0}")]
    WrongState(&'static str),
    #[error("this booking does not wait for your approval")]
    NotApprover,
    #[error("only the requester or the office head may cancel")]
    NotRequester,
    #[error("only the requester or the office head may change the time")]
    NotMover,
    #[error("starts_at: the booking already has this time")]
    SameTime,
    #[error("the meeting has already started")]
    AlreadyStarted,
    #[error("deputy: required")]
    DeputyRequired,
    #[error("answer: `{0}` is not attend, absent or deputy")]
    AnswerInvalid(String),
    #[error("check-in is open from an hour before the start until the end")]
    CheckInClosed,
    #[error("minutes: required")]
    MinutesRequired,
    #[error("decision: text required (1–500 characters)")]
    DecisionInvalid,
    #[error("due_at: must be after now")]
    DueInPast,
    #[error("attendees: name at least one person")]
    NoAttendees,
    #[error("guests: name the visiting leaders or units so reception can be arranged (R5.6)")]
    GuestsRequired,
    #[error("guests: at most 200 characters, no control characters")]
    GuestsInvalid,
    #[error("person_id: already on the list of attendees")]
    AlreadyAttendee,
    #[error("person_id: not an attendee of this meeting")]
    NotAttendee,
    #[error("person_id: already checked in; who was there stays on the list")]
    AlreadyCheckedIn,
    #[error("the minutes are recorded: the list of attendees is closed")]
    MinutesRecorded,
    #[error("kind: `{0}` is not meals, lodging, vehicles, name_cards, seating, materials, equipment or other")]
    LogisticsKindInvalid(String),
    #[error("note: required (1–500 characters, no control characters)")]
    NoteInvalid,
    #[error("due_at: must not be after the meeting ends")]
    DueAfterMeeting,
    #[error("state: `{0}` is not done, not_needed or open")]
    ItemStateInvalid(String),
    #[error("only the organiser or the office may change this item; its owner may mark it done")]
    NotLogisticsManager,
    #[error("equipment: no item {0} in use")]
    EquipmentUnknown(i64),
    #[error("equipment: {0} is fixed in another room")]
    EquipmentElsewhere(String),
    #[error("equipment: at most 20 items")]
    TooManyItems,
    #[error("kind: `{0}` is not sound, projector, video_link or other")]
    EquipmentKindInvalid(String),
}

/// The permitted uses of the rooms (R5.1). `Other` is accepted only as an ad-hoc
/// request that the office head approves (R5.1 "other kinds … need the office head").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingKind {
    /// 党委会议
    PartyCommittee,
    /// 理论学习中心组学习
    StudySession,
    /// 中层干部会议
    CadreMeeting,
    /// 院长办公会
    PresidentOffice,
    /// 党政专题会议
    SpecialPartyGovernment,
    /// 全院性会议、领导主持的座谈会
    OrganWide,
    /// 上级来院汇报会
    HigherAuthorityReport,
    /// 兄弟单位来访交流座谈
    SisterUnitExchange,
    /// Anything else: needs the office head.
    Other,
}

impl MeetingKind {
    pub const ALL: [MeetingKind; 9] = [
        MeetingKind::PartyCommittee,
        MeetingKind::StudySession,
        MeetingKind::CadreMeeting,
        MeetingKind::PresidentOffice,
        MeetingKind::SpecialPartyGovernment,
        MeetingKind::OrganWide,
        MeetingKind::HigherAuthorityReport,
        MeetingKind::SisterUnitExchange,
        MeetingKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MeetingKind::PartyCommittee => "party_committee",
            MeetingKind::StudySession => "study_session",
            MeetingKind::CadreMeeting => "cadre_meeting",
            MeetingKind::PresidentOffice => "president_office",
            MeetingKind::SpecialPartyGovernment => "special_party_government",
            MeetingKind::OrganWide => "organ_wide",
            MeetingKind::HigherAuthorityReport => "higher_authority_report",
            MeetingKind::SisterUnitExchange => "sister_unit_exchange",
            MeetingKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Result<MeetingKind, MeetingError> {
        let s = s.trim();
        MeetingKind::ALL.into_iter().find(|k| k.code() == s).ok_or_else(|| MeetingError::KindInvalid(s.to_string()))
    }

    /// Visits by higher authorities or sister units bring guests: reception must be told (R5.6).
    pub fn brings_guests(self) -> bool {
        matches!(self, MeetingKind::HigherAuthorityReport | MeetingKind::SisterUnitExchange)
    }
}
