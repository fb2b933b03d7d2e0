//! The security pages, the second factor at sign-in and API tokens, driven through the whole
//! in-process app (policy, sessions, CSRF, templates) on every configured database. This file
//! holds the security administrator's pages.

mod browser;
mod second_factor;
mod tokens;

use axum::http::StatusCode;
use browser::{Browser, with_password};
use mishu_domain::org::{AdminKind, Clearance, Role};
use mishu_service::org;
use mishu_service::settings::{self, SessionPolicy};
use mishu_testkit::TestDb;
use mishu_testkit::builders;
use mishu_web::i18n::Locale;
#[tokio::test]
async fn only_the_security_administrator_reaches_the_security_pages() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        with_password(&s, builders::admin(&s, "sysadm", AdminKind::System).await).await;
        with_password(&s, builders::admin(&s, "secadm", AdminKind::Security).await).await;
        with_password(&s, builders::person(&s, "clerk", None, &[Role::Secretary], Clearance::None).await).await;

        let mut sys = Browser::new(&s);
        sys.login("sysadm").await;
        assert_eq!(sys.get("/admin/security").await.status, StatusCode::FORBIDDEN, "{}", t.backend);
        assert_eq!(sys.get("/admin/security/policies").await.status, StatusCode::FORBIDDEN);
        let r = sys
            .post(
                "/admin/security/session-policy",
                &[("idle_minutes", "200"), ("admin_idle_minutes", "60"), ("absolute_hours", "24")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", t.backend);
        let mut clerk = Browser::new(&s);
        clerk.login("clerk").await;
        assert_eq!(clerk.get("/admin/security").await.status, StatusCode::FORBIDDEN);
        assert_eq!(
            settings::session_policy(&s.db).await.unwrap(),
            SessionPolicy::default(),
            "{}: nothing stored",
            t.backend
        );

        let mut sec = Browser::new(&s);
        let landed = sec.login("secadm").await;
        assert_eq!(
            sec.get(&landed.location).await.location,
            "/admin/security",
            "{}: home is the security pages",
            t.backend
        );
        let list = sec.get("/admin/security").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("clerk") && list.body.contains("sysadm"), "{}", t.backend);
        assert_eq!(sec.get("/admin/security/policies").await.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn the_security_administrator_changes_a_secretarys_clearance_and_signs_them_out() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let dept = builders::department(&s, "秘书科", None).await;
        let clerk =
            with_password(&s, builders::person(&s, "clerk", Some(dept), &[Role::Secretary], Clearance::None).await)
                .await;
        let sysadm = builders::admin(&s, "sysadm", AdminKind::System).await;
        with_password(&s, builders::admin(&s, "secadm", AdminKind::Security).await).await;
        let mut victim = Browser::new(&s);
        victim.login("clerk").await;
        assert_eq!(victim.get("/inbox").await.status, StatusCode::OK);

        let mut sec = Browser::new(&s);
        sec.login("secadm").await;
        let page = sec.get(&format!("/admin/security/people/{clerk}")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", t.backend);
        assert!(page.body.contains("name=\"role_secretary\" value=\"1\" checked"), "{}", t.backend);
        let r = sec
            .post(
                &format!("/admin/security/people/{clerk}"),
                &[("role_secretary", "1"), ("role_handler", "1"), ("clearance", "secret")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}: {}", t.backend, r.body);
        let p = org::person(&s, clerk).await.unwrap();
        assert_eq!(p.clearance, "secret", "{}", t.backend);
        let mut roles = org::roles_of(&s, clerk).await.unwrap();
        roles.sort();
        assert_eq!(roles, vec![(Role::Secretary, Some(dept)), (Role::Handler, Some(dept))], "{}", t.backend);
        let after = victim.get("/inbox").await;
        assert!(after.location.starts_with("/login"), "{}: the secretary was signed out", t.backend);

        // Administrators cannot be given a role: the error is shown and nothing changes.
        sec.get(&format!("/admin/security/people/{sysadm}")).await;
        let r =
            sec.post(&format!("/admin/security/people/{sysadm}"), &[("role_leader", "1"), ("clearance", "none")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", t.backend);
        assert!(r.body.contains(mishu_web::i18n::t(Locale::ZhCn, "error.admin_business_role")), "{}", r.body);
        assert!(org::roles_of(&s, sysadm).await.unwrap().is_empty());
        let r = sec.post(&format!("/admin/security/people/{clerk}"), &[("clearance", "ultra")]).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("clearance"));
    }
}

#[tokio::test]
async fn policies_out_of_range_are_refused_naming_the_field_and_good_ones_are_stored() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        with_password(&s, builders::admin(&s, "secadm", AdminKind::Security).await).await;
        let mut sec = Browser::new(&s);
        sec.login("secadm").await;
        sec.get("/admin/security/policies").await;
        let r = sec
            .post(
                "/admin/security/session-policy",
                &[("idle_minutes", "300"), ("admin_idle_minutes", "15"), ("absolute_hours", "12")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", t.backend);
        assert!(r.body.contains("<code class=\"field\">idle_minutes</code>"), "{}", r.body);
        let r = sec
            .post(
                "/admin/security/session-policy",
                &[("idle_minutes", "ten"), ("admin_idle_minutes", "15"), ("absolute_hours", "12")],
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("<code class=\"field\">idle_minutes</code>"), "{}", r.body);
        let fields = [
            ("min_length", "12"),
            ("min_classes", "3"),
            ("max_age_days", "90"),
            ("lockout_threshold", "1"),
            ("lockout_window_minutes", "15"),
            ("lockout_minutes", "30"),
        ];
        let r = sec.post("/admin/security/password-policy", &fields).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", t.backend);
        assert!(r.body.contains("<code class=\"field\">lockout_threshold</code>"), "{}", r.body);
        assert_eq!(settings::session_policy(&s.db).await.unwrap(), SessionPolicy::default(), "{}", t.backend);
        assert_eq!(settings::password_policy(&s.db).await.unwrap(), Default::default(), "{}", t.backend);

        let r = sec
            .post(
                "/admin/security/session-policy",
                &[("idle_minutes", "20"), ("admin_idle_minutes", "10"), ("absolute_hours", "8")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let want = SessionPolicy { idle_minutes: 20, admin_idle_minutes: 10, absolute_hours: 8 };
        assert_eq!(settings::session_policy(&s.db).await.unwrap(), want, "{}", t.backend);
        let page = sec.get("/admin/security/policies").await;
        assert!(page.body.contains("name=\"idle_minutes\" id=\"idle_minutes\" value=\"20\""), "{}", t.backend);
    }
}
