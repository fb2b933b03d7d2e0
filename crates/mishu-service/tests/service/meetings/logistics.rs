//! The logistics checklist (会务保障) and changing the attendees after the notice: an item
//! with an owner is a task in the owner's 待办 until done; strangers and bad input change
//! nothing; an added attendee gets the notice personally, a removed one is told.

use super::{NEXT_MONDAY, Office, office, person, req};
use mishu_domain::meetings::MeetingError;
use mishu_domain::meetings::logistics::ItemAction;
use mishu_domain::tasks::InboxBox;
use mishu_domain::{MeetingId, PersonId, Timestamp};
use mishu_service::meetings::{
    ItemInput, LOGISTICS_DOMAIN, MEETING_DOMAIN, NewMeeting, attendees, bookings, logistics, meeting,
};
use mishu_service::{ServiceError, Services, args, tasks};
use mishu_testkit::TestDb;

/// Monday 09:00–11:00, announced by the requester to `other`.
async fn held(s: &Services, o: &Office) -> (MeetingId, Timestamp) {
    let start = NEXT_MONDAY.plus_hours(9);
    let booking = bookings::request(s, &o.requester, o.room1, req(start, 120, 3), "ip").await.unwrap();
    let new = NewMeeting {
        booking_id: booking,
        chair_id: person(&o.office_head),
        content: String::new(),
        materials: String::new(),
        attendees: vec![person(&o.other)],
    };
    (meeting::create(s, &o.requester, new, "ip").await.unwrap(), start)
}

async fn count(s: &Services, sql: &str) -> i64 {
    let (n,): (i64,) = s.db.fetch_one(sql, args![]).await.unwrap();
    n
}

fn item(kind: &str, note: &str, owner: Option<PersonId>, due: Option<Timestamp>) -> ItemInput {
    ItemInput { kind: kind.into(), note: note.into(), owner_id: owner, due_at: due }
}

async fn todo_domains(s: &Services, who: &mishu_domain::access::Actor) -> Vec<String> {
    tasks::inbox(s, who, InboxBox::ToDo, 20).await.unwrap().into_iter().map(|i| i.task.domain).collect()
}

