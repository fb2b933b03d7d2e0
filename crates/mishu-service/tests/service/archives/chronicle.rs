//! The chronicle: candidates from a major meeting and a closed leader task, accepted,
//! edited or dropped by the secretary; bad dates refused. Also filing a meeting's minutes.

use super::*;
use mishu_domain::{ChronicleEntryId, MeetingId};
use mishu_service::ServiceError;
use mishu_service::archives::chronicle;
use mishu_service::meetings::meeting;
use mishu_testkit::TestDb;

async fn held_meeting(s: &Services, o: &Office, title: &str, chair: &Actor) -> MeetingId {
    let now = s.clock.now();
    let id =
        s.db.fetch_one::<(i64,)>(
            "INSERT INTO meetings (title, chair_id, location, starts_at, ends_at, organiser_id, created_at)
             VALUES ($1, $2, '第二会议室', $3, $4, $5, $6) RETURNING meeting_id",
            args![title, chair.person_id, now.0 - 7_200_000, now.0 - 3_600_000, o.secretary.person_id, now],
        )
        .await
        .unwrap()
        .0;
    let minutes = "会议研究了2027年招生计划，议定如下：一、同意招生计划；二、请招生就业处抓好落实。";
    meeting::record_minutes(s, &o.secretary, MeetingId(id), minutes, vec![], "ip").await.unwrap();
    MeetingId(id)
}

/// Who the candidate's own `chronicle.proposed` records name (one expected).
async fn proposed_by(s: &Services, entry: i64) -> Vec<Option<i64>> {
    let rows: Vec<(Option<i64>,)> =
        s.db.fetch_all(
            "SELECT actor_id FROM audit_log WHERE action = 'chronicle.proposed' AND subject_type = 'chronicle'
             AND subject_id = $1",
            args![entry.to_string()],
        )
        .await
        .unwrap();
    rows.into_iter().map(|r| r.0).collect()
}

#[tokio::test]
async fn a_major_meeting_and_a_closed_leader_task_propose_candidates() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let b = t.backend;
        let major = held_meeting(&s, &o, "院长办公会", &o.leader).await;
        held_meeting(&s, &o, "科室例会", &o.owner).await;
        closed_leader_task(&s, &o, "推进智能制造实训室建设").await;

        let all = chronicle::list(&s, &o.secretary, 2026, true).await.unwrap();
        let kinds: Vec<_> = all.iter().map(|e| (e.source_kind.as_str(), e.state.as_str())).collect();
        assert_eq!(
            kinds,
            vec![("meeting", "candidate"), ("leader_task", "candidate")],
            "{b}: a section meeting is not major"
        );
        assert!(all[0].event.contains("院长办公会"), "{b}: {}", all[0].event);
        // Each has its own record, naming whose step proposed it: the minutes' recorder
        // and the leader who closed the task.
        assert_eq!(proposed_by(&s, all[0].entry_id).await, [Some(o.secretary.person_id.0)], "{b}");
        assert_eq!(proposed_by(&s, all[1].entry_id).await, [Some(o.leader.person_id.0)], "{b}");
        assert!(chronicle::list(&s, &o.secretary, 2026, false).await.unwrap().is_empty(), "{b}: nothing accepted yet");
        assert!(matches!(chronicle::list(&s, &o.handler, 2026, true).await, Err(ServiceError::Forbidden)));

        // Proposing the same source again adds nothing.
        let mut tx = s.db.begin().await.unwrap();
        let source = chronicle::CandidateSource::Meeting(major);
        let origin = mishu_service::audit::Origin::of(&o.secretary, "ip");
        let again = chronicle::propose_from(&mut tx, &s.audit_key, &origin, source, s.clock.now()).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(again, None, "{b}");
        assert_eq!(proposed_by(&s, all[0].entry_id).await.len(), 1, "{b}: and no second record");

        let (m, l) = (ChronicleEntryId(all[0].entry_id), ChronicleEntryId(all[1].entry_id));
        chronicle::accept(
            &s,
            &o.secretary,
            m,
            "2026-11-27",
            "院长主持召开院长办公会，研究2027年招生计划",
            "院长",
            "会议纪要",
            "ip",
        )
        .await
        .unwrap();
        chronicle::drop_entry(&s, &o.secretary, l, "ip").await.unwrap();
        let e = chronicle::accept(&s, &o.secretary, l, "2026-11-27", "x", "", "", "ip").await.unwrap_err();
        assert!(e.to_string().contains("dropped"), "{b}: {e}");
        for (date, event, field) in
            [("2026-02-30", "x", "date"), ("1900-01-01", "x", "date"), ("2026-11-27", "", "event")]
        {
            let e = chronicle::add(&s, &o.secretary, date, event, "", "", "ip").await.unwrap_err();
            assert!(e.to_string().starts_with(field), "{b}: {e}");
        }
        chronicle::add(&s, &o.secretary, "2026-09-01", "2026级新生开学典礼举行", "全体院领导", "", "ip").await.unwrap();
        let year = chronicle::list(&s, &o.handler, 2026, false).await.unwrap();
        let events: Vec<_> = year.iter().map(|e| e.event.as_str()).collect();
        assert_eq!(
            events,
            vec!["2026级新生开学典礼举行", "院长主持召开院长办公会，研究2027年招生计划"],
            "{b}: in date order"
        );

        // The meeting's minutes file as one 件, permanent by default.
        let id = archives::file(&s, &o.archivist, req(FilingSource::Meeting(major), "", "BGS"), "ip").await.unwrap();
        let v = archives::item(&s, &o.archivist, id).await.unwrap();
        assert_eq!(
            (v.item.archive_code.as_str(), v.item.title.as_str()),
            ("0194-WS·2026-Y-BGS-0001", "院长办公会纪要"),
            "{b}"
        );
    }
}

