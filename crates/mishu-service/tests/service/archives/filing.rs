//! Filing: 档号 and catalogue line, 件号 under parallel filing, bad input.

use super::*;
use mishu_domain::ArchiveItemId;
use mishu_domain::archives::ArchiveError;
use mishu_service::ServiceError;
use mishu_service::archives::catalogue;
use mishu_testkit::TestDb;

#[tokio::test]
async fn a_closed_incoming_document_is_filed_with_its_code_and_catalogue_line() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let b = t.backend;
        let doc = closed_incoming(&s, &o, "关于做好2027年高等职业院校招生工作的通知").await;
        let id = archives::file(&s, &o.archivist, req(FilingSource::Incoming(doc), "", "BGS"), "ip").await.unwrap();
        let v = archives::item(&s, &o.archivist, id).await.unwrap();
        // A 通知 defaults to 定期10年; the year is the document's.
        assert_eq!(v.item.archive_code, "0194-WS·2026-D10-BGS-0001", "{b}");
        assert_eq!((v.item.retention.as_str(), v.item.item_no, v.item.pages), ("D10", 1, 4), "{b}");
        assert!(v.route["audit"].as_array().unwrap().len() >= 3, "{b}: the route is kept: {}", v.route);
        let lines = catalogue::catalogue_lines(&s, &o.archivist, 2026).await.unwrap();
        assert_eq!(lines.len(), 1, "{b}");
        let l = &lines[0];
        assert_eq!(
            (l.archive_code.as_str(), l.doc_number.as_str(), l.responsible.as_str(), l.date8().as_str()),
            ("0194-WS·2026-D10-BGS-0001", "某教发〔2026〕12号", "某省教育厅", "20261127"),
            "{b}"
        );
        // The next one in the same class gets 0002; another retention starts again at 0001.
        let doc2 = closed_incoming(&s, &o, "关于开展冬季安全生产大检查的通知").await;
        let id2 = archives::file(&s, &o.archivist, req(FilingSource::Incoming(doc2), "", "BGS"), "ip").await.unwrap();
        assert_eq!(archives::item(&s, &o.archivist, id2).await.unwrap().item.archive_code, "0194-WS·2026-D10-BGS-0002");
        let task = closed_leader_task(&s, &o, "梳理实训室建设方案").await;
        let id3 =
            archives::file(&s, &o.archivist, req(FilingSource::LeaderTask(task), "永久", "BGS"), "ip").await.unwrap();
        let v3 = archives::item(&s, &o.archivist, id3).await.unwrap();
        assert_eq!(v3.item.archive_code, "0194-WS·2026-Y-BGS-0001", "{b}");
        assert_eq!(v3.files.len(), 1, "{b}: the answer is kept as a text file");
        let (_, _, bytes) = archives::item_file(&s, &o.archivist, id3, v3.files[0].file_id).await.unwrap();
        assert!(String::from_utf8(bytes).unwrap().contains("已落实"));
        let xlsx = catalogue::catalogue_xlsx(&s, &o.archivist, 2026, &|k| k.to_string(), "ip").await.unwrap();
        assert!(xlsx.starts_with(b"PK"), "{b}");

        // Not a keeper: neither files nor reads.
        let e = archives::file(&s, &o.secretary, req(FilingSource::Incoming(doc), "", ""), "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Forbidden), "{b}: {e:?}");
        assert!(matches!(archives::item(&s, &o.handler, id).await, Err(ServiceError::NotFound)), "{b}");
        assert!(mishu_service::audit::verify(&s).await.unwrap().ok());
    }
}

#[tokio::test]
async fn parallel_filing_hands_out_every_item_number_once_without_gaps() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        const N: usize = 8;
        let mut sources = Vec::new();
        for i in 0..N {
            sources.push(closed_leader_task(&s, &o, &format!("督办事项{i}")).await);
        }
        let mut handles = Vec::new();
        for id in sources {
            let (s, a) = (s.clone(), o.archivist.clone());
            handles.push(tokio::spawn(async move {
                archives::file(&s, &a, req(FilingSource::LeaderTask(id), "D30", "JWC"), "ip").await
            }));
        }
        let mut numbers = Vec::new();
        for h in handles {
            let id: ArchiveItemId = h.await.unwrap().unwrap();
            numbers.push(archives::item(&s, &o.archivist, id).await.unwrap().item.item_no);
        }
        numbers.sort();
        assert_eq!(numbers, (1..=N as i64).collect::<Vec<_>>(), "{}", t.backend);
    }
}

#[tokio::test]
async fn bad_input_gets_a_clear_error_and_changes_nothing() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let b = t.backend;
        let doc = closed_incoming(&s, &o, "关于报送年度工作总结的通知").await;
        let before = footprint(&s).await;
        let cases: Vec<(FileRequest, &str)> = vec![
            (req(FilingSource::Incoming(doc), "D20", "BGS"), "retention"),
            (req(FilingSource::Incoming(doc), "长期", "BGS"), "retention"),
            (req(FilingSource::Incoming(doc), "", "XYZ"), "class_code"),
            (req(FilingSource::Incoming(doc), "", "bgs"), "class_code"),
            (req(FilingSource::Incoming(IncomingId(9999)), "", "BGS"), "not found"),
        ];
        for (r, want) in cases {
            let e = archives::file(&s, &o.archivist, r, "ip").await.unwrap_err();
            assert!(e.to_string().contains(want), "{b}: {e}");
            assert_eq!(footprint(&s).await, before, "{b}: nothing stored after {e}");
        }
        // An unfinished item is refused, naming the source.
        let open = incoming::register(&s, &o.secretary, notice(s.clock.now(), "未办结"), "ip").await.unwrap().id;
        let before = footprint(&s).await;
        let e = archives::file(&s, &o.archivist, req(FilingSource::Incoming(open), "", "BGS"), "ip").await.unwrap_err();
        assert!(e.to_string().starts_with("source:"), "{b}: {e}");
        assert_eq!(footprint(&s).await, before, "{b}");

        // A 档号 collision (a counter set back behind the items) is refused and rolls back.
        archives::file(&s, &o.archivist, req(FilingSource::Incoming(doc), "D10", "BGS"), "ip").await.unwrap();
        s.db.execute("UPDATE counters SET value = 0 WHERE name = $1", args!["archive:2026:D10:BGS"]).await.unwrap();
        let doc2 = closed_incoming(&s, &o, "关于另一事项的通知").await;
        let before = footprint(&s).await;
        let e =
            archives::file(&s, &o.archivist, req(FilingSource::Incoming(doc2), "D10", "BGS"), "ip").await.unwrap_err();
        assert!(
            matches!(&e, ServiceError::Archive(ArchiveError::CodeTaken(c)) if c == "0194-WS·2026-D10-BGS-0001"),
            "{b}: {e:?}"
        );
        assert_eq!(footprint(&s).await, before, "{b}: the counter went back too");
        // Filing the same item twice is refused.
        let e = archives::file(&s, &o.archivist, req(FilingSource::Incoming(doc), "", "BGS"), "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Archive(ArchiveError::AlreadyFiled(_))), "{b}: {e:?}");
        // Settings refuse an unknown retention value or 全宗号.
        let bad = [("notice".to_string(), "D20".to_string())];
        assert!(archives::save_settings(&s, &o.archivist, "0194", &bad, "ip").await.is_err());
        assert!(archives::save_settings(&s, &o.archivist, "01945", &[], "ip").await.is_err());
    }
}
