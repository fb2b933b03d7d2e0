//! Seals through the pages on each database: the office head registers a seal, a department
//! applies, its head signs, the supervising leader approves, the keeper stamps and the log
//! shows it; bad input and the wrong people are refused and store nothing.

mod support;

use mishu_domain::org::Role;
use mishu_domain::outgoing::{DraftInput, OutgoingAction as OA, RecipientInput};
use mishu_domain::seals::SealInput;
use mishu_domain::{OutgoingId, PersonId, SealId};
use mishu_service::audit::Origin;
use mishu_service::seals::{self, NewSeal, esign};
use mishu_service::{org, outgoing};
use mishu_testkit::builders;
use support::TestApp;

#[tokio::test]
async fn apply_sign_approve_stamp_through_the_pages() {
    for app in TestApp::all().await {
        let b = app.backend;
        let o = app.org().await;
        app.person("zhuren", Some(o.office), &[Role::OfficeHead]).await;
        let keeper = app.person("keeper", Some(o.office), &[Role::SealKeeper]).await;
        app.person("jwc.head", Some(o.other), &[Role::DepartmentHead]).await;
        org::set_supervision(&app.services, &Origin::system(), o.leader, &[o.other], &[]).await.unwrap();

        let mut head = app.client();
        head.sign_in("zhuren").await;
        let keeper_id = keeper.0.to_string();
        let seal = [
            ("name", "江北职业技术学院"),
            ("kind", "administration"),
            ("issuer", "某省教育厅"),
            ("keeper", keeper_id.as_str()),
        ];
        let mut sec = app.client();
        sec.sign_in("secretary").await;
        let nothing = app.unchanged().await;
        nothing.refused(&sec.post_form("/seals", &seal).await, "403 forbidden", "a secretary registers").await;
        let mut bad = seal.to_vec();
        bad[1] = ("kind", "round");
        nothing.refused(&head.post_form("/seals", &bad).await, "422 invalid kind", "unknown kind").await;
        let r = head.post_form("/seals", &seal).await;
        assert_eq!(r.status, 303, "{b}: {}", r.text());
        let seal_id = r.location().unwrap().trim_start_matches("/seals/").to_string();
        assert!(head.get("/seals").await.text().contains("江北职业技术学院"), "{b}");

        let mut applicant = app.client();
        applicant.sign_in("other.handler").await;
        let form = |copies: &'static str| {
            vec![
                ("seal", seal_id.clone()),
                ("document_title", "顶岗实习协议".to_string()),
                ("purpose", "与企业签订".to_string()),
                ("copies", copies.to_string()),
            ]
        };
        let nothing = app.unchanged().await;
        for (copies, want) in [("0", "422 invalid copies"), ("abc", "422 invalid copies")] {
            let f = form(copies);
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            nothing.refused(&applicant.post_form("/seals/applications", &f).await, want, copies).await;
        }
        let f = form("2");
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = applicant.post_form("/seals/applications", &f).await;
        assert_eq!(r.status, 303, "{b}: {}", r.text());
        let page = r.location().unwrap().to_string();
        assert!(applicant.get(&page).await.text().contains("顶岗实习协议"), "{b}");

        // Missing both signatures: the keeper cannot even see it, let alone stamp.
        let mut k = app.client();
        k.sign_in("keeper").await;
        let nothing = app.unchanged().await;
        nothing
            .refused(&k.post_form(&format!("{page}/stamp"), &[("copies", "2")]).await, "404 not_found", "early")
            .await;
        let mut jwc = app.client();
        jwc.sign_in("jwc.head").await;
        assert_eq!(jwc.post_form(&format!("{page}/sign"), &[]).await.status, 303, "{b}");
        // Missing the second signature: still nothing to stamp.
        let nothing = app.unchanged().await;
        nothing.refused(&k.post_form(&format!("{page}/stamp"), &[("copies", "2")]).await, "404 not_found", "one").await;
        let mut leader = app.client();
        leader.sign_in("leader").await;
        assert_eq!(leader.post_form(&format!("{page}/approve"), &[]).await.status, 303, "{b}");
        assert_eq!(k.post_form(&format!("{page}/stamp"), &[("copies", "2")]).await.status, 303, "{b}");
        let nothing = app.unchanged().await;
        let twice = k.post_form(&format!("{page}/stamp"), &[("copies", "2")]).await;
        nothing.refused(&twice, "409 wrong_state", "stamped twice").await;

        let log = k.get("/seals/log").await;
        assert_eq!(log.status, 200, "{b}");
        assert!(log.text().contains("顶岗实习协议"), "{b}: the keeper's log");
        assert_eq!(applicant.get("/seals/log").await.status, 403, "{b}");
        let token = app.token(o.other_handler).await;
        let mine = app.api(&token).get("/api/v1/seal-applications").await.json();
        assert_eq!(mine[0]["state"], "stamped", "{b}");

        let r = head
            .post_form(
                &format!("/seals/{seal_id}/decommission"),
                &[("reason", "学院更名"), ("authority", "某省教育厅"), ("disposal", "sealed_up")],
            )
            .await;
        assert_eq!(r.status, 303, "{b}");
        let f = form("1");
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let nothing = app.unchanged().await;
        let r = applicant.post_form("/seals/applications", &f).await;
        nothing.refused(&r, "409 decommissioned", "a decommissioned seal").await;
    }
}

