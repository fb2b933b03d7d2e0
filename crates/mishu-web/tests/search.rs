//! Search over HTTP: the header box on every business page, the results page and the API with
//! marked snippets, nothing about what the caller may not read (no hit, no title, no count),
//! and bad queries refused with 400 naming `q`, changing nothing.

mod support;

use mishu_domain::outgoing::{DraftInput, RecipientInput};
use mishu_domain::tasks::Urgency;
use mishu_service::leader_tasks::{self, NewLeaderTask};
use mishu_service::{outgoing, search};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use support::TestApp;

fn enc(q: &str) -> String {
    utf8_percent_encode(q, NON_ALPHANUMERIC).to_string()
}

#[tokio::test]
async fn results_are_marked_and_trimmed_by_access() {
    for app in TestApp::all().await {
        let org = app.org().await;
        let s = &app.services;
        let b = app.backend;
        let leader = mishu_testkit::builders::actor(s, org.leader).await;
        let task = NewLeaderTask {
            title: "年终考核材料报送".into(),
            body: "请于月底前报送<script>alert(1)</script>考核材料".into(),
            leader_id: org.leader,
            owner_id: org.handler,
            due_at: app.now().plus_hours(72),
            urgency: Urgency::Normal,
        };
        leader_tasks::give(s, &leader, task, "ip").await.unwrap();
        search::apply_changes_now(s).await.unwrap();

        let mut c = app.client();
        c.sign_in("secretary").await;
        let inbox = c.get("/inbox").await.text();
        assert!(inbox.contains("id=\"search-q\""), "{b}: the header carries the search box");
        let page = c.get(&format!("/search?q={}", enc("考核材料"))).await;
        assert_eq!(page.status, 200, "{b}");
        let html = page.text();
        assert!(html.contains("<mark>考核材料</mark>"), "{b}: marked: {html}");
        assert!(!html.contains("<script>alert"), "{b}: the body text is escaped");

        let token = app.token(org.secretary).await;
        let r = app.api(&token).get(&format!("/api/v1/search?q={}", enc("考核"))).await;
        assert_eq!(r.status, 200, "{b}: {}", r.text());
        let j = r.json();
        assert_eq!(j["total"], 1, "{b}: {j}");
        assert_eq!(j["hits"][0]["domain"], "leader_task");
        assert!(j["hits"][0]["url"].as_str().unwrap().starts_with("/leader-tasks/"));
        assert!(j["hits"][0]["title_html"].as_str().unwrap().contains("<mark>考核</mark>"), "{b}: {j}");

        // Another department's handler: no hit, no title, no count.
        let other = app.token(org.other_handler).await;
        let r = app.api(&other).get(&format!("/api/v1/search?q={}", enc("考核"))).await;
        assert_eq!(r.status, 200, "{b}");
        assert_eq!(r.json()["total"], 0, "{b}");
        assert!(!r.text().contains("年终"), "{b}: no title");
        let mut c = app.client();
        c.sign_in("other.handler").await;
        let html = c.get(&format!("/search?q={}", enc("年终考核"))).await.text();
        assert!(!html.contains("材料报送"), "{b}: the page names nothing");

        // Administrators hold no business rights: no search.
        let mut c = app.client();
        c.sign_in("sysadmin").await;
        assert_eq!(c.get("/search?q=x").await.status, 403, "{b}");
    }
}

#[tokio::test]
async fn outgoing_documents_are_found_with_their_label_and_link() {
    for app in TestApp::all().await {
        let org = app.org().await;
        let s = &app.services;
        let b = app.backend;
        let handler = mishu_testkit::builders::actor(s, org.handler).await;
        let input = DraftInput {
            title: "关于做好2027年元旦春节期间有关工作的通知".into(),
            doc_type: "通知".into(),
            prefix: "江职院发".into(),
            signer: Some(org.leader),
            recipients: vec![RecipientInput::new("main", "department", org.other)],
            ..DraftInput::default()
        };
        let id = outgoing::create(s, &handler, input, "ip").await.unwrap();
        outgoing::add_version(s, &handler, id, "各部门：\n请于12月25日前报送值班表。", "初稿", "ip").await.unwrap();
        search::apply_changes_now(s).await.unwrap();

        // The drafter finds it by its text, with its label and a link to its page.
        let mut c = app.client();
        c.sign_in("handler").await;
        let html = c.get(&format!("/search?q={}", enc("值班表"))).await.text();
        assert!(html.contains(&format!("href=\"/outgoing/{id}\"")), "{b}: {html}");
        assert!(html.contains("<span class=\"badge\">发文</span>"), "{b}: the type label");
        let token = app.token(org.handler).await;
        let r = app.api(&token).get(&format!("/api/v1/search?q={}&domain=outgoing", enc("值班表"))).await;
        let j = r.json();
        assert_eq!((j["total"].as_u64(), j["hits"][0]["domain"].as_str()), (Some(1), Some("outgoing")), "{b}: {j}");
        assert_eq!(j["hits"][0]["url"], format!("/outgoing/{id}"), "{b}");
        assert_eq!(j["hits"][0]["doc_type"], "notice", "{b}");

        // Another department's handler, not on the draft's route: nothing, not even a count.
        let other = app.token(org.other_handler).await;
        let r = app.api(&other).get(&format!("/api/v1/search?q={}", enc("值班表"))).await;
        assert_eq!(r.json()["total"], 0, "{b}");
        assert!(!r.text().contains("元旦"), "{b}: no title");
    }
}

#[tokio::test]
async fn bad_queries_are_refused_naming_q_and_change_nothing() {
    for app in TestApp::all().await {
        let org = app.org().await;
        let token = app.token(org.secretary).await;
        let mut c = app.client();
        c.sign_in("secretary").await;
        let nothing = app.unchanged().await;
        // 10,000 characters in the URL; 通 × 10,000 would be 90 KB percent-encoded, past the
        // URI length any HTTP client sends, so the Chinese case is 5,000 (45 KB).
        let long = enc(&"a".repeat(10_000));
        let long_zh = enc(&"通".repeat(5_000));
        let cases = [
            (long.as_str(), "10,000 characters"),
            (long_zh.as_str(), "5,000 Chinese characters"),
            ("%E9%80%9A%00", "NUL"),
            ("a%0Ab", "newline"),
        ];
        for (q, what) in cases {
            let r = app.api(&token).get(&format!("/api/v1/search?q={q}")).await;
            nothing.refused(&r, "400 invalid q", what).await;
            let r = c.get(&format!("/search?q={q}")).await;
            nothing.refused(&r, "400 invalid q", what).await;
        }
        let r = app.api(&token).get("/api/v1/search?q=x&domain=nuclear").await;
        nothing.refused(&r, "400 invalid domain", "unknown domain").await;
        let r = app.api(&token).get("/api/v1/search?q=x&offset=-3").await;
        nothing.refused(&r, "400 invalid offset", "negative offset").await;
    }
}
