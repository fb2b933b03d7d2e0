//! Bookings: half-open slots (the races are in `race`), the Friday cut-off (R5.3, R5.5), equipment
//! consent (R5.8) and capacity, on both databases.

use super::{NEXT_MONDAY, office, req};
use mishu_domain::meetings::{BookingAction, BookingState, MeetingError};
use mishu_domain::tasks::InboxBox;
use mishu_service::meetings::{BOOKING_DOMAIN, bookings};
use mishu_service::{ServiceError, args, tasks};
use mishu_testkit::TestDb;

async fn booking_count(s: &mishu_service::Services) -> i64 {
    let (n,): (i64,) = s.db.fetch_one("SELECT COUNT(*) FROM room_bookings", args![]).await.unwrap();
    n
}

#[tokio::test]
async fn back_to_back_bookings_both_stand_and_an_overlap_is_refused_naming_the_slot() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let nine = NEXT_MONDAY.plus_hours(9);
        let a = bookings::request(&s, &o.requester, o.room1, req(nine, 60, 8), "ip").await.unwrap();
        let b = bookings::request(&s, &o.other, o.room1, req(nine.plus_hours(1), 60, 8), "ip").await.unwrap();
        assert_eq!(bookings::get(&s, a).await.unwrap().state, "approved", "{}: before Friday, no equipment", t.backend);
        assert_eq!(bookings::get(&s, b).await.unwrap().state, "approved");
        let err = bookings::request(&s, &o.other, o.room1, req(nine.plus_minutes(30), 60, 8), "ip").await.unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, ServiceError::Conflict(_)), "{msg}");
        assert!(msg.contains("第一会议室") && msg.contains("2026-11-30 09:00") && msg.contains("10:00"), "{msg}");
        // The other room at the same time is free.
        bookings::request(&s, &o.other, o.room2, req(nine.plus_minutes(30), 60, 8), "ip").await.unwrap();
        assert_eq!(booking_count(&s).await, 3, "{}", t.backend);
        // A cancelled booking frees its slot.
        let cancel = BookingAction::Cancel { reason: "改期".into() };
        bookings::act(&s, &o.requester, a, cancel, "ip").await.unwrap();
        bookings::request(&s, &o.other, o.room1, req(nine, 60, 8), "ip").await.unwrap();
    }
}

#[tokio::test]
async fn a_late_request_is_ad_hoc_and_waits_for_the_office_head() {
    for t in TestDb::all().await {
        let (s, clock) = t.services();
        let o = office(&s).await;
        // Friday 17:31: past the 17:30 cut-off for next week (R5.3), so ad hoc (R5.5).
        clock.set(NEXT_MONDAY.plus_hours(-(2 * 24) - 6).plus_minutes(-29));
        let id =
            bookings::request(&s, &o.requester, o.room1, req(NEXT_MONDAY.plus_hours(33), 60, 6), "ip").await.unwrap();
        let b = bookings::get(&s, id).await.unwrap();
        assert!(b.ad_hoc && b.pending_office_head && !b.pending_section, "{}", t.backend);
        assert_eq!(b.state, "requested");
        let todo = tasks::inbox(&s, &o.office_head, InboxBox::ToDo, 10).await.unwrap();
        assert_eq!(todo.len(), 1, "{}", t.backend);
        assert_eq!((todo[0].task.domain.as_str(), todo[0].task.subject_id), (BOOKING_DOMAIN, id.0));
        // A pending request holds its slot against others.
        let clash = bookings::request(&s, &o.other, o.room1, req(NEXT_MONDAY.plus_hours(33), 30, 6), "ip").await;
        assert!(matches!(clash, Err(ServiceError::Conflict(_))), "{}", t.backend);
        let wrong = bookings::act(&s, &o.section_head, id, BookingAction::Approve, "ip").await;
        assert!(matches!(wrong, Err(ServiceError::Meeting(MeetingError::NotApprover))), "{}", t.backend);
        let by_requester = bookings::act(&s, &o.requester, id, BookingAction::Approve, "ip").await;
        assert!(matches!(by_requester, Err(ServiceError::Meeting(MeetingError::NotApprover))));
        assert_eq!(
            bookings::act(&s, &o.office_head, id, BookingAction::Approve, "ip").await.unwrap(),
            BookingState::Approved
        );
        assert!(tasks::inbox(&s, &o.office_head, InboxBox::ToDo, 10).await.unwrap().is_empty(), "{}", t.backend);
    }
}

#[tokio::test]
async fn equipment_waits_for_the_section_head_and_a_rejection_frees_the_slot() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let when = NEXT_MONDAY.plus_hours(14);
        let mut r = req(when, 90, 30);
        r.equipment = true;
        let id = bookings::request(&s, &o.requester, o.room2, r.clone(), "ip").await.unwrap();
        let b = bookings::get(&s, id).await.unwrap();
        assert!(!b.ad_hoc && b.pending_section && !b.pending_office_head, "{}", t.backend);
        assert_eq!(tasks::inbox(&s, &o.section_head, InboxBox::ToDo, 10).await.unwrap().len(), 1, "{}", t.backend);
        let no_reason =
            bookings::act(&s, &o.section_head, id, BookingAction::Reject { reason: " ".into() }, "ip").await;
        assert!(matches!(no_reason, Err(ServiceError::Meeting(MeetingError::ReasonRequired))));
        let reject = BookingAction::Reject { reason: "投影仪检修".into() };
        assert_eq!(bookings::act(&s, &o.section_head, id, reject, "ip").await.unwrap(), BookingState::Rejected);
        assert!(tasks::inbox(&s, &o.section_head, InboxBox::ToDo, 10).await.unwrap().is_empty());
        r.equipment = false;
        bookings::request(&s, &o.other, o.room2, r, "ip").await.unwrap();
    }
}

#[tokio::test]
async fn bad_requests_store_nothing() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let when = NEXT_MONDAY.plus_hours(9);
        let too_many = bookings::request(&s, &o.requester, o.room1, req(when, 60, 12), "ip").await.unwrap_err();
        assert_eq!(
            too_many.to_string(),
            "attendees: 12 exceed the room's 10 seats; 第二会议室 would fit",
            "{}",
            t.backend
        );
        let cases = [
            (req(when, -30, 5), "ends_at"),
            (req(mishu_testkit::T0.plus_hours(-1), 30, 5), "starts_at"),
            (req(when, 60, 0), "attendees"),
        ];
        for (r, field) in cases {
            let e = bookings::request(&s, &o.requester, o.room1, r, "ip").await.unwrap_err();
            assert!(e.to_string().starts_with(field), "{}: {e}", t.backend);
        }
        let unknown = bookings::request(&s, &o.requester, mishu_domain::RoomId(999), req(when, 60, 5), "ip").await;
        assert!(unknown.unwrap_err().to_string().starts_with("room_id"));
        assert_eq!(booking_count(&s).await, 0, "{}", t.backend);
    }
}
