//! Security headers on every kind of response, and pages that need no inline script: a
//! crawl of every page a signed-in person can reach, which also proves those GETs change
//! nothing stored.

mod support;

use axum::http::StatusCode;
use std::collections::{BTreeSet, VecDeque};
use support::{Client, DUE, Resp, TestApp};

fn assert_security_headers(r: &Resp, what: &str) {
    let csp = r.header("content-security-policy").unwrap_or_else(|| panic!("{what}: no CSP"));
    for directive in ["script-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "default-src 'self'"] {
        assert!(csp.contains(directive), "{what}: CSP lacks {directive}: {csp}");
    }
    assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{what}: {csp}");
    assert_eq!(r.header("x-frame-options"), Some("DENY"), "{what}");
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"), "{what}");
    assert!(r.header("referrer-policy").is_some(), "{what}: referrer policy");
}

#[tokio::test]
async fn every_kind_of_response_carries_the_security_headers() {
    let app = TestApp::sqlite().await;
    let org = app.org().await;
    let mut anon = app.client();
    assert_security_headers(&anon.get("/login").await, "login page");
    assert_security_headers(&anon.get("/healthz").await, "health");
    assert_security_headers(&anon.get("/inbox").await, "redirect to sign-in");
    assert_security_headers(&anon.get("/no/such/page").await, "404 page");
    assert_security_headers(&anon.get("/api/v1/me").await, "API 401");
    assert_security_headers(&anon.get("/api/v1/openapi.json").await, "OpenAPI");
    assert_security_headers(&app.api("mishu_bad").get("/api/v1/me").await, "bad bearer token");
    let css = anon.get("/assets/app.css").await;
    assert_security_headers(&css, "stylesheet");
    assert!(css.header("content-type").is_some_and(|c| c.starts_with("text/css")), "the asset says what it is");
    let js = anon.get("/assets/app.js").await;
    assert_security_headers(&js, "script");
    assert!(js.header("content-type").is_some_and(|c| c.starts_with("text/javascript")));
    assert_security_headers(&anon.get("/assets/nothing.js").await, "missing asset");
    assert_security_headers(&anon.post_form_raw("/login", &[("login", "x")]).await, "CSRF refusal");

    let mut c = app.client();
    c.sign_in("secretary").await;
    let page = c.get("/inbox").await;
    assert_security_headers(&page, "inbox");
    assert_eq!(page.header("cache-control"), Some("no-store"), "signed-in pages are not cached");
    assert_security_headers(&c.get("/leader-tasks/999").await, "404 signed in");
    let big = "x".repeat(3 * 1024 * 1024);
    let r = c.post_form("/leader-tasks", &[("title", &big), ("owner", &org.handler.0.to_string()), ("due", DUE)]).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_security_headers(&r, "413");
}

/// Inline script, event-handler attributes, `javascript:` links and inline styles would all
/// need the CSP loosened; none may appear.
fn inline_code(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for chunk in html.split('<').skip(1) {
        let tag = chunk.split('>').next().unwrap_or("");
        let lower = tag.to_ascii_lowercase();
        if lower.starts_with("script") && !lower.contains(" src=") {
            found.push(format!("<{tag}> without src"));
        }
        if lower.starts_with("style") {
            found.push(format!("<{tag}> element"));
        }
        for attr in lower.split_whitespace().skip(1) {
            let name = attr.split('=').next().unwrap_or("");
            let handler = name.len() > 2
                && name.starts_with("on")
                && name[2..].chars().all(|c| c.is_ascii_lowercase())
                && attr.contains('=');
            if handler || name == "style" {
                found.push(format!("<{tag}>: {name}="));
            }
        }
        if lower.contains("javascript:") {
            found.push(format!("<{tag}>: javascript: URL"));
        }
    }
    found
}

