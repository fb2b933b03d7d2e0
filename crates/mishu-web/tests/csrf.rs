//! Cross-site request forgery: every unsafe request from a browser needs the session's own
//! token and must not come from another site; API clients with a bearer token need none.

mod support;

use axum::http::StatusCode;
use serde_json::json;
use support::{DUE, PASSWORD, TestApp};

/// The fields of a valid "give a leader task" form, for the secretary recording a leader's word.
fn give_fields(leader: i64, owner: i64) -> Vec<(&'static str, String)> {
    vec![
        ("title", "整理迎评材料".into()),
        ("leader", leader.to_string()),
        ("owner", owner.to_string()),
        ("due", DUE.into()),
    ]
}

fn refs<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[tokio::test]
async fn a_post_without_the_token_is_refused_and_stores_nothing() {
    for app in TestApp::all().await {
        let b = app.backend;
        let org = app.org().await;
        let mut c = app.client();
        c.sign_in("secretary").await;
        let fields = give_fields(org.leader.0, org.handler.0);
        let before = app.row_counts().await;

        let r = c.post_form_raw("/leader-tasks", &refs(&fields)).await;
        r.assert_error(403, "csrf", &format!("{b}: no _csrf"));
        let mut with_empty = refs(&fields);
        with_empty.push(("_csrf", ""));
        c.post_form_raw("/leader-tasks", &with_empty).await.assert_error(403, "csrf", &format!("{b}: empty _csrf"));
        let mut with_junk = refs(&fields);
        with_junk.push(("_csrf", "0000"));
        c.post_form_raw("/leader-tasks", &with_junk).await.assert_error(403, "csrf", &format!("{b}: wrong _csrf"));
        assert_eq!(app.row_counts().await, before, "{b}: nothing stored");

        // The same form with the token goes through: the refusals were about the token alone.
        let ok = c.post_form("/leader-tasks", &refs(&fields)).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{b}: {}", ok.text());
        assert_ne!(app.row_counts().await, before, "{b}");
    }
}

#[tokio::test]
async fn a_token_from_another_session_is_stale() {
    for app in TestApp::all().await {
        let b = app.backend;
        let org = app.org().await;
        let fields = give_fields(org.leader.0, org.handler.0);

        // The token this browser had before signing in belongs to no session.
        let mut c = app.client();
        let anonymous_token = c.csrf().await;
        c.sign_in("secretary").await;
        let session_token = c.csrf().await;
        assert_ne!(anonymous_token, session_token, "{b}: signing in changes the token");

        let mut other = app.client();
        other.sign_in("leader").await;
        let leaders_token = other.csrf().await;

        let before = app.row_counts().await;
        for (what, token) in [("pre-session token", &anonymous_token), ("another person's token", &leaders_token)] {
            let mut f = refs(&fields);
            f.push(("_csrf", token));
            c.post_form_raw("/leader-tasks", &f).await.assert_error(403, "csrf", &format!("{b}: {what}"));
        }

        // After signing out and in again, the old session's token is stale too.
        c.post_form("/logout", &[]).await;
        c.sign_in("secretary").await;
        let mut f = refs(&fields);
        f.push(("_csrf", &session_token));
        c.post_form_raw("/leader-tasks", &f).await.assert_error(
            403,
            "csrf",
            &format!("{b}: the previous session's token"),
        );
        assert_eq!(app.row_counts().await, before, "{b}: nothing stored");
    }
}

#[tokio::test]
async fn posts_from_another_site_are_refused_even_with_the_token() {
    for app in TestApp::all().await {
        let b = app.backend;
        let org = app.org().await;
        let mut c = app.client();
        c.sign_in("secretary").await;
        let token = c.csrf().await;
        let mut fields = give_fields(org.leader.0, org.handler.0);
        fields.push(("_csrf", token));
        let body = serde_urlencoded::to_string(&fields).unwrap().into_bytes();
        let form = "application/x-www-form-urlencoded";
        let before = app.row_counts().await;

        let foreign = c.post_body("/leader-tasks", form, body.clone(), &[("origin", "https://evil.example")]).await;
        foreign.assert_error(403, "csrf", &format!("{b}: foreign Origin"));
        let null = c.post_body("/leader-tasks", form, body.clone(), &[("origin", "null")]).await;
        null.assert_error(403, "csrf", &format!("{b}: Origin null"));
        let cross = c.post_body("/leader-tasks", form, body.clone(), &[("sec-fetch-site", "cross-site")]).await;
        cross.assert_error(403, "csrf", &format!("{b}: Sec-Fetch-Site cross-site"));
        assert_eq!(app.row_counts().await, before, "{b}: nothing stored");

        let same = c
            .post_body(
                "/leader-tasks",
                form,
                body,
                &[("origin", "http://localhost"), ("sec-fetch-site", "same-origin")],
            )
            .await;
        assert_eq!(same.status, StatusCode::SEE_OTHER, "{b}: our own origin is fine: {}", same.text());
    }
}

#[tokio::test]
async fn signing_in_needs_the_token_too() {
    for app in TestApp::all().await {
        let b = app.backend;
        app.org().await;
        let mut c = app.client();
        c.get("/login").await;
        let r = c.post_form_raw("/login", &[("login", "handler"), ("password", PASSWORD)]).await;
        r.assert_error(403, "csrf", &format!("{b}: login CSRF"));
        assert!(c.session_cookie().is_none(), "{b}");
    }
}

#[tokio::test]
async fn the_api_with_a_bearer_token_needs_no_csrf_but_a_cookie_does() {
    for app in TestApp::all().await {
        let b = app.backend;
        let org = app.org().await;
        let give = json!({"title": "核对经费", "leader_id": org.leader.0, "owner_id": org.handler.0, "due_at": "2026-11-30T17:00:00+08:00"});

        let token = app.token(org.secretary).await;
        let mut api = app.api(&token);
        let r = api.post_json("/api/v1/leader-tasks", &give).await;
        assert_eq!(r.status, StatusCode::CREATED, "{b}: {}", r.text());

        // A browser session calling the API must send X-CSRF-Token.
        let mut c = app.client();
        c.sign_in("secretary").await;
        let before = app.row_counts().await;
        let no_header =
            c.post_body("/api/v1/leader-tasks", "application/json", give.to_string().into_bytes(), &[]).await;
        no_header.assert_error(403, "csrf", &format!("{b}: cookie without X-CSRF-Token"));
        assert_eq!(app.row_counts().await, before, "{b}: nothing stored");
        let with_header = c.post_json("/api/v1/leader-tasks", &give).await;
        assert_eq!(with_header.status, StatusCode::CREATED, "{b}: {}", with_header.text());
    }
}
