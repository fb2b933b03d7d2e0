use mishu_domain::org::{AdminKind, Clearance, Role};
use mishu_domain::password::{PasswordError, PasswordPolicy};
use mishu_service::audit::Origin;
use mishu_service::settings::{self, SessionPolicy};
use mishu_service::{ServiceError, args, auth, org};
use mishu_testkit::TestDb;
use mishu_testkit::builders::{self, GOOD_PASSWORD};

async fn audit_count(s: &mishu_service::Services, action: &str) -> i64 {
    let (n,): (i64,) = s.db.fetch_one("SELECT COUNT(*) FROM audit_log WHERE action = $1", args![action]).await.unwrap();
    n
}

#[tokio::test]
async fn password_policy_is_validated_stored_and_audited() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let sec = builders::admin(&s, "secadm", AdminKind::Security).await;
        let origin = Origin { actor_id: Some(sec), ..Origin::system() };
        let too_weak = PasswordPolicy { lockout_threshold: 2, ..Default::default() };
        let r = settings::set_password_policy(&s, &origin, &too_weak).await;
        assert!(
            matches!(
                r,
                Err(ServiceError::Password(PasswordError::PolicyOutOfRange { field: "lockout_threshold", .. }))
            ),
            "{}: {r:?}",
            t.backend
        );
        assert_eq!(
            settings::password_policy(&s.db).await.unwrap(),
            PasswordPolicy::default(),
            "{}: nothing stored",
            t.backend
        );
        assert_eq!(audit_count(&s, "settings.password_policy_set").await, 0);

        let relaxed = PasswordPolicy { min_length: 10, max_age_days: 0, ..Default::default() };
        settings::set_password_policy(&s, &origin, &relaxed).await.unwrap();
        assert_eq!(settings::password_policy(&s.db).await.unwrap(), relaxed, "{}", t.backend);
        assert_eq!(audit_count(&s, "settings.password_policy_set").await, 1, "{}", t.backend);
        // The new policy is the one passwords are checked against.
        let p = builders::person(&s, "tenchars", None, &[Role::Handler], Clearance::None).await;
        auth::set_password(&s, &Origin::system(), p, "Ab1!Ab1!Ab", false).await.unwrap();
    }
}

#[tokio::test]
async fn session_policy_out_of_range_is_refused_and_nothing_stored() {
    for t in TestDb::all().await {
        let (s, clock) = t.services();
        let origin = Origin::system();
        for (bad, field) in [
            (SessionPolicy { idle_minutes: 4, ..Default::default() }, "idle_minutes"),
            (SessionPolicy { idle_minutes: 241, ..Default::default() }, "idle_minutes"),
            (SessionPolicy { admin_idle_minutes: 61, ..Default::default() }, "admin_idle_minutes"),
            (SessionPolicy { absolute_hours: 25, ..Default::default() }, "absolute_hours"),
            (SessionPolicy { absolute_hours: 0, ..Default::default() }, "absolute_hours"),
        ] {
            let r = settings::set_session_policy(&s, &origin, &bad).await;
            assert!(
                matches!(r, Err(ServiceError::Invalid { field: f, .. }) if f == field),
                "{}: {bad:?} {r:?}",
                t.backend
            );
        }
        assert_eq!(settings::session_policy(&s.db).await.unwrap(), SessionPolicy::default(), "{}", t.backend);
        assert_eq!(audit_count(&s, "settings.session_policy_set").await, 0);

        // Shorter idle time applies to live sessions from their next request.
        let p = builders::person(&s, "idler", None, &[Role::Handler], Clearance::None).await;
        auth::set_password(&s, &Origin::system(), p, GOOD_PASSWORD, false).await.unwrap();
        let out = auth::login(&s, "idler", GOOD_PASSWORD, "ip").await.unwrap();
        settings::set_session_policy(&s, &origin, &SessionPolicy { idle_minutes: 10, ..Default::default() })
            .await
            .unwrap();
        assert_eq!(audit_count(&s, "settings.session_policy_set").await, 1);
        clock.advance_minutes(11);
        assert!(
            auth::session(&s, &out.session_token).await.unwrap().is_none(),
            "{}: idle 11 min under a 10 min policy",
            t.backend
        );
    }
}

#[tokio::test]
async fn a_role_or_clearance_change_ends_the_persons_sessions_and_admins_get_no_roles() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let dept = builders::department(&s, "秘书科", None).await;
        let p = builders::person(&s, "sec1", Some(dept), &[Role::Handler], Clearance::None).await;
        auth::set_password(&s, &Origin::system(), p, GOOD_PASSWORD, false).await.unwrap();
        let out = auth::login(&s, "sec1", GOOD_PASSWORD, "ip").await.unwrap();
        let sec = builders::admin(&s, "secadm", AdminKind::Security).await;
        let origin = Origin { actor_id: Some(sec), ..Origin::system() };
        org::set_roles_and_clearance(&s, &origin, p, &[(Role::Secretary, Some(dept))], Clearance::Secret)
            .await
            .unwrap();
        assert!(auth::session(&s, &out.session_token).await.unwrap().is_none(), "{}", t.backend);
        let a = builders::actor(&s, p).await;
        assert_eq!((a.roles, a.clearance), (vec![(Role::Secretary, Some(dept))], Clearance::Secret), "{}", t.backend);

        let sys = builders::admin(&s, "sysadm", AdminKind::System).await;
        let r = org::set_roles_and_clearance(&s, &origin, sys, &[(Role::Leader, None)], Clearance::None).await;
        assert!(
            matches!(r, Err(ServiceError::Org(mishu_domain::org::OrgError::AdminWithBusinessRole))),
            "{}",
            t.backend
        );
        assert!(org::roles_of(&s, sys).await.unwrap().is_empty());
        let all = org::roles_by_person(&s).await.unwrap();
        assert_eq!(all.get(&p), Some(&vec![(Role::Secretary, Some(dept))]));
        assert!(!all.contains_key(&sys));
    }
}

#[tokio::test]
async fn cached_policies_follow_local_writes_at_once_and_other_nodes_within_the_ttl() {
    for t in TestDb::all().await {
        let (s, clock) = t.services();
        // A second node: same database and clock, its own cache.
        let other =
            mishu_service::Services::new(s.db.clone(), s.clock.clone(), s.audit_key.to_vec(), s.data_dir.clone());
        let sec = builders::admin(&s, "secadm", AdminKind::Security).await;
        let origin = Origin { actor_id: Some(sec), ..Origin::system() };
        assert_eq!(settings::session_policy_cached(&s).await.unwrap(), SessionPolicy::default(), "{}", t.backend);
        assert_eq!(settings::session_policy_cached(&other).await.unwrap(), SessionPolicy::default());

        let want = SessionPolicy { idle_minutes: 10, ..Default::default() };
        settings::set_session_policy(&s, &origin, &want).await.unwrap();
        assert_eq!(settings::session_policy_cached(&s).await.unwrap(), want, "{}: the writing node", t.backend);
        assert_eq!(
            settings::session_policy_cached(&other).await.unwrap(),
            SessionPolicy::default(),
            "{}: the other node keeps its copy inside the TTL",
            t.backend
        );
        clock.advance_minutes(1);
        assert_eq!(settings::session_policy_cached(&other).await.unwrap(), want, "{}: after the TTL", t.backend);
    }
}