/// Local links on a page, without fragments.
fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|l| l.starts_with('/') && !l.starts_with("//"))
        .map(|l| l.split('#').next().unwrap_or(l).replace("&amp;", "&"))
        .collect()
}

/// Every page reachable from `start` by following links; each must answer 200 (or redirect
/// within the site) and contain no inline code. Returns the pages seen.
async fn crawl(c: &mut Client<'_>, start: &[String]) -> BTreeSet<String> {
    let b = c.app.backend;
    let mut seen = BTreeSet::new();
    let mut queue: VecDeque<String> = start.iter().cloned().collect();
    while let Some(path) = queue.pop_front() {
        if path.starts_with("/assets/") || !seen.insert(path.clone()) {
            continue;
        }
        assert!(seen.len() < 200, "{b}: the crawl does not end");
        let r = c.get(&path).await;
        if r.status == StatusCode::SEE_OTHER {
            queue.push_back(r.location().expect("redirect target").to_string());
            continue;
        }
        assert_eq!(r.status, StatusCode::OK, "{b}: GET {path}: {}", r.text());
        assert_security_headers(&r, &path);
        if r.header("content-type").is_some_and(|c| c.starts_with("text/calendar")) {
            // A meeting's .ics: a file to save, never shown inline.
            let d = r.header("content-disposition").unwrap_or_default();
            assert!(d.starts_with("attachment"), "{b}: {path} is a download: {d}");
            continue;
        }
        if r.header("content-type") == Some("application/pdf") {
            // A printable document linked from a page (the chronicle, a form): not a page.
            continue;
        }
        assert!(r.is_html(), "{b}: {path} is a page");
        let text = r.text();
        let bad = inline_code(&text);
        assert!(bad.is_empty(), "{b}: {path} has inline code: {bad:?}");
        queue.extend(links(&text));
    }
    seen
}

