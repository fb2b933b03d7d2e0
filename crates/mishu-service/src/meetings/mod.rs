//! Meetings and rooms (办会): room bookings under the office's room rules (R5), and the
//! meetings held in them (R3) — notices to each attendee, answers, check-in, minutes and
//! decisions followed up on the task spine; changes to the attendees after the notice
//! (`attendees`) and the logistics checklist (`logistics`, 会务保障).

pub mod attendees;
pub mod bookings;
pub mod calendar;
mod calendar_store;
pub mod equipment;
mod equipment_store;
pub mod logistics;
mod logistics_store;
pub mod meeting;
mod meeting_store;
pub mod reception;
pub mod room_register;
mod room_store;
pub mod rooms;
mod search;
mod store;
pub mod summary;
pub mod week;

pub use equipment::{BookedItem, EquipmentRow, NewEquipment};
pub use logistics::{ItemInput, LOGISTICS_DOMAIN};
pub use logistics_store::LogisticsRow;
pub use meeting::{MeetingView, NewDecision, NewMeeting};
pub use meeting_store::{AttendeeRow, DecisionRow, MeetingRow};
pub use reception::{RECEPTION_DOMAIN, ReceptionNotice};
pub use room_store::RoomEntry;
pub use rooms::NewRoom;
pub(crate) use search::search_docs;
pub use store::{BookingRow, RoomRow};

/// Spine domain of a booking's approval tasks.
pub const BOOKING_DOMAIN: &str = "room_booking";
/// Spine domain of a meeting's notices (Attend tasks).
pub const MEETING_DOMAIN: &str = "meeting";
/// Spine domain of a decision's follow-up (Handle tasks).
pub const DECISION_DOMAIN: &str = "meeting_decision";
