//! The whole flow: intent, materials, outline, versions and their diff, a review round,
//! check, sequential countersigning, sign-off, number, distribution, every receipt; and a
//! disagreement that returns the draft with nothing skipped.

use super::*;

/// Open tasks of the subject, as (assignee, kind).
async fn open_tasks(s: &Services, id: OutgoingId) -> Vec<(i64, String)> {
    let mut v: Vec<(i64, String)> = tasks::tasks_of_subject(s, "outgoing", id.0)
        .await
        .unwrap()
        .into_iter()
        .filter(|t| t.state == "open")
        .map(|t| (t.assignee_id, t.kind))
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn draft_to_every_receipt() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let b = t.backend;
        let id = outgoing::create(&s, &o.drafter, notice(&o), "ip").await.unwrap();
        outgoing::set_outline(&s, &o.drafter, id, "院长要求节前完成安全检查", "一、总体要求\n二、值班安排", "ip")
            .await
            .unwrap();
        let m = outgoing::MaterialInput {
            kind: "link".into(),
            title: "2026年元旦值班通知".into(),
            reference: "https://oa.example/2026/1".into(),
            rank: Some(2),
            note: String::new(),
        };
        let mid = outgoing::add_material(&s, &o.drafter, id, m, "ip").await.unwrap();
        outgoing::set_material(&s, &o.drafter, id, mid, 1, false, "ip").await.unwrap();
        outgoing::add_version(&s, &o.drafter, id, "各部门：\n请于12月1日前报送值班表。", "初稿", "ip").await.unwrap();
        outgoing::add_version(&s, &o.drafter, id, BODY, "按主任意见修改", "ip").await.unwrap();
        let (a, c, changes) = outgoing::diff(&s, &o.secretary, id, 1, 2, "ip").await.unwrap();
        assert_eq!((a.seq, c.seq, a.author_name.as_str()), (1, 2, "ban.drafter"), "{b}");
        assert!(changes.iter().any(|x| x.change == mishu_domain::outgoing::Change::Added), "{b}");

        // A review round: two people comment in parallel, the drafter reads them together.
        outgoing::act(
            &s,
            &o.drafter,
            id,
            A::OpenReview { reviewers: vec![o.office_head.person_id, o.jwc_head.person_id] },
            "ip",
        )
        .await
        .unwrap();
        assert_eq!(
            outgoing::act(&s, &o.drafter, id, A::Submit, "ip").await.unwrap_err().to_string(),
            "review: the review round is still open: wait or close it"
        );
        for who in [&o.office_head, &o.jwc_head] {
            let step = open_step(&s, who, id, "review").await;
            outgoing::act(&s, who, id, A::Comment { step, text: format!("{}：第二部分再具体些", who.name) }, "ip")
                .await
                .unwrap();
        }
        let v = outgoing::get(&s, &o.drafter, id, "ip").await.unwrap();
        assert_eq!(v.steps.iter().filter(|x| x.kind == "review" && x.state == "done").count(), 2, "{b}");

        assert_eq!(outgoing::act(&s, &o.drafter, id, A::Submit, "ip").await.unwrap(), S::Checking);
        assert_eq!(
            outgoing::act(&s, &o.secretary, id, A::Check { pass: true, opinion: String::new() }, "ip").await.unwrap(),
            S::Countersigning
        );
        // Sequential: only the first countersigner holds a task.
        assert_eq!(open_tasks(&s, id).await, vec![(o.jwc_head.person_id.0, "countersign".into())], "{b}");
        let step = open_step(&s, &o.jwc_head, id, "countersign").await;
        outgoing::act(&s, &o.jwc_head, id, A::Countersign { step, agree: true, opinion: "同意".into() }, "ip")
            .await
            .unwrap();
        let step = open_step(&s, &o.cwc_head, id, "countersign").await;
        let st = outgoing::act(&s, &o.cwc_head, id, A::Countersign { step, agree: true, opinion: String::new() }, "ip")
            .await
            .unwrap();
        assert_eq!(st, S::AwaitingSignature, "{b}");
        assert_eq!(open_tasks(&s, id).await, vec![(o.yuanzhang.person_id.0, "approve".into())], "{b}");
        let st = outgoing::act(&s, &o.yuanzhang, id, A::Sign { approve: true, opinion: "同意印发".into() }, "ip")
            .await
            .unwrap();
        assert_eq!(st, S::Signed);
        let v = outgoing::get(&s, &o.secretary, id, "ip").await.unwrap();
        assert_eq!(v.doc.signed_on.as_deref(), Some("2026-11-27"), "成文日期 from the sign-off, {b}");
        assert_eq!(v.doc.doc_number, None, "no number before registration, {b}");

        outgoing::act(&s, &o.secretary, id, A::Register, "ip").await.unwrap();
        let v = outgoing::get(&s, &o.secretary, id, "ip").await.unwrap();
        assert_eq!(v.doc.doc_number.as_deref(), Some("江职院发〔2026〕1号"), "{b}");

        outgoing::act(&s, &o.secretary, id, A::Distribute, "ip").await.unwrap();
        let v = outgoing::get(&s, &o.secretary, id, "ip").await.unwrap();
        assert_eq!(v.receipts.len(), 3, "{b}");
        let mut want = vec![(o.jwc_head.person_id.0, "handle".to_string()), (o.cwc_head.person_id.0, "handle".into())];
        want.sort();
        assert_eq!(open_tasks(&s, id).await, want, "receipts are chased on the spine, {b}");
        assert!(open_tasks_due(&s, id).await, "receipt tasks have a deadline, {b}");
        for who in [&o.jwc_head, &o.cwc_head] {
            let r = v.receipts.iter().find(|r| r.person_id == Some(who.person_id.0)).unwrap();
            // Someone else cannot sign for it.
            assert!(outgoing::confirm_receipt(&s, &o.cwc_handler, id, r.receipt_id, "ip").await.is_err(), "{b}");
            outgoing::confirm_receipt(&s, who, id, r.receipt_id, "ip").await.unwrap();
            assert!(outgoing::confirm_receipt(&s, who, id, r.receipt_id, "ip").await.is_err(), "not twice, {b}");
        }
        let ext = v.receipts.iter().find(|r| r.person_id.is_none()).unwrap();
        outgoing::record_external_receipt(&s, &o.secretary, id, ext.receipt_id, "省厅办公室李明", "电话", "", "ip")
            .await
            .unwrap();
        let v = outgoing::get(&s, &o.secretary, id, "ip").await.unwrap();
        assert!(v.receipts.iter().all(|r| r.state == "confirmed"), "{b}");
        assert!(open_tasks(&s, id).await.is_empty(), "{b}");

        // Every step is in the audit log.
        let (n,): (i64,) =
            s.db.fetch_one(
                "SELECT COUNT(*) FROM audit_log WHERE subject_id = $1 AND action LIKE 'outgoing.%'",
                args![id.0.to_string()],
            )
            .await
            .unwrap();
        assert!(n >= 17, "{b}: {n}");
    }
}

