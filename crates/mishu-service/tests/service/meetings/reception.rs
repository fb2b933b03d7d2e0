//! The reception notice (R5.6): guests at a booked meeting reach the reception staff's inbox
//! (the office head's when there are none), the first recorded arrangement closes every
//! copy, and a cancelled booking takes an open notice back; on both databases.

use super::{NEXT_MONDAY, office, req};
use mishu_domain::meetings::{BookingAction, MeetingError, MeetingKind};
use mishu_domain::org::{Clearance, Role};
use mishu_domain::tasks::InboxBox;
use mishu_service::meetings::{RECEPTION_DOMAIN, bookings, reception};
use mishu_service::{ServiceError, tasks};
use mishu_testkit::{TestDb, builders};

async fn notices(s: &mishu_service::Services, who: &mishu_domain::access::Actor) -> Vec<String> {
    let items = tasks::inbox(s, who, InboxBox::ToDo, 50).await.unwrap();
    items.into_iter().filter(|i| i.task.domain == RECEPTION_DOMAIN).map(|i| i.task.title).collect()
}

#[tokio::test]
async fn guests_raise_a_notice_that_the_first_arrangement_closes() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let b = t.backend;
        let o = office(&s).await;
        let staff = |login: &'static str| {
            let s = &s;
            async move {
                let id = builders::person(s, login, None, &[Role::Reception], Clearance::None).await;
                builders::actor(s, id).await
            }
        };
        let (r1, r2) = (staff("jiedai1").await, staff("jiedai2").await);
        let nine = NEXT_MONDAY.plus_hours(9);

        let visit =
            mishu_domain::meetings::BookingRequest { kind: MeetingKind::HigherAuthorityReport, ..req(nine, 90, 8) };
        let e = bookings::request(&s, &o.requester, o.room1, visit.clone(), "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Meeting(MeetingError::GuestsRequired)), "{b}: {e}");

        let named =
            mishu_domain::meetings::BookingRequest { guests: "省教育厅副厅长一行3人".into(), ..visit };
        let id = bookings::request(&s, &o.requester, o.room1, named, "ip").await.unwrap();
        let booking = bookings::get(&s, id).await.unwrap();
        assert_eq!(booking.guests, "省教育厅副厅长一行3人", "{b}");
        for r in [&r1, &r2] {
            assert_eq!(notices(&s, r).await.len(), 1, "{b}: every reception staff member is told");
            assert!(notices(&s, r).await[0].contains("省教育厅副厅长一行3人"), "{b}");
        }
        assert!(notices(&s, &o.office_head).await.is_empty(), "{b}: the office head only when nobody receives");

        let e = reception::record_arrangement(&s, &o.requester, id, "食堂用餐", "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Forbidden), "{b}: only reception or the office head: {e}");
        let e = reception::record_arrangement(&s, &r1, id, "  ", "ip").await.unwrap_err();
        assert!(e.to_string().starts_with("arrangement"), "{b}: {e}");
        reception::record_arrangement(&s, &r1, id, "办公室主任迎送，第二食堂工作餐", "ip").await.unwrap();
        assert!(notices(&s, &r1).await.is_empty() && notices(&s, &r2).await.is_empty(), "{b}: all copies closed");
        let n = reception::notice(&s, &bookings::get(&s, id).await.unwrap()).await.unwrap().unwrap();
        let done = n.arranged.expect("arranged");
        assert_eq!(
            (done.outcome.as_deref(), done.done_by),
            (Some("办公室主任迎送，第二食堂工作餐"), Some(r1.person_id.0))
        );
        let e = reception::record_arrangement(&s, &r2, id, "再次登记", "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Conflict(_)), "{b}: nothing left open: {e}");
        // The visit is proposed for the chronicle (R8.2), once.
        let (entry, event, people, state): (i64, String, String, String) =
            s.db.fetch_one(
                "SELECT entry_id, event, people, state FROM chronicle_entries WHERE source_kind = 'reception' AND source_id = $1",
                mishu_service::args![id],
            )
            .await
            .unwrap();
        assert!(event.starts_with("省教育厅副厅长一行3人来访，出席"), "{b}: {event}");
        assert_eq!((people.as_str(), state.as_str()), ("省教育厅副厅长一行3人", "candidate"), "{b}");
        // With its own record, naming who recorded the arrangement.
        let (actor,): (Option<i64>,) =
            s.db.fetch_one(
                "SELECT actor_id FROM audit_log WHERE action = 'chronicle.proposed' AND subject_id = $1",
                mishu_service::args![entry.to_string()],
            )
            .await
            .unwrap();
        assert_eq!(actor, Some(r1.person_id.0), "{b}");

        // A cancelled booking takes an open notice back.
        let other = mishu_domain::meetings::BookingRequest {
            guests: "兄弟院校党委书记".into(),
            ..req(nine.plus_hours(3), 60, 6)
        };
        let id2 = bookings::request(&s, &o.requester, o.room1, other, "ip").await.unwrap();
        assert_eq!(notices(&s, &r2).await.len(), 1, "{b}: guests at an ordinary meeting are announced too");
        bookings::act(&s, &o.requester, id2, BookingAction::Cancel { reason: "改期".into() }, "ip").await.unwrap();
        assert!(notices(&s, &r2).await.is_empty(), "{b}: withdrawn with the booking");
        // No guests: no notice at all.
        bookings::request(&s, &o.requester, o.room2, req(nine, 60, 8), "ip").await.unwrap();
        assert!(notices(&s, &r1).await.is_empty(), "{b}");
    }
}

#[tokio::test]
async fn without_reception_staff_the_office_head_is_told() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let r = mishu_domain::meetings::BookingRequest {
            guests: "市委组织部调研组".into(),
            ..req(NEXT_MONDAY.plus_hours(14), 60, 6)
        };
        bookings::request(&s, &o.requester, o.room1, r, "ip").await.unwrap();
        assert_eq!(notices(&s, &o.office_head).await.len(), 1, "{}", t.backend);
    }
}
