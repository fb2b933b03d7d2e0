//! The archives' printed lists on each database, read back with poppler's `pdftotext` (an
//! independent reader): the archivist's catalogue (归档文件目录) of a year as PDF, linked from
//! the catalogue page, and the year's chronicle (大事记), where an issued 决定 shows up as a
//! candidate the secretary accepts (edited) before it prints. Others are refused.

mod support;

use mishu_domain::leader_tasks::LeaderTaskAction;
use mishu_domain::org::Role;
use mishu_domain::outgoing::{DraftInput, OutgoingAction as OA, RecipientInput};
use mishu_domain::tasks::Urgency;
use mishu_service::leader_tasks::{self, NewLeaderTask};
use mishu_service::{archives, outgoing};
use mishu_testkit::builders;
use support::{Resp, TestApp};

/// The PDF's text as poppler reads it, spaces and line breaks removed.
fn pdf_text(r: &Resp, what: &str) -> String {
    assert_eq!(r.status.as_u16(), 200, "{what}: {}", r.text());
    assert_eq!(r.header("content-type"), Some("application/pdf"), "{what}");
    assert!(r.body.starts_with(b"%PDF"), "{what}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("list.pdf");
    std::fs::write(&path, &r.body).unwrap();
    let out = std::process::Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext (poppler-utils)");
    assert!(out.status.success(), "{what}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().replace([' ', '\n', '\u{c}'], "")
}

#[tokio::test]
async fn the_catalogue_prints_as_pdf_for_the_archivist_only() {
    for app in TestApp::all().await {
        let b = app.backend;
        let o = app.org().await;
        let s = &app.services;
        let archivist = app.person("dangan", Some(o.office), &[Role::Archivist]).await;
        let a = builders::actor(s, archivist).await;
        archives::save_settings(s, &a, "0194", &[], "ip").await.unwrap();
        archives::save_class(s, &a, "BGS", "党政办公室", "ip").await.unwrap();
        let (la, oa) = (builders::actor(s, o.leader).await, builders::actor(s, o.handler).await);
        let new = NewLeaderTask {
            title: "推进智能制造实训室建设".into(),
            body: "年底前完成".into(),
            leader_id: o.leader,
            owner_id: o.handler,
            due_at: app.now().plus_hours(48),
            urgency: Urgency::Normal,
        };
        let task = leader_tasks::give(s, &la, new, "ip").await.unwrap();
        leader_tasks::act(s, &oa, task, LeaderTaskAction::Answer { text: "已完成".into() }, "ip").await.unwrap();
        leader_tasks::act(s, &la, task, LeaderTaskAction::Close, "ip").await.unwrap();
        let req = archives::FileRequest {
            source: archives::FilingSource::LeaderTask(task),
            retention: String::new(),
            class_code: "BGS".into(),
            note: "原件存档".into(),
        };
        archives::file(s, &a, req, "ip").await.unwrap();

        let mut arch = app.client();
        arch.sign_in("dangan").await;
        let page = arch.get("/archives?year=2026").await.text();
        assert!(page.contains("href=\"/archives/catalogue.pdf?year=2026\""), "{b}: linked from the catalogue page");
        let audits = app.audit_count().await;
        let text = pdf_text(&arch.get("/archives/catalogue.pdf?year=2026").await, "catalogue");
        for want in [
            "2026年度归档文件目录",
            "全宗号：0194",
            "序号",
            "档号",
            "文号",
            "责任者",
            "题名",
            "0194-WS·2026-D30-BGS-0001",
            "推进智能制造实训室建设",
            "20261127",
            "原件存档",
        ] {
            assert!(text.contains(want), "{b}: {want} in\n{text}");
        }
        assert_eq!(app.audit_count().await, audits + 1, "{b}: the export is recorded");
        // An empty year prints its headings; a bad year is a 400; others are refused.
        let empty = pdf_text(&arch.get("/archives/catalogue.pdf?year=2025").await, "empty year");
        assert!(empty.contains("2025年度归档文件目录") && !empty.contains("推进智能制造"), "{b}: {empty}");
        assert_eq!(arch.get("/archives/catalogue.pdf?year=abc").await.status, 400, "{b}");
        let mut sec = app.client();
        sec.sign_in("secretary").await;
        let nothing = app.unchanged().await;
        nothing.refused(&sec.get("/archives/catalogue.pdf?year=2026").await, "403 forbidden", "a secretary").await;
    }
}

#[tokio::test]
async fn an_issued_decision_is_accepted_into_the_chronicle_and_prints() {
    for app in TestApp::all().await {
        let b = app.backend;
        let o = app.org().await;
        let s = &app.services;
        app.person("other.head", Some(o.other), &[Role::DepartmentHead]).await;
        let (handler, secretary, leader) = (
            builders::actor(s, o.handler).await,
            builders::actor(s, o.secretary).await,
            builders::actor(s, o.leader).await,
        );
        let title = "关于表彰2026年度先进集体和先进个人的决定";
        let input = DraftInput {
            title: title.into(),
            doc_type: "决定".into(),
            prefix: "江职院发".into(),
            signer: Some(o.leader),
            recipients: vec![RecipientInput::new("main", "department", o.other)],
            ..DraftInput::default()
        };
        let doc = outgoing::create(s, &handler, input, "ip").await.unwrap();
        outgoing::add_version(s, &handler, doc, "各部门：\n经研究，决定表彰先进集体。", "", "ip").await.unwrap();
        outgoing::act(s, &handler, doc, OA::Submit, "ip").await.unwrap();
        outgoing::act(s, &secretary, doc, OA::Check { pass: true, opinion: String::new() }, "ip").await.unwrap();
        outgoing::act(s, &leader, doc, OA::Sign { approve: true, opinion: "同意".into() }, "ip").await.unwrap();
        outgoing::act(s, &secretary, doc, OA::Register, "ip").await.unwrap();
        let mut sec = app.client();
        sec.sign_in("secretary").await;
        assert!(!sec.get("/chronicle?year=2026").await.text().contains(title), "{b}: not issued yet");
        outgoing::act(s, &secretary, doc, OA::Distribute, "ip").await.unwrap();

        // The secretary sees the candidate, worded from the document, and accepts it edited.
        let page = sec.get("/chronicle?year=2026").await.text();
        assert!(page.contains("href=\"/chronicle.pdf?year=2026\""), "{b}: linked from the chronicle page");
        let candidates = page.split("id=\"candidates\"").nth(1).unwrap_or("");
        assert!(candidates.contains(&format!("印发《{title}》（江职院发〔2026〕1号）")), "{b}: {candidates}");
        let entry = candidates.split("/chronicle/").nth(1).and_then(|s| s.split('/').next()).unwrap().to_string();
        let event = "学院印发表彰年度先进集体的决定";
        let accept =
            [("date", "2026-11-27"), ("event", event), ("people", "leader"), ("source", "江职院发〔2026〕1号")];
        let r = sec.post_form(&format!("/chronicle/{entry}/accept"), &accept).await;
        assert_eq!(r.status, 303, "{b}: {}", r.text());
        let page = sec.get("/chronicle?year=2026").await.text();
        assert!(page.split("id=\"candidates\"").nth(1).is_some_and(|c| !c.contains(title)), "{b}: no longer pending");

        // Anyone reads and prints the accepted chronicle; an empty year prints its title.
        let mut other = app.client();
        other.sign_in("other.handler").await;
        let text = pdf_text(&other.get("/chronicle.pdf?year=2026").await, "chronicle");
        for want in ["2026年大事记", "日期", "事件", "2026-11-27", event, "江职院发〔2026〕1号"] {
            assert!(text.contains(want), "{b}: {want} in\n{text}");
        }
        let empty = pdf_text(&other.get("/chronicle.pdf?year=2025").await, "empty year");
        assert!(empty.contains("2025年大事记") && !empty.contains(event), "{b}: {empty}");
        assert_eq!(other.get("/chronicle.pdf?year=x").await.status, 400, "{b}");
    }
}
