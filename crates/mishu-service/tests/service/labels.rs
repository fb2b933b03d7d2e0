//! T18 label integrity: a 密级 changed in the database behind the service's back makes the
//! object unreadable with the integrity error, is audited once per refusal, and drops the
//! object from lists and search; untouched objects read as before. On the demo organ, for
//! received documents, outgoing documents and archive items.

use mishu_domain::access::Actor;
use mishu_domain::incoming::RegistrationInput;
use mishu_domain::outgoing::{DraftInput, RecipientInput};
use mishu_domain::{ArchiveItemId, IncomingId, OutgoingId, PersonId};
use mishu_service::incoming::{self, IncomingFilter};
use mishu_service::labels::{self, Label, LabelKind};
use mishu_service::outgoing::{self, OutgoingBox};
use mishu_service::search::{self, RawSearch, SearchQuery};
use mishu_service::{ServiceError, Services, archives, args, demo};
use mishu_testkit::{TestDb, builders};

async fn who(s: &Services, login: &str) -> Actor {
    let (id,): (i64,) = s.db.fetch_one("SELECT person_id FROM people WHERE login = $1", args![login]).await.unwrap();
    builders::actor(s, PersonId(id)).await
}

async fn failures(s: &Services, kind: &str, id: i64) -> i64 {
    let (n,): (i64,) =
        s.db.fetch_one(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'label.integrity_failed' AND subject_type = $1
             AND subject_id = $2",
            args![kind, id.to_string()],
        )
        .await
        .unwrap();
    n
}

fn refused_for_integrity<T: std::fmt::Debug>(r: Result<T, ServiceError>, kind: &str, id: i64) -> bool {
    matches!(r, Err(ServiceError::LabelIntegrity { kind: k, id: i }) if k == kind && i == id)
}

fn secret_registration(now: mishu_domain::Timestamp) -> RegistrationInput {
    RegistrationInput {
        sender_number: "某教发〔2026〕77号".into(),
        pages: Some(2),
        ..mishu_testkit::builders::classified_notice("关于考场保密工作的通知", ["机密", "10年", "0003"], now)
    }
}