async fn open_tasks_due(s: &Services, id: OutgoingId) -> bool {
    tasks::tasks_of_subject(s, "outgoing", id.0)
        .await
        .unwrap()
        .iter()
        .filter(|t| t.state == "open")
        .all(|t| t.due_at.is_some())
}

#[tokio::test]
async fn a_disagreement_returns_the_draft_and_skips_nobody() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let b = t.backend;
        let mut input = notice(&o);
        input.countersign_parallel = true;
        let id = outgoing::create(&s, &o.drafter, input, "ip").await.unwrap();
        outgoing::add_version(&s, &o.drafter, id, BODY, "", "ip").await.unwrap();
        outgoing::act(&s, &o.drafter, id, A::Submit, "ip").await.unwrap();
        outgoing::act(&s, &o.secretary, id, A::Check { pass: true, opinion: String::new() }, "ip").await.unwrap();
        let step = open_step(&s, &o.cwc_head, id, "countersign").await;
        let st = outgoing::act(
            &s,
            &o.cwc_head,
            id,
            A::Countersign { step, agree: false, opinion: "经费来源不明，请补充".into() },
            "ip",
        )
        .await
        .unwrap();
        assert_eq!(st, S::Drafting, "{b}");
        let v = outgoing::get(&s, &o.drafter, id, "ip").await.unwrap();
        assert_eq!(v.doc.return_reason.as_deref(), Some("经费来源不明，请补充"), "{b}");
        let states: Vec<(&str, &str)> = v.steps.iter().map(|x| (x.person_name.as_str(), x.state.as_str())).collect();
        assert!(
            states.contains(&("cwc.head", "objected")) && states.contains(&("jwc.head", "cancelled")),
            "{b}: {states:?}"
        );
        assert_eq!(open_tasks(&s, id).await, vec![(o.drafter.person_id.0, "handle".into())], "{b}");
        // Resubmitted, the route starts again: both countersign afresh.
        outgoing::add_version(&s, &o.drafter, id, &format!("{BODY}\n所需经费从办公经费列支。"), "补充经费来源", "ip")
            .await
            .unwrap();
        outgoing::act(&s, &o.drafter, id, A::Submit, "ip").await.unwrap();
        outgoing::act(&s, &o.secretary, id, A::Check { pass: true, opinion: String::new() }, "ip").await.unwrap();
        let mut want =
            vec![(o.jwc_head.person_id.0, "countersign".to_string()), (o.cwc_head.person_id.0, "countersign".into())];
        want.sort();
        assert_eq!(open_tasks(&s, id).await, want, "{b}");
        // A sign-off refused returns it too.
        for who in [&o.jwc_head, &o.cwc_head] {
            let step = open_step(&s, who, id, "countersign").await;
            outgoing::act(&s, who, id, A::Countersign { step, agree: true, opinion: String::new() }, "ip")
                .await
                .unwrap();
        }
        let st = outgoing::act(&s, &o.yuanzhang, id, A::Sign { approve: false, opinion: "篇幅再压缩".into() }, "ip")
            .await
            .unwrap();
        assert_eq!(st, S::Drafting, "{b}");
    }
}

