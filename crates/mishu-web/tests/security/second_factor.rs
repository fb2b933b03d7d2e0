//! The second factor at sign-in (through the code page) and on the account page.

use super::browser::{Browser, with_password};
use axum::http::StatusCode;
use mishu_domain::org::{Clearance, Role};
use mishu_domain::totp;
use mishu_service::clock::{Clock, FixedClock};
use mishu_service::{Services, auth};
use mishu_testkit::TestDb;
use mishu_testkit::builders::{self, GOOD_PASSWORD};
use mishu_web::i18n::Locale;
/// A person who set up the second factor through the account page: their browser and secret.
async fn totp_user(s: &Services, clock: &FixedClock) -> (Browser, Vec<u8>) {
    let me = with_password(s, builders::person(s, "guarded", None, &[Role::Handler], Clearance::None).await).await;
    // Set up through the account page, as a person would.
    let mut b = Browser::new(s);
    b.login("guarded").await;
    assert!(b.get("/account").await.body.contains("/account/totp/begin"));
    assert_eq!(b.post("/account/totp/begin", &[]).await.status, StatusCode::SEE_OTHER);
    let page = b.get("/account").await;
    let start = page.body.find("id=\"totp-secret\">").expect("the key is shown") + 17;
    let grouped = &page.body[start..start + page.body[start..].find('<').unwrap()];
    assert!(grouped.split(' ').all(|g| g.len() <= 4), "{grouped}");
    assert!(page.body.contains("otpauth://totp/") && page.body.contains("data:image/svg+xml;base64,"));
    let secret = totp::decode_secret(grouped).unwrap();
    let r = b.post("/account/totp/confirm", &[("code", &totp::code_at(&secret, clock.now()))]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(auth::totp::is_enabled(s, me).await.unwrap());
    clock.advance_minutes(1);
    (b, secret)
}

#[tokio::test]
async fn a_person_with_a_second_factor_cannot_reach_the_inbox_until_the_code_is_given() {
    for t in TestDb::all().await {
        let (s, clock) = t.services();
        let (_, secret) = totp_user(&s, &clock).await;
        let mut b = Browser::new(&s);
        let landed = b.login("guarded").await;
        assert_eq!(landed.location, "/login/totp", "{}", t.backend);
        let pending_sid = b.cookies["mishu_sid"].clone();
        assert_eq!(
            b.get("/inbox").await.location,
            "/login/totp",
            "{}: pages send a pending session to the code",
            t.backend
        );
        assert_eq!(b.get("/account").await.location, "/login/totp");
        assert_eq!(b.get("/api/v1/inbox").await.status, StatusCode::UNAUTHORIZED, "{}", t.backend);
        // Nor can a pending session mint an API token, a sign-in path around the code.
        let minted = b.post("/account/tokens", &[("name", "旁路"), ("expires", "")]).await;
        assert_ne!(minted.status, StatusCode::OK, "{}: {}", t.backend, minted.body);
        assert!(minted.status != StatusCode::SEE_OTHER || minted.location == "/login/totp", "{}", t.backend);
        let (tokens,): (i64,) =
            s.db.fetch_one("SELECT COUNT(*) FROM api_tokens", mishu_service::args![]).await.unwrap();
        assert_eq!(tokens, 0, "{}: no token was made", t.backend);
        let page = b.get("/login/totp").await;
        assert_eq!(page.status, StatusCode::OK);
        let wrong = b.post("/login/totp", &[("code", "000000")]).await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{}", t.backend);
        assert!(
            wrong.body.contains(mishu_web::i18n::t(Locale::ZhCn, "error.bad_totp"))
                && wrong.body.contains("id=\"code\""),
            "{}",
            wrong.body
        );
        assert_eq!(b.get("/inbox").await.location, "/login/totp");
        let ok = b.post("/login/totp", &[("code", &totp::code_at(&secret, clock.now()))]).await;
        assert_eq!((ok.status, ok.location.as_str()), (StatusCode::SEE_OTHER, "/"), "{}: {}", t.backend, ok.body);
        assert_ne!(b.cookies["mishu_sid"], pending_sid, "{}: a new session id", t.backend);
        assert_eq!(b.get("/inbox").await.status, StatusCode::OK, "{}", t.backend);
        // The code page has nothing to do for a full session.
        assert_eq!(b.get("/login/totp").await.location, "/login");
    }
}

#[tokio::test]
async fn five_wrong_codes_lock_the_account_and_end_the_pending_session() {
    for t in TestDb::all().await {
        let (s, clock) = t.services();
        let (_, secret) = totp_user(&s, &clock).await;
        let mut b = Browser::new(&s);
        b.login("guarded").await;
        b.get("/login/totp").await;
        for _ in 0..4 {
            assert_eq!(b.post("/login/totp", &[("code", "000000")]).await.status, StatusCode::UNAUTHORIZED);
        }
        let last = b.post("/login/totp", &[("code", "000000")]).await;
        assert_eq!(last.status, StatusCode::UNAUTHORIZED);
        assert!(last.body.contains(mishu_web::i18n::t(Locale::ZhCn, "error.bad_credentials")), "{}", last.body);
        assert!(!b.cookies.contains_key("mishu_sid"), "{}: the cookie is cleared", t.backend);
        assert_eq!(b.get("/login/totp").await.location, "/login", "{}: no pending session left", t.backend);
        let r = b.post("/login/totp", &[("code", &totp::code_at(&secret, clock.now()))]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}: the old form no longer counts", t.backend);
        let mut again = Browser::new(&s);
        again.get("/login").await;
        let r = again.post("/login", &[("login", "guarded"), ("password", GOOD_PASSWORD)]).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}: locked", t.backend);
        assert!(r.body.contains("id=\"signin\""), "{}: the sign-in form again, not an error page", t.backend);
    }
}