#[tokio::test]
async fn an_item_reaches_its_owner_until_done_and_strangers_and_bad_input_change_nothing() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let b = t.backend;
        let o = office(&s).await;
        let (id, start) = held(&s, &o).await;
        let end = start.plus_minutes(120);
        let owner = Some(person(&o.section_head));
        let rows = "SELECT (SELECT COUNT(*) FROM meeting_logistics) + (SELECT COUNT(*) FROM tasks) * 1000";
        let before = count(&s, rows).await;

        let bad: Vec<(ItemInput, &str)> = vec![
            (item("catering", "午餐", owner, None), "kind"),
            (item("meals", "  ", owner, None), "note"),
            (item("meals", "晚餐", owner, Some(end.plus_minutes(1))), "due_at"),
            (item("meals", "早餐", owner, Some(s.clock.now())), "due_at"),
            (item("meals", "午餐", Some(PersonId(99_999)), None), "owner_id"),
        ];
        for (input, field) in bad {
            let e = logistics::add_item(&s, &o.requester, id, input, "ip").await.unwrap_err();
            assert!(e.to_string().starts_with(&format!("{field}:")), "{b}: {field}: {e}");
        }
        let stranger = logistics::add_item(&s, &o.other, id, item("meals", "午餐", owner, None), "ip").await;
        assert!(matches!(stranger, Err(ServiceError::Forbidden)), "{b}: an attendee does not run the meeting");
        assert_eq!(count(&s, rows).await, before, "{b}: refusals store nothing");

        // The organiser adds an item for the 行政科 head: it is in his 待办, due before the start.
        let lunch = item("meals", "午餐 30 人，二食堂", owner, Some(start.plus_minutes(-60)));
        let i1 = logistics::add_item(&s, &o.requester, id, lunch, "ip").await.unwrap();
        assert_eq!(todo_domains(&s, &o.section_head).await, [LOGISTICS_DOMAIN], "{b}");
        // Without an owner there is no task; the due time defaults to the start.
        let i2 =
            logistics::add_item(&s, &o.office_head, id, item("name_cards", "桌签", None, None), "ip").await.unwrap();
        let list = logistics::items(&s, &o.other, id).await.unwrap();
        assert_eq!(list.len(), 2, "{b}");
        assert_eq!((list[1].item_id, list[1].due_at, list[1].owner_id), (i2.0, start.0, None), "{b}");

        // The owner marks it done, nothing else; strangers nothing at all.
        let owner_drops = logistics::set_state(&s, &o.section_head, id, i1, ItemAction::NotNeeded, "ip").await;
        assert!(matches!(owner_drops, Err(ServiceError::Meeting(MeetingError::NotLogisticsManager))), "{b}");
        let stranger = logistics::set_state(&s, &o.other, id, i1, ItemAction::Done, "ip").await;
        assert!(matches!(stranger, Err(ServiceError::Meeting(MeetingError::NotLogisticsManager))), "{b}");
        let elsewhere =
            logistics::set_state(&s, &o.section_head, MeetingId(id.0 + 1), i1, ItemAction::Done, "ip").await;
        assert!(matches!(elsewhere, Err(ServiceError::NotFound)), "{b}: the item belongs to its meeting");
        logistics::set_state(&s, &o.section_head, id, i1, ItemAction::Done, "ip").await.unwrap();
        assert!(todo_domains(&s, &o.section_head).await.is_empty(), "{b}: done closes the task");
        let list = logistics::items(&s, &o.other, id).await.unwrap();
        assert_eq!((list[0].state.as_str(), list[0].closed_by), ("done", Some(person(&o.section_head).0)), "{b}");
        let again = logistics::set_state(&s, &o.section_head, id, i1, ItemAction::Done, "ip").await;
        assert!(matches!(again, Err(ServiceError::Meeting(MeetingError::WrongState("done")))), "{b}");

        // Reopened, it is back in his 待办; reassigned, it moves to the new owner.
        logistics::set_state(&s, &o.requester, id, i1, ItemAction::Reopen, "ip").await.unwrap();
        assert_eq!(todo_domains(&s, &o.section_head).await, [LOGISTICS_DOMAIN], "{b}");
        let moved = item("meals", "午餐 32 人，二食堂", Some(person(&o.office_head)), Some(start.plus_minutes(-90)));
        let by_owner = logistics::edit_item(&s, &o.section_head, id, i1, moved.clone(), "ip").await;
        assert!(matches!(by_owner, Err(ServiceError::Meeting(MeetingError::NotLogisticsManager))), "{b}");
        logistics::edit_item(&s, &o.requester, id, i1, moved, "ip").await.unwrap();
        assert!(todo_domains(&s, &o.section_head).await.is_empty(), "{b}: no longer his");
        let head = tasks::inbox(&s, &o.office_head, InboxBox::ToDo, 20).await.unwrap();
        let task = head.iter().find(|i| i.task.domain == LOGISTICS_DOMAIN).expect("the new owner's task");
        assert_eq!(task.task.due_at, Some(start.plus_minutes(-90).0), "{b}");
        // Not needed withdraws it.
        logistics::set_state(&s, &o.requester, id, i1, ItemAction::NotNeeded, "ip").await.unwrap();
        let head = todo_domains(&s, &o.office_head).await;
        assert!(!head.iter().any(|d| d == LOGISTICS_DOMAIN), "{b}: {head:?}");
        let audited = count(&s, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'meeting.logistics_%'").await;
        assert_eq!(audited, 6, "{b}: two added, done, reopened, changed, not needed: each audited");
    }
}

