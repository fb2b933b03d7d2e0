//! The yearly 收文编号 under concurrency, the duplicate warning, and bad input storing nothing.

use super::*;

#[tokio::test]
async fn parallel_registrations_get_consecutive_numbers() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let now = s.clock.now();
        let mut joins = Vec::new();
        for i in 0..100 {
            let (s, who) = (s.clone(), o.secretary.clone());
            let mut input = request(now);
            input.sender_number = format!("机电院〔2026〕{}号", i + 1);
            joins.push(tokio::spawn(async move { incoming::register(&s, &who, input, "ip").await }));
        }
        let mut seqs = Vec::new();
        for j in joins {
            seqs.push(j.await.unwrap().unwrap().reg_seq);
        }
        seqs.sort_unstable();
        assert_eq!(seqs, (1..=100).collect::<Vec<i64>>(), "{}", t.backend);
        let next = incoming::register(&s, &o.secretary, request(now), "ip").await.unwrap();
        assert_eq!(next.reg_seq, 101, "{}", t.backend);
    }
}

/// Row counts of everything a registration or an action writes.
async fn footprint(s: &Services) -> Vec<i64> {
    let mut out = Vec::new();
    for table in ["incoming_documents", "incoming_steps", "tasks", "counters", "audit_log"] {
        let (n,): (i64,) = s.db.fetch_one(&format!("SELECT COUNT(*) FROM {table}"), args![]).await.unwrap();
        out.push(n);
    }
    let counters: Vec<(String, i64)> =
        s.db.fetch_all("SELECT name, value FROM counters ORDER BY name", args![]).await.unwrap();
    out.extend(counters.iter().map(|(_, v)| *v));
    let (st,): (i64,) =
        s.db.fetch_one("SELECT COUNT(*) FROM incoming_documents WHERE state = 'closed'", args![]).await.unwrap();
    out.push(st);
    out
}

#[tokio::test]
async fn bad_input_changes_nothing() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let now = s.clock.now();
        let id = incoming::register(&s, &o.secretary, request(now), "ip").await.unwrap().id;
        let before = footprint(&s).await;
        type Edit = fn(&mut RegistrationInput, Timestamp);
        let bad: &[(Edit, &str)] = &[
            (|i, _| i.sender_number = "机电院2026年5号".into(), "sender_number"),
            (|i, _| i.doc_type = "方案".into(), "doc_type"),
            (|i, now| i.due_at = Some(now.plus_hours(-1)), "due_at"),
            (|i, _| i.title = " ".into(), "title"),
            (
                |i, _| (i.classification, i.secrecy_period, i.copy_no) = ("绝密".into(), "30年".into(), "1".into()),
                "classification",
            ),
        ];
        for (edit, field) in bad {
            let mut input = request(now);
            edit(&mut input, now);
            let e = incoming::register(&s, &o.secretary, input, "ip").await.unwrap_err();
            assert!(e.to_string().starts_with(&format!("{field}:")), "{}: {field}: {e}", t.backend);
        }
        let e = incoming::register(&s, &o.jwc_head, request(now), "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Forbidden));
        // A route through someone who is not a leader, and a leader acting on a step that is not theirs.
        let not_leader = A::Propose {
            opinion: "拟办".into(),
            submission: SubmissionKind::ForReading,
            leaders: vec![o.jwc_head.person_id],
            parallel: false,
        };
        assert!(
            incoming::act(&s, &o.secretary, id, not_leader, "ip")
                .await
                .unwrap_err()
                .to_string()
                .starts_with("leaders:")
        );
        assert_eq!(footprint(&s).await, before, "{}: nothing stored", t.backend);

        // Close it, then try a step on the closed document.
        let to_office = A::Propose {
            opinion: "阅知即可".into(),
            submission: SubmissionKind::ForReading,
            leaders: vec![],
            parallel: false,
        };
        incoming::act(&s, &o.secretary, id, to_office, "ip").await.unwrap();
        incoming::act(
            &s,
            &o.secretary,
            id,
            A::Close { outcome: "已阅".into(), reply: "同意".into(), promote: false },
            "ip",
        )
        .await
        .unwrap();
        let closed = footprint(&s).await;
        let due = now.plus_hours(48);
        let late = incoming::assignments(&s, &[(o.jwc, due)]).await.unwrap();
        let e = incoming::act(&s, &o.secretary, id, A::Assign { assignments: late }, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Incoming(IncomingError::WrongState("closed"))), "{e:?}");
        let e = incoming::act(&s, &o.secretary, id, A::ReturnToSender { reason: "x".into() }, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Incoming(IncomingError::WrongState(_))));
        assert_eq!(footprint(&s).await, closed, "{}: nothing stored", t.backend);
    }
}

#[tokio::test]
async fn the_same_sender_and_number_warns_but_registers() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let now = s.clock.now();
        let first = incoming::register(&s, &o.secretary, request(now), "ip").await.unwrap();
        let mut again = request(now);
        again.sender_number = "机电院（2026）5号".into();
        let second = incoming::register(&s, &o.secretary, again, "ip").await.unwrap();
        assert_eq!(
            second.duplicates.iter().map(|d| d.incoming_id).collect::<Vec<_>>(),
            vec![first.id.0],
            "{}",
            t.backend
        );
        assert_eq!(second.reg_seq, 2);
        let mut other = request(now);
        other.sender_organ = "信息工程学院".into();
        assert!(incoming::register(&s, &o.secretary, other, "ip").await.unwrap().duplicates.is_empty());
        let v = incoming::get(&s, &o.secretary, first.id, "ip").await.unwrap();
        assert_eq!(v.duplicates.len(), 1, "the page of the first shows the second");
    }
}