#[tokio::test]
async fn a_label_changed_behind_the_service_is_refused_audited_and_left_out_of_lists() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let b = t.backend;
        demo::load(&s).await.unwrap();
        // The demo's secretary is cleared for 秘密; this office's is cleared for 机密.
        s.db.execute("UPDATE people SET clearance = 'confidential' WHERE login = 'mishu'", args![]).await.unwrap();
        let secretary = who(&s, "mishu").await;
        // The office head: an office-wide reader of every unclassified document.
        let head = who(&s, "zhuren").await;
        let keeper = who(&s, "dangan").await;

        // 收文: registered 机密 through the service, then downgraded in the database.
        let doc = incoming::register(&s, &secretary, secret_registration(s.clock.now()), "ip").await.unwrap().id;
        assert!(matches!(incoming::get(&s, &head, doc, "ip").await, Err(ServiceError::NotFound)), "{b}");
        s.db.execute("UPDATE incoming_documents SET classification = 'none' WHERE incoming_id = $1", args![doc])
            .await
            .unwrap();
        let r = incoming::get(&s, &head, doc, "ip").await;
        assert!(refused_for_integrity(r, "incoming", doc.0), "{b}: a downgraded 收文 is refused");
        assert_eq!(failures(&s, "incoming", doc.0).await, 1, "{b}: one record per refusal");
        let r = incoming::get(&s, &secretary, doc, "ip").await;
        assert!(refused_for_integrity(r, "incoming", doc.0), "{b}: refused for its own registrar too");
        assert_eq!(failures(&s, "incoming", doc.0).await, 2, "{b}");
        let listed = incoming::list(&s, &head, &IncomingFilter::default()).await.unwrap();
        assert!(!listed.iter().any(|d| d.incoming_id == doc.0), "{b}: not in the office head's register");
        assert!(!listed.is_empty(), "{b}: the rest of the register still lists");
        let page = incoming::list_page(&s, &head, &IncomingFilter::default(), 200, 0).await.unwrap();
        assert!(!page.items.iter().any(|d| d.incoming_id == doc.0), "{b}");
        assert_eq!(page.withheld, 1, "{b}: the page counts what it withheld");
        assert_eq!(page.total, page.items.len() as i64, "{b}: the count leaves it out too");
        // The index rebuilt from the tampered database must not carry it as unclassified.
        search::reindex(&s, &|_, _| {}).await.unwrap();
        let q = SearchQuery::parse(&RawSearch { q: Some("考场保密".into()), ..RawSearch::default() }).unwrap();
        assert!(search::search(&s, &head, &q).await.unwrap().hits.is_empty(), "{b}: not found by search");
        let other = listed[0].incoming_id;
        assert!(incoming::get(&s, &head, IncomingId(other), "ip").await.is_ok(), "{b}: untouched ones read");
        assert_eq!(failures(&s, "incoming", other).await, 0, "{b}");

        // 发文: a 机密 draft, its 保密期限 and then its 密级 changed.
        let leader = who(&s, "yuanzhang").await;
        let input = DraftInput {
            title: "关于考务保密工作安排的报告".into(),
            doc_type: "报告".into(),
            prefix: "江职院发".into(),
            classification: "机密".into(),
            secrecy_period: "5年".into(),
            signer: Some(leader.person_id),
            recipients: vec![RecipientInput::new("main", "external", "某省教育厅")],
            ..DraftInput::default()
        };
        let out = outgoing::create(&s, &secretary, input, "ip").await.unwrap();
        assert!(outgoing::get(&s, &secretary, out, "ip").await.is_ok(), "{b}: sealed when drafted");
        assert!(matches!(outgoing::get(&s, &head, out, "ip").await, Err(ServiceError::NotFound)), "{b}");
        s.db.execute("UPDATE outgoing_documents SET secrecy_period = '' WHERE outgoing_id = $1", args![out])
            .await
            .unwrap();
        let r = outgoing::get(&s, &secretary, out, "ip").await;
        assert!(refused_for_integrity(r, "outgoing", out.0), "{b}: 保密期限 is part of the label");
        s.db.execute(
            "UPDATE outgoing_documents SET classification = 'none', secrecy_period = '5年' WHERE outgoing_id = $1",
            args![out],
        )
        .await
        .unwrap();
        let r = outgoing::get(&s, &head, out, "ip").await;
        assert!(refused_for_integrity(r, "outgoing", out.0), "{b}: a downgraded 发文 is refused");
        assert_eq!(failures(&s, "outgoing", out.0).await, 2, "{b}");
        let listed = outgoing::list(&s, &head, OutgoingBox::All, None).await.unwrap();
        assert!(!listed.iter().any(|d| d.outgoing_id == out.0), "{b}: not in the office head's list");
        let other = OutgoingId(listed.first().expect("the demo's documents").outgoing_id);
        assert!(outgoing::get(&s, &head, other, "ip").await.is_ok(), "{b}: untouched ones read");

        // 档案: a demo item made 绝密 (above the keeper's 秘密) with a genuine MAC, as if filed
        // so, then downgraded in the database.
        let (item, year): (i64, i64) =
            s.db.fetch_one("SELECT item_id, year FROM archive_items ORDER BY item_id", args![]).await.unwrap();
        let genuine = Label {
            kind: LabelKind::ArchiveItem,
            id: item,
            classification: "top_secret",
            secrecy_period: "",
            copy_no: "",
        };
        s.db.execute(
            "UPDATE archive_items SET classification = 'top_secret', label_mac = $1 WHERE item_id = $2",
            args![genuine.mac(&s.audit_key), item],
        )
        .await
        .unwrap();
        let before = archives::catalogue::catalogue_lines(&s, &keeper, year as i32).await.unwrap();
        assert!(matches!(archives::item(&s, &keeper, ArchiveItemId(item)).await, Err(ServiceError::NotFound)), "{b}");
        s.db.execute("UPDATE archive_items SET classification = 'none' WHERE item_id = $1", args![item]).await.unwrap();
        let r = archives::item(&s, &keeper, ArchiveItemId(item)).await;
        assert!(refused_for_integrity(r, "archive_item", item), "{b}: a downgraded item is refused");
        assert_eq!(failures(&s, "archive_item", item).await, 1, "{b}");
        let after = archives::catalogue::catalogue_lines(&s, &keeper, year as i32).await.unwrap();
        assert!(!after.iter().any(|r| r.item_id == item), "{b}: not in the keeper's catalogue");
        assert_eq!(after.len(), before.len(), "{b}: the catalogue is otherwise unchanged");
        if let Some(other) = after.first() {
            assert!(archives::item(&s, &keeper, ArchiveItemId(other.item_id)).await.is_ok(), "{b}");
        }

        // The walk names exactly the three rows.
        let report = labels::verify(&s, &mishu_service::audit::Origin::system()).await.unwrap();
        let mut named: Vec<(&str, i64)> = report.tampered.iter().map(|x| (x.kind, x.id)).collect();
        named.sort();
        assert_eq!(named, vec![("archive_item", item), ("incoming", doc.0), ("outgoing", out.0)], "{b}");
        assert!(report.checked > 3, "{b}");
    }
}