#[tokio::test]
async fn pages_have_no_inline_code_and_gets_change_nothing() {
    for app in TestApp::all().await {
        let b = app.backend;
        let org = app.org().await;
        let mut sec = app.client();
        sec.sign_in("secretary").await;
        // Something on every page: tasks in several states, a delegation, notifications.
        let (leader, handler, secretary) =
            (org.leader.0.to_string(), org.handler.0.to_string(), org.secretary.0.to_string());
        for (title, owner) in [("汇总值班表<b>", &handler), ("起草通知\" onmouseover=\"x", &secretary)] {
            let r = sec
                .post_form("/leader-tasks", &[("title", title), ("leader", &leader), ("owner", owner), ("due", DUE)])
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.text());
        }
        let mut owner = app.client();
        owner.sign_in("handler").await;
        assert_eq!(
            owner.post_form("/leader-tasks/1/answer", &[("text", "已汇总")]).await.status,
            StatusCode::SEE_OTHER,
            "{b}"
        );
        let r = sec
            .post_form(
                "/delegations",
                &[("delegate", &handler), ("starts", "2026-11-27"), ("ends", "2026-12-04"), ("reason", "出差")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.text());

        let tasks: Vec<(i64,)> =
            app.services.db.fetch_all("SELECT task_id FROM tasks ORDER BY task_id", vec![]).await.unwrap();
        assert!(tasks.len() >= 3, "{b}");
        let mut start: Vec<String> = [
            "/",
            "/account",
            "/inbox",
            "/notifications",
            "/delegations",
            "/calendar",
            "/leader-tasks",
            "/leader-tasks/new",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        start.extend(tasks.iter().map(|(id,)| format!("/tasks/{id}")));

        let before = app.state_digest().await;
        let seen = crawl(&mut sec, &start).await;
        for must in [
            "/my-calendar",
            "/inbox?box=done",
            "/leader-tasks/1",
            "/leader-tasks/2",
            "/leader-tasks?state=closed",
            "/tasks/1",
        ] {
            assert!(seen.contains(must), "{b}: the crawl reached {must}: {seen:?}");
        }
        let seen_by_owner = crawl(&mut owner, &start[..7]).await;
        assert!(seen_by_owner.contains("/leader-tasks/1"), "{b}");
        let mut anon = app.client();
        crawl(&mut anon, &["/login".to_string(), "/login?next=%2Finbox".to_string()]).await;
        assert_eq!(app.state_digest().await, before, "{b}: GET pages changed what is stored");
    }
}

#[test]
fn the_inline_code_scan_can_fail() {
    assert!(inline_code(r#"<script src="/assets/app.js" defer></script>"#).is_empty());
    assert!(inline_code(r#"<p>clicking onclick=nothing here</p>"#).is_empty(), "text is not a tag");
    assert!(!inline_code("<script>alert(1)</script>").is_empty());
    assert!(!inline_code(r#"<a href="/" onclick="x()">"#).is_empty());
    assert!(!inline_code(r#"<div style="color:red">"#).is_empty());
    assert!(!inline_code(r#"<a href="javascript:alert(1)">"#).is_empty());
}

/// T19 over the route table itself: every (method, path) in `policy::POLICY`, with its
/// parameters filled in, as a stranger, as a signed-in secretary and with a bearer token.
/// Every answer carries the security headers, names no server software, allows no other
/// origin, is below 500, and when signed in is not cached.
#[tokio::test]
async fn every_registered_route_answers_with_the_security_headers() {
    let app = TestApp::sqlite().await;
    let org = app.org().await;
    let token = app.token(org.secretary).await;
    let mut anon = app.client();
    let mut signed = app.client();
    signed.sign_in("secretary").await;
    let mut api = app.api(&token);
    let mut checked = 0;
    for (method, path, _) in mishu_web::policy::POLICY {
        let concrete: String = path
            .split('/')
            .map(|seg| if seg.starts_with('{') { if seg == "{kind}" { "people" } else { "1" } } else { seg })
            .collect::<Vec<_>>()
            .join("/");
        for (who, c) in [("anonymous", &mut anon), ("session", &mut signed), ("bearer", &mut api)] {
            let r = if *method == "GET" {
                c.get(&concrete).await
            } else if concrete.starts_with("/api/") {
                c.post_json(&concrete, &serde_json::json!({})).await
            } else {
                c.post_form(&concrete, &[]).await
            };
            let what = format!("{who} {method} {concrete}");
            assert!(r.status.as_u16() < 500, "{what}: {} {}", r.status, r.text());
            assert_security_headers(&r, &what);
            for banned in ["server", "x-powered-by"] {
                assert!(r.header(banned).is_none(), "{what}: {banned}: {:?}", r.header(banned));
            }
            let cors = r.header("access-control-allow-origin");
            assert!(cors.is_none(), "{what}: CORS {cors:?}");
            if who != "anonymous" && r.status.is_success() && !concrete.starts_with("/assets/") {
                let cache = r.header("cache-control").unwrap_or_default();
                assert!(cache.split(',').any(|d| d.trim() == "no-store"), "{what}: cache-control {cache:?}");
            }
            if concrete.starts_with("/api/") {
                let ct = r.header("content-type").unwrap_or_default();
                assert!(ct.starts_with("application/json"), "{what}: content-type {ct}");
            }
            // Files to save are attachments; a PDF opens in the browser's viewer to be printed
            // (it runs no script of ours, and the headers above still apply).
            let pdf = r.header("content-type") == Some("application/pdf");
            if !pdf && r.header("content-disposition").is_some_and(|d| !d.starts_with("attachment")) {
                panic!("{what}: a download shown inline: {:?}", r.header("content-disposition"));
            }
            checked += 1;
            if c.session_cookie().is_none() && who == "session" {
                // A route ended the session (sign-out): sign in again for the rest.
                c.sign_in("secretary").await;
            }
        }
    }
    eprintln!("T19: {checked} answers over {} routes checked", mishu_web::policy::POLICY.len());
}
