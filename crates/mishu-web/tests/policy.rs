//! Nothing is reachable around the policy: every registered route, called anonymously and
//! by people who lack its capability, is refused before its handler runs; a route without a
//! policy entry is refused to everyone.

mod support;

use axum::http::{Method, StatusCode};
use mishu_domain::access::{Capability, allows};
use mishu_testkit::builders;
use mishu_web::policy::POLICY;
use mishu_web::routes;
use support::{Client, Resp, TestApp};

/// A concrete URL for a route pattern.
fn concrete(path: &str) -> String {
    path.replace("{id}", "1").replace("{file}", "app.css")
}

fn capability(method: &Method, path: &str) -> Capability {
    POLICY
        .iter()
        .find(|(m, p, _)| *m == method.as_str() && *p == path)
        .map(|(_, _, c)| *c)
        .unwrap_or_else(|| panic!("{method} {path} has no policy entry"))
}

async fn call(c: &mut Client<'_>, method: &Method, path: &str) -> Resp {
    let url = concrete(path);
    match *method {
        Method::GET => c.get(&url).await,
        Method::POST if path.starts_with("/api/") => c.post_json(&url, &serde_json::json!({})).await,
        // With a valid token, so that only the policy can be what refuses.
        Method::POST => c.post_form(&url, &[]).await,
        _ => panic!("{method} {path}: a method the test does not know"),
    }
}

#[test]
fn every_route_has_exactly_one_policy_entry() {
    let registered = routes::all().registered;
    for (m, p) in &registered {
        let n = POLICY.iter().filter(|(pm, pp, _)| *pm == m.as_str() && pp == p).count();
        assert_eq!(n, 1, "{m} {p}: {n} policy entries");
    }
}

#[tokio::test]
async fn anonymous_callers_reach_only_public_routes() {
    for app in TestApp::all().await {
        let b = app.backend;
        app.org().await;
        let before = app.row_counts().await;
        let mut c = app.client();
        for (method, path) in routes::all().registered {
            let r = call(&mut c, &method, path).await;
            let what = format!("{b}: anonymous {method} {path} → {}", r.status);
            let to_login = r.location().is_some_and(|l| l.starts_with("/login"));
            // The second-factor page is public but only means something with a pending
            // session; without one it sends the visitor to sign in first.
            if path == "/login/totp" {
                if method == Method::GET {
                    assert_eq!(r.location(), Some("/login"), "{what}");
                } else {
                    assert!(!r.status.is_success(), "{what}: no pending session, nothing to verify");
                }
                continue;
            }
            if capability(&method, path) == Capability::Public {
                assert!(
                    r.status != StatusCode::UNAUTHORIZED && r.status != StatusCode::FORBIDDEN && !to_login,
                    "{what}: public: {}",
                    r.text()
                );
                continue;
            }
            assert!(!r.status.is_success(), "{what}: reachable without signing in");
            if method == Method::GET && !path.starts_with("/api/") {
                assert_eq!(r.status, StatusCode::SEE_OTHER, "{what}");
                let expected = format!(
                    "/login?next={}",
                    percent_encoding::utf8_percent_encode(&concrete(path), percent_encoding::NON_ALPHANUMERIC)
                );
                assert_eq!(r.location(), Some(expected.as_str()), "{what}");
            } else {
                r.assert_error(401, "unauthenticated", &what);
            }
        }
        assert_eq!(app.row_counts().await, before, "{b}: nothing stored by anonymous calls");
    }
}

#[tokio::test]
async fn people_without_the_capability_are_forbidden_on_every_route() {
    for app in TestApp::all().await {
        let b = app.backend;
        let org = app.org().await;
        let before = app.row_counts().await;
        let mut refused = 0;
        for (login, id) in
            [("handler", org.handler), ("sysadmin", org.sysadmin), ("leader", org.leader), ("secretary", org.secretary)]
        {
            let actor = builders::actor(&app.services, id).await;
            let mut c = app.client();
            c.sign_in(login).await;
            for (method, path) in routes::all().registered {
                if allows(Some(&actor), capability(&method, path)) {
                    continue;
                }
                let r = call(&mut c, &method, path).await;
                r.assert_error(403, "forbidden", &format!("{b}: {login} {method} {path}"));
                refused += 1;
            }
        }
        assert!(refused > 10, "{b}: the test refused only {refused} calls");
        assert_eq!(app.row_counts().await, before, "{b}: nothing stored");
    }
}

#[tokio::test]
async fn a_route_without_a_policy_entry_is_denied_to_everyone() {
    let mut app = TestApp::sqlite().await;
    let r = routes::all().get("/secret", || async { "the secret" }).post("/secret", || async { "the secret" });
    app.router = routes::build_from(r, app.services.clone(), app.config.clone());
    app.org().await;

    let mut anon = app.client();
    let r = anon.get("/secret").await;
    r.assert_error(403, "forbidden", "anonymous GET");
    assert!(!r.text().contains("the secret"));
    for login in ["secretary", "sysadmin"] {
        let mut c = app.client();
        c.sign_in(login).await;
        let r = c.get("/secret").await;
        r.assert_error(403, "forbidden", &format!("{login} GET"));
        assert!(!r.text().contains("the secret"));
        c.post_form("/secret", &[]).await.assert_error(403, "forbidden", &format!("{login} POST"));
    }
}

#[tokio::test]
async fn a_method_the_route_does_not_serve_is_refused() {
    let app = TestApp::sqlite().await;
    app.org().await;
    let before = app.row_counts().await;
    let mut c = app.client();
    c.sign_in("secretary").await;
    for path in ["/inbox", "/leader-tasks/new", "/api/v1/me"] {
        let r = c.post_form(path, &[]).await;
        assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "POST {path}: the path exists, the method does not");
    }
    let r = c.get("/logout").await;
    assert!(r.status.is_client_error(), "GET /logout must not sign out: {}", r.status);
    assert_eq!(c.get("/inbox").await.status, StatusCode::OK, "still signed in");
    assert_eq!(app.row_counts().await, before);
}
