//! The JSON API: bearer tokens, errors as `{code, message, field}`, the leader-task loop
//! over JSON, and an OpenAPI document that lists every API route.

mod support;

use axum::http::StatusCode;
use mishu_service::audit::Origin;
use mishu_service::auth::tokens;
use serde_json::json;
use support::{Resp, TestApp};

fn assert_json_error(r: &Resp, status: u16, code: &str, what: &str) {
    assert_eq!(r.status.as_u16(), status, "{what}: {}", r.text());
    assert!(r.header("content-type").is_some_and(|c| c.starts_with("application/json")), "{what}: JSON content type");
    let v = r.json();
    assert_eq!(v["code"], code, "{what}: {v}");
    assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()), "{what}: a message: {v}");
}

#[tokio::test]
async fn a_bearer_token_reads_me_and_the_inbox() {
    for app in TestApp::all().await {
        let b = app.backend;
        let org = app.org().await;
        let token = app.token(org.secretary).await;
        let mut api = app.api(&token);
        let me = api.get("/api/v1/me").await;
        assert_eq!(me.status, StatusCode::OK, "{b}: {}", me.text());
        let v = me.json();
        assert_eq!(v["person_id"], org.secretary.0, "{b}");
        assert_eq!(v["roles"], json!(["secretary"]), "{b}");
        assert!(me.set_cookies().iter().all(|c| !c.contains("mishu_sid")), "{b}: no session for token clients");

        let give = json!({"title": "起草讲话稿", "leader_id": org.leader.0, "owner_id": org.handler.0, "due_at": "2026-11-30T17:00:00+08:00", "urgency": "urgent"});
        assert_eq!(api.post_json("/api/v1/leader-tasks", &give).await.status, StatusCode::CREATED, "{b}");

        let owner_token = app.token(org.handler).await;
        let inbox = app.api(&owner_token).get("/api/v1/inbox").await;
        assert_eq!(inbox.status, StatusCode::OK, "{b}: {}", inbox.text());
        let items = inbox.json();
        let items = items.as_array().expect("a list");
        assert_eq!(items.len(), 1, "{b}: {items:?}");
        assert_eq!(items[0]["domain"], "leader_task", "{b}");
        assert_eq!(items[0]["title"], "起草讲话稿", "{b}");
        assert_eq!(items[0]["urgency"], "urgent", "{b}");
        let done = app.api(&owner_token).get("/api/v1/inbox?box=done").await;
        assert_eq!(done.json(), json!([]), "{b}");
        // Paging: a one-item box fits one page; the next page is empty and says no more.
        let first = app.api(&owner_token).get("/api/v1/inbox?limit=1").await;
        assert_eq!(first.json().as_array().map(|a| a.len()), Some(1), "{b}");
        assert!(first.header("x-next-offset").is_none(), "{b}: nothing after the only item");
        assert_eq!(app.api(&owner_token).get("/api/v1/inbox?offset=1").await.json(), json!([]), "{b}");
        for bad in ["limit=0", "limit=201", "offset=-1"] {
            let r = app.api(&owner_token).get(&format!("/api/v1/inbox?{bad}")).await;
            assert_json_error(&r, 400, "invalid", &format!("{b}: {bad}"));
            assert_eq!(r.json()["field"], bad.split('=').next().unwrap(), "{b}: {bad}");
        }

        let admin_token = app.token(org.sysadmin).await;
        let r = app.api(&admin_token).get("/api/v1/inbox").await;
        assert_json_error(&r, 403, "forbidden", &format!("{b}: an administrator has no inbox"));
        assert_eq!(app.api(&admin_token).get("/api/v1/me").await.status, StatusCode::OK, "{b}");
    }
}

