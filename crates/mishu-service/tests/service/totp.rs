use mishu_domain::PersonId;
use mishu_domain::org::{AdminKind, Clearance, Role};
use mishu_domain::totp;
use mishu_service::audit::Origin;
use mishu_service::auth::{self, AuthError, Session};
use mishu_service::clock::{Clock, FixedClock};
use mishu_service::{ServiceError, Services, args};
use mishu_testkit::TestDb;
use mishu_testkit::builders::{self, GOOD_PASSWORD};

/// A person with a password and a confirmed second factor; returns them and their secret.
async fn enrolled(s: &Services, clock: &FixedClock, login: &str) -> (PersonId, Vec<u8>) {
    let p = builders::person(s, login, None, &[Role::Handler], Clearance::None).await;
    auth::set_password(s, &Origin::system(), p, GOOD_PASSWORD, false).await.unwrap();
    let first = auth::login(s, login, GOOD_PASSWORD, "ip").await.unwrap();
    assert!(!first.needs_totp);
    let sess = auth::session(s, &first.session_token).await.unwrap().unwrap();
    let e = auth::totp::begin_enrolment(s, &sess, "ip").await.unwrap();
    assert!(e.uri.starts_with("otpauth://totp/Mishu:") && e.uri.contains(&format!("secret={}", e.secret)), "{}", e.uri);
    let secret = totp::decode_secret(&e.secret).unwrap();
    assert_eq!(secret.len(), totp::SECRET_BYTES);
    auth::totp::confirm_enrolment(s, &sess, &totp::code_at(&secret, clock.now()), "ip").await.unwrap();
    // The next code is a new time step: the one used to confirm cannot be replayed.
    clock.advance_minutes(1);
    (p, secret)
}

async fn pending(s: &Services, login: &str) -> (String, Session) {
    let out = auth::login(s, login, GOOD_PASSWORD, "ip").await.unwrap();
    assert!(out.needs_totp, "a password alone is not enough once the second factor is on");
    let sess = auth::session(s, &out.session_token).await.unwrap().unwrap();
    assert!(sess.pending_totp);
    (out.session_token, sess)
}

fn is_auth(r: &Result<String, ServiceError>, want: AuthError) -> bool {
    matches!(r, Err(ServiceError::Auth(e)) if *e == want)
}

#[tokio::test]
async fn enrolment_then_sign_in_needs_the_code_and_a_code_works_once() {
    for t in TestDb::all().await {
        let (s, clock) = t.services();
        let (_, secret) = enrolled(&s, &clock, "totp.user").await;
        let (old_token, sess) = pending(&s, "totp.user").await;
        let code = totp::code_at(&secret, clock.now());
        let token = auth::totp::verify_second_factor(&s, &sess, &code, "ip").await.unwrap();
        assert_ne!(token, old_token, "{}: the session id changes once the second factor passes", t.backend);
        assert!(auth::session(&s, &old_token).await.unwrap().is_none(), "{}", t.backend);
        let full = auth::session(&s, &token).await.unwrap().unwrap();
        assert!(!full.pending_totp, "{}", t.backend);

        // Replay: the same code in the same step, on a new pending session, is refused.
        let (_, again) = pending(&s, "totp.user").await;
        let r = auth::totp::verify_second_factor(&s, &again, &code, "ip").await;
        assert!(is_auth(&r, AuthError::BadTotp), "{}: replayed code {r:?}", t.backend);
        clock.advance_minutes(1);
        let fresh = totp::code_at(&secret, clock.now());
        assert!(auth::totp::verify_second_factor(&s, &again, &fresh, "ip").await.is_ok(), "{}", t.backend);
    }
}

#[tokio::test]
async fn wrong_codes_count_toward_the_lockout_and_a_new_password_login_does_not_reset_them() {
    for t in TestDb::all().await {
        let (s, clock) = t.services();
        let (_, secret) = enrolled(&s, &clock, "guessed").await;
        for i in 0..4 {
            // Signing in again with the password must not wipe the count.
            let (_, sess) = pending(&s, "guessed").await;
            let r = auth::totp::verify_second_factor(&s, &sess, "000000", "ip").await;
            assert!(is_auth(&r, AuthError::BadTotp), "{}: attempt {i}: {r:?}", t.backend);
        }
        let (token, sess) = pending(&s, "guessed").await;
        let r = auth::totp::verify_second_factor(&s, &sess, "000000", "ip").await;
        assert!(is_auth(&r, AuthError::BadCredentials), "{}: the fifth wrong code locks: {r:?}", t.backend);
        assert!(auth::session(&s, &token).await.unwrap().is_none(), "{}: the pending session ended", t.backend);
        let locked = auth::login(&s, "guessed", GOOD_PASSWORD, "ip").await;
        assert!(matches!(locked, Err(ServiceError::Auth(AuthError::BadCredentials))), "{}", t.backend);
        let (n,): (i64,) = s
            .db
            .fetch_one("SELECT COUNT(*) FROM audit_log WHERE action = $1", mishu_service::args!["auth.totp_failed"])
            .await
            .unwrap();
        assert_eq!(n, 4, "{}: each wrong code is audited", t.backend);

        clock.advance_minutes(31);
        let (_, sess) = pending(&s, "guessed").await;
        let code = totp::code_at(&secret, clock.now());
        assert!(
            auth::totp::verify_second_factor(&s, &sess, &code, "ip").await.is_ok(),
            "{}: unlocked after 30 min",
            t.backend
        );
    }
}

