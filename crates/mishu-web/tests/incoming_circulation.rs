//! Circulation over HTTP: the office circulates, the reader opens the document from the
//! circulation alone and marks it read, the office sees read / not yet per reader, and a
//! reader cannot circulate.

mod support;

use support::TestApp;

#[tokio::test]
async fn circulate_read_and_see_who_read() {
    for app in TestApp::all().await {
        let org = app.org().await;
        let b = app.backend;
        let mut sec = app.client();
        sec.sign_in("secretary").await;
        let fields = [("sender_organ", "某省教育厅"), ("title", "关于做好节日期间工作的通知"), ("doc_type", "通知")];
        let r = sec.post_form("/incoming", &fields).await;
        assert_eq!(r.status.as_u16(), 303, "{b}: {}", r.text());
        let page = r.location().unwrap().split('?').next().unwrap().to_string();
        let mut reader = app.client();
        reader.sign_in("handler").await;
        assert_eq!(reader.get(&page).await.status.as_u16(), 404, "{b}: not circulated yet");

        let handler = org.handler.0.to_string();
        let r = sec
            .post_form(&format!("{page}/circulate"), &[("reader", &handler), ("must_read", "1"), ("note", "请阅")])
            .await;
        assert_eq!(r.status.as_u16(), 303, "{b}: {}", r.text());
        let html = sec.get(&page).await.text();
        assert!(html.contains(&format!("data-reader=\"{handler}\" data-read-state=\"open\"")), "{b}: not yet");

        let html = reader.get(&page).await.text();
        assert!(html.contains("circulation-read-form"), "{b}: the reader gets the read button");
        let r = reader.post_form(&format!("{page}/circulate"), &[("reader", &handler)]).await;
        assert_eq!(r.status.as_u16(), 403, "{b}: only the office circulates");
        let r = reader.post_form(&format!("{page}/circulation/read"), &[]).await;
        assert_eq!(r.status.as_u16(), 303, "{b}: {}", r.text());
        let html = sec.get(&page).await.text();
        assert!(html.contains(&format!("data-reader=\"{handler}\" data-read-state=\"done\"")), "{b}: read");

        let r = sec.post_form(&format!("{page}/circulate"), &[("reader", "abc")]).await;
        assert_eq!((r.status.as_u16(), r.error_field().as_deref()), (400, Some("readers")), "{b}");
    }
}

/// The picker never lists all staff: before a search it shows the leaders; a search by name
/// or department shows those matches (also as a fragment for the script); a whole department
/// can be ticked, and the page says how many copies went out.
#[tokio::test]
async fn the_picker_searches_and_a_whole_department_gets_copies() {
    for app in TestApp::all().await {
        let org = app.org().await;
        let b = app.backend;
        let mut sec = app.client();
        sec.sign_in("secretary").await;
        let fields = [("sender_organ", "某省教育厅"), ("title", "关于开展安全检查的通知"), ("doc_type", "通知")];
        let page = sec.post_form("/incoming", &fields).await.location().unwrap().split('?').next().unwrap().to_string();
        let boxes = |html: &str| html.matches("name=\"reader\" value=").count();

        let html = sec.get(&page).await.text();
        assert!(html.contains(&format!("name=\"reader\" value=\"{}\"", org.leader.0)), "{b}: the leaders by default");
        assert_eq!(boxes(&html), 1, "{b}: only the leaders before a search");
        let html = sec.get(&format!("{page}?in={}", org.other.0)).await.text();
        assert!(html.contains(&format!("name=\"reader\" value=\"{}\"", org.other_handler.0)), "{b}");
        assert_eq!(boxes(&html), 1, "{b}: the department's staff only");
        let html = sec.get(&format!("{page}?who=HANDLER")).await.text();
        assert_eq!(boxes(&html), 2, "{b}: handler and other.handler, whatever the case");
        let r = sec.get(&format!("{page}?in=x")).await;
        assert_eq!((r.status.as_u16(), r.error_field().as_deref()), (400, Some("in")), "{b}");

        let r = sec.get("/people/pick?field=reader&who=other").await;
        assert_eq!(r.status.as_u16(), 200, "{b}");
        assert_eq!(boxes(&r.text()), 1, "{b}: the fragment has the matches: {}", r.text());
        assert!(!r.text().contains("<html"), "{b}: a fragment, not a page");
        let r = sec.get("/people/pick?field=x%22%3E%3Cscript%3E&who=other").await;
        assert_eq!((r.status.as_u16(), r.error_field().as_deref()), (400, Some("field")), "{b}");

        let dept = org.other.0.to_string();
        let r = sec.post_form(&format!("{page}/circulate"), &[("dept", dept.as_str()), ("must_read", "1")]).await;
        assert_eq!(r.status.as_u16(), 303, "{b}: {}", r.text());
        let next = r.location().unwrap();
        assert!(next.contains("circulated=1"), "{b}: {next}");
        let html = sec.get(next.split('#').next().unwrap()).await.text();
        assert!(html.contains("id=\"circulated\""), "{b}: the page says what was sent");
        let reader = org.other_handler.0;
        assert!(html.contains(&format!("data-reader=\"{reader}\" data-read-state=\"open\"")), "{b}");
        let r = sec.post_form(&format!("{page}/circulate"), &[("dept", "nope")]).await;
        assert_eq!((r.status.as_u16(), r.error_field().as_deref()), (400, Some("departments")), "{b}");
    }
}

