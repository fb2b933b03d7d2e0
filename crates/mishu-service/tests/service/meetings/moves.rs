//! Changing a booking's time (改期): who may, the slot must be free, a late new time waits for
//! the office head again (R5.5), the meeting held in it moves too (its notices fall due at the
//! new start, and checking in answers them), and bad input stores nothing.

use super::{NEXT_MONDAY, office, person, req};
use mishu_domain::meetings::{BookingAction, BookingState, MeetingError, Slot};
use mishu_domain::tasks::InboxBox;
use mishu_service::meetings::{BOOKING_DOMAIN, NewMeeting, bookings, meeting};
use mishu_service::{ServiceError, args, tasks};
use mishu_testkit::TestDb;

fn slot(from: mishu_domain::Timestamp, minutes: i64) -> Slot {
    Slot { from, to: from.plus_minutes(minutes) }
}

#[tokio::test]
async fn a_booking_moves_to_a_free_slot_with_its_meeting_and_keeps_its_approval() {
    for t in TestDb::all().await {
        let (s, clock) = t.services();
        let o = office(&s).await;
        let nine = NEXT_MONDAY.plus_hours(9);
        let id = bookings::request(&s, &o.requester, o.room1, req(nine, 60, 5), "ip").await.unwrap();
        let other = bookings::request(&s, &o.other, o.room1, req(nine.plus_hours(2), 60, 5), "ip").await.unwrap();
        let new = NewMeeting {
            booking_id: id,
            chair_id: person(&o.office_head),
            content: String::new(),
            materials: String::new(),
            attendees: vec![person(&o.other)],
        };
        let m = meeting::create(&s, &o.requester, new, "ip").await.unwrap();

        // Into the other booking's slot: the clear conflict, nothing moves.
        let taken = bookings::reschedule(&s, &o.requester, id, slot(nine.plus_minutes(150), 60), "ip").await;
        let msg = taken.unwrap_err().to_string();
        assert!(msg.contains("第一会议室") && msg.contains("11:00"), "{}: {msg}", t.backend);
        // Not the requester, nor the office head.
        let stranger = bookings::reschedule(&s, &o.section_head, id, slot(nine.plus_hours(4), 60), "ip").await;
        assert!(matches!(stranger, Err(ServiceError::Meeting(MeetingError::NotMover))), "{}", t.backend);
        let bad = [
            (slot(nine.plus_hours(4), -30), "ends_at"),
            (slot(mishu_testkit::T0.plus_hours(-1), 30), "starts_at"),
            (slot(nine, 60), "starts_at"),
        ];
        for (to, field) in bad {
            let e = bookings::reschedule(&s, &o.requester, id, to, "ip").await.unwrap_err();
            assert!(e.to_string().starts_with(field), "{}: {e}", t.backend);
        }
        let b = bookings::get(&s, id).await.unwrap();
        assert_eq!((b.starts_at, b.version), (nine.0, 0), "{}: nothing changed", t.backend);

        // Back to back with the other booking (half-open): moves, stays approved.
        let touched = || async {
            let sql = "SELECT COUNT(*) FROM search_changes WHERE domain = 'meeting' AND subject_id = $1";
            let (n,): (i64,) = s.db.fetch_one(sql, args![m.0]).await.unwrap();
            n
        };
        let touches = touched().await;
        let state = bookings::reschedule(&s, &o.requester, id, slot(nine.plus_hours(3), 90), "ip").await.unwrap();
        assert_eq!(state, BookingState::Approved, "{}", t.backend);
        let b = bookings::get(&s, id).await.unwrap();
        assert_eq!((b.starts_at, b.ends_at), (nine.plus_hours(3).0, nine.plus_minutes(270).0));
        let view = meeting::get(&s, &o.other, m).await.unwrap();
        assert_eq!(view.meeting.starts_at, nine.plus_hours(3).0, "{}: the meeting moves too", t.backend);
        assert_eq!(touched().await, touches + 1, "{}: search learns the meeting's new date", t.backend);
        let notice = tasks::inbox(&s, &o.other, InboxBox::ToDo, 10).await.unwrap();
        assert_eq!(
            notice[0].task.due_at,
            Some(nine.plus_hours(3).0),
            "{}: the notice is due at the new start",
            t.backend
        );
        // The freed slot can be booked again; the other booking is untouched.
        bookings::request(&s, &o.other, o.room1, req(nine, 60, 5), "ip").await.unwrap();
        assert_eq!(bookings::get(&s, other).await.unwrap().starts_at, nine.plus_hours(2).0);
        let (n,): (i64,) =
            s.db.fetch_one("SELECT COUNT(*) FROM audit_log WHERE action = 'booking.moved'", args![]).await.unwrap();
        assert_eq!(n, 1, "{}: one audit record for the one move", t.backend);
        // Checked in at the new time without having answered: the notice leaves the inbox.
        clock.set(nine.plus_minutes(170));
        meeting::check_in(&s, &o.requester, m, person(&o.other), "ip").await.unwrap();
        assert!(tasks::inbox(&s, &o.other, InboxBox::ToDo, 10).await.unwrap().is_empty(), "{}", t.backend);
    }
}

#[tokio::test]
async fn a_late_move_waits_for_the_office_head_again() {
    for t in TestDb::all().await {
        let (s, clock) = t.services();
        let o = office(&s).await;
        let when = NEXT_MONDAY.plus_hours(33);
        let id = bookings::request(&s, &o.requester, o.room1, req(when, 60, 5), "ip").await.unwrap();
        // Saturday: past the Friday cut-off for next week (R5.3, R5.5).
        clock.set(NEXT_MONDAY.plus_hours(-36));
        let state = bookings::reschedule(&s, &o.requester, id, slot(when.plus_hours(1), 60), "ip").await.unwrap();
        assert_eq!(state, BookingState::Requested, "{}", t.backend);
        let b = bookings::get(&s, id).await.unwrap();
        assert!(b.ad_hoc && b.pending_office_head, "{}", t.backend);
        let todo = tasks::inbox(&s, &o.office_head, InboxBox::ToDo, 10).await.unwrap();
        assert_eq!(todo.len(), 1, "{}", t.backend);
        assert_eq!((todo[0].task.domain.as_str(), todo[0].task.subject_id), (BOOKING_DOMAIN, id.0));
        let approved = bookings::act(&s, &o.office_head, id, BookingAction::Approve, "ip").await.unwrap();
        assert_eq!(approved, BookingState::Approved);
        // The office head's own late move needs nobody else.
        let state = bookings::reschedule(&s, &o.office_head, id, slot(when.plus_hours(2), 60), "ip").await.unwrap();
        assert_eq!(state, BookingState::Approved, "{}", t.backend);
    }
}