#[tokio::test]
async fn attendees_added_get_the_notice_removed_ones_are_told() {
    for t in TestDb::all().await {
        let (s, clock) = t.services();
        let b = t.backend;
        let o = office(&s).await;
        let (id, start) = held(&s, &o).await;
        let newcomer = person(&o.section_head);

        let stranger = attendees::add_attendee(&s, &o.other, id, newcomer, "ip").await;
        assert!(matches!(stranger, Err(ServiceError::Forbidden)), "{b}");
        let unknown = attendees::add_attendee(&s, &o.requester, id, PersonId(99_999), "ip").await.unwrap_err();
        assert!(unknown.to_string().starts_with("person_id:"), "{b}: {unknown}");
        let twice = attendees::add_attendee(&s, &o.requester, id, person(&o.other), "ip").await;
        assert!(matches!(twice, Err(ServiceError::Meeting(MeetingError::AlreadyAttendee))), "{b}");

        attendees::add_attendee(&s, &o.requester, id, newcomer, "ip").await.unwrap();
        assert_eq!(todo_domains(&s, &o.section_head).await, [MEETING_DOMAIN], "{b}: the notice, personally");
        assert_eq!(meeting::get(&s, &o.other, id).await.unwrap().attendees.len(), 2, "{b}");

        attendees::remove_attendee(&s, &o.office_head, id, newcomer, "ip").await.unwrap();
        assert!(todo_domains(&s, &o.section_head).await.is_empty(), "{b}: the notice is withdrawn");
        let told = tasks::notifications(&s, newcomer).await.unwrap();
        assert_eq!(told.len(), 1, "{b}");
        assert_eq!(told[0].kind, attendees::REMOVED_NOTICE, "{b}");
        assert!(told[0].message.contains("第一会议室"), "{b}: {}", told[0].message);
        let gone = attendees::remove_attendee(&s, &o.office_head, id, newcomer, "ip").await;
        assert!(matches!(gone, Err(ServiceError::Meeting(MeetingError::NotAttendee))), "{b}");

        // Whoever was checked in stays; the list closes with the minutes.
        clock.set(start.plus_minutes(-10));
        meeting::check_in(&s, &o.other, id, person(&o.other), "ip").await.unwrap();
        let there = attendees::remove_attendee(&s, &o.requester, id, person(&o.other), "ip").await;
        assert!(matches!(there, Err(ServiceError::Meeting(MeetingError::AlreadyCheckedIn))), "{b}");
        meeting::record_minutes(&s, &o.requester, id, "纪要", vec![], "ip").await.unwrap();
        let late = attendees::add_attendee(&s, &o.requester, id, newcomer, "ip").await;
        assert!(matches!(late, Err(ServiceError::Meeting(MeetingError::MinutesRecorded))), "{b}");
        let trail = count(
            &s,
            "SELECT COUNT(*) FROM audit_log WHERE action IN ('meeting.attendee_added', 'meeting.attendee_removed')",
        )
        .await;
        assert_eq!(trail, 2, "{b}");
    }
}

#[tokio::test]
async fn a_cancelled_booking_withdraws_the_owners_tasks() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let (id, _) = held(&s, &o).await;
        let booking = meeting::get(&s, &o.other, id).await.unwrap().meeting.booking_id.unwrap();
        let input = item("vehicles", "接站 1 辆", Some(person(&o.section_head)), None);
        logistics::add_item(&s, &o.requester, id, input, "ip").await.unwrap();
        assert_eq!(todo_domains(&s, &o.section_head).await, [LOGISTICS_DOMAIN], "{}", t.backend);
        let cancel = mishu_domain::meetings::BookingAction::Cancel { reason: "改期".into() };
        bookings::act(&s, &o.requester, mishu_domain::BookingId(booking), cancel, "ip").await.unwrap();
        assert!(todo_domains(&s, &o.section_head).await.is_empty(), "{}", t.backend);
    }
}