/// The organ of the page tests with a seal kept by `keeper` that has an electronic seal, and a
/// registered outgoing document drafted in 教务处 by `other.handler`; returns that drafter, the
/// seal and the document.
async fn sealed_organ(app: &TestApp) -> (PersonId, SealId, OutgoingId) {
    let o = app.org().await;
    let head = app.person("zhuren", Some(o.office), &[Role::OfficeHead]).await;
    let keeper = app.person("keeper", Some(o.office), &[Role::SealKeeper]).await;
    app.person("jwc.head", Some(o.other), &[Role::DepartmentHead]).await;
    let s = &app.services;
    org::set_supervision(s, &Origin::system(), o.leader, &[o.other], &[]).await.unwrap();
    let actor = |id: PersonId| builders::actor(s, id);
    let office_head = actor(head).await;
    let input = SealInput {
        name: "江北职业技术学院".into(),
        kind: "administration".into(),
        diameter_mm: String::new(),
        issuer: "某省教育厅".into(),
    };
    let n = NewSeal { input, department_id: None, keeper_id: keeper };
    let seal = seals::register(s, &office_head, n, "ip").await.unwrap();
    esign::create(s, &office_head, seal, "ip").await.unwrap();
    let drafter = actor(o.other_handler).await;
    let draft = DraftInput {
        title: "关于做好2027年元旦春节期间有关工作的通知".into(),
        doc_type: "通知".into(),
        prefix: "江职院发".into(),
        intent: "节前完成安全检查。".into(),
        signer: Some(o.leader),
        recipients: vec![RecipientInput::new("main", "external", "各二级学院")],
        ..DraftInput::default()
    };
    let doc = outgoing::create(s, &drafter, draft, "ip").await.unwrap();
    let body = "各部门：\n一、总体要求\n各部门要高度重视节日期间的安全工作。\n二、值班安排\n请于12月25日前将值班表报党政办公室。";
    outgoing::add_version(s, &drafter, doc, body, "初稿", "ip").await.unwrap();
    outgoing::act(s, &drafter, doc, OA::Submit, "ip").await.unwrap();
    let secretary = actor(o.secretary).await;
    outgoing::act(s, &secretary, doc, OA::Check { pass: true, opinion: "格式规范".into() }, "ip").await.unwrap();
    let leader = actor(o.leader).await;
    outgoing::act(s, &leader, doc, OA::Sign { approve: true, opinion: "同意".into() }, "ip").await.unwrap();
    outgoing::act(s, &secretary, doc, OA::Register, "ip").await.unwrap();
    (o.other_handler, seal, doc)
}