#[tokio::test]
async fn a_cleared_mac_is_a_failure_and_the_sealing_pass_runs_once() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let b = t.backend;
        demo::load(&s).await.unwrap();
        let head = who(&s, "zhuren").await;
        let (doc,): (i64,) =
            s.db.fetch_one("SELECT MIN(incoming_id) FROM incoming_documents WHERE classification = 'none'", args![])
                .await
                .unwrap();
        assert!(incoming::get(&s, &head, IncomingId(doc), "ip").await.is_ok(), "{b}");

        // As after migration 0033 on an old database: no MAC yet, the marker still there.
        s.db.execute("UPDATE incoming_documents SET label_mac = NULL WHERE incoming_id = $1", args![doc])
            .await
            .unwrap();
        let (rows,): (i64,) = s.db.fetch_one("SELECT COUNT(*) FROM incoming_documents", args![]).await.unwrap();
        assert!(rows > 1, "{b}");
        assert_eq!(labels::seal_unsealed(&s).await.unwrap(), 1, "{b}: only the unsealed row");
        let (sealed,): (i64,) =
            s.db.fetch_one("SELECT COUNT(*) FROM audit_log WHERE action = 'label.sealed'", args![]).await.unwrap();
        assert_eq!(sealed, 1, "{b}: the pass is recorded once");
        assert!(incoming::get(&s, &head, IncomingId(doc), "ip").await.is_ok(), "{b}: sealed, it reads");

        // Later, clearing the MAC is no way around the check: the pass does not run again.
        s.db.execute("UPDATE incoming_documents SET label_mac = NULL WHERE incoming_id = $1", args![doc])
            .await
            .unwrap();
        assert_eq!(labels::seal_unsealed(&s).await.unwrap(), 0, "{b}");
        let r = incoming::get(&s, &head, IncomingId(doc), "ip").await;
        assert!(refused_for_integrity(r, "incoming", doc), "{b}: an unsealed label is refused");
        let report = labels::verify(&s, &mishu_service::audit::Origin::system()).await.unwrap();
        assert_eq!(report.tampered.len(), 1, "{b}");
        assert!(report.tampered[0].unsealed, "{b}");
    }
}

#[tokio::test]
async fn rows_inserted_in_bulk_are_sealed_in_their_transaction() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let b = t.backend;
        demo::load(&s).await.unwrap();
        let registrar = who(&s, "mishu").await.person_id.0;
        let now = s.clock.now().0;
        let mut tx = s.db.begin().await.unwrap();
        let mut ids = Vec::new();
        for (seq, class) in [(9001i64, "none"), (9002, "secret"), (9003, "none")] {
            let id = tx
                .insert_returning_id(
                    "INSERT INTO incoming_documents (reg_year, reg_seq, sender_organ, title, doc_type, classification,
                     received_at, handling_kind, state, registered_by, created_at)
                     VALUES (2026, $1, '某省教育厅', '批量', 'notice', $2, $3, 'to_handle', 'registered', $4, $3)
                     RETURNING incoming_id",
                    args![seq, class, now, registrar],
                )
                .await
                .unwrap();
            ids.push(id);
        }
        labels::seal_inserted(&mut tx, &s.audit_key, LabelKind::Incoming, &ids).await.unwrap();
        tx.commit().await.unwrap();
        let report = labels::verify(&s, &mishu_service::audit::Origin::system()).await.unwrap();
        assert!(report.tampered.is_empty(), "{b}: {:?}", report.tampered);
        s.db.execute("UPDATE incoming_documents SET classification = 'none' WHERE incoming_id = $1", args![ids[1]])
            .await
            .unwrap();
        let report = labels::verify(&s, &mishu_service::audit::Origin::system()).await.unwrap();
        assert_eq!(report.tampered.iter().map(|x| x.id).collect::<Vec<_>>(), vec![ids[1]], "{b}");
    }
}

#[tokio::test]
async fn a_tampered_source_is_not_offered_for_filing_nor_filed_and_its_ledger_line_is_masked() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let b = t.backend;
        demo::load(&s).await.unwrap();
        let keeper = who(&s, "dangan").await;
        let head = who(&s, "zhuren").await;
        let offered = archives::filable(&s, &keeper).await.unwrap();
        let Some(doc) = offered.iter().find(|f| f.kind == "outgoing").map(|f| f.id) else {
            panic!("{b}: the demo leaves an issued 发文 to file: {offered:?}")
        };
        let ledger_title = async || {
            let l = outgoing::ledger(&s, &head, None, None).await.unwrap();
            l.rows.iter().find(|r| r.outgoing_id == doc).map(|r| r.title.clone())
        };
        let title = ledger_title().await.expect("the issued document has its number's line");
        assert_ne!(title, "★", "{b}");
        s.db.execute("UPDATE outgoing_documents SET secrecy_period = '1年' WHERE outgoing_id = $1", args![doc])
            .await
            .unwrap();
        let offered = archives::filable(&s, &keeper).await.unwrap();
        assert!(!offered.iter().any(|f| f.kind == "outgoing" && f.id == doc), "{b}: not offered for filing");
        assert_eq!(ledger_title().await.as_deref(), Some("★"), "{b}: the ledger keeps the line, masked");
        let req = archives::FileRequest {
            source: archives::FilingSource::Outgoing(OutgoingId(doc)),
            retention: String::new(),
            class_code: String::new(),
            note: String::new(),
        };
        let r = archives::file(&s, &keeper, req, "ip").await;
        assert!(refused_for_integrity(r, "outgoing", doc), "{b}: its label is not laundered into the archive");
        assert_eq!(failures(&s, "outgoing", doc).await, 1, "{b}");
        let (items,): (i64,) =
            s.db.fetch_one(
                "SELECT COUNT(*) FROM archive_items WHERE source_kind = 'outgoing' AND source_id = $1",
                args![doc],
            )
            .await
            .unwrap();
        assert_eq!(items, 0, "{b}: nothing filed");
    }
}
