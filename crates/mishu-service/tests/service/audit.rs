use mishu_domain::audit::{AuditEvent, ChainBreak};
use mishu_service::args;
use mishu_service::audit::{self, Origin};
use mishu_testkit::TestDb;
use serde_json::json;

async fn write_n(s: &mishu_service::Services, n: usize) {
    for i in 0..n {
        let mut tx = s.db.begin().await.unwrap();
        audit::append(
            &mut tx,
            &s.audit_key,
            &Origin::system(),
            s.clock.now(),
            &AuditEvent::new("test.event", "thing", Some(i.to_string()), json!({"i": i, "名": "值"})),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
}

#[tokio::test]
async fn verify_passes_clean_and_names_edits_deletions_and_swaps() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        write_n(&s, 8).await;
        let r = audit::verify(&s).await.unwrap();
        assert!(r.ok(), "{}: {r:?}", t.backend);
        assert_eq!(r.records, 8);

        t.db.execute("UPDATE audit_log SET detail = $1 WHERE seq = 3", args![r#"{"i":99}"#]).await.unwrap();
        assert_eq!(audit::verify(&s).await.unwrap().breaks, vec![ChainBreak::Edited { seq: 3 }], "{}", t.backend);
        t.db.execute("UPDATE audit_log SET detail = $1 WHERE seq = 3", args![r#"{"i":2,"名":"值"}"#]).await.unwrap();
        assert!(audit::verify(&s).await.unwrap().ok(), "{}: restoring the text restores the chain", t.backend);

        t.db.execute("DELETE FROM audit_log WHERE seq = 5", args![]).await.unwrap();
        assert_eq!(
            audit::verify(&s).await.unwrap().breaks,
            vec![ChainBreak::Deleted { after_seq: 4, missing_from: 5, missing_to: 5 }],
            "{}",
            t.backend
        );
    }
}

#[tokio::test]
async fn a_swapped_pair_and_a_cut_tail_are_found() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        write_n(&s, 6).await;
        // Swap the contents of records 2 and 3, keeping their sequence numbers.
        t.db.execute("UPDATE audit_log SET seq = -2 WHERE seq = 2", args![]).await.unwrap();
        t.db.execute("UPDATE audit_log SET seq = 2 WHERE seq = 3", args![]).await.unwrap();
        t.db.execute("UPDATE audit_log SET seq = 3 WHERE seq = -2", args![]).await.unwrap();
        let r = audit::verify(&s).await.unwrap();
        assert_eq!(
            r.breaks,
            vec![ChainBreak::Reordered { seq: 2, sealed_as: 3 }, ChainBreak::Reordered { seq: 3, sealed_as: 2 }],
            "{}",
            t.backend
        );
        t.db.execute("DELETE FROM audit_log WHERE seq >= 5", args![]).await.unwrap();
        let r = audit::verify(&s).await.unwrap();
        assert_eq!(r.truncated_after, Some(4), "{}", t.backend);
    }
}

#[tokio::test]
async fn concurrent_appends_keep_one_unbroken_chain() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let mut hs = Vec::new();
        for _ in 0..10 {
            let s = s.clone();
            hs.push(tokio::spawn(async move { write_n(&s, 3).await }));
        }
        for h in hs {
            h.await.unwrap();
        }
        let r = audit::verify(&s).await.unwrap();
        assert!(r.ok(), "{}: {r:?}", t.backend);
        assert_eq!(r.records, 30);
    }
}

#[tokio::test]
async fn retention_below_190_days_is_refused_and_purge_keeps_the_chain_verifiable() {
    for t in TestDb::all().await {
        let (s, clock) = t.services();
        let mut tx = s.db.begin().await.unwrap();
        let err = mishu_service::settings::set_audit_retention_days(&mut tx, 30, s.clock.now()).await.unwrap_err();
        assert!(err.to_string().contains("190"), "{err}");
        drop(tx);
        write_n(&s, 3).await;
        clock.advance_minutes(200 * 24 * 60);
        write_n(&s, 2).await;
        t.db.execute("CREATE TABLE purged_copy AS SELECT * FROM audit_log WHERE seq = 2", args![]).await.unwrap();
        let removed = audit::purge(&s, &Origin::system()).await.unwrap();
        assert_eq!(removed, 3, "{}", t.backend);
        let r = audit::verify(&s).await.unwrap();
        assert!(r.ok(), "{}: {r:?}", t.backend);
        assert_eq!(r.records, 3, "two kept plus the purge record");
        // A purged record put back, genuine MAC and all, is named.
        t.db.execute("INSERT INTO audit_log SELECT * FROM purged_copy", args![]).await.unwrap();
        let r = audit::verify(&s).await.unwrap();
        assert_eq!(r.breaks, vec![ChainBreak::Inserted { seq: 2 }], "{}", t.backend);
    }
}