#[tokio::test]
async fn revoked_expired_and_unknown_tokens_get_a_json_401() {
    for app in TestApp::all().await {
        let b = app.backend;
        let org = app.org().await;
        let s = &app.services;
        let (id, token) = tokens::create(s, &Origin::system(), org.handler, "script", None).await.unwrap();
        assert_eq!(app.api(&token).get("/api/v1/me").await.status, StatusCode::OK, "{b}");
        tokens::revoke(s, &Origin::system(), org.handler, id).await.unwrap();
        let r = app.api(&token).get("/api/v1/me").await;
        assert_json_error(&r, 401, "unauthenticated", &format!("{b}: revoked"));
        assert!(r.header("www-authenticate").is_some(), "{b}: says how to authenticate");

        let r = app.api("mishu_0000").get("/api/v1/inbox").await;
        assert_json_error(&r, 401, "unauthenticated", &format!("{b}: unknown"));

        let soon = app.now().plus_minutes(60);
        let (_, short) = tokens::create(s, &Origin::system(), org.handler, "short", Some(soon)).await.unwrap();
        assert_eq!(app.api(&short).get("/api/v1/me").await.status, StatusCode::OK, "{b}");
        app.clock.advance_minutes(61);
        let r = app.api(&short).get("/api/v1/me").await;
        assert_json_error(&r, 401, "unauthenticated", &format!("{b}: expired"));

        // A bad token on a page gets no page: the token is wrong whatever the path.
        let r = app.api("mishu_0000").get("/inbox").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{b}");
    }
}

