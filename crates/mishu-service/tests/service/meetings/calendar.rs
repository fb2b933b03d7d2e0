//! 我的日程 at the service boundary: whose meetings a person's calendar holds, how a booking
//! and its meeting show once, and the private feed's token (digest stored, rotation kills
//! the old one, an administrator or a departed person has none that answers).

use super::{NEXT_MONDAY, office, person, req};
use mishu_domain::Timestamp;
use mishu_domain::meetings::BookingAction;
use mishu_service::ServiceError;
use mishu_service::meetings::{NewMeeting, bookings, calendar, meeting};
use mishu_testkit::TestDb;

const DAY: i64 = 86_400_000;

#[tokio::test]
async fn a_calendar_holds_ones_own_meetings_and_the_feed_answers_only_its_live_token() {
    for t in TestDb::all().await {
        let b = t.backend;
        let (s, _clock) = t.services();
        let o = office(&s).await;
        let start = NEXT_MONDAY.plus_hours(9);
        let booking = bookings::request(&s, &o.requester, o.room1, req(start, 60, 3), "ip").await.unwrap();
        let lone = bookings::request(&s, &o.requester, o.room2, req(start.plus_hours(3), 60, 3), "ip").await.unwrap();
        let new = NewMeeting {
            booking_id: booking,
            chair_id: person(&o.section_head),
            content: String::new(),
            materials: String::new(),
            attendees: vec![person(&o.other)],
        };
        let m = meeting::create(&s, &o.requester, new, "ip").await.unwrap();
        let week = (NEXT_MONDAY, Timestamp(NEXT_MONDAY.0 + 7 * DAY));

        let of = |a| calendar::agenda(&s, a, week.0, week.1);
        let attendee = of(&o.other).await.unwrap();
        assert_eq!(attendee.len(), 1, "{b}");
        assert_eq!((attendee[0].kind, attendee[0].id, attendee[0].role), ("meeting", m.0, "attendee"));
        assert_eq!(attendee[0].rsvp.as_deref(), Some("pending"));
        let chair = of(&o.section_head).await.unwrap();
        assert_eq!((chair.len(), chair[0].role), (1, "chair"), "{b}");
        // The requester organises the meeting and holds a second booking without one: each once.
        let requester = of(&o.requester).await.unwrap();
        let got: Vec<_> = requester.iter().map(|e| (e.kind, e.id, e.role)).collect();
        assert_eq!(got, [("meeting", m.0, "organiser"), ("booking", lone.0, "requester")], "{b}");
        assert!(of(&o.office_head).await.unwrap().is_empty(), "{b}: not invited, nothing shown");
        let wide = calendar::agenda(&s, &o.other, week.0, Timestamp(week.0.0 + 90 * DAY)).await;
        assert!(matches!(wide, Err(ServiceError::Invalid { .. })), "{b}: {wide:?}");

        assert!(calendar::feed_made(&s, &o.other).await.unwrap().is_none());
        let first = calendar::rotate_feed(&s, &o.other, "ip").await.unwrap();
        let (name, events) = calendar::feed(&s, &first).await.unwrap().expect("a live token");
        assert_eq!((name.as_str(), events.len()), ("jwc.other", 1), "{b}");
        assert_eq!(events[0].uid, format!("meeting-{}@mishu", m.0));
        let stored: Vec<(String,)> = s.db.fetch_all("SELECT token_hash FROM calendar_feeds", vec![]).await.unwrap();
        assert_eq!(stored.len(), 1);
        assert_ne!(stored[0].0, first, "{b}: only the digest is kept");

        let second = calendar::rotate_feed(&s, &o.other, "ip").await.unwrap();
        assert!(calendar::feed(&s, &first).await.unwrap().is_none(), "{b}: the rotated token is dead");
        assert!(calendar::feed(&s, &second).await.unwrap().is_some(), "{b}");
        for wrong in ["", "x", &"0".repeat(64), &second.to_uppercase(), &format!("{second} ")] {
            let got = calendar::feed(&s, wrong).await.unwrap().map(|(n, _)| n);
            // A trailing space is trimmed like any pasted address; the others are refused.
            assert_eq!(got.is_some(), wrong.trim() == second, "{b}: {wrong:?}");
        }

        // A cancelled booking stays in the feed, cancelled, with a higher sequence.
        let before = events[0].sequence;
        bookings::act(&s, &o.requester, booking, BookingAction::Cancel { reason: "另定".into() }, "ip").await.unwrap();
        let (_, events) = calendar::feed(&s, &second).await.unwrap().unwrap();
        assert_eq!(events[0].status, mishu_domain::ics::Status::Cancelled, "{b}");
        assert!(events[0].sequence > before, "{b}");
    }
}
