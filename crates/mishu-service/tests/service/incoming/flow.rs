//! The whole flow of a request for instructions (请示), and an oral report's record.

use super::*;

#[tokio::test]
async fn a_request_from_registration_to_its_reply() {
    for t in TestDb::all().await {
        let (s, clock) = t.services();
        let o = office(&s).await;
        let b = t.backend;
        let now = s.clock.now();
        let reg = incoming::register(&s, &o.secretary, request(now), "ip").await.unwrap();
        assert_eq!((reg.reg_no(), reg.duplicates.len()), ("2026-0001".to_string(), 0), "{b}");
        assert_eq!(open_tasks(&s, &o.secretary, InboxBox::ToDo).await, vec!["handle"], "{b}: the secretary proposes");
        let id = reg.id;

        let propose = A::Propose {
            opinion: "拟请张书记阅示，并呈李院长阅。".into(),
            submission: SubmissionKind::ForInstruction,
            leaders: vec![o.shuji.person_id, o.yuanzhang.person_id],
            parallel: false,
        };
        assert_eq!(incoming::act(&s, &o.secretary, id, propose, "ip").await.unwrap(), S::WithLeaders);
        assert!(open_tasks(&s, &o.secretary, InboxBox::ToDo).await.is_empty(), "{b}");
        assert_eq!(open_tasks(&s, &o.shuji, InboxBox::ToDo).await, vec!["approve"], "{b}: the leader in charge first");
        assert!(
            open_tasks(&s, &o.yuanzhang, InboxBox::ToRead).await.is_empty(),
            "{b}: the second leader waits his turn"
        );

        clock.advance_minutes(90);
        let step = step_of(&s, &o.shuji, id, &o.shuji).await;
        let instruct = A::Instruct { step, text: "同意，请教务处会同财务处研究落实。".into() };
        assert_eq!(incoming::act(&s, &o.shuji, id, instruct, "ip").await.unwrap(), S::WithLeaders);
        assert_eq!(open_tasks(&s, &o.yuanzhang, InboxBox::ToRead).await, vec!["read"], "{b}");

        clock.advance_minutes(60);
        let step = step_of(&s, &o.yuanzhang, id, &o.yuanzhang).await;
        assert_eq!(incoming::act(&s, &o.yuanzhang, id, A::MarkRead { step }, "ip").await.unwrap(), S::Instructed);
        assert_eq!(
            open_tasks(&s, &o.secretary, InboxBox::ToDo).await,
            vec!["handle"],
            "{b}: back to the office to assign"
        );

        let due = s.clock.now().plus_hours(24 * 5);
        let assignments = incoming::assignments(&s, &[(o.jwc, due)]).await.unwrap();
        assert_eq!(assignments[0].head, o.jwc_head.person_id);
        assert_eq!(incoming::act(&s, &o.secretary, id, A::Assign { assignments }, "ip").await.unwrap(), S::Assigned);
        assert_eq!(open_tasks(&s, &o.jwc_head, InboxBox::ToDo).await, vec!["handle"], "{b}");

        let step = step_of(&s, &o.jwc_head, id, &o.jwc_head).await;
        let reply = A::Reply { step, result: "已会同财务处论证，建议列入明年预算。".into() };
        assert_eq!(incoming::act(&s, &o.jwc_head, id, reply, "ip").await.unwrap(), S::Handled);

        let no_reply = A::Close { outcome: "已办结".into(), reply: "".into(), promote: false };
        let e = incoming::act(&s, &o.secretary, id, no_reply, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Incoming(IncomingError::NoReply)), "{b}: {e:?}");
        let close = A::Close {
            outcome: "已按领导批示办理".into(),
            reply: "同意增设，经费列入2027年预算。".into(),
            promote: false,
        };
        assert_eq!(incoming::act(&s, &o.secretary, id, close, "ip").await.unwrap(), S::Closed);

        let v = incoming::get(&s, &o.secretary, id, "ip").await.unwrap();
        assert_eq!(v.doc.reply.as_deref(), Some("同意增设，经费列入2027年预算。"));
        let trail: Vec<_> =
            v.steps.iter().map(|st| (st.person_name.as_str(), st.state.as_str(), st.acted_at.is_some())).collect();
        assert_eq!(
            trail,
            vec![("shuji", "done", true), ("yuanzhang", "done", true), ("jwc.head", "done", true)],
            "{b}"
        );
        assert_eq!(v.steps[0].text.as_deref(), Some("同意，请教务处会同财务处研究落实。"));
        for who in [&o.secretary, &o.shuji, &o.yuanzhang, &o.jwc_head] {
            assert!(
                open_tasks(&s, who, InboxBox::ToDo).await.is_empty()
                    && open_tasks(&s, who, InboxBox::ToRead).await.is_empty(),
                "{b}"
            );
        }
        assert_eq!(open_tasks(&s, &o.shuji, InboxBox::Done).await, vec!["approve"], "{b}");
        assert!(mishu_service::audit::verify(&s).await.unwrap().ok(), "{b}");
    }
}

#[tokio::test]
async fn an_oral_report_leaves_a_record() {
    for t in TestDb::all().await {
        let (s, clock) = t.services();
        let o = office(&s).await;
        let now = s.clock.now();
        let id = incoming::register(&s, &o.secretary, request(now), "ip").await.unwrap().id;
        let oral = A::Propose {
            opinion: "拟向张书记口头汇报".into(),
            submission: SubmissionKind::OralReport,
            leaders: vec![o.shuji.person_id],
            parallel: false,
        };
        incoming::act(&s, &o.secretary, id, oral, "ip").await.unwrap();
        assert!(open_tasks(&s, &o.shuji, InboxBox::ToDo).await.is_empty(), "nothing put before the leader in writing");
        assert_eq!(open_tasks(&s, &o.secretary, InboxBox::ToDo).await, vec!["reply"]);
        let step = step_of(&s, &o.secretary, id, &o.shuji).await;
        clock.advance_minutes(120);
        let reported_at = now.plus_minutes(30);
        let record = A::RecordOral { step, reply: "书记说：先摸清需求再议。".into(), reported_at };
        assert_eq!(incoming::act(&s, &o.secretary, id, record, "ip").await.unwrap(), S::Instructed);
        let v = incoming::get(&s, &o.secretary, id, "ip").await.unwrap();
        let st = &v.steps[0];
        assert_eq!(
            (st.person_name.as_str(), st.acted_by, st.acted_at, st.text.as_deref()),
            ("shuji", Some(o.secretary.person_id.0), Some(reported_at.0), Some("书记说：先摸清需求再议。")),
            "{}",
            t.backend
        );
    }
}