#[tokio::test]
async fn an_issued_decision_document_proposes_a_candidate_in_the_issuing_transaction() {
    use super::outgoing_filing::issued_as;
    use mishu_domain::outgoing::OutgoingAction as OA;
    use mishu_service::outgoing;
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let b = t.backend;
        let title = "关于表彰2026年度先进集体和先进个人的决定";
        // Registered but not yet sent: nothing proposed.
        let decision = issued_as(&s, &o, "决定", title, "", false).await;
        assert!(chronicle::list(&s, &o.secretary, 2026, true).await.unwrap().is_empty(), "{b}: not issued yet");
        outgoing::act(&s, &o.secretary, decision, OA::Distribute, "ip").await.unwrap();
        // A notice and a classified decision are issued too, and propose nothing.
        issued_as(&s, &o, "通知", "关于做好元旦期间值班工作的通知", "", true).await;
        issued_as(&s, &o, "决定", "关于调整保密工作领导小组的决定", "秘密", true).await;

        let all = chronicle::list(&s, &o.secretary, 2026, true).await.unwrap();
        assert_eq!(all.len(), 1, "{b}: {all:?}");
        let c = &all[0];
        assert_eq!(
            (c.source_kind.as_str(), c.source_id, c.state.as_str(), c.entry_date.as_str()),
            ("outgoing", Some(decision.0), "candidate", "2026-11-27"),
            "{b}"
        );
        assert_eq!(c.event, format!("印发《{title}》（江职院发〔2026〕1号）"), "{b}");
        assert_eq!((c.people.as_str(), c.source.as_str()), ("yuanzhang", "发文：江职院发〔2026〕1号"), "{b}");
        // The issuing audit record names the candidate (same transaction).
        let (detail,): (String,) =
            s.db.fetch_one(
                "SELECT detail FROM audit_log WHERE action = 'outgoing.distributed' AND subject_id = $1",
                args![decision.to_string()],
            )
            .await
            .unwrap();
        assert!(detail.contains(&format!("\"chronicle_candidate\":{}", c.entry_id)), "{b}: {detail}");
        assert_eq!(proposed_by(&s, c.entry_id).await, [Some(o.secretary.person_id.0)], "{b}: the distributor");

        // Cancelled and sent again: still one candidate.
        let cancel = OA::CancelDistribution { reason: "附件有误".into() };
        outgoing::act(&s, &o.secretary, decision, cancel, "ip").await.unwrap();
        outgoing::act(&s, &o.secretary, decision, OA::Distribute, "ip").await.unwrap();
        assert_eq!(chronicle::list(&s, &o.secretary, 2026, true).await.unwrap().len(), 1, "{b}: each source once");
        assert_eq!(proposed_by(&s, c.entry_id).await.len(), 1, "{b}: one record");

        // The secretary accepts it; everyone then reads it.
        let id = ChronicleEntryId(c.entry_id);
        chronicle::accept(&s, &o.secretary, id, &c.entry_date, &c.event, &c.people, &c.source, "ip").await.unwrap();
        let year = chronicle::list(&s, &o.handler, 2026, false).await.unwrap();
        assert_eq!(year.iter().map(|e| e.entry_id).collect::<Vec<_>>(), vec![c.entry_id], "{b}");
        assert!(mishu_service::audit::verify(&s).await.unwrap().ok(), "{b}");
    }
}
