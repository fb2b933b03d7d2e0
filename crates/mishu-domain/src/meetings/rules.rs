//! The room rules (R5) as values: the slot a booking holds, the weekly request deadline,
//! and the checks a request must pass before it is stored.

use super::{MeetingError, MeetingKind};
use crate::ids::EquipmentId;
use crate::time::{Timestamp, office_offset};
use chrono::{Datelike, Duration, NaiveTime, TimeZone, Weekday};
use serde::{Deserialize, Serialize};

/// A booked time as a half-open interval [from, to): a meeting ending at 10:00 and one
/// starting at 10:00 do not conflict, so back-to-back bookings of one room both stand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    pub from: Timestamp,
    pub to: Timestamp,
}

impl Slot {
    pub fn overlaps(&self, other: &Slot) -> bool {
        self.from < other.to && other.from < self.to
    }
}

/// The organ's room rules; the seed's values are the defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomRules {
    /// The weekday by which next week's rooms are requested (R5.3: Friday).
    pub deadline_weekday: Weekday,
    /// Minutes after local midnight on that day when requests close (17:30 by default).
    pub deadline_minute: u32,
}

impl Default for RoomRules {
    fn default() -> Self {
        RoomRules { deadline_weekday: Weekday::Fri, deadline_minute: 17 * 60 + 30 }
    }
}

/// When requests for a meeting starting at `start` closed: the deadline day of the week
/// before the meeting's week (R5.3 "units request next week's rooms by each Friday").
pub fn request_deadline(rules: &RoomRules, start: Timestamp) -> Timestamp {
    let day = start.local_date();
    let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
    let deadline_day =
        monday - Duration::days(7) + Duration::days(i64::from(rules.deadline_weekday.num_days_from_monday()));
    let minute = rules.deadline_minute.min(24 * 60 - 1);
    let time = NaiveTime::from_hms_opt(minute / 60, minute % 60, 0).expect("minute of day is in range");
    let local = office_offset()
        .from_local_datetime(&deadline_day.and_time(time))
        .single()
        .expect("fixed offsets are unambiguous");
    Timestamp(local.timestamp_millis())
}

/// A request after the deadline is ad hoc (临时申请) and needs the office head (R5.5).
pub fn is_ad_hoc(rules: &RoomRules, now: Timestamp, start: Timestamp) -> bool {
    now > request_deadline(rules, start)
}

/// What a request states (R5.3: chair, content, time, number of attendees; R5.1: kind).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BookingRequest {
    pub title: String,
    pub kind: MeetingKind,
    pub chair: String,
    pub content: String,
    pub slot: Slot,
    pub attendees: i64,
    /// Some equipment is asked for (R5.8); implied when `equipment_ids` names any item.
    pub equipment: bool,
    /// The items of the register the meeting needs (`super::check_equipment`).
    pub equipment_ids: Vec<EquipmentId>,
    /// Higher leaders or guests from other units who attend (R5.6, R4.4), e.g.
    /// "省教育厅副厅长一行3人"; empty when none.
    pub guests: String,
}

/// What the rules need to know about a room.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoomFacts {
    pub name: String,
    pub capacity: i64,
    pub active: bool,
}

/// A request that passed the checks, with the approvals it needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Validated {
    pub title: String,
    pub chair: String,
    pub content: String,
    /// Late, or of a kind outside R5.1: waits for the office head (R5.1, R5.5).
    pub needs_office_head: bool,
    /// Equipment asked for: waits for the 行政科 head's consent (R5.8).
    pub needs_section: bool,
    pub ad_hoc: bool,
    /// Guests attend: the general office is told so it can arrange reception (R5.6).
    pub reception: Option<String>,
}

/// The longest booking (a day): also what bounds the overlap query from below, so finding
/// a clash reads a day of the room's bookings, not its whole history.
pub const MAX_BOOKING_MINUTES: i64 = 24 * 60;
const MAX_MINUTES: i64 = MAX_BOOKING_MINUTES;

fn text(s: &str, max: usize, err: MeetingError) -> Result<String, MeetingError> {
    let t = s.trim();
    if t.is_empty() || t.chars().count() > max || t.chars().any(char::is_control) {
        return Err(err);
    }
    Ok(t.to_string())
}

/// A slot ends after it starts, starts in the future and lasts at most a day.
pub fn check_slot(slot: Slot, now: Timestamp) -> Result<(), MeetingError> {
    if slot.to <= slot.from {
        return Err(MeetingError::EndBeforeStart);
    }
    if slot.from <= now {
        return Err(MeetingError::StartInPast);
    }
    if slot.to.0 - slot.from.0 > MAX_MINUTES * 60_000 {
        return Err(MeetingError::TooLong);
    }
    Ok(())
}

