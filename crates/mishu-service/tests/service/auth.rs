use mishu_domain::org::{Clearance, Role};
use mishu_service::ServiceError;
use mishu_service::audit::Origin;
use mishu_service::auth::{self, AuthError};
use mishu_testkit::TestDb;
use mishu_testkit::builders::{self, GOOD_PASSWORD};

fn bad_credentials(r: Result<auth::LoginOutcome, ServiceError>) -> bool {
    matches!(r, Err(ServiceError::Auth(AuthError::BadCredentials)))
}

#[tokio::test]
async fn login_lockout_and_the_same_message_for_every_failure() {
    for t in TestDb::all().await {
        let (s, clock) = t.services();
        let p = builders::person(&s, "mishu.sec", None, &[Role::Secretary], Clearance::None).await;
        auth::set_password(&s, &Origin::system(), p, GOOD_PASSWORD, false).await.unwrap();
        let ok = auth::login(&s, "Mishu.Sec", GOOD_PASSWORD, "127.0.0.1").await.unwrap();
        assert_eq!(ok.person_id, p);
        assert!(auth::session(&s, &ok.session_token).await.unwrap().is_some());
        assert!(bad_credentials(auth::login(&s, "nobody", GOOD_PASSWORD, "ip").await), "{}", t.backend);
        for _ in 0..5 {
            assert!(bad_credentials(auth::login(&s, "mishu.sec", "wrong-password", "ip").await));
        }
        // Locked: even the right password is refused, with the same error.
        assert!(bad_credentials(auth::login(&s, "mishu.sec", GOOD_PASSWORD, "ip").await), "{}", t.backend);
        clock.advance_minutes(31);
        assert!(auth::login(&s, "mishu.sec", GOOD_PASSWORD, "ip").await.is_ok(), "{}: unlocks after 30 min", t.backend);
    }
}

#[tokio::test]
async fn sessions_expire_when_idle_and_end_on_password_change() {
    for t in TestDb::all().await {
        let (s, clock) = t.services();
        let p = builders::person(&s, "handler1", None, &[Role::Handler], Clearance::None).await;
        auth::set_password(&s, &Origin::system(), p, GOOD_PASSWORD, false).await.unwrap();
        let a = auth::login(&s, "handler1", GOOD_PASSWORD, "ip").await.unwrap();
        clock.advance_minutes(29);
        assert!(auth::session(&s, &a.session_token).await.unwrap().is_some(), "{}: valid at 29 min", t.backend);
        clock.advance_minutes(29);
        assert!(
            auth::session(&s, &a.session_token).await.unwrap().is_some(),
            "{}: touched, so idle restarts",
            t.backend
        );
        clock.advance_minutes(31);
        assert!(auth::session(&s, &a.session_token).await.unwrap().is_none(), "{}: idle 31 min", t.backend);

        let one = auth::login(&s, "handler1", GOOD_PASSWORD, "ip").await.unwrap();
        let two = auth::login(&s, "handler1", GOOD_PASSWORD, "ip").await.unwrap();
        let sess = auth::session(&s, &one.session_token).await.unwrap().unwrap();
        let weak = auth::change_password(&s, &sess, GOOD_PASSWORD, "short", "ip").await;
        assert!(matches!(weak, Err(ServiceError::Password(_))), "{}", t.backend);
        auth::change_password(&s, &sess, GOOD_PASSWORD, "Another#Pass2026", "ip").await.unwrap();
        assert!(auth::session(&s, &one.session_token).await.unwrap().is_some());
        assert!(auth::session(&s, &two.session_token).await.unwrap().is_none(), "{}: other sessions end", t.backend);
    }
}

#[tokio::test]
async fn api_tokens_authenticate_until_revoked() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let p = builders::person(&s, "integr", None, &[Role::Handler], Clearance::None).await;
        let (id, token) = auth::tokens::create(&s, &Origin::system(), p, "OA bridge", None).await.unwrap();
        assert_eq!(auth::tokens::authenticate(&s, &token).await.unwrap(), Some(p));
        assert_eq!(auth::tokens::authenticate(&s, "mishu_wrong").await.unwrap(), None);
        auth::tokens::revoke(&s, &Origin::system(), p, id).await.unwrap();
        assert_eq!(auth::tokens::authenticate(&s, &token).await.unwrap(), None, "{}", t.backend);
    }
}
