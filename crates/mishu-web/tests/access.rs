//! Refusals of access over HTTP: another department's object answers exactly like a missing
//! one, a route the person may not use is forbidden, a wrong step in a flow is refused, and
//! none of them changes anything stored. Expectations read "status code [field]".

mod support;

use axum::http::StatusCode;
use serde_json::json;
use support::{Client, DUE, TestApp};

fn give<'a>(title: &'a str, leader: &'a str, owner: &'a str, due: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![("title", title), ("leader", leader), ("owner", owner), ("due", due)]
}

/// A leader task given by the secretary for the leader to `owner`; returns its id.
async fn given_to(c: &mut Client<'_>, leader: i64, owner: i64) -> i64 {
    let (leader, owner) = (leader.to_string(), owner.to_string());
    let r = c.post_form("/leader-tasks", &give("准备会议材料", &leader, &owner, DUE)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    r.location().unwrap().rsplit('/').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn another_departments_object_looks_exactly_like_a_missing_one() {
    for app in TestApp::all().await {
        let b = app.backend;
        let org = app.org().await;
        let mut sec = app.client();
        sec.sign_in("secretary").await;
        let theirs = given_to(&mut sec, org.leader.0, org.other_handler.0).await;
        let token = app.token(org.handler).await;

        // A handler in the office is not on that task's route and not office-wide.
        let mut c = app.client();
        c.sign_in("handler").await;
        let nothing = app.unchanged().await;
        let hidden = c.get(&format!("/leader-tasks/{theirs}")).await;
        let missing = c.get("/leader-tasks/999999").await;
        nothing.refused(&hidden, "404 not_found", "another department's task").await;
        assert_eq!((hidden.status, hidden.error_code()), (missing.status, missing.error_code()), "{b}");
        let hidden_text = hidden.text().replace(&format!("/leader-tasks/{theirs}"), "/leader-tasks/N");
        let missing_text = missing.text().replace("/leader-tasks/999999", "/leader-tasks/N");
        assert_eq!(hidden_text, missing_text, "{b}: the page gives nothing away");
        let r = c.post_form(&format!("/leader-tasks/{theirs}/answer"), &[("text", "抢答")]).await;
        nothing.refused(&r, "404 not_found", "answering another department's task").await;
        let list = c.get("/leader-tasks").await.text();
        assert!(!list.contains(&format!("/leader-tasks/{theirs}\"")), "{b}: not listed either");

        let mut api = app.api(&token);
        let hidden = api.get(&format!("/api/v1/leader-tasks/{theirs}")).await;
        let missing = api.get("/api/v1/leader-tasks/999999").await;
        nothing.refused(&hidden, "404 not_found", "API: another department's task").await;
        assert_eq!((hidden.status, &hidden.body), (missing.status, &missing.body), "{b}: byte-identical");
        let r = api.post_json(&format!("/api/v1/leader-tasks/{theirs}/close"), &json!({})).await;
        nothing.refused(&r, "404 not_found", "API: closing another department's task").await;
    }
}

#[tokio::test]
async fn a_route_the_person_may_not_use_is_refused() {
    for app in TestApp::all().await {
        let b = app.backend;
        let org = app.org().await;
        let (l, o) = (org.leader.0.to_string(), org.handler.0.to_string());
        let nothing = app.unchanged().await;

        let mut handler = app.client();
        handler.sign_in("handler").await;
        let r = handler.post_form("/leader-tasks", &give("标题", &l, &o, DUE)).await;
        nothing.refused(&r, "403 forbidden", "a handler giving a leader task").await;
        let r = handler.get("/leader-tasks/new").await;
        nothing.refused(&r, "403 forbidden", "a handler opening the give form").await;
        let r = handler.post_form("/calendar", &[("day", "2026-12-01"), ("kind", "holiday")]).await;
        nothing.refused(&r, "403 forbidden", "a handler editing the calendar").await;

        let mut admin = app.client();
        admin.sign_in("sysadmin").await;
        nothing.refused(&admin.get("/inbox").await, "403 forbidden", "an administrator's inbox").await;
        let r = admin.get("/leader-tasks").await;
        nothing.refused(&r, "403 forbidden", "an administrator's leader tasks").await;

        let mut anon = app.client();
        let r = anon.get("/inbox").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}");
        assert_eq!(r.location(), Some("/login?next=%2Finbox"), "{b}");
        let r = anon.get("/leader-tasks?state=given").await;
        let next = r.location().and_then(|l| l.strip_prefix("/login?next=")).expect("to sign-in");
        let next = percent_encoding::percent_decode_str(next).decode_utf8().unwrap();
        assert_eq!(next, "/leader-tasks?state=given", "{b}: the query survives sign-in");
        let r = anon.get("/api/v1/inbox").await;
        nothing.refused(&r, "401 unauthenticated", "anonymous API").await;
        assert!(r.header("content-type").is_some_and(|c| c.starts_with("application/json")), "{b}");
        let r = anon.post_form("/leader-tasks", &give("标题", &l, &o, DUE)).await;
        nothing.refused(&r, "401 unauthenticated", "anonymous post").await;
    }
}

#[tokio::test]
async fn a_wrong_step_in_the_leader_task_loop_is_refused() {
    for app in TestApp::all().await {
        let org = app.org().await;
        let mut sec = app.client();
        sec.sign_in("secretary").await;
        let id = given_to(&mut sec, org.leader.0, org.handler.0).await;
        let nothing = app.unchanged().await;

        let r = sec.post_form(&format!("/leader-tasks/{id}/close"), &[]).await;
        nothing.refused(&r, "409 no_answer", "closing without an answer").await;
        let r = sec.post_form(&format!("/leader-tasks/{id}/answer"), &[("text", "办好了")]).await;
        nothing.refused(&r, "403 forbidden", "answering someone else's task").await;

        let mut owner = app.client();
        owner.sign_in("handler").await;
        let r = owner.post_form(&format!("/leader-tasks/{id}/answer"), &[("text", "  ")]).await;
        nothing.refused(&r, "422 invalid answer", "an empty answer").await;
        let r = owner.post_form(&format!("/leader-tasks/{id}/close"), &[]).await;
        assert!(r.status.is_client_error(), "{}: the owner may not close: {}", app.backend, r.status);
        nothing.assert("the owner closing").await;
    }
}