/// Checks a request against one room; `others` are the other active rooms, from which the
/// smallest one that seats everybody is suggested when this one is too small.
pub fn validate_request(
    rules: &RoomRules,
    req: &BookingRequest,
    room: &RoomFacts,
    others: &[RoomFacts],
    now: Timestamp,
) -> Result<Validated, MeetingError> {
    let title = text(&req.title, 200, MeetingError::TitleInvalid)?;
    let chair = text(&req.chair, 100, MeetingError::ChairInvalid)?;
    if req.content.chars().count() > 4000 {
        return Err(MeetingError::ContentTooLong);
    }
    crate::text::check_multiline(&req.content).map_err(|m| MeetingError::TextInvalid("content", m))?;
    check_slot(req.slot, now)?;
    if req.attendees < 1 {
        return Err(MeetingError::AttendeesInvalid);
    }
    if !room.active {
        return Err(MeetingError::RoomInactive);
    }
    if req.attendees > room.capacity {
        let suggestion = others
            .iter()
            .filter(|r| r.active && r.capacity >= req.attendees && r.name != room.name)
            .min_by_key(|r| r.capacity)
            .map(|r| r.name.clone());
        return Err(MeetingError::OverCapacity { attendees: req.attendees, capacity: room.capacity, suggestion });
    }
    let guests = req.guests.trim();
    if guests.chars().count() > 200 || guests.chars().any(char::is_control) {
        return Err(MeetingError::GuestsInvalid);
    }
    if guests.is_empty() && req.kind.brings_guests() {
        return Err(MeetingError::GuestsRequired);
    }
    let ad_hoc = is_ad_hoc(rules, now, req.slot.from);
    Ok(Validated {
        title,
        chair,
        content: req.content.trim().to_string(),
        needs_office_head: ad_hoc || req.kind == MeetingKind::Other,
        needs_section: super::needs_consent(req.equipment, &req.equipment_ids),
        ad_hoc,
        reception: Some(guests.to_string()).filter(|g| !g.is_empty()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    /// Local time in Beijing.
    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> Timestamp {
        let dt = NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap();
        Timestamp(office_offset().from_local_datetime(&dt).single().unwrap().timestamp_millis())
    }

    fn request(from: Timestamp, minutes: i64, attendees: i64) -> BookingRequest {
        BookingRequest {
            title: "院长办公会".into(),
            kind: MeetingKind::PresidentOffice,
            chair: "院长".into(),
            content: "议题".into(),
            slot: Slot { from, to: from.plus_minutes(minutes) },
            attendees,
            equipment: false,
            equipment_ids: vec![],
            guests: String::new(),
        }
    }

    fn room(name: &str, capacity: i64) -> RoomFacts {
        RoomFacts { name: name.into(), capacity, active: true }
    }

    #[test]
    fn slots_are_half_open() {
        let a = Slot { from: Timestamp(0), to: Timestamp(10) };
        assert!(!a.overlaps(&Slot { from: Timestamp(10), to: Timestamp(20) }), "back to back");
        assert!(!Slot { from: Timestamp(10), to: Timestamp(20) }.overlaps(&a));
        assert!(a.overlaps(&Slot { from: Timestamp(9), to: Timestamp(20) }));
        assert!(a.overlaps(&Slot { from: Timestamp(2), to: Timestamp(3) }), "inside");
        assert!(Slot { from: Timestamp(2), to: Timestamp(3) }.overlaps(&a), "around");
    }

    #[test]
    fn the_friday_cut_off_r5_3_and_r5_5() {
        let rules = RoomRules::default();
        // Wednesday 2026-12-02 09:00 is in the week of Monday 11-30; requests closed Friday 11-27 17:30.
        let meeting = at(2026, 12, 2, 9, 0);
        assert_eq!(request_deadline(&rules, meeting), at(2026, 11, 27, 17, 30));
        assert!(!is_ad_hoc(&rules, at(2026, 11, 26, 10, 0), meeting), "Thursday before: ordinary");
        assert!(!is_ad_hoc(&rules, at(2026, 11, 27, 17, 30), meeting), "at the deadline: ordinary");
        assert!(is_ad_hoc(&rules, at(2026, 11, 27, 17, 31), meeting), "after Friday 17:30: ad hoc");
        assert!(is_ad_hoc(&rules, at(2026, 11, 30, 8, 0), meeting), "same week: ad hoc");
        // A Sunday meeting belongs to the same week as the Monday before it.
        assert_eq!(request_deadline(&rules, at(2026, 12, 6, 9, 0)), at(2026, 11, 27, 17, 30));
        let thursday_noon = RoomRules { deadline_weekday: Weekday::Thu, deadline_minute: 12 * 60 };
        assert_eq!(request_deadline(&thursday_noon, meeting), at(2026, 11, 26, 12, 0));
    }

    #[test]
    fn validation_table() {
        let rules = RoomRules::default();
        let now = at(2026, 11, 26, 10, 0);
        let start = at(2026, 12, 2, 9, 0);
        let small = room("第一会议室", 10);
        let big = room("第二会议室", 40);
        let others = [small.clone(), big.clone()];
        let ok = validate_request(&rules, &request(start, 60, 8), &small, &others, now).unwrap();
        assert!(!ok.ad_hoc && !ok.needs_office_head && !ok.needs_section);
        let mut r = request(start, 60, 12);
        assert_eq!(
            validate_request(&rules, &r, &small, &others, now),
            Err(MeetingError::OverCapacity { attendees: 12, capacity: 10, suggestion: Some("第二会议室".into()) })
        );
        r.attendees = 41;
        let err = validate_request(&rules, &r, &big, &others, now).unwrap_err();
        assert_eq!(err, MeetingError::OverCapacity { attendees: 41, capacity: 40, suggestion: None });
        let bad: Vec<(BookingRequest, MeetingError)> = vec![
            (request(start, 0, 5), MeetingError::EndBeforeStart),
            (request(start, -30, 5), MeetingError::EndBeforeStart),
            (request(at(2026, 11, 26, 9, 0), 60, 5), MeetingError::StartInPast),
            (request(start, 25 * 60, 5), MeetingError::TooLong),
            (request(start, 60, 0), MeetingError::AttendeesInvalid),
            (request(start, 60, -3), MeetingError::AttendeesInvalid),
            (BookingRequest { title: " ".into(), ..request(start, 60, 5) }, MeetingError::TitleInvalid),
            (BookingRequest { chair: "".into(), ..request(start, 60, 5) }, MeetingError::ChairInvalid),
        ];
        for (req, want) in bad {
            assert_eq!(validate_request(&rules, &req, &small, &others, now), Err(want.clone()), "{want}");
        }
        let closed = RoomFacts { active: false, ..small.clone() };
        assert_eq!(
            validate_request(&rules, &request(start, 60, 5), &closed, &others, now),
            Err(MeetingError::RoomInactive)
        );
        // Equipment needs the section head (R5.8); a late or other-kind request needs the office head (R5.1, R5.5).
        let eq = validate_request(
            &rules,
            &BookingRequest { equipment: true, ..request(start, 60, 5) },
            &small,
            &others,
            now,
        );
        assert!(eq.unwrap().needs_section);
        let items = BookingRequest { equipment_ids: vec![EquipmentId(4)], ..request(start, 60, 5) };
        assert!(
            validate_request(&rules, &items, &small, &others, now).unwrap().needs_section,
            "an item asked: consent"
        );
        let late = validate_request(&rules, &request(start, 60, 5), &small, &others, at(2026, 11, 28, 9, 0)).unwrap();
        assert!(late.ad_hoc && late.needs_office_head);
        let other = BookingRequest { kind: MeetingKind::Other, ..request(start, 60, 5) };
        let other = validate_request(&rules, &other, &small, &others, now).unwrap();
        assert!(!other.ad_hoc && other.needs_office_head);
        assert_eq!(MeetingKind::parse("bowling"), Err(MeetingError::KindInvalid("bowling".into())));
        assert_eq!(MeetingKind::parse("study_session"), Ok(MeetingKind::StudySession));
    }

    #[test]
    fn guests_raise_a_reception_notice_r5_6() {
        let rules = RoomRules::default();
        let now = at(2026, 11, 23, 9, 0);
        let start = at(2026, 12, 2, 9, 0);
        let r = room("第二会议室", 40);
        let plain = validate_request(&rules, &request(start, 60, 5), &r, &[], now).unwrap();
        assert_eq!(plain.reception, None, "no guests, no notice");
        let visit = BookingRequest { kind: MeetingKind::HigherAuthorityReport, ..request(start, 60, 5) };
        assert_eq!(validate_request(&rules, &visit, &r, &[], now), Err(MeetingError::GuestsRequired));
        let named = BookingRequest { guests: " 省教育厅副厅长一行3人 ".into(), ..visit };
        let v = validate_request(&rules, &named, &r, &[], now).unwrap();
        assert_eq!(v.reception.as_deref(), Some("省教育厅副厅长一行3人"));
        let guests_at_ordinary = BookingRequest { guests: "兄弟院校党委书记".into(), ..request(start, 60, 5) };
        assert!(validate_request(&rules, &guests_at_ordinary, &r, &[], now).unwrap().reception.is_some());
        for bad in ["x".repeat(201), "来宾\n一行".into()] {
            let req = BookingRequest { guests: bad, ..request(start, 60, 5) };
            assert_eq!(validate_request(&rules, &req, &r, &[], now), Err(MeetingError::GuestsInvalid));
        }
    }
}
