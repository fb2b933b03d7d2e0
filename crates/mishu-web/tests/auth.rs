//! Sign-in over HTTP: the one generic failure message, lockout, logout ending the session on
//! the server, the idle and absolute timeouts, a fresh session id at every sign-in (a planted
//! one is never adopted), and the session cookie's flags.

mod support;

use axum::http::StatusCode;
use mishu_web::WebConfig;
use mishu_web::i18n::{self, Locale};
use support::{PASSWORD, TestApp};

fn generic_failure() -> &'static str {
    i18n::t(Locale::ZhCn, "error.bad_credentials")
}

fn sid_cookie(set_cookies: &[String]) -> Option<&String> {
    set_cookies.iter().find(|c| c.contains("mishu_sid="))
}

#[tokio::test]
async fn a_wrong_password_gets_the_generic_message_and_no_session() {
    for app in TestApp::all().await {
        let b = app.backend;
        app.org().await;
        let mut c = app.client();
        let wrong = c.login("secretary", "not-the-password").await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{b}");
        assert!(wrong.text().contains(generic_failure()), "{b}: {}", wrong.text());
        assert!(sid_cookie(&wrong.set_cookies()).is_none(), "{b}: no session cookie on failure");
        assert!(c.session_cookie().is_none(), "{b}");
        let (sessions,): (i64,) = app.services.db.fetch_one("SELECT COUNT(*) FROM sessions", vec![]).await.unwrap();
        assert_eq!(sessions, 0, "{b}: no session stored");

        // An unknown login reads exactly the same (only the echoed login differs).
        let unknown = c.login("nobody.here", "not-the-password").await;
        assert_eq!(unknown.status, StatusCode::UNAUTHORIZED, "{b}");
        assert_eq!(
            wrong.text().replace("secretary", "X"),
            unknown.text().replace("nobody.here", "X"),
            "{b}: same page for unknown login"
        );

        // Still anonymous: the inbox sends us to sign in.
        let inbox = c.get("/inbox").await;
        assert_eq!(inbox.status, StatusCode::SEE_OTHER, "{b}");
    }
}

#[tokio::test]
async fn five_failures_lock_the_account_with_the_same_message() {
    for app in TestApp::all().await {
        let b = app.backend;
        app.org().await;
        let mut c = app.client();
        for i in 0..5 {
            let r = c.login("handler", "wrong-password").await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{b}: failure {i}");
        }
        let locked = c.login("handler", PASSWORD).await;
        assert_eq!(locked.status, StatusCode::UNAUTHORIZED, "{b}: the right password is refused while locked");
        assert!(locked.text().contains(generic_failure()), "{b}: same words while locked");
        assert!(sid_cookie(&locked.set_cookies()).is_none(), "{b}");

        app.clock.advance_minutes(31);
        let ok = c.login("handler", PASSWORD).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{b}: unlocked after the lockout period");
    }
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server() {
    for app in TestApp::all().await {
        let b = app.backend;
        app.org().await;
        let mut c = app.client();
        c.sign_in("handler").await;
        let stolen = c.session_cookie().expect("session cookie");
        assert_eq!(c.get("/inbox").await.status, StatusCode::OK, "{b}");

        let out = c.post_form("/logout", &[]).await;
        assert_eq!(out.status, StatusCode::SEE_OTHER, "{b}: {}", out.text());
        assert_eq!(out.location(), Some("/login"), "{b}");
        let cleared = sid_cookie(&out.set_cookies()).expect("cookie cleared").clone();
        assert!(cleared.contains("Max-Age=0"), "{b}: {cleared}");

        // Someone who kept the old cookie value gets nothing: the session is gone server-side.
        let mut replay = app.client();
        replay.cookies.insert("mishu_sid".into(), stolen);
        let r = replay.get("/inbox").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}");
        assert_eq!(r.location(), Some("/login?next=%2Finbox"), "{b}");
        let api = replay.get("/api/v1/me").await;
        api.assert_error(401, "unauthenticated", &format!("{b}: old cookie on the API"));
    }
}

