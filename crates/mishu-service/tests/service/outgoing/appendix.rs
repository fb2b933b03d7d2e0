//! Attachments, the 附注 and the copy register (份号) on each database: what the drafter adds
//! is what is printed, bad input changes nothing, and every numbered copy is accounted for.

use super::*;
use mishu_domain::outgoing::{CopyAction, OutgoingError};

fn invalid_field(e: &ServiceError) -> &'static str {
    match e {
        ServiceError::Outgoing(OutgoingError::Invalid { field, .. }) => field,
        ServiceError::Invalid { field, .. } => field,
        other => panic!("expected an invalid field, got {other}"),
    }
}

#[tokio::test]
async fn attachments_and_the_annotation_go_where_the_standard_puts_them() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let id = drafted(&s, &o).await;
        let duty =
            outgoing::add_attachment(&s, &o.drafter, id, "元旦春节值班表", "一、值班时间\n12月31日至1月3日。", "ip")
                .await
                .unwrap();
        let dropped = outgoing::add_attachment(&s, &o.drafter, id, "旧表", "作废", "ip").await.unwrap();
        outgoing::add_attachment(&s, &o.drafter, id, "安全检查记录表", "", "ip").await.unwrap();
        outgoing::remove_attachment(&s, &o.drafter, id, dropped, "ip").await.unwrap();
        outgoing::set_annotation(&s, &o.drafter, id, "（联系人：张敏，电话：0510-88881234）", "ip").await.unwrap();

        // Bad input is refused with its field named, and nothing changes.
        let before = count(&s, "outgoing_attachments").await;
        let e = outgoing::add_attachment(&s, &o.drafter, id, "值班表。", "", "ip").await.unwrap_err();
        assert_eq!(invalid_field(&e), "title", "{e}");
        let e = outgoing::add_attachment(&s, &o.drafter, id, "  ", "正文", "ip").await.unwrap_err();
        assert_eq!(invalid_field(&e), "title", "{e}");
        let e = outgoing::set_annotation(&s, &o.drafter, id, "一\n二", "ip").await.unwrap_err();
        assert_eq!(invalid_field(&e), "annotation", "{e}");
        let e = outgoing::add_attachment(&s, &o.secretary, id, "表", "", "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Outgoing(OutgoingError::NotDrafter)), "{e}");
        assert!(matches!(
            outgoing::remove_attachment(&s, &o.drafter, id, 999_999, "ip").await.unwrap_err(),
            ServiceError::NotFound
        ));
        assert_eq!(count(&s, "outgoing_attachments").await, before);

        let v = outgoing::get(&s, &o.drafter, id, "ip").await.unwrap();
        let titles: Vec<&str> = v.attachments.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(titles, ["元旦春节值班表", "安全检查记录表"]);
        assert_eq!(v.attachments[0].attachment_id, duty);
        assert_eq!(v.doc.annotation, "联系人：张敏，电话：0510-88881234");

        // Once submitted, they are fixed with the text.
        outgoing::act(&s, &o.drafter, id, A::Submit, "ip").await.unwrap();
        let e = outgoing::add_attachment(&s, &o.drafter, id, "补充表", "", "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Outgoing(OutgoingError::WrongState(_))), "{e}");
        let e = outgoing::set_annotation(&s, &o.drafter, id, "", "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Outgoing(OutgoingError::WrongState(_))), "{e}");

        let d = outgoing::official_document(
            &v,
            "江北职业技术学院",
            chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
            None,
        );
        assert_eq!(d.attachment_titles, ["元旦春节值班表", "安全检查记录表"], "the 附件说明 names both");
        assert_eq!(d.attachments.len(), 1, "only the attachment with text gets pages");
        assert_eq!(d.attachments[0].title, "元旦春节值班表");
        assert_eq!(d.note.as_deref(), Some("联系人：张敏，电话：0510-88881234"));
        assert_eq!(d.copy_number, None, "an unclassified document has no 份号");

        let (n,): (i64,) =
            s.db.fetch_one(
                "SELECT COUNT(*) FROM audit_log WHERE subject_id = $1 AND action IN
                 ('outgoing.attachment_added', 'outgoing.attachment_removed', 'outgoing.annotation_set')",
                args![id.to_string()],
            )
            .await
            .unwrap();
        assert_eq!(n, 5, "three added, one removed, one annotation");
    }
}

/// A 秘密 notice in three copies, signed and registered.
async fn classified(s: &Services, o: &Office) -> OutgoingId {
    let mut input = notice(o);
    input.classification = "secret".into();
    input.secrecy_period = "1年".into();
    input.copies = Some(3);
    let id = outgoing::create(s, &o.drafter, input, "ip").await.unwrap();
    outgoing::add_version(s, &o.drafter, id, BODY, "初稿", "ip").await.unwrap();
    // The office reads a classified draft only once it is sent for the check.
    let e = outgoing::get(s, &o.secretary, id, "ip").await.unwrap_err();
    assert!(matches!(e, ServiceError::NotFound), "{e}");
    outgoing::act(s, &o.drafter, id, A::Submit, "ip").await.unwrap();
    outgoing::get(s, &o.office_head, id, "ip").await.unwrap();
    outgoing::act(s, &o.secretary, id, A::Check { pass: true, opinion: String::new() }, "ip").await.unwrap();
    for who in [&o.jwc_head, &o.cwc_head] {
        let step = open_step(s, who, id, "countersign").await;
        outgoing::act(s, who, id, A::Countersign { step, agree: true, opinion: String::new() }, "ip").await.unwrap();
    }
    outgoing::act(s, &o.yuanzhang, id, A::Sign { approve: true, opinion: String::new() }, "ip").await.unwrap();
    id
}

fn states(lines: &[outgoing::CopyLine]) -> Vec<&'static str> {
    lines.iter().map(|l| l.state).collect()
}

