//! Archives through the pages and the API on each database: the archivist files a closed
//! item and sees it in the catalogue, the XLSX and the item's 归档章; other people are
//! refused; bad input stores nothing; the secretary accepts a chronicle candidate; anyone
//! adds and finds materials; an issued outgoing document is offered and filed from the
//! filing page, an unissued one refused.

mod support;

use mishu_domain::leader_tasks::LeaderTaskAction;
use mishu_domain::org::Role;
use mishu_domain::outgoing::{DraftInput, OutgoingAction as OA, RecipientInput};
use mishu_domain::tasks::Urgency;
use mishu_domain::{LeaderTaskId, PersonId};
use mishu_service::leader_tasks::{self, NewLeaderTask};
use mishu_service::{archives, outgoing};
use mishu_testkit::builders;
use support::TestApp;

async fn closed_task(app: &TestApp, leader: PersonId, owner: PersonId) -> LeaderTaskId {
    let s = &app.services;
    let (la, oa) = (builders::actor(s, leader).await, builders::actor(s, owner).await);
    let new = NewLeaderTask {
        title: "推进智能制造实训室建设".into(),
        body: "年底前完成".into(),
        leader_id: leader,
        owner_id: owner,
        due_at: app.now().plus_hours(48),
        urgency: Urgency::Normal,
    };
    let id = leader_tasks::give(s, &la, new, "ip").await.unwrap();
    leader_tasks::act(s, &oa, id, LeaderTaskAction::Answer { text: "已完成设备采购".into() }, "ip").await.unwrap();
    leader_tasks::act(s, &la, id, LeaderTaskAction::Close, "ip").await.unwrap();
    id
}

#[tokio::test]
async fn the_archivist_files_an_item_and_sees_it_in_the_catalogue() {
    for app in TestApp::all().await {
        let b = app.backend;
        let o = app.org().await;
        let archivist = app.person("dangan", Some(o.office), &[Role::Archivist]).await;
        let task = closed_task(&app, o.leader, o.handler).await;
        let a = builders::actor(&app.services, archivist).await;
        archives::save_class(&app.services, &a, "BGS", "党政办公室", "ip").await.unwrap();

        let mut arch = app.client();
        arch.sign_in("dangan").await;
        let mut sec = app.client();
        sec.sign_in("secretary").await;
        let id = task.0.to_string();
        let form = |retention: &'static str| {
            vec![("kind", "leader_task"), ("id", id.as_str()), ("retention", retention), ("class_code", "BGS")]
        };
        let nothing = app.unchanged().await;
        nothing.refused(&sec.post_form("/archives/file", &form("")).await, "403 forbidden", "a secretary files").await;
        nothing.refused(&arch.post_form("/archives/file", &form("D20")).await, "422 invalid retention", "D20").await;
        let mut bad_class = form("");
        bad_class[3] = ("class_code", "XYZ");
        nothing.refused(&arch.post_form("/archives/file", &bad_class).await, "422 invalid class_code", "class").await;
        assert_eq!(sec.get("/archives").await.status, 403, "{b}");

        let r = arch.post_form("/archives/file", &form("")).await;
        assert_eq!(r.status, 303, "{b}: {}", r.text());
        let item = r.location().unwrap().to_string();
        assert!(item.starts_with("/archives/items/"), "{b}: {item}");
        let page = arch.get(&item).await.text();
        assert!(page.contains("WS·2026-D30-BGS-0001") && page.contains("archive-stamp"), "{b}");
        let cat = arch.get("/archives?year=2026").await.text();
        assert!(cat.contains("WS·2026-D30-BGS-0001") && cat.contains("20261127"), "{b}");
        let x = arch.get("/archives/catalogue.xlsx?year=2026").await;
        assert_eq!(x.status, 200, "{b}");
        assert!(x.header("content-type").unwrap().contains("spreadsheetml"));
        let z = arch.get("/archives/package.zip?year=2026").await;
        assert_eq!((z.status.as_u16(), z.header("content-type")), (200, Some("application/zip")), "{b}");
        assert_eq!(arch.get("/archives?year=abc").await.status, 400, "{b}");
        // Filing twice is a conflict; the item is not readable by others (like missing).
        let again = arch.post_form("/archives/file", &form("")).await;
        again.assert_error(409, "already_filed", b);
        assert_eq!(sec.get(&item).await.status, 404, "{b}");

        // The API lists the catalogue for the archivist.
        let token = app.token(archivist).await;
        let list = app.api(&token).get("/api/v1/archives/items?year=2026").await.json();
        assert_eq!(list[0]["archive_code"], "WS·2026-D30-BGS-0001", "{b}");
        let sec_token = app.token(o.secretary).await;
        assert_eq!(app.api(&sec_token).get("/api/v1/archives/items").await.status, 403);
    }
}

