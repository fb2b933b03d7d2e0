//! Bad input gets a clear 4xx naming the problem and changes nothing stored: malformed or
//! oversized forms and JSON, unknown ids and values. (Access refusals are in `access.rs`.)
//! Expectations read "status code [field]".

mod support;

use serde_json::{Value, json};
use support::{DUE, TestApp};

fn give<'a>(title: &'a str, leader: &'a str, owner: &'a str, due: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![("title", title), ("leader", leader), ("owner", owner), ("due", due)]
}

#[tokio::test]
async fn a_bad_leader_task_form_names_the_field() {
    for app in TestApp::all().await {
        let org = app.org().await;
        let ids = [org.leader, org.handler, org.sysadmin].map(|p| p.0.to_string());
        let (l, o, admin) = (&*ids[0], &*ids[1], &*ids[2]);
        let mut c = app.client();
        c.sign_in("secretary").await;
        let nothing = app.unchanged().await;
        let long = "长".repeat(201);
        let long = long.as_str();
        // (title, leader, owner, due, expected); the handler is no leader, the administrator no staff.
        let cases = [
            ("", l, o, DUE, "422 invalid title"),
            ("   ", l, o, DUE, "422 invalid title"),
            (long, l, o, DUE, "422 invalid title"),
            ("t", l, o, "next tuesday", "400 invalid due"),
            ("t", l, o, "2026-02-30", "400 invalid due"),
            ("t", l, o, "2020-01-01", "422 invalid due"),
            ("t", l, "999999", DUE, "422 invalid owner_id"),
            ("t", l, admin, DUE, "422 invalid owner_id"),
            ("t", l, "abc", DUE, "400 invalid owner"),
            ("t", o, o, DUE, "422 invalid leader_id"),
        ];
        for (title, leader, owner, due, want) in cases {
            let f = give(title, leader, owner, due);
            let r = c.post_form("/leader-tasks", &f).await;
            nothing.refused(&r, want, &format!("{f:?}")).await;
        }
        let mut f = give("t", l, o, DUE);
        f.push(("urgency", "whenever"));
        let r = c.post_form("/leader-tasks", &f).await;
        nothing.refused(&r, "400 invalid urgency", "urgency").await;
        let r = c.post_form("/leader-tasks", &[("title", "t"), ("due", DUE)]).await;
        nothing.refused(&r, "422 bad_request owner", "owner missing").await;
    }
}

#[tokio::test]
async fn oversized_and_malformed_bodies_are_refused() {
    for app in TestApp::all().await {
        let org = app.org().await;
        let mut c = app.client();
        c.sign_in("secretary").await;
        let big = "x".repeat(2 * 1024 * 1024 + 1);
        let (l, o) = (org.leader.0, org.handler.0);
        let token = app.token(org.secretary).await;
        let nothing = app.unchanged().await;

        let r = c.post_form("/leader-tasks", &give(&big, &l.to_string(), &o.to_string(), DUE)).await;
        nothing.refused(&r, "413 too_large", "form over 2 MB").await;

        let mut api = app.api(&token);
        let r = api.post_json_raw("/api/v1/leader-tasks", b"{\"title\": ".to_vec()).await;
        nothing.refused(&r, "400 bad_request", "malformed JSON").await;
        assert!(r.json()["message"].as_str().is_some_and(|m| !m.is_empty()), "a message");

        let due = "2026-11-30T17:00:00+08:00";
        let ok = json!({"title": "t", "owner_id": o, "leader_id": l, "due_at": due});
        let with = |k: &str, v: Value| {
            let mut x = ok.clone();
            x[k] = v;
            x
        };
        let cases = [
            (with("colour", json!("red")), "422 bad_request colour", "unknown JSON field"),
            (with("owner_id", json!("abc")), "422 bad_request owner_id", "wrong JSON type"),
            (with("due_at", json!("tomorrow")), "400 invalid due_at", "bad due_at"),
            (with("title", json!(big)), "413 too_large", "JSON over 2 MB"),
        ];
        for (body, want, what) in cases {
            let r = api.post_json("/api/v1/leader-tasks", &body).await;
            nothing.refused(&r, want, what).await;
        }
        let r = api.post_body("/api/v1/leader-tasks", "text/plain", b"title=x".to_vec(), &[]).await;
        nothing.refused(&r, "415 unsupported_media_type", "not JSON").await;
    }
}

