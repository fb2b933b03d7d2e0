//! The 发文字号 ledger: 100 parallel registrations give 100 consecutive numbers; a number
//! requested twice is refused and changes nothing; a void keeps its line and shows in the
//! gap report with its reason.

use super::*;

/// A draft put straight into 已签发 (the numbering test does not need the whole route).
async fn signed_fast(s: &Services, o: &Office, n: usize) -> OutgoingId {
    let mut input = notice(o);
    input.title = format!("关于第{n}项工作的通知");
    input.countersigners.clear();
    let id = outgoing::create(s, &o.drafter, input, "ip").await.unwrap();
    outgoing::add_version(s, &o.drafter, id, BODY, "", "ip").await.unwrap();
    s.db.execute(
        "UPDATE outgoing_documents SET state = 'signed', signed_on = '2026-11-27' WHERE outgoing_id = $1",
        args![id.0],
    )
    .await
    .unwrap();
    id
}

#[tokio::test]
async fn parallel_registrations_get_consecutive_numbers() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let mut ids = Vec::new();
        for n in 0..100 {
            ids.push(signed_fast(&s, &o, n).await);
        }
        let mut joins = Vec::new();
        for id in ids.clone() {
            let (s, who) = (s.clone(), o.secretary.clone());
            joins.push(tokio::spawn(async move { outgoing::act(&s, &who, id, A::Register, "ip").await }));
        }
        for j in joins {
            assert_eq!(j.await.unwrap().unwrap(), S::Registered, "{}", t.backend);
        }
        let mut seqs: Vec<i64> =
            s.db.fetch_all::<(i64,)>("SELECT number_seq FROM outgoing_documents WHERE number_seq IS NOT NULL", args![])
                .await
                .unwrap()
                .into_iter()
                .map(|r| r.0)
                .collect();
        seqs.sort_unstable();
        assert_eq!(seqs, (1..=100).collect::<Vec<i64>>(), "{}", t.backend);
        let ledger = outgoing::ledger(&s, &o.secretary, None, None).await.unwrap();
        assert_eq!((ledger.prefix.as_str(), ledger.year, ledger.rows.len()), ("江职院发", 2026, 100), "{}", t.backend);
        assert!(ledger.gaps.is_empty(), "{}", t.backend);
    }
}

#[tokio::test]
async fn a_number_twice_is_refused_and_a_void_stays_visible() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let b = t.backend;
        let first = signed(&s, &o).await;
        outgoing::act(&s, &o.secretary, first, A::Register, "ip").await.unwrap();
        let heads = count(&s, "outgoing_numbers").await;
        let audit = count(&s, "audit_log").await;
        let e = outgoing::act(&s, &o.secretary, first, A::Register, "ip").await.unwrap_err();
        assert_eq!(
            e.to_string(),
            "number: this document already has a number (江职院发〔2026〕1号); void it first to renumber",
            "{b}"
        );
        assert_eq!((count(&s, "outgoing_numbers").await, count(&s, "audit_log").await), (heads, audit), "{b}");

        // A void needs a reason, keeps its line, and the next number is not reused.
        assert!(outgoing::act(&s, &o.secretary, first, A::VoidNumber { reason: " ".into() }, "ip").await.is_err());
        outgoing::act(&s, &o.secretary, first, A::VoidNumber { reason: "主送单位有误，重新登记".into() }, "ip")
            .await
            .unwrap();
        outgoing::act(&s, &o.secretary, first, A::Register, "ip").await.unwrap();
        let v = outgoing::get(&s, &o.secretary, first, "ip").await.unwrap();
        assert_eq!(v.doc.doc_number.as_deref(), Some("江职院发〔2026〕2号"), "{b}");
        let l = outgoing::ledger(&s, &o.office_head, Some("江职院发"), Some(2026)).await.unwrap();
        assert_eq!(l.rows.len(), 2, "{b}");
        assert_eq!(l.rows[0].void_reason.as_deref(), Some("主送单位有误，重新登记"), "{b}");
        assert_eq!(l.gaps.len(), 1, "{b}");
        assert_eq!((l.gaps[0].seq, l.gaps[0].void_reason.as_deref()), (1, Some("主送单位有误，重新登记")), "{b}");
        // Only the office reads the ledger.
        assert!(matches!(outgoing::ledger(&s, &o.drafter, None, None).await, Err(ServiceError::Forbidden)), "{b}");

        // Cancelling a distribution needs a reason and withdraws the receipt tasks.
        outgoing::act(&s, &o.secretary, first, A::Distribute, "ip").await.unwrap();
        assert!(
            outgoing::act(&s, &o.secretary, first, A::CancelDistribution { reason: String::new() }, "ip")
                .await
                .is_err()
        );
        outgoing::act(&s, &o.secretary, first, A::CancelDistribution { reason: "附件漏印".into() }, "ip")
            .await
            .unwrap();
        let v = outgoing::get(&s, &o.secretary, first, "ip").await.unwrap();
        assert!(v.receipts.iter().all(|r| r.state == "cancelled"), "{b}");
        assert_eq!(v.distributions[0].cancel_reason.as_deref(), Some("附件漏印"), "{b}");
        let open = tasks::tasks_of_subject(&s, "outgoing", first.0)
            .await
            .unwrap()
            .into_iter()
            .filter(|t| t.state == "open")
            .count();
        assert_eq!(open, 0, "{b}");
    }
}