#[tokio::test]
async fn turning_off_needs_password_and_code_and_administrators_keep_theirs() {
    for t in TestDb::all().await {
        let (s, clock) = t.services();
        let (p, secret) = enrolled(&s, &clock, "leaving").await;
        let (_, sess) = pending(&s, "leaving").await;
        let token =
            auth::totp::verify_second_factor(&s, &sess, &totp::code_at(&secret, clock.now()), "ip").await.unwrap();
        let sess = auth::session(&s, &token).await.unwrap().unwrap();
        clock.advance_minutes(1);
        let code = totp::code_at(&secret, clock.now());
        let r = auth::totp::disable(&s, &sess, "wrong password", &code, "ip").await;
        assert!(matches!(r, Err(ServiceError::Auth(AuthError::WrongCurrentPassword))), "{}", t.backend);
        let r = auth::totp::disable(&s, &sess, GOOD_PASSWORD, "123456", "ip").await;
        assert!(matches!(r, Err(ServiceError::Auth(AuthError::BadTotp))), "{}", t.backend);
        assert!(auth::totp::is_enabled(&s, p).await.unwrap());
        auth::totp::disable(&s, &sess, GOOD_PASSWORD, &code, "ip").await.unwrap();
        assert!(!auth::totp::is_enabled(&s, p).await.unwrap(), "{}", t.backend);
        assert!(!auth::login(&s, "leaving", GOOD_PASSWORD, "ip").await.unwrap().needs_totp, "{}", t.backend);

        // An administrator cannot turn it off; the security administrator resets it instead.
        let admin = builders::admin(&s, "sysadm", AdminKind::System).await;
        auth::set_password(&s, &Origin::system(), admin, GOOD_PASSWORD, false).await.unwrap();
        let out = auth::login(&s, "sysadm", GOOD_PASSWORD, "ip").await.unwrap();
        let asess = auth::session(&s, &out.session_token).await.unwrap().unwrap();
        let e = auth::totp::begin_enrolment(&s, &asess, "ip").await.unwrap();
        let asecret = totp::decode_secret(&e.secret).unwrap();
        auth::totp::confirm_enrolment(&s, &asess, &totp::code_at(&asecret, clock.now()), "ip").await.unwrap();
        clock.advance_minutes(1);
        let r = auth::totp::disable(&s, &asess, GOOD_PASSWORD, &totp::code_at(&asecret, clock.now()), "ip").await;
        assert!(matches!(r, Err(ServiceError::Forbidden)), "{}", t.backend);
        let secadm = builders::admin(&s, "secadm", AdminKind::Security).await;
        let by_sec = Origin { actor_id: Some(secadm), ..Origin::system() };
        assert!(matches!(auth::totp::reset(&s, &by_sec, secadm).await, Err(ServiceError::Forbidden)), "not on oneself");
        auth::totp::reset(&s, &by_sec, admin).await.unwrap();
        assert!(!auth::totp::is_enabled(&s, admin).await.unwrap(), "{}", t.backend);
        assert!(
            auth::session(&s, &out.session_token).await.unwrap().is_none(),
            "{}: a reset ends the sessions",
            t.backend
        );
    }
}