#[tokio::test]
async fn every_numbered_copy_of_a_classified_document_is_accounted_for() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let id = classified(&s, &o).await;
        let sec = &o.secretary;

        // Not printed before it has its number.
        let e = outgoing::print_copy(&s, sec, id, 1, None, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Render(outgoing::RenderFailure::NotNumbered)), "{e}");
        outgoing::act(&s, sec, id, A::Register, "ip").await.unwrap();
        let lines = outgoing::copy_register(&s, sec, id, "ip").await.unwrap().1;
        assert_eq!(lines.iter().map(|l| l.label.as_str()).collect::<Vec<_>>(), ["000001", "000002", "000003"]);
        assert_eq!(states(&lines), ["unprinted"; 3]);

        // The plain PDF is refused: a classified document leaves only as a numbered copy.
        let e = outgoing::pdf(&s, sec, id, "ip").await.unwrap_err();
        assert_eq!(invalid_field(&e), "copy", "{e}");
        // Only the office keeps the register.
        let e = outgoing::copy_register(&s, &o.drafter, id, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Outgoing(OutgoingError::NotOffice)), "{e}");

        let (name, pdf) = outgoing::print_copy(&s, sec, id, 2, None, "ip").await.unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        assert!(name.ends_with("-000002"), "{name}");
        let e = outgoing::print_copy(&s, sec, id, 2, None, "ip").await.unwrap_err();
        assert_eq!(invalid_field(&e), "reason", "a reprint needs a reason: {e}");
        outgoing::print_copy(&s, sec, id, 2, Some("卡纸"), "ip").await.unwrap();
        for n in [0, 4] {
            let e = outgoing::print_copy(&s, sec, id, n, None, "ip").await.unwrap_err();
            assert_eq!(invalid_field(&e), "copy", "copy {n}: {e}");
        }

        let issue = |h: &str| CopyAction::Issue { holder: h.into() };
        outgoing::record_copy(&s, sec, id, 2, issue("教务处"), "ip").await.unwrap();
        let e = outgoing::record_copy(&s, sec, id, 2, issue("财务处"), "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Outgoing(OutgoingError::WrongState("issued"))), "{e}");
        let e = outgoing::record_copy(&s, sec, id, 3, issue("财务处"), "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Outgoing(OutgoingError::WrongState("unprinted"))), "{e}");
        outgoing::record_copy(&s, sec, id, 2, CopyAction::Return, "ip").await.unwrap();
        let e =
            outgoing::record_copy(&s, sec, id, 2, CopyAction::Destroy { reason: " ".into() }, "ip").await.unwrap_err();
        assert_eq!(invalid_field(&e), "reason", "{e}");
        outgoing::record_copy(&s, sec, id, 2, CopyAction::Destroy { reason: "收回销毁".into() }, "ip").await.unwrap();
        let e = outgoing::print_copy(&s, sec, id, 2, Some("再印"), "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Outgoing(OutgoingError::WrongState("destroyed"))), "{e}");

        let lines = outgoing::copy_register(&s, sec, id, "ip").await.unwrap().1;
        assert_eq!(states(&lines), ["unprinted", "destroyed", "unprinted"]);
        let row = lines[1].row.as_ref().unwrap();
        assert_eq!((row.holder.as_str(), row.prints, row.note.as_str()), ("教务处", 2, "收回销毁"));

        let (n,): (i64,) =
            s.db.fetch_one(
                "SELECT COUNT(*) FROM audit_log WHERE subject_id = $1 AND action LIKE 'outgoing.copy_%'",
                args![id.to_string()],
            )
            .await
            .unwrap();
        assert_eq!(n, 5, "printed, reprinted, issued, returned, destroyed");

        // An unclassified document keeps no register.
        let plain = signed(&s, &o).await;
        outgoing::act(&s, sec, plain, A::Register, "ip").await.unwrap();
        assert!(outgoing::copy_register(&s, sec, plain, "ip").await.unwrap().1.is_empty());
        let e = outgoing::print_copy(&s, sec, plain, 1, None, "ip").await.unwrap_err();
        assert_eq!(invalid_field(&e), "copy", "{e}");
    }
}

#[tokio::test]
async fn six_prints_of_one_copy_at_once_print_it_once() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let id = classified(&s, &o).await;
        outgoing::act(&s, &o.secretary, id, A::Register, "ip").await.unwrap();
        let racers: Vec<_> = (0..6)
            .map(|_| {
                let (s, who) = (s.clone(), o.secretary.clone());
                tokio::spawn(async move { outgoing::print_copy(&s, &who, id, 1, None, "ip").await.map(|_| ()) })
            })
            .collect();
        let mut won = 0;
        for r in racers {
            match r.await.unwrap() {
                Ok(()) => won += 1,
                Err(e) => assert_eq!(invalid_field(&e), "reason", "the others see it printed: {e}"),
            }
        }
        assert_eq!(won, 1);
        let lines = outgoing::copy_register(&s, &o.secretary, id, "ip").await.unwrap().1;
        assert_eq!(lines[0].row.as_ref().unwrap().prints, 1);
    }
}

