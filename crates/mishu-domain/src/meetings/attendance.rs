//! An attendee's answer to a meeting notice (回执, R3.1): attend, stay away with a reason,
//! or send a deputy; when check-in is open; and when the list of attendees may still change.

use super::MeetingError;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
pub enum Rsvp {
    Attend,
    Absent { reason: String },
    Deputy { name: String },
}

impl Rsvp {
    pub fn code(&self) -> &'static str {
        match self {
            Rsvp::Attend => "attend",
            Rsvp::Absent { .. } => "absent",
            Rsvp::Deputy { .. } => "deputy",
        }
    }

    /// Parses a form's answer: an absence needs a reason, a deputy a name.
    pub fn parse(answer: &str, reason: &str, deputy: &str) -> Result<Rsvp, MeetingError> {
        match answer.trim() {
            "attend" => Ok(Rsvp::Attend),
            "absent" => {
                let r = reason.trim();
                if r.is_empty() || r.chars().count() > 500 {
                    return Err(MeetingError::ReasonRequired);
                }
                crate::text::check_multiline(r).map_err(|m| MeetingError::TextInvalid("reason", m))?;
                Ok(Rsvp::Absent { reason: r.to_string() })
            }
            "deputy" => {
                let d = deputy.trim();
                if d.is_empty() || d.chars().count() > 100 {
                    return Err(MeetingError::DeputyRequired);
                }
                Ok(Rsvp::Deputy { name: d.to_string() })
            }
            other => Err(MeetingError::AnswerInvalid(other.to_string())),
        }
    }
}

/// Check-in opens an hour before the start and closes at the end.
pub fn check_in_open(starts_at: Timestamp, ends_at: Timestamp, now: Timestamp) -> bool {
    now >= starts_at.plus_minutes(-60) && now < ends_at
}

/// A change to the list of attendees after the notice went out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttendeeChange {
    Add,
    Remove,
}

/// What the change depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AttendeeFacts {
    pub minutes_recorded: bool,
    pub on_list: bool,
    pub checked_in: bool,
}

/// The list closes with the minutes; a person is on it once; whoever was checked in was
/// there and stays on it.
pub fn attendee_change(change: AttendeeChange, f: AttendeeFacts) -> Result<(), MeetingError> {
    if f.minutes_recorded {
        return Err(MeetingError::MinutesRecorded);
    }
    match change {
        AttendeeChange::Add if f.on_list => Err(MeetingError::AlreadyAttendee),
        AttendeeChange::Remove if !f.on_list => Err(MeetingError::NotAttendee),
        AttendeeChange::Remove if f.checked_in => Err(MeetingError::AlreadyCheckedIn),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_need_their_details() {
        assert_eq!(Rsvp::parse("attend", "", ""), Ok(Rsvp::Attend));
        assert_eq!(Rsvp::parse("absent", " ", ""), Err(MeetingError::ReasonRequired));
        assert_eq!(Rsvp::parse("absent", "出差", ""), Ok(Rsvp::Absent { reason: "出差".into() }));
        assert_eq!(Rsvp::parse("deputy", "", ""), Err(MeetingError::DeputyRequired));
        assert_eq!(Rsvp::parse("deputy", "", "王副处长"), Ok(Rsvp::Deputy { name: "王副处长".into() }));
        assert_eq!(Rsvp::parse("maybe", "", ""), Err(MeetingError::AnswerInvalid("maybe".into())));
    }

    #[test]
    fn changing_the_attendees() {
        use AttendeeChange::*;
        let f = |minutes_recorded, on_list, checked_in| AttendeeFacts { minutes_recorded, on_list, checked_in };
        let cases = [
            (Add, f(false, false, false), Ok(())),
            (Add, f(false, true, false), Err(MeetingError::AlreadyAttendee)),
            (Add, f(true, false, false), Err(MeetingError::MinutesRecorded)),
            (Remove, f(false, true, false), Ok(())),
            (Remove, f(false, false, false), Err(MeetingError::NotAttendee)),
            (Remove, f(false, true, true), Err(MeetingError::AlreadyCheckedIn)),
            (Remove, f(true, true, false), Err(MeetingError::MinutesRecorded)),
        ];
        for (change, facts, want) in cases {
            assert_eq!(attendee_change(change, facts), want, "{change:?} {facts:?}");
        }
    }

    #[test]
    fn check_in_window() {
        let (s, e) = (Timestamp(3_600_000 * 10), Timestamp(3_600_000 * 12));
        assert!(!check_in_open(s, e, s.plus_minutes(-61)));
        assert!(check_in_open(s, e, s.plus_minutes(-60)));
        assert!(check_in_open(s, e, s.plus_minutes(90)));
        assert!(!check_in_open(s, e, e), "closed at the end (half-open)");
    }
}
