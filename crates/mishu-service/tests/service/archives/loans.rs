//! Borrowing on the spine, materials search and the transfer package.

use super::*;
use mishu_domain::archives::BorrowAction as B;
use mishu_domain::archives::BorrowState;
use mishu_domain::tasks::InboxBox;
use mishu_service::archives::{borrowing, export, materials};
use mishu_service::{ServiceError, tasks};
use mishu_testkit::TestDb;
use std::io::Read;

#[tokio::test]
async fn a_loan_is_approved_chased_and_returned() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let b = t.backend;
        let task = closed_leader_task(&s, &o, "梳理实训室建设方案").await;
        let item =
            archives::file(&s, &o.archivist, req(FilingSource::LeaderTask(task), "D30", "JWC"), "ip").await.unwrap();
        let code = archives::item(&s, &o.archivist, item).await.unwrap().item.archive_code;
        assert!(matches!(archives::item(&s, &o.handler, item).await, Err(ServiceError::NotFound)), "{b}");
        let e = borrowing::request(&s, &o.handler, "0194-WS·2026-D30-JWC-0099", "查阅", "ip").await.unwrap_err();
        assert!(e.to_string().starts_with("archive_code:"), "{b}: {e}");
        let id = borrowing::request(&s, &o.handler, &code, "编写实训室建设总结", "ip").await.unwrap();
        let inbox = tasks::inbox(&s, &o.archivist, InboxBox::ToDo, 10).await.unwrap();
        assert!(inbox.iter().any(|i| i.task.domain == "archive_borrowing" && i.task.kind == "approve"), "{b}");
        // The borrower cannot approve their own loan; a date out of range is refused.
        let soon: chrono::NaiveDate = "2026-12-11".parse().unwrap();
        assert!(borrowing::act(&s, &o.handler, id, B::Approve { return_by: soon }, "ip").await.is_err());
        let far: chrono::NaiveDate = "2027-12-31".parse().unwrap();
        let e = borrowing::act(&s, &o.archivist, id, B::Approve { return_by: far }, "ip").await.unwrap_err();
        assert!(e.to_string().starts_with("return_by:"), "{b}: {e}");
        assert_eq!(
            borrowing::act(&s, &o.archivist, id, B::Approve { return_by: soon }, "ip").await.unwrap(),
            BorrowState::Lent
        );
        let due = tasks::inbox(&s, &o.handler, InboxBox::ToDo, 10).await.unwrap();
        let chase = due.iter().find(|i| i.task.domain == "archive_borrowing").expect("return task");
        assert!(chase.task.due_at.is_some(), "{b}: the return date is chased");
        assert!(archives::item(&s, &o.handler, item).await.is_ok(), "{b}: the borrower reads it while lent");
        assert_eq!(borrowing::act(&s, &o.archivist, id, B::Return, "ip").await.unwrap(), BorrowState::Returned);
        assert!(matches!(archives::item(&s, &o.handler, item).await, Err(ServiceError::NotFound)), "{b}");
        assert!(
            tasks::inbox(&s, &o.handler, InboxBox::ToDo, 10)
                .await
                .unwrap()
                .iter()
                .all(|i| i.task.domain != "archive_borrowing")
        );
        assert_eq!(borrowing::list(&s, &o.handler).await.unwrap().len(), 1);
    }
}

#[tokio::test]
async fn materials_are_found_by_title_and_tag() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let b = t.backend;
        let m = materials::add(
            &s,
            &o.handler,
            "某省教育厅2026年工作要点",
            "招生，职业教育",
            "某省教育厅",
            "https://example.org/a",
            "",
            "ip",
        )
        .await
        .unwrap();
        materials::add(&s, &o.secretary, "安全生产检查表", "安全生产", "", "", "", "ip").await.unwrap();
        assert_eq!(materials::search(&s, &o.secretary, "工作要点").await.unwrap().len(), 1, "{b}");
        assert_eq!(materials::search(&s, &o.secretary, "招生").await.unwrap().len(), 1, "{b}");
        assert_eq!(materials::search(&s, &o.secretary, "").await.unwrap().len(), 2, "{b}");
        assert_eq!(materials::search(&s, &o.secretary, "%").await.unwrap().len(), 0, "{b}: wildcards are literal");
        assert!(materials::search(&s, &o.secretary, &"长".repeat(101)).await.is_err());
        let e = materials::add(&s, &o.handler, "x", "", "", "javascript:alert(1)", "", "ip").await.unwrap_err();
        assert!(e.to_string().starts_with("link:"), "{b}: {e}");
        let entry = materials::as_draft_entry(&s, &o.secretary, m).await.unwrap();
        assert_eq!((entry.title.as_str(), entry.source.as_str()), ("某省教育厅2026年工作要点", "某省教育厅"));
    }
}

#[tokio::test]
async fn the_transfer_package_holds_files_and_metadata() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let task = closed_leader_task(&s, &o, "梳理实训室建设方案").await;
        archives::file(&s, &o.archivist, req(FilingSource::LeaderTask(task), "D30", "JWC"), "ip").await.unwrap();
        let bytes = export::package(&s, &o.archivist, 2026, "ip").await.unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        zip.by_name("metadata.xml").unwrap().read_to_string(&mut xml).unwrap();
        assert!(xml.contains("<archive_code name=\"档号\">0194-WS·2026-D30-JWC-0001</archive_code>"), "{xml}");
        let mut csv = String::new();
        zip.by_name("metadata.csv").unwrap().read_to_string(&mut csv).unwrap();
        assert!(csv.contains("0194-WS·2026-D30-JWC-0001"), "{}", t.backend);
        assert!(zip.by_name("files/0194-WS·2026-D30-JWC-0001/办理情况.txt").is_ok());
        assert!(matches!(export::package(&s, &o.secretary, 2026, "ip").await, Err(ServiceError::Forbidden)));
    }
}