#[tokio::test]
async fn an_idle_session_expires_after_thirty_minutes() {
    for app in TestApp::all().await {
        let b = app.backend;
        app.org().await;
        let mut c = app.client();
        c.sign_in("handler").await;
        app.clock.advance_minutes(29);
        assert_eq!(c.get("/inbox").await.status, StatusCode::OK, "{b}: still live at 29 minutes");
        app.clock.advance_minutes(29);
        assert_eq!(c.get("/inbox").await.status, StatusCode::OK, "{b}: use restarts the idle timer");
        app.clock.advance_minutes(31);
        let r = c.get("/inbox").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: idle 31 minutes");
        assert_eq!(r.location(), Some("/login?next=%2Finbox"), "{b}");
    }
}

#[tokio::test]
async fn cookies_are_http_only_and_same_site_strict() {
    for app in TestApp::all().await {
        let b = app.backend;
        app.org().await;
        let mut c = app.client();
        let page = c.get("/login").await;
        let pre =
            page.set_cookies().into_iter().find(|c| c.starts_with("mishu_pre=")).expect("pre-session CSRF cookie");
        assert!(pre.contains("HttpOnly") && pre.contains("SameSite=Strict"), "{b}: {pre}");

        let r = c.login("handler", PASSWORD).await;
        let sid = sid_cookie(&r.set_cookies()).expect("session cookie").clone();
        assert!(sid.starts_with("mishu_sid="), "{b}: {sid}");
        for flag in ["HttpOnly", "SameSite=Strict", "Path=/"] {
            assert!(sid.contains(flag), "{b}: {flag} missing in {sid}");
        }
        assert!(!sid.contains("Secure"), "{b}: plain-HTTP config has no Secure flag: {sid}");
        assert!(!sid.contains("Max-Age") && !sid.contains("Expires"), "{b}: a browser-session cookie: {sid}");
    }
}

#[tokio::test]
async fn secure_cookies_use_the_host_prefix() {
    for app in TestApp::all_with(WebConfig { secure_cookies: true, node_name: "test".into(), public_url: None }).await {
        let b = app.backend;
        app.org().await;
        let mut c = app.client();
        let page = c.get("/login").await;
        let pre =
            page.set_cookies().into_iter().find(|c| c.starts_with("__Host-mishu_pre=")).expect("__Host- pre cookie");
        assert!(pre.contains("Secure") && pre.contains("Path=/") && !pre.contains("Domain="), "{b}: {pre}");
        let r = c.login("handler", PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}");
        let sid =
            r.set_cookies().into_iter().find(|c| c.starts_with("__Host-mishu_sid=")).expect("__Host- session cookie");
        for flag in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] {
            assert!(sid.contains(flag), "{b}: {flag} missing in {sid}");
        }
        assert!(!sid.contains("Domain="), "{b}: __Host- cookies carry no Domain");
        assert_eq!(c.get("/inbox").await.status, StatusCode::OK, "{b}: the prefixed cookie is the one read");

        // The unprefixed name is not accepted when cookies are secure.
        let value = c.session_cookie().unwrap();
        let mut other = app.client();
        other.cookies.insert("mishu_sid".into(), value);
        assert_eq!(other.get("/inbox").await.status, StatusCode::SEE_OTHER, "{b}");
    }
}

#[tokio::test]
async fn sign_in_returns_only_to_local_pages() {
    for app in TestApp::all().await {
        let b = app.backend;
        app.org().await;
        let mut c = app.client();
        let r = c.post_form("/login", &[("login", "handler"), ("password", PASSWORD), ("next", "/leader-tasks")]).await;
        assert_eq!(r.location(), Some("/leader-tasks"), "{b}");
        let mut c = app.client();
        let r =
            c.post_form("/login", &[("login", "handler"), ("password", PASSWORD), ("next", "//evil.example/x")]).await;
        assert_eq!(r.location(), Some("/"), "{b}: no open redirect");
    }
}