/// T16 residual information: the text of a removed attachment is gone from the SQLite files
/// (database and WAL) once the WAL is checkpointed, not left in a freed cell for anyone who
/// copies the file. PostgreSQL keeps dead tuples until VACUUM (RELIABILITY.md, T16).
#[tokio::test]
async fn a_removed_attachment_leaves_no_trace_in_the_database_files() {
    let t = TestDb::sqlite().await;
    let (s, _) = t.services();
    let o = office(&s).await;
    let id = drafted(&s, &o).await;
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let marker = format!("RESIDUE{nanos:032x}");
    let body = format!("一、内部核对名单\n{marker}\n二、其他");
    let files = || {
        let db = std::fs::read(t.dir.path().join("mishu.db")).unwrap();
        let wal = std::fs::read(t.dir.path().join("mishu.db-wal")).unwrap_or_default();
        [db, wal].iter().filter(|b| b.windows(marker.len()).any(|w| w == marker.as_bytes())).count()
    };
    let checkpoint = || async {
        let (busy, _, _): (i64, i64, i64) = s.db.fetch_one("PRAGMA wal_checkpoint(TRUNCATE)", args![]).await.unwrap();
        assert_eq!(busy, 0, "the checkpoint completed");
    };
    let attachment = outgoing::add_attachment(&s, &o.drafter, id, "内部核对名单", &body, "ip").await.unwrap();
    checkpoint().await;
    assert_eq!(files(), 1, "the marker is stored (so its absence later means something)");
    outgoing::remove_attachment(&s, &o.drafter, id, attachment, "ip").await.unwrap();
    checkpoint().await;
    assert_eq!(files(), 0, "no trace of the removed text in mishu.db or its WAL");
}