#[tokio::test]
async fn an_issued_outgoing_document_is_filed_from_the_filing_page() {
    for app in TestApp::all().await {
        let b = app.backend;
        let o = app.org().await;
        let s = &app.services;
        let archivist = app.person("dangan", Some(o.office), &[Role::Archivist]).await;
        app.person("other.head", Some(o.other), &[Role::DepartmentHead]).await;
        let (handler, secretary, leader) = (
            builders::actor(s, o.handler).await,
            builders::actor(s, o.secretary).await,
            builders::actor(s, o.leader).await,
        );
        let input = DraftInput {
            title: "关于做好2027年元旦春节期间有关工作的通知".into(),
            doc_type: "通知".into(),
            prefix: "江职院发".into(),
            signer: Some(o.leader),
            recipients: vec![RecipientInput::new("main", "department", o.other)],
            ..DraftInput::default()
        };
        let doc = outgoing::create(s, &handler, input, "ip").await.unwrap();
        outgoing::add_version(s, &handler, doc, "各部门：\n请于12月25日前报送值班表。", "", "ip").await.unwrap();
        outgoing::act(s, &handler, doc, OA::Submit, "ip").await.unwrap();
        outgoing::act(s, &secretary, doc, OA::Check { pass: true, opinion: String::new() }, "ip").await.unwrap();
        outgoing::act(s, &leader, doc, OA::Sign { approve: true, opinion: "同意".into() }, "ip").await.unwrap();
        outgoing::act(s, &secretary, doc, OA::Register, "ip").await.unwrap();

        let mut arch = app.client();
        arch.sign_in("dangan").await;
        let id = doc.0.to_string();
        let form = vec![("kind", "outgoing"), ("id", id.as_str()), ("retention", ""), ("class_code", "")];
        // Registered, not yet distributed: not offered, and refused naming `source`.
        assert!(!arch.get("/archives/file").await.text().contains("元旦春节"), "{b}");
        let nothing = app.unchanged().await;
        nothing.refused(&arch.post_form("/archives/file", &form).await, "422 invalid source", "not issued").await;

        outgoing::act(s, &secretary, doc, OA::Distribute, "ip").await.unwrap();
        let page = arch.get("/archives/file").await.text();
        assert!(page.contains("元旦春节") && page.contains(">发文</td>"), "{b}: offered with its label");
        let r = arch.post_form("/archives/file", &form).await;
        assert_eq!(r.status, 303, "{b}: {}", r.text());
        let item = r.location().unwrap().to_string();
        let page = arch.get(&item).await.text();
        assert!(page.contains("WS·2026-D10-0001") && page.contains("江职院发〔2026〕1号"), "{b}: {page}");
        assert!(page.contains("江职院发〔2026〕1号.pdf") && page.contains("定稿.txt"), "{b}");
        arch.post_form("/archives/file", &form).await.assert_error(409, "already_filed", b);

        // Through the API too: the same refusal.
        let token = app.token(archivist).await;
        let body = serde_json::json!({"kind": "outgoing", "id": doc.0});
        app.api(&token).post_json("/api/v1/archives/items", &body).await.assert_error(409, "already_filed", b);
    }
}

#[tokio::test]
async fn the_secretary_accepts_a_chronicle_candidate_and_anyone_keeps_materials() {
    for app in TestApp::all().await {
        let b = app.backend;
        let o = app.org().await;
        closed_task(&app, o.leader, o.handler).await;
        let mut sec = app.client();
        sec.sign_in("secretary").await;
        let page = sec.get("/chronicle?year=2026").await.text();
        assert!(page.contains("推进智能制造实训室建设"), "{b}: the closed task is a candidate");
        let entry = page.split("/chronicle/").nth(1).and_then(|s| s.split('/').next()).unwrap().to_string();
        let accept = [("date", "2026-11-27"), ("event", "智能制造实训室建成"), ("people", "leader"), ("source", "")];
        let mut other = app.client();
        other.sign_in("other.handler").await;
        let nothing = app.unchanged().await;
        let path = format!("/chronicle/{entry}/accept");
        nothing.refused(&other.post_form(&path, &accept).await, "403 forbidden", "a handler accepts").await;
        let bad = [("date", "2026-02-30"), ("event", "x"), ("people", ""), ("source", "")];
        nothing.refused(&sec.post_form(&path, &bad).await, "422 invalid date", "bad date").await;
        assert_eq!(sec.post_form(&path, &accept).await.status, 303, "{b}");
        let seen = other.get("/chronicle?year=2026").await.text();
        assert!(seen.contains("智能制造实训室建成"), "{b}: everyone reads the accepted chronicle");
        assert!(!seen.contains("candidates"), "{b}: but not the candidates");

        let m =
            [("title", "某省教育厅2026年工作要点"), ("tags", "招生，职业教育"), ("source", "某省教育厅"), ("link", "")];
        assert_eq!(other.post_form("/materials", &m).await.status, 303, "{b}");
        let bad = [("title", "x"), ("tags", ""), ("source", ""), ("link", "javascript:alert(1)")];
        app.unchanged().await.refused(&other.post_form("/materials", &bad).await, "422 invalid link", "link").await;
        assert!(sec.get("/materials?q=招生").await.text().contains("工作要点"), "{b}");
        assert!(!sec.get("/materials?q=安全").await.text().contains("工作要点"), "{b}");
    }
}