#[tokio::test]
async fn the_leader_task_loop_over_json() {
    for app in TestApp::all().await {
        let b = app.backend;
        let org = app.org().await;
        let secretary = app.token(org.secretary).await;
        let owner = app.token(org.handler).await;
        let leader = app.token(org.leader).await;

        let give = json!({"title": "报送年度总结", "body": "12月5日前", "leader_id": org.leader.0, "owner_id": org.handler.0, "due_at": "2026-12-05T17:00:00+08:00"});
        let r = app.api(&secretary).post_json("/api/v1/leader-tasks", &give).await;
        assert_eq!(r.status, StatusCode::CREATED, "{b}: {}", r.text());
        let t = r.json();
        assert_eq!(t["state"], "given", "{b}");
        assert_eq!(t["leader_id"], org.leader.0, "{b}");
        assert_eq!(t["owner_id"], org.handler.0, "{b}");
        let due = chrono::DateTime::parse_from_rfc3339(t["due_at"].as_str().unwrap()).expect("RFC 3339");
        assert_eq!(due, chrono::DateTime::parse_from_rfc3339("2026-12-05T17:00:00+08:00").unwrap(), "{b}");
        let id = t["id"].as_i64().unwrap();

        let r = app.api(&leader).post_json(&format!("/api/v1/leader-tasks/{id}/close"), &json!({})).await;
        assert_json_error(&r, 409, "no_answer", &format!("{b}: close before the answer"));
        let r = app.api(&owner).post_json(&format!("/api/v1/leader-tasks/{id}/answer"), &json!({"text": ""})).await;
        assert_json_error(&r, 422, "invalid", &format!("{b}: empty answer"));
        assert_eq!(r.json()["field"], "answer", "{b}");

        let r =
            app.api(&owner).post_json(&format!("/api/v1/leader-tasks/{id}/answer"), &json!({"text": "已报送"})).await;
        assert_eq!(r.status, StatusCode::OK, "{b}: {}", r.text());
        assert_eq!(r.json()["state"], "answered", "{b}");
        assert_eq!(r.json()["answer"], "已报送", "{b}");

        let r = app
            .api(&leader)
            .post_json(&format!("/api/v1/leader-tasks/{id}/return"), &json!({"text": "补充数据"}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{b}: {}", r.text());
        assert_eq!(r.json()["state"], "given", "{b}: returned to the owner");
        let r =
            app.api(&owner).post_json(&format!("/api/v1/leader-tasks/{id}/answer"), &json!({"text": "已补充"})).await;
        assert_eq!(r.json()["state"], "answered", "{b}");

        let r = app.api(&leader).post_json(&format!("/api/v1/leader-tasks/{id}/close"), &json!({})).await;
        assert_eq!(r.status, StatusCode::OK, "{b}: {}", r.text());
        assert_eq!(r.json()["state"], "closed", "{b}");

        let r = app.api(&leader).get(&format!("/api/v1/leader-tasks/{id}")).await;
        assert_eq!(r.json()["state"], "closed", "{b}");
        let list = app.api(&secretary).get("/api/v1/leader-tasks?state=closed").await;
        assert_eq!(list.json().as_array().map(Vec::len), Some(1), "{b}: {}", list.text());
        let open = app.api(&secretary).get("/api/v1/leader-tasks?state=given").await;
        assert_eq!(open.json(), json!([]), "{b}");
        let r = app.api(&leader).post_json(&format!("/api/v1/leader-tasks/{id}/close"), &json!({})).await;
        assert_json_error(&r, 409, "wrong_state", &format!("{b}: closing twice"));
    }
}

#[tokio::test]
async fn service_errors_name_their_field_in_json() {
    for app in TestApp::all().await {
        let b = app.backend;
        let org = app.org().await;
        let mut api = app.api(&app.token(org.secretary).await);
        let before = app.row_counts().await;
        let r = api.post_json("/api/v1/leader-tasks", &json!({"title": " ", "leader_id": org.leader.0, "owner_id": org.handler.0, "due_at": "2026-12-05T17:00:00+08:00"})).await;
        assert_json_error(&r, 422, "invalid", &format!("{b}: blank title"));
        assert_eq!(r.json()["field"], "title", "{b}");
        let r = api.post_json("/api/v1/leader-tasks", &json!({"title": "t", "leader_id": org.leader.0, "owner_id": 999_999, "due_at": "2026-12-05T17:00:00+08:00"})).await;
        assert_json_error(&r, 422, "invalid", &format!("{b}: unknown owner"));
        assert_eq!(r.json()["field"], "owner_id", "{b}");
        let r = api
            .post_json(
                "/api/v1/leader-tasks",
                &json!({"title": "t", "owner_id": org.handler.0, "due_at": "2026-12-05T17:00:00+08:00"}),
            )
            .await;
        assert_json_error(&r, 422, "invalid", &format!("{b}: a secretary is no leader"));
        assert_eq!(r.json()["field"], "leader_id", "{b}");
        let r = api.post_json("/api/v1/leader-tasks", &json!({"title": "t", "owner_id": org.handler.0})).await;
        assert_json_error(&r, 422, "bad_request", &format!("{b}: missing due_at"));
        assert_eq!(r.json()["field"], "due_at", "{b}");
        assert_eq!(app.row_counts().await, before, "{b}: nothing stored");
        let r = api.get("/api/v1/nothing-here").await;
        assert_json_error(&r, 404, "not_found", &format!("{b}: unknown API path"));
    }
}

#[tokio::test]
async fn the_openapi_document_lists_every_api_route() {
    let app = TestApp::sqlite().await;
    let r = app.client().get("/api/v1/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = r.json();
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")), "{doc}");
    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.contains_key("/api/v1/leader-tasks"));
    for (method, path) in mishu_web::routes::all().registered {
        if !path.starts_with("/api/") || path == "/api/v1/openapi.json" {
            continue;
        }
        let m = method.as_str().to_ascii_lowercase();
        assert!(paths.get(path).and_then(|p| p.get(&m)).is_some(), "{method} {path} is not in openapi.json");
    }
    for (path, item) in paths {
        assert!(path.starts_with("/api/v1/"), "{path}: only API paths are documented");
        for (_, op) in item.as_object().unwrap() {
            assert!(op["responses"].as_object().is_some_and(|r| !r.is_empty()), "{path}: responses documented");
        }
    }
    assert!(doc["components"]["schemas"]["ApiError"].is_object(), "the error shape is documented");
}

#[tokio::test]
async fn a_tampered_label_answers_label_integrity_without_internals() {
    for app in TestApp::all().await {
        let b = app.backend;
        let org = app.org().await;
        let s = &app.services;
        let secretary = mishu_testkit::builders::actor(s, org.secretary).await;
        let input = mishu_testkit::builders::notice("关于考场保密工作的通知", app.now());
        let id = mishu_service::incoming::register(s, &secretary, input, "ip").await.unwrap().id;
        let token = app.token(org.secretary).await;
        let path = format!("/api/v1/incoming/{}", id.0);
        assert_eq!(app.api(&token).get(&path).await.status, StatusCode::OK, "{b}");
        s.db.execute(
            "UPDATE incoming_documents SET secrecy_period = '1年' WHERE incoming_id = $1",
            mishu_service::args![id.0],
        )
        .await
        .unwrap();
        let r = app.api(&token).get(&path).await;
        assert_json_error(&r, 500, "label_integrity", b);
        let text = r.text();
        for inside in ["incoming", "MAC", "label_mac"] {
            assert!(!text.contains(inside), "{b}: `{inside}` in the answer: {text}");
        }
        // The answer carries a random hex reference ("ref fb1bd6a3"), so the row's id
        // is looked for as a whole word, not as a substring of that reference.
        let id_text = id.0.to_string();
        let words = text.split(|c: char| !c.is_ascii_alphanumeric());
        assert!(!words.into_iter().any(|w| w == id_text), "{b}: the row id in the answer: {text}");
    }
}
