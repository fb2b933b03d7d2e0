//! A meeting from notice to followed-up decisions (R3.1–R3.3, R6.1).

use super::{NEXT_MONDAY, office, person, req};
use mishu_domain::meetings::{BookingAction, MeetingError, Rsvp};
use mishu_domain::tasks::InboxBox;
use mishu_service::meetings::{DECISION_DOMAIN, MEETING_DOMAIN, NewDecision, NewMeeting, bookings, meeting};
use mishu_service::{ServiceError, tasks};
use mishu_testkit::TestDb;

#[tokio::test]
async fn notice_answers_check_in_minutes_and_a_followed_up_decision() {
    for t in TestDb::all().await {
        let (s, clock) = t.services();
        let o = office(&s).await;
        let start = NEXT_MONDAY.plus_hours(9);
        let booking = bookings::request(&s, &o.requester, o.room1, req(start, 120, 3), "ip").await.unwrap();
        let new = NewMeeting {
            booking_id: booking,
            chair_id: person(&o.office_head),
            content: String::new(),
            materials: "教学安排表".into(),
            attendees: vec![person(&o.other), person(&o.section_head), person(&o.other)],
        };
        let stranger = meeting::create(&s, &o.other, new.clone(), "ip").await;
        assert!(matches!(stranger, Err(ServiceError::Forbidden)), "{}: only the booking's holder", t.backend);
        let id = meeting::create(&s, &o.requester, new, "ip").await.unwrap();
        // The notice reaches each attendee personally, once (R6.1).
        for a in [&o.other, &o.section_head] {
            let todo = tasks::inbox(&s, a, InboxBox::ToDo, 10).await.unwrap();
            assert_eq!(todo.len(), 1, "{}", t.backend);
            assert_eq!((todo[0].task.domain.as_str(), todo[0].task.kind.as_str()), (MEETING_DOMAIN, "attend"));
        }
        let view = meeting::get(&s, &o.other, id).await.unwrap();
        assert_eq!((view.meeting.location.as_str(), view.meeting.content.as_str()), ("第一会议室", "期末教学安排"));
        assert_eq!(view.attendees.len(), 2);

        let not_invited = meeting::answer(&s, &o.requester, id, Rsvp::Attend, "ip").await;
        assert!(matches!(not_invited, Err(ServiceError::Forbidden)));
        meeting::answer(&s, &o.other, id, Rsvp::Attend, "ip").await.unwrap();
        meeting::answer(&s, &o.section_head, id, Rsvp::Deputy { name: "马晓玲".into() }, "ip").await.unwrap();
        assert!(tasks::inbox(&s, &o.other, InboxBox::ToDo, 10).await.unwrap().is_empty(), "{}: answered", t.backend);
        let view = meeting::get(&s, &o.other, id).await.unwrap();
        let rsvps: Vec<_> = view.attendees.iter().map(|a| a.rsvp.as_str()).collect();
        assert!(rsvps.contains(&"attend") && rsvps.contains(&"deputy"), "{rsvps:?}");

        // Check-in opens an hour before the start.
        let early = meeting::check_in(&s, &o.other, id, person(&o.other), "ip").await;
        assert!(matches!(early, Err(ServiceError::Meeting(MeetingError::CheckInClosed))), "{}", t.backend);
        clock.set(start.plus_minutes(-10));
        meeting::check_in(&s, &o.other, id, person(&o.other), "ip").await.unwrap();
        let for_other = meeting::check_in(&s, &o.other, id, person(&o.section_head), "ip").await;
        assert!(matches!(for_other, Err(ServiceError::Forbidden)));
        meeting::check_in(&s, &o.requester, id, person(&o.section_head), "ip").await.unwrap();
        let late_answer = {
            clock.set(start.plus_minutes(5));
            meeting::answer(&s, &o.other, id, Rsvp::Attend, "ip").await
        };
        assert!(matches!(late_answer, Err(ServiceError::Meeting(MeetingError::AlreadyStarted))));

        // Minutes; the decision becomes a Handle task for its owner until answered (R3.3).
        let decision = NewDecision {
            text: "教务处下周五前报送考务方案".into(),
            owner_id: person(&o.other),
            due_at: start.plus_hours(96),
        };
        let by_attendee = meeting::record_minutes(&s, &o.other, id, "纪要", vec![decision.clone()], "ip").await;
        assert!(matches!(by_attendee, Err(ServiceError::Forbidden)));
        let empty = meeting::record_minutes(&s, &o.requester, id, " ", vec![], "ip").await;
        assert!(matches!(empty, Err(ServiceError::Meeting(MeetingError::MinutesRequired))));
        let ids = meeting::record_minutes(&s, &o.requester, id, "会议议定：……", vec![decision], "ip").await.unwrap();
        let todo = tasks::inbox(&s, &o.other, InboxBox::ToDo, 10).await.unwrap();
        assert_eq!(todo.len(), 1, "{}", t.backend);
        assert_eq!((todo[0].task.domain.as_str(), todo[0].task.kind.as_str()), (DECISION_DOMAIN, "handle"));
        assert_eq!(todo[0].task.subject_id, ids[0].0);
        let not_owner = meeting::answer_decision(&s, &o.requester, ids[0], "已办", "ip").await;
        assert!(matches!(not_owner, Err(ServiceError::Forbidden)));
        meeting::answer_decision(&s, &o.other, ids[0], "方案已报送", "ip").await.unwrap();
        assert!(tasks::inbox(&s, &o.other, InboxBox::ToDo, 10).await.unwrap().is_empty(), "{}", t.backend);
        let view = meeting::get(&s, &o.requester, id).await.unwrap();
        assert_eq!(view.decisions[0].state, "done");
        assert!(view.meeting.minutes.is_some() && view.attendees.iter().all(|a| a.checked_in_at.is_some()));
    }
}

#[tokio::test]
async fn cancelling_the_booking_withdraws_the_notices() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let booking =
            bookings::request(&s, &o.requester, o.room1, req(NEXT_MONDAY.plus_hours(9), 60, 3), "ip").await.unwrap();
        let new = NewMeeting {
            booking_id: booking,
            chair_id: person(&o.office_head),
            content: "x".into(),
            materials: String::new(),
            attendees: vec![person(&o.other)],
        };
        meeting::create(&s, &o.requester, new, "ip").await.unwrap();
        assert_eq!(tasks::inbox(&s, &o.other, InboxBox::ToDo, 10).await.unwrap().len(), 1);
        bookings::act(&s, &o.requester, booking, BookingAction::Cancel { reason: "改期".into() }, "ip").await.unwrap();
        assert!(tasks::inbox(&s, &o.other, InboxBox::ToDo, 10).await.unwrap().is_empty(), "{}", t.backend);
    }
}