#[tokio::test]
async fn unknown_ids_are_not_found_and_bad_ids_are_bad_requests() {
    for app in TestApp::all().await {
        let org = app.org().await;
        let token = app.token(org.secretary).await;
        let mut c = app.client();
        c.sign_in("secretary").await;
        let nothing = app.unchanged().await;
        let pages = [
            ("/leader-tasks/999999", "404 not_found"),
            ("/tasks/999999", "404 not_found"),
            ("/tasks/abc", "400 bad_request id"),
            ("/leader-tasks/1.5", "400 bad_request id"),
            ("/no/such/page", "404 not_found"),
            ("/inbox?box=everything", "400 invalid box"),
            ("/leader-tasks?state=lost", "400 invalid state"),
        ];
        for (path, want) in pages {
            nothing.refused(&c.get(path).await, want, path).await;
        }
        let posts = [
            "/leader-tasks/999999/answer",
            "/leader-tasks/999999/close",
            "/tasks/999999/complete",
            "/delegations/999999/revoke",
        ];
        for path in posts {
            let r = c.post_form(path, &[("text", "好"), ("outcome", "好")]).await;
            nothing.refused(&r, "404 not_found", path).await;
        }

        let mut api = app.api(&token);
        let api_gets = [
            ("/api/v1/leader-tasks/999999", "404 not_found"),
            ("/api/v1/leader-tasks/abc", "400 bad_request id"),
            ("/api/v1/inbox?box=everything", "400 invalid box"),
        ];
        for (path, want) in api_gets {
            nothing.refused(&api.get(path).await, want, path).await;
        }
        let r = api.post_json("/api/v1/leader-tasks/999999/answer", &json!({"text": "好"})).await;
        nothing.refused(&r, "404 not_found", "API answer unknown id").await;
    }
}

#[tokio::test]
async fn other_forms_name_their_field() {
    for app in TestApp::all().await {
        let org = app.org().await;
        let mut c = app.client();
        c.sign_in("secretary").await;
        let nothing = app.unchanged().await;
        let h = org.handler.0.to_string();
        let h = h.as_str();
        let (good, bad) = ("Abc#12345678x", "Abc#12345679x");
        let cases = [
            ("/calendar", vec![("day", "2026-12-01"), ("kind", "party")], "400 invalid kind"),
            ("/calendar", vec![("day", "someday"), ("kind", "holiday")], "422 invalid day"),
            (
                "/delegations",
                vec![("delegate", "x"), ("starts", "2026-12-01"), ("ends", "2026-12-02")],
                "400 invalid delegate",
            ),
            ("/delegations", vec![("delegate", h), ("starts", "soon"), ("ends", "2026-12-02")], "400 invalid starts"),
            // The service names its own field for the end of the span.
            (
                "/delegations",
                vec![("delegate", h), ("starts", "2026-12-05"), ("ends", "2026-12-02")],
                "422 invalid ends_at",
            ),
            ("/locale", vec![("lang", "fr")], "400 invalid lang"),
            ("/account/password", vec![("current", "x"), ("new", good), ("confirm", bad)], "400 invalid confirm"),
            (
                "/account/password",
                vec![("current", "wrong"), ("new", good), ("confirm", good)],
                "422 wrong_password current",
            ),
            ("/account/acting-for", vec![("principal", "abc")], "400 invalid principal"),
            ("/account/acting-for", vec![("principal", h)], "403 forbidden"),
        ];
        for (path, fields, want) in cases {
            let r = c.post_form(path, &fields).await;
            nothing.refused(&r, want, &format!("{path} {fields:?}")).await;
        }
    }
}
