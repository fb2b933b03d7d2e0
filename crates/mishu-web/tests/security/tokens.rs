//! API tokens on the account page: shown once, usable as a bearer token, revocable.

use super::browser::{Browser, with_password};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use mishu_domain::org::{AdminKind, Clearance, Role};
use mishu_testkit::TestDb;
use mishu_testkit::builders;
#[tokio::test]
async fn api_tokens_are_shown_once_work_as_bearer_and_can_be_revoked() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        with_password(&s, builders::person(&s, "integr", None, &[Role::Handler], Clearance::None).await).await;
        with_password(&s, builders::admin(&s, "audadm", AdminKind::Audit).await).await;
        let mut b = Browser::new(&s);
        b.login("integr").await;
        b.get("/account").await;
        let created = b.post("/account/tokens", &[("name", "OA bridge"), ("expires", "")]).await;
        assert_eq!(created.status, StatusCode::OK, "{}: {}", t.backend, created.body);
        let start = created.body.find("id=\"token\">").unwrap() + 11;
        let token = created.body[start..start + created.body[start..].find('<').unwrap()].to_string();
        assert!(token.starts_with("mishu_"), "{token}");
        let account = b.get("/account").await;
        assert!(
            account.body.contains("OA bridge") && !account.body.contains(&token),
            "{}: listed, never shown again",
            t.backend
        );

        let api = |token: String| Request::get("/api/v1/me").header(header::AUTHORIZATION, format!("Bearer {token}"));
        assert_eq!(b.send(api(token.clone()), Body::empty()).await.status, StatusCode::OK, "{}", t.backend);
        let id = account.body.split("/account/tokens/").nth(1).unwrap().split('/').next().unwrap().to_string();
        let r = b.post(&format!("/account/tokens/{id}/revoke"), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(b.send(api(token), Body::empty()).await.status, StatusCode::UNAUTHORIZED, "{}", t.backend);
        let r = b.post("/account/tokens", &[("name", "x"), ("expires", "2020-01-01")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: expiry in the past", t.backend);

        // Administrators hold no tokens.
        let mut aud = Browser::new(&s);
        aud.login("audadm").await;
        assert!(!aud.get("/account").await.body.contains("/account/tokens"));
        assert_eq!(aud.post("/account/tokens", &[("name", "x")]).await.status, StatusCode::FORBIDDEN, "{}", t.backend);
    }
}