#[tokio::test]
async fn confirming_needs_the_right_code_and_ends_other_sessions() {
    for t in TestDb::all().await {
        let (s, clock) = t.services();
        let p = builders::person(&s, "careful", None, &[Role::Secretary], Clearance::None).await;
        auth::set_password(&s, &Origin::system(), p, GOOD_PASSWORD, false).await.unwrap();
        let here = auth::login(&s, "careful", GOOD_PASSWORD, "ip").await.unwrap();
        let elsewhere = auth::login(&s, "careful", GOOD_PASSWORD, "ip").await.unwrap();
        let sess = auth::session(&s, &here.session_token).await.unwrap().unwrap();
        let r = auth::totp::confirm_enrolment(&s, &sess, "123456", "ip").await;
        assert!(matches!(r, Err(ServiceError::Conflict(_))), "{}: nothing to confirm yet", t.backend);
        let e = auth::totp::begin_enrolment(&s, &sess, "ip").await.unwrap();
        assert_eq!(auth::totp::pending_enrolment(&s, p).await.unwrap().map(|x| x.secret), Some(e.secret.clone()));
        let secret = totp::decode_secret(&e.secret).unwrap();
        let wrong = totp::code_for_step(&secret, totp::step_at(clock.now()) + 5, totp::DIGITS);
        let r = auth::totp::confirm_enrolment(&s, &sess, &wrong, "ip").await;
        assert!(matches!(r, Err(ServiceError::Auth(AuthError::BadTotp))), "{}", t.backend);
        assert!(!auth::totp::is_enabled(&s, p).await.unwrap());
        auth::totp::confirm_enrolment(&s, &sess, &totp::code_at(&secret, clock.now()), "ip").await.unwrap();
        assert!(auth::totp::is_enabled(&s, p).await.unwrap());
        assert!(auth::totp::pending_enrolment(&s, p).await.unwrap().is_none());
        assert!(auth::session(&s, &here.session_token).await.unwrap().is_some(), "{}", t.backend);
        assert!(
            auth::session(&s, &elsewhere.session_token).await.unwrap().is_none(),
            "{}: opened without the second factor",
            t.backend
        );
        let r = auth::totp::begin_enrolment(&s, &sess, "ip").await;
        assert!(matches!(r, Err(ServiceError::Conflict(_))), "{}: already on", t.backend);
    }
}

/// T17: a secret is stored sealed and bound to its person. Alice's sealed secret copied into
/// Bob's row, or Bob's written back in plain, is refused with the right code; a plain secret
/// from before migration 0034 is sealed by the one-time pass (audited) and then works.
#[tokio::test]
async fn secrets_are_stored_sealed_and_bound_to_their_person() {
    for t in TestDb::all().await {
        let (s, clock) = t.services();
        let b = t.backend;
        let (alice, alice_secret) = enrolled(&s, &clock, "alice.totp").await;
        let (bob, bob_secret) = enrolled(&s, &clock, "bob.totp").await;
        let stored = async |p: PersonId| -> String {
            let sql = "SELECT totp_secret FROM people WHERE person_id = $1";
            s.db.fetch_one::<(Option<String>,)>(sql, args![p]).await.unwrap().0.unwrap()
        };
        let put = async |p: PersonId, v: &str| {
            s.db.execute("UPDATE people SET totp_secret = $1 WHERE person_id = $2", args![v, p]).await.unwrap();
        };
        let sealed = stored(alice).await;
        assert!(sealed.starts_with("sm4$"), "{b}: {sealed}");
        assert!(
            !sealed.to_uppercase().contains(&totp::encode_secret(&alice_secret)),
            "{b}: the secret is not readable"
        );

        // Alice's secret in Bob's row: her code (which would be Bob's now) does not pass.
        put(bob, &sealed).await;
        let (_, sess) = pending(&s, "bob.totp").await;
        let r = auth::totp::verify_second_factor(&s, &sess, &totp::code_at(&alice_secret, clock.now()), "ip").await;
        assert!(is_auth(&r, AuthError::BadTotp), "{b}: a copied secret: {r:?}");
        // Bob's own secret written in plain: refused as well.
        put(bob, &totp::encode_secret(&bob_secret)).await;
        clock.advance_minutes(1);
        let (_, sess) = pending(&s, "bob.totp").await;
        let r = auth::totp::verify_second_factor(&s, &sess, &totp::code_at(&bob_secret, clock.now()), "ip").await;
        assert!(is_auth(&r, AuthError::BadTotp), "{b}: a plain secret: {r:?}");

        // As a database from before migration 0034 (its marker there): sealed once, then it works.
        let marker = "INSERT INTO settings (key, value, updated_at) VALUES ('totp.unsealed', 'true', 0)
                      ON CONFLICT (key) DO NOTHING";
        s.db.execute(marker, args![]).await.unwrap();
        assert_eq!(auth::totp::seal_plain_secrets(&s).await.unwrap(), 1, "{b}: Bob's plain secret");
        assert!(stored(bob).await.starts_with("sm4$"), "{b}");
        assert_eq!(stored(alice).await, sealed, "{b}: a sealed secret is left as it is");
        assert_eq!(auth::totp::seal_plain_secrets(&s).await.unwrap(), 0, "{b}: once only");
        clock.advance_minutes(1);
        let (_, sess) = pending(&s, "bob.totp").await;
        let r = auth::totp::verify_second_factor(&s, &sess, &totp::code_at(&bob_secret, clock.now()), "ip").await;
        assert!(r.is_ok(), "{b}: {r:?}");
        let sql = "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.totp_secrets_sealed'";
        assert_eq!(s.db.fetch_one::<(i64,)>(sql, args![]).await.unwrap().0, 1, "{b}");
    }
}