#[tokio::test]
async fn a_password_that_must_change_allows_only_the_account_page() {
    for app in TestApp::all().await {
        let b = app.backend;
        let org = app.org().await;
        let origin = mishu_service::audit::Origin::system();
        mishu_service::auth::set_password(&app.services, &origin, org.secretary, PASSWORD, true).await.unwrap();
        let mut c = app.client();
        let r = c.login("secretary", PASSWORD).await;
        assert_eq!(r.location(), Some("/account?must_change=1"), "{b}");
        assert_eq!(c.get("/account").await.status, StatusCode::OK, "{b}");
        let r = c.get("/inbox").await;
        assert_eq!(r.location(), Some("/account?must_change=1"), "{b}: pages wait for the new password");

        let nothing = app.unchanged().await;
        let fields = [("title", "t"), ("leader", "1"), ("owner", "1"), ("due", support::DUE)];
        let r = c.post_form("/leader-tasks", &fields).await;
        assert_eq!(r.location(), Some("/account?must_change=1"), "{b}: and so do forms");
        nothing.assert(&format!("{b}: must change")).await;
        let r = c.get("/api/v1/inbox").await;
        r.assert_error(403, "forbidden", &format!("{b}: the API too"));

        let new = "Fresh#Passw0rd2026";
        let r = c.post_form("/account/password", &[("current", PASSWORD), ("new", new), ("confirm", new)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.text());
        assert_eq!(c.get("/inbox").await.status, StatusCode::OK, "{b}: free again");
    }
}

#[tokio::test]
async fn signing_in_again_ends_the_earlier_session_on_the_server() {
    for app in TestApp::all().await {
        let b = app.backend;
        let org = app.org().await;
        let mut c = app.client();
        c.login("handler", PASSWORD).await;
        let first = c.session_cookie().expect("first session");
        c.login("handler", PASSWORD).await;
        let second = c.session_cookie().expect("second session");
        assert_ne!(first, second, "{b}: a new session id on every sign-in");
        let (n,): (i64,) = app
            .services
            .db
            .fetch_one("SELECT COUNT(*) FROM sessions WHERE person_id = $1", mishu_service::args![org.handler])
            .await
            .unwrap();
        assert_eq!(n, 1, "{b}: the earlier session is gone from the database");
    }
}

#[tokio::test]
async fn a_busy_session_still_ends_at_the_absolute_limit_of_twelve_hours() {
    for app in TestApp::all().await {
        let b = app.backend;
        app.org().await;
        let mut c = app.client();
        c.sign_in("handler").await;
        // Used every 20 minutes, so the idle timeout never strikes.
        for step in 1..=35 {
            app.clock.advance_minutes(20);
            assert_eq!(c.get("/inbox").await.status, StatusCode::OK, "{b}: live after {} minutes", 20 * step);
        }
        app.clock.advance_minutes(21);
        let r = c.get("/inbox").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: 12 h 1 min after sign-in, however busy");
        assert_eq!(r.location(), Some("/login?next=%2Finbox"), "{b}");
    }
}

#[tokio::test]
async fn a_session_id_planted_before_sign_in_is_never_adopted() {
    for app in TestApp::all().await {
        let b = app.backend;
        app.org().await;
        let mut c = app.client();
        let planted = "a".repeat(43);
        c.cookies.insert("mishu_sid".into(), planted.clone());
        assert_eq!(c.get("/inbox").await.status, StatusCode::SEE_OTHER, "{b}: a made-up id signs no one in");
        c.login("handler", PASSWORD).await;
        let issued = c.session_cookie().expect("a session after sign-in");
        assert_ne!(issued, planted, "{b}: sign-in issues its own id");
        assert_eq!(c.get("/inbox").await.status, StatusCode::OK, "{b}");
        // The attacker who planted the id holds nothing.
        let mut attacker = app.client();
        attacker.cookies.insert("mishu_sid".into(), planted);
        assert_eq!(attacker.get("/inbox").await.status, StatusCode::SEE_OTHER, "{b}: the planted id stays dead");
    }
}
