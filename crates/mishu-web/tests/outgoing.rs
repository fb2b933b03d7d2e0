//! Outgoing documents through the pages and the API on each database: draft, version,
//! check, sign-off, number, distribute, receipt; the forms refuse bad input and the wrong
//! people and store nothing; the PDF answers with a clear error until the renderer is in.

mod support;

use mishu_domain::org::Role;
use support::TestApp;

#[tokio::test]
async fn draft_to_receipt_through_the_pages() {
    for app in TestApp::all().await {
        let b = app.backend;
        let o = app.org().await;
        app.person("jwc.head", Some(o.other), &[Role::DepartmentHead]).await;
        let leader = o.leader.0.to_string();
        let other = o.other.0.to_string();
        let draft = vec![
            ("title", "关于做好2027年元旦春节期间有关工作的通知"),
            ("doc_type", "notice"),
            ("prefix", "江职院发"),
            ("signer", leader.as_str()),
            ("main_department", other.as_str()),
            ("copy_external", "某省教育厅"),
            ("intent", "节前部署值班"),
        ];
        let mut drafter = app.client();
        drafter.sign_in("handler").await;
        assert!(drafter.get("/outgoing/new").await.text().contains("draft-form"), "{b}");

        // Bad input: unknown type, title too long, no main recipient, a signer who is no leader.
        let nothing = app.unchanged().await;
        let long = "关于".repeat(30);
        let handler_id = o.handler.0.to_string();
        for (k, v, want) in [
            ("doc_type", "方案", "422 invalid doc_type"),
            ("title", long.as_str(), "422 invalid title"),
            ("main_department", "", "422 invalid recipients"),
            ("signer", handler_id.as_str(), "422 invalid signer"),
        ] {
            let mut f = draft.clone();
            for x in f.iter_mut().filter(|(key, _)| *key == k) {
                x.1 = v;
            }
            nothing.refused(&drafter.post_form("/outgoing", &f).await, want, k).await;
        }

        let r = drafter.post_form("/outgoing", &draft).await;
        assert_eq!(r.status, 303, "{b}: {}", r.text());
        let page = r.location().unwrap().to_string();
        let r = drafter
            .post_form(
                &format!("{page}/versions"),
                &[("body", "各部门：\n一、值班安排\n请于12月25日前报送值班表。"), ("note", "初稿")],
            )
            .await;
        assert_eq!(r.status, 303, "{b}: {}", r.text());
        assert!(drafter.get(&page).await.text().contains("请于12月25日前报送值班表"), "{b}");
        assert_eq!(drafter.post_form(&format!("{page}/submit"), &[]).await.status, 303, "{b}");

        // Only the office checks.
        let nothing = app.unchanged().await;
        nothing
            .refused(
                &drafter.post_form(&format!("{page}/check"), &[("pass", "true")]).await,
                "403 forbidden",
                "drafter checks",
            )
            .await;
        let mut sec = app.client();
        sec.sign_in("secretary").await;
        assert_eq!(sec.post_form(&format!("{page}/check"), &[("pass", "true")]).await.status, 303, "{b}");

        // Sign-off: not by the secretary; by the leader.
        let nothing = app.unchanged().await;
        nothing
            .refused(
                &sec.post_form(&format!("{page}/sign"), &[("approve", "true")]).await,
                "403 not_signer",
                "secretary signs",
            )
            .await;
        let mut lead = app.client();
        lead.sign_in("leader").await;
        assert_eq!(
            lead.post_form(&format!("{page}/sign"), &[("approve", "true"), ("opinion", "同意")]).await.status,
            303,
            "{b}"
        );

        // Number once; twice is a conflict.
        assert_eq!(sec.post_form(&format!("{page}/register"), &[]).await.status, 303, "{b}");
        let nothing = app.unchanged().await;
        nothing.refused(&sec.post_form(&format!("{page}/register"), &[]).await, "409 already_numbered", "twice").await;
        let text = sec.get(&page).await.text();
        assert!(text.contains("江职院发〔2026〕1号") && text.contains("pdf-link"), "{b}");

        // The PDF: a real PDF once the renderer is merged, a clear 503 before.
        let r = sec.get(&format!("{page}/pdf")).await;
        if r.status == 200 {
            assert_eq!(r.header("content-type"), Some("application/pdf"), "{b}");
        } else {
            r.assert_error(503, "pdf_unavailable", b);
        }
        assert!(sec.get(&format!("{page}/slip")).await.text().contains("发文稿纸"), "{b}");
        assert!(sec.get("/outgoing-ledger").await.text().contains("江职院发〔2026〕1号"), "{b}");
        assert_eq!(drafter.get("/outgoing-ledger").await.status, 403, "the ledger is the office's, {b}");

        assert_eq!(sec.post_form(&format!("{page}/distribute"), &[]).await.status, 303, "{b}");
        let mut head = app.client();
        head.sign_in("jwc.head").await;
        let text = head.get(&page).await.text();
        let start = text.find("/receipts/").expect("a receipt form for the department head");
        let receipt: String = text[start + 10..].chars().take_while(char::is_ascii_digit).collect();
        let r = head.post_form(&format!("{page}/receipts/{receipt}"), &[]).await;
        assert_eq!(r.status, 303, "{b}: {}", r.text());
        assert!(head.get(&page).await.text().contains("data-receipt-state=\"confirmed\""), "{b}");
        assert!(head.get("/inbox").await.status == 200, "{b}");
    }
}