/// The same over JSON with bearer tokens: send to a person and a department, read, recall.
#[tokio::test]
async fn circulation_over_the_api() {
    for app in TestApp::all().await {
        let org = app.org().await;
        let b = app.backend;
        let mut sec = app.api(&app.token(org.secretary).await);
        let reg = serde_json::json!({"sender_organ": "某市政府办公室", "title": "关于征求意见的函", "doc_type": "函"});
        let r = sec.post_json("/api/v1/incoming", &reg).await;
        assert_eq!(r.status.as_u16(), 201, "{b}: {}", r.text());
        let id = r.json()["document"]["id"].as_i64().unwrap();
        let path = format!("/api/v1/incoming/{id}/circulation");

        let body = serde_json::json!({"readers": [org.leader.0], "departments": [org.other.0], "note": "请阅"});
        let r = sec.post_json(&path, &body).await;
        assert_eq!(r.status.as_u16(), 200, "{b}: {}", r.text());
        let v = r.json();
        assert_eq!((v["sent"].as_i64(), v["not_cleared"].as_i64()), (Some(2), Some(0)), "{b}: {v}");
        assert!(v["copies"].as_array().unwrap().iter().all(|c| c["state"] == "open" && c["must_read"] == true), "{b}");

        let mut reader = app.api(&app.token(org.other_handler).await);
        assert_eq!(reader.post_json(&format!("{path}/read"), &serde_json::json!({})).await.status.as_u16(), 204, "{b}");
        let r = reader.post_json(&format!("{path}/read"), &serde_json::json!({})).await;
        assert_eq!(r.status.as_u16(), 409, "{b}: read twice");
        let r = reader.post_json(&path, &body).await;
        assert_eq!(r.status.as_u16(), 403, "{b}: only the office circulates");

        let r = sec.post_json(&format!("{path}/recall"), &serde_json::json!({})).await;
        assert_eq!(r.json()["recalled"].as_i64(), Some(1), "{b}: the leader's unread copy: {}", r.text());
        let copies = sec.get(&path).await.json();
        let states: Vec<&str> = copies.as_array().unwrap().iter().map(|c| c["state"].as_str().unwrap()).collect();
        assert_eq!(states, ["cancelled", "done"], "{b}: {copies}");

        let r = sec.post_json(&path, &serde_json::json!({"readers": [], "departments": []})).await;
        assert_eq!((r.status.as_u16(), r.error_field().as_deref()), (422, Some("readers")), "{b}");
        let r = sec.post_json(&path, &serde_json::json!({"readers": [1], "colour": "red"})).await;
        assert!(r.status.is_client_error(), "{b}: unknown fields are refused");
    }
}