#[tokio::test]
async fn a_classified_draft_is_seen_only_on_its_route() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let b = t.backend;
        let mut input = notice(&o);
        input.classification = "secret".into();
        input.secrecy_period = "1年".into();
        input.countersigners = vec![o.jwc_head.person_id];
        let id = outgoing::create(&s, &o.drafter, input, "ip").await.unwrap();
        assert!(outgoing::get(&s, &o.drafter, id, "ip").await.is_ok(), "{b}");
        assert!(outgoing::get(&s, &o.jwc_head, id, "ip").await.is_ok(), "a countersigner is on the route, {b}");
        for who in [&o.secretary, &o.cwc_head, &o.shuji] {
            assert!(matches!(outgoing::get(&s, who, id, "ip").await, Err(ServiceError::NotFound)), "{b}: {}", who.name);
        }
        let listed = outgoing::list(&s, &o.shuji, outgoing::OutgoingBox::All, None).await.unwrap();
        assert!(listed.is_empty(), "{b}");
        let (n,): (i64,) =
            s.db.fetch_one("SELECT COUNT(*) FROM audit_log WHERE action = 'outgoing.access_refused'", args![])
                .await
                .unwrap();
        assert_eq!(n, 3, "{b}");
        let _ = &o.cwc;
    }
}

#[tokio::test]
async fn the_document_maps_to_what_is_printed() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let id = signed(&s, &o).await;
        outgoing::act(&s, &o.secretary, id, A::Register, "ip").await.unwrap();
        let v = outgoing::get(&s, &o.secretary, id, "ip").await.unwrap();
        let d = outgoing::official_document(
            &v,
            "江北职业技术学院",
            chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
            None,
        );
        assert_eq!(d.issuer_mark, "江北职业技术学院文件");
        assert_eq!(d.doc_number.as_deref(), Some("江职院发〔2026〕1号"));
        assert_eq!(d.main_recipients, vec!["教务处", "财务处"]);
        assert_eq!(d.copied_to, vec!["某省教育厅"]);
        assert_eq!(d.signers, Vec::<String>::new(), "a 通知 is not upward");
        assert_eq!(d.date, chrono::NaiveDate::from_ymd_opt(2026, 11, 27));
        assert_eq!(d.body.len(), 5);
        // Until the renderer is merged, a PDF is refused with a clear error.
        match outgoing::pdf(&s, &o.secretary, id, "ip").await {
            Ok((name, bytes)) => assert!(bytes.starts_with(b"%PDF") && name.contains("江职院发")),
            Err(e) => assert!(matches!(e, ServiceError::Render(outgoing::RenderFailure::Unavailable)), "{e}"),
        }
    }
}