#[tokio::test]
async fn the_api_creates_and_moves_a_draft() {
    for app in TestApp::all().await {
        let b = app.backend;
        let o = app.org().await;
        let token = app.token(o.handler).await;
        let mut api = app.api(&token);
        let body = serde_json::json!({
            "title": "关于做好2027年元旦春节期间有关工作的通知",
            "doc_type": "通知",
            "prefix": "江职院发",
            "signer": o.leader.0,
            "recipients": [{"role": "main", "kind": "department", "value": o.other.0.to_string()}],
        });
        let r = api.post_json("/api/v1/outgoing", &body).await;
        assert_eq!(r.status, 201, "{b}: {}", r.text());
        let id = r.json()["document"]["id"].as_i64().unwrap();
        let r = api
            .post_json(
                &format!("/api/v1/outgoing/{id}/versions"),
                &serde_json::json!({"body": "各部门：\n请报送值班表。"}),
            )
            .await;
        assert_eq!(r.status, 200, "{b}: {}", r.text());
        // Attachments and the 附注 while drafting; a name ending in punctuation is refused.
        let attach = format!("/api/v1/outgoing/{id}/attachments");
        let r = api.post_json(&attach, &serde_json::json!({"title": "值班表。"})).await;
        r.assert_error(422, "invalid", b);
        assert_eq!(r.error_field().as_deref(), Some("title"), "{b}");
        let r = api.post_json(&attach, &serde_json::json!({"title": "值班表", "body": "一、值班时间"})).await;
        assert_eq!(r.status, 200, "{b}: {}", r.text());
        let r = api.post_json(&attach, &serde_json::json!({"title": "报名表"})).await;
        let listed = r.json()["attachments"].clone();
        assert_eq!(listed[0]["title"], "值班表", "{b}: {listed}");
        assert_eq!((listed[0]["printed"].as_bool(), listed[1]["printed"].as_bool()), (Some(true), Some(false)), "{b}");
        let gone = listed[1]["id"].as_i64().unwrap();
        let r = api.post_json(&format!("{attach}/{gone}/remove"), &serde_json::json!({})).await;
        assert_eq!(r.json()["attachments"].as_array().map(Vec::len), Some(1), "{b}: {}", r.text());
        let r = api
            .post_json(
                &format!("/api/v1/outgoing/{id}/annotation"),
                &serde_json::json!({"annotation": "（联系人：张敏）"}),
            )
            .await;
        assert_eq!(r.json()["annotation"], "联系人：张敏", "{b}: {}", r.text());
        // The copy register is the office's.
        api.get(&format!("/api/v1/outgoing/{id}/copies")).await.assert_error(403, "forbidden", b);
        let r =
            api.post_json(&format!("/api/v1/outgoing/{id}/actions"), &serde_json::json!({"action": "submit"})).await;
        assert_eq!(r.json()["document"]["state"], "checking", "{b}");
        let mut bad = body.clone();
        bad["doc_type"] = "方案".into();
        let r = api.post_json("/api/v1/outgoing", &bad).await;
        r.assert_error(422, "invalid", b);
        assert_eq!(r.error_field().as_deref(), Some("doc_type"), "{b}");
        let spec = api.get("/api/v1/openapi.json").await.text();
        assert!(spec.contains("/api/v1/outgoing/{id}/actions"), "{b}");
    }
}
