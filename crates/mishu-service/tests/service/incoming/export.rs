//! The register as XLSX: the filters apply, only documents the person may see, the handling
//! departments named, and the export audited.

use super::*;
use calamine::{Reader, Xlsx};
use std::io::Cursor;

fn rows(bytes: Vec<u8>) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let range = book.worksheet_range("incoming.export.sheet").unwrap();
    range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
}

#[tokio::test]
async fn the_register_as_the_reader_may_see_it() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let b = t.backend;
        let now = s.clock.now();
        let id = incoming::register(&s, &o.secretary, request(now), "ip").await.unwrap().id;
        let plan = A::Propose {
            opinion: "拟请教务处办理。".into(),
            submission: SubmissionKind::ForReading,
            leaders: vec![],
            parallel: false,
        };
        incoming::act(&s, &o.secretary, id, plan, "ip").await.unwrap();
        let to = incoming::assignments(&s, &[(o.jwc, now.plus_hours(48))]).await.unwrap();
        incoming::act(&s, &o.secretary, id, A::Assign { assignments: to }, "ip").await.unwrap();
        let mut secret = request(now);
        (secret.classification, secret.secrecy_period, secret.copy_no, secret.title) =
            ("机密".into(), "10年".into(), "0001".into(), "密件".into());
        incoming::register(&s, &o.secretary, secret, "ip").await.unwrap();
        let words = |k: &str| k.to_string();

        let all =
            rows(incoming::export_register(&s, &o.secretary, &IncomingFilter::default(), &words, "ip").await.unwrap());
        assert_eq!(all.len(), 3, "{b}: headings and two documents");
        assert_eq!(all[0][0], "incoming.export.reg_no");
        assert_eq!(all[0].len(), 13);
        let first = all.iter().find(|r| r[4] == "关于增设工业机器人实训室的请示").unwrap();
        assert_eq!(first[11], "教务处", "{b}: handling department");
        assert_eq!(first[10], "incoming.state.assigned");

        let theirs = rows(
            incoming::export_register(&s, &o.office_head, &IncomingFilter::default(), &words, "ip").await.unwrap(),
        );
        assert_eq!(theirs.len(), 2, "{b}: the classified one is left out for someone not on its route");
        let filter = IncomingFilter { state: Some("registered".into()), ..Default::default() };
        let filtered = rows(incoming::export_register(&s, &o.secretary, &filter, &words, "ip").await.unwrap());
        assert_eq!(filtered.len(), 2, "{b}: the filter applies");
        let (n,): (i64,) =
            s.db.fetch_one("SELECT COUNT(*) FROM audit_log WHERE action = 'incoming.register_exported'", args![])
                .await
                .unwrap();
        assert_eq!(n, 3, "{b}: every export is audited");
    }
}