#[tokio::test]
async fn an_outgoing_document_is_named_sealed_and_verified_through_the_pages_and_the_api() {
    for app in TestApp::all().await {
        let b = app.backend;
        let (drafter, seal, doc) = sealed_organ(&app).await;
        let (seal_id, doc_id) = (seal.0.to_string(), doc.0.to_string());
        let mut applicant = app.client();
        applicant.sign_in("other.handler").await;
        let list = applicant.get("/seals/applications").await.text();
        assert!(list.contains(&format!(r#"<option value="{doc_id}">"#)), "{b}: the document is offered:\n{list}");

        let form = |outgoing: &str| {
            vec![
                ("seal", seal_id.clone()),
                ("purpose", "报送".to_string()),
                ("copies", "2".to_string()),
                ("outgoing_id", outgoing.to_string()),
            ]
        };
        let token = app.token(drafter).await;
        let mut api = app.api(&token);
        let nothing = app.unchanged().await;
        for (bad, want) in [("abc", "400 invalid outgoing_id"), ("99999", "422 invalid outgoing_id")] {
            let f = form(bad);
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            nothing.refused(&applicant.post_form("/seals/applications", &f).await, want, bad).await;
        }
        let unknown = serde_json::json!({"seal_id": seal.0, "purpose": "报送", "copies": 1, "outgoing_id": 99999});
        nothing
            .refused(&api.post_json("/api/v1/seal-applications", &unknown).await, "422 invalid outgoing_id", "api")
            .await;
        let ok = serde_json::json!({"seal_id": seal.0, "purpose": "报送", "copies": 2, "outgoing_id": doc.0});
        let r = api.post_json("/api/v1/seal-applications", &ok).await;
        assert_eq!(r.status, 201, "{b}: {}", r.text());
        assert_eq!(r.json()["outgoing_id"], doc.0, "{b}");
        assert!(r.json()["document_title"].as_str().unwrap().contains("江职院发"), "{b}: {}", r.text());

        let f = form(&doc_id);
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = applicant.post_form("/seals/applications", &f).await;
        assert_eq!(r.status, 303, "{b}: {}", r.text());
        let page = r.location().unwrap().to_string();
        let shown = applicant.get(&page).await.text();
        assert!(shown.contains(&format!(r#"href="/outgoing/{doc_id}""#)), "{b}: linked:\n{shown}");

        let mut jwc = app.client();
        jwc.sign_in("jwc.head").await;
        assert_eq!(jwc.post_form(&format!("{page}/sign"), &[]).await.status, 303, "{b}");
        let mut leader = app.client();
        leader.sign_in("leader").await;
        assert_eq!(leader.post_form(&format!("{page}/approve"), &[]).await.status, 303, "{b}");
        let mut k = app.client();
        k.sign_in("keeper").await;
        let before = k.get(&page).await.text();
        assert!(before.contains("esign-outgoing"), "{b}: the keeper is offered the document, not an upload");
        let r = k.post_form(&format!("{page}/esign-outgoing"), &[]).await;
        assert_eq!(r.status, 303, "{b}: {}", r.text());
        let sealed = k.get(&format!("{page}/sealed.pdf")).await;
        assert_eq!(sealed.status, 200, "{b}");
        assert!(sealed.body.starts_with(b"%PDF"), "{b}");

        // The verify page and the API say intact; one byte changed, not intact.
        let v = api.post_body("/api/v1/seals/verify", "application/pdf", sealed.body.clone(), &[]).await.json();
        assert_eq!(v["intact"], true, "{b}: {v}");
        let mut forged = sealed.body.clone();
        forged[20] ^= 1;
        let v = api.post_body("/api/v1/seals/verify", "application/pdf", forged, &[]).await.json();
        assert_eq!(
            (v["intact"].clone(), v["failure"].clone()),
            (serde_json::json!(false), serde_json::json!("digest")),
            "{b}"
        );

        // The document's page links its sealed copy for whoever reads the document.
        let id = page.rsplit('/').next().unwrap();
        let doc_page = applicant.get(&format!("/outgoing/{doc_id}")).await.text();
        let link = format!("/outgoing/{doc_id}/sealed/{id}");
        assert!(doc_page.contains(&link), "{b}: the sealed copy is linked:\n{doc_page}");
        let copy = applicant.get(&link).await;
        assert_eq!((copy.status.as_u16(), copy.body == sealed.body), (200, true), "{b}");
    }
}

#[tokio::test]
async fn the_usage_report_is_the_office_heads() {
    for app in TestApp::all().await {
        let b = app.backend;
        sealed_organ(&app).await;
        let mut head = app.client();
        head.sign_in("zhuren").await;
        let r = head.get("/seals/report").await;
        assert_eq!(r.status, 200, "{b}: {}", r.text());
        assert!(r.text().contains(r#"id="per-seal""#) && r.text().contains("江北职业技术学院"), "{b}");
        assert!(r.text().contains(r#"id="no-findings""#), "{b}");
        let x = head.get("/seals/report.xlsx?from=2026-11-01&to=2026-11-30").await;
        assert_eq!(x.status, 200, "{b}");
        assert!(x.body.starts_with(b"PK"), "{b}");
        let bad = head.get("/seals/report?from=2026-11-30&to=2026-11-01").await;
        bad.assert_error(422, "invalid", "to before from");
        assert_eq!(bad.error_field().as_deref(), Some("to"), "{b}");
        for login in ["keeper", "secretary", "other.handler"] {
            let mut c = app.client();
            c.sign_in(login).await;
            assert_eq!(c.get("/seals/report").await.status, 403, "{b}: {login}");
        }
    }
}
