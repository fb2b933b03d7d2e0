//! The minutes circulated as a 纪要 (R3.3): drafted once from the recorded minutes and
//! decisions, signed by the chair, addressed to the attendees' departments.

use super::{NEXT_MONDAY, office, person, req};
use mishu_domain::meetings::MeetingError;
use mishu_domain::org::{Clearance, Role};
use mishu_service::meetings::{NewDecision, NewMeeting, bookings, meeting, summary};
use mishu_service::{ServiceError, outgoing};
use mishu_testkit::{TestDb, builders};

#[tokio::test]
async fn recorded_minutes_become_one_summary_draft_on_the_outgoing_route() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let b = t.backend;
        let o = office(&s).await;
        let yuanzhang = builders::person(&s, "yuanzhang", None, &[Role::Leader], Clearance::None).await;
        let start = NEXT_MONDAY.plus_hours(9);
        let booking = bookings::request(&s, &o.requester, o.room1, req(start, 120, 3), "ip").await.unwrap();
        let new = NewMeeting {
            booking_id: booking,
            chair_id: yuanzhang,
            content: "期末教学安排".into(),
            materials: String::new(),
            attendees: vec![person(&o.other), person(&o.section_head)],
        };
        let id = meeting::create(&s, &o.requester, new, "ip").await.unwrap();

        // Nothing to circulate before the minutes; only whoever runs the meeting drafts it.
        let e = summary::draft_summary(&s, &o.requester, id, "江职院纪要", "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Meeting(MeetingError::MinutesRequired)), "{b}: {e}");
        let decision = NewDecision {
            text: "教务处报送考务方案。".into(),
            owner_id: person(&o.other),
            due_at: start.plus_hours(96),
        };
        meeting::record_minutes(&s, &o.requester, id, "会议听取了教务处关于期末考试安排的汇报。", vec![decision], "ip")
            .await
            .unwrap();
        let e = summary::draft_summary(&s, &o.other, id, "江职院纪要", "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Forbidden), "{b}: an attendee does not draft it: {e}");
        let e = summary::draft_summary(&s, &o.requester, id, "", "ip").await.unwrap_err();
        assert!(
            e.to_string().starts_with("prefix"),
            "{b}: no 纪要 was numbered before, so the prefix is asked for: {e}"
        );
        assert_eq!(summary::summary_of(&s, id).await.unwrap(), None, "{b}");

        let draft = summary::draft_summary(&s, &o.requester, id, "江职院纪要", "ip").await.unwrap();
        let v = outgoing::get(&s, &o.requester, draft, "ip").await.unwrap();
        assert_eq!((v.doc.title.as_str(), v.doc.doc_type.as_str()), ("教学工作例会纪要", "minutes"), "{b}");
        assert_eq!(
            (v.doc.signer_id, v.doc.prefix.as_str(), v.doc.state.as_str()),
            (yuanzhang.0, "江职院纪要", "drafting")
        );
        assert_eq!(v.main_names(), vec!["行政科", "教务处"], "{b}: the attendees' departments");
        let body = v.latest_body();
        assert!(
            body.starts_with(
                "会议听取了教务处关于期末考试安排的汇报。\n会议议定：\n一、教务处报送考务方案，由jwc.other负责，"
            ),
            "{b}: {body}"
        );
        // Asked again, the same draft; and the prefix used is offered next time.
        assert_eq!(summary::draft_summary(&s, &o.office_head, id, "", "ip").await.unwrap(), draft, "{b}");
        assert_eq!(summary::usual_prefix(&s).await.unwrap().as_deref(), Some("江职院纪要"), "{b}");
        assert_eq!(summary::summary_of(&s, id).await.unwrap(), Some(draft), "{b}");
    }
}
