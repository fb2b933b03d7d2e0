//! The system administrator's organisation work: editing people, disabling departments,
//! temporary passwords, supervision, and the administrator accounts it must not touch.

use mishu_domain::DepartmentId;
use mishu_domain::org::{AdminKind, Clearance, DepartmentName, OrgError, PersonName, Role};
use mishu_service::audit::Origin;
use mishu_service::org::staff::{self, PersonUpdate};
use mishu_service::org::{self, NewDepartment};
use mishu_service::{ServiceError, auth};
use mishu_testkit::{TestDb, builders};

#[tokio::test]
async fn people_are_edited_and_departments_disabled_only_when_empty() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = Origin::system();
        let office = builders::department(&s, "党政办公室", None).await;
        let section = builders::department(&s, "秘书科", Some(office)).await;
        let p = builders::person(&s, "zhang.wei", Some(section), &[Role::Secretary], Clearance::Secret).await;
        let update = PersonUpdate {
            name: PersonName::parse("张伟").unwrap(),
            department_id: Some(office),
            position: Some("副主任".into()),
            phone: "8012".into(),
            sort_order: 3,
        };
        staff::update(&s, &o, p, update.clone()).await.unwrap();
        let row = org::person(&s, p).await.unwrap();
        assert_eq!(
            (row.name.as_str(), row.department_id, row.position.as_deref(), row.sort_order),
            ("张伟", Some(office.0), Some("副主任"), 3)
        );
        assert_eq!(row.clearance, "secret", "{}: clearance is not the system administrator's to change", t.backend);

        let not_empty = org::set_department_active(&s, &o, office, false).await;
        assert!(
            matches!(not_empty, Err(ServiceError::Org(OrgError::DepartmentNotEmpty))),
            "{}: has a person and a section",
            t.backend
        );
        org::set_department_active(&s, &o, section, false).await.unwrap();
        let into_disabled =
            staff::update(&s, &o, p, PersonUpdate { department_id: Some(section), ..update.clone() }).await;
        assert!(matches!(into_disabled, Err(ServiceError::Invalid { field: "department", .. })), "{}", t.backend);
        let under_disabled = org::create_department(
            &s,
            &o,
            NewDepartment {
                name: DepartmentName::parse("文书组").unwrap(), parent_id: Some(section), sort_order: 0
            },
        )
        .await;
        assert!(under_disabled.is_err(), "{}", t.backend);
        let nowhere =
            staff::update(&s, &o, p, PersonUpdate { department_id: Some(DepartmentId(999)), ..update.clone() }).await;
        assert!(matches!(nowhere, Err(ServiceError::Org(OrgError::UnknownDepartment(_)))), "{}", t.backend);
        staff::set_active(&s, &o, p, false).await.unwrap();
        org::set_department_active(&s, &o, office, false).await.unwrap();
        let enable_person = staff::set_active(&s, &o, p, true).await;
        assert!(enable_person.is_err(), "{}: their department is disabled", t.backend);
        org::set_department_active(&s, &o, office, true).await.unwrap();
        staff::set_active(&s, &o, p, true).await.unwrap();
    }
}

#[tokio::test]
async fn temporary_passwords_work_once_and_must_be_changed() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let p = builders::person(&s, "li.na", None, &[Role::Handler], Clearance::None).await;
        let pw = staff::reset_password(&s, &Origin::system(), p).await.unwrap();
        let out = auth::login(&s, "li.na", &pw, "ip").await.unwrap();
        assert!(out.must_change_password, "{}", t.backend);
        let rows: Vec<(String,)> = s.db.fetch_all("SELECT detail FROM audit_log", vec![]).await.unwrap();
        assert!(rows.iter().all(|(d,)| !d.contains(&pw)), "{}: the password is never recorded", t.backend);
        // Locked out, then unlocked by the administrator.
        for _ in 0..5 {
            let _ = auth::login(&s, "li.na", "wrong-password", "ip").await;
        }
        assert!(auth::login(&s, "li.na", &pw, "ip").await.is_err());
        staff::unlock(&s, &Origin::system(), p).await.unwrap();
        assert!(auth::login(&s, "li.na", &pw, "ip").await.is_ok(), "{}", t.backend);
    }
}

#[tokio::test]
async fn administrator_accounts_are_out_of_reach() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = Origin::system();
        let sec = builders::admin(&s, "secadmin", AdminKind::Security).await;
        assert!(matches!(staff::reset_password(&s, &o, sec).await, Err(ServiceError::Forbidden)), "{}", t.backend);
        assert!(matches!(staff::set_active(&s, &o, sec, false).await, Err(ServiceError::Forbidden)));
        assert!(matches!(staff::unlock(&s, &o, sec).await, Err(ServiceError::Forbidden)));
        assert!(org::person(&s, sec).await.unwrap().active);
    }
}

#[tokio::test]
async fn only_leaders_supervise_and_repeats_are_dropped() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = Origin::system();
        let d = builders::department(&s, "教务处", None).await;
        let leader = builders::person(&s, "fu.yz", None, &[Role::Leader], Clearance::Secret).await;
        let handler = builders::person(&s, "handler", Some(d), &[Role::Handler], Clearance::None).await;
        let areas = vec!["教学".to_string(), " 教学 ".to_string(), String::new(), "招生".to_string()];
        org::set_supervision(&s, &o, leader, &[d, d], &areas).await.unwrap();
        let (depts, mut got) = org::supervision_of(&s, leader).await.unwrap();
        got.sort();
        assert_eq!(
            (depts, got),
            (
                vec![d],
                vec!["招生".to_string(), "教学".to_string()]
                    .into_iter()
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect::<Vec<_>>()
            )
        );
        let r = org::set_supervision(&s, &o, handler, &[d], &[]).await;
        assert!(matches!(r, Err(ServiceError::Invalid { field: "person", .. })), "{}", t.backend);
        let r = org::set_supervision(&s, &o, leader, &[DepartmentId(999)], &[]).await;
        assert!(matches!(r, Err(ServiceError::Org(OrgError::UnknownDepartment(_)))), "{}", t.backend);
    }
}

/// The leader pickers read the leaders in one query: active leaders only, in the organ's order.
#[tokio::test]
async fn active_leaders_come_in_one_list_without_the_inactive() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let b = t.backend;
        let shuji = builders::person(&s, "shuji", None, &[Role::Leader], Clearance::Secret).await;
        let yuanzhang =
            builders::person(&s, "yuanzhang", None, &[Role::Leader, Role::DepartmentHead], Clearance::Secret).await;
        let retired = builders::person(&s, "retired", None, &[Role::Leader], Clearance::None).await;
        builders::person(&s, "mishu", None, &[Role::Secretary], Clearance::None).await;
        org::set_active(&s, &Origin::system(), retired, false).await.unwrap();
        let got: Vec<i64> =
            org::active_with_role(&s, Role::Leader).await.unwrap().iter().map(|p| p.person_id).collect();
        assert_eq!(got, vec![shuji.0, yuanzhang.0], "{b}");
        assert_eq!(org::active_with_role(&s, Role::Reception).await.unwrap().len(), 0, "{b}");
    }
}

#[tokio::test]
async fn the_picker_finds_active_staff_by_text_and_department_and_says_when_there_is_more() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let b = t.backend;
        let office = builders::department(&s, "党政办公室", None).await;
        let jwc = builders::department(&s, "教务处", None).await;
        let p = |login: &'static str, d| builders::person(&s, login, Some(d), &[Role::Handler], Clearance::None);
        p("zhang.wei", office).await;
        p("li.na", jwc).await;
        p("zhang.san", jwc).await;
        let gone = p("zhang.old", jwc).await;
        org::set_active(&s, &Origin::system(), gone, false).await.unwrap();
        let names = |rows: Vec<org::PersonRow>| rows.into_iter().map(|r| r.login).collect::<Vec<_>>();

        let (rows, more) = org::pick(&s, "zhang", None).await.unwrap();
        assert_eq!((names(rows), more), (vec!["zhang.wei".to_string(), "zhang.san".into()], false), "{b}");
        assert_eq!(names(org::pick(&s, "", Some(jwc)).await.unwrap().0), vec!["li.na", "zhang.san"], "{b}");
        assert_eq!(names(org::pick(&s, " ZHANG ", Some(jwc)).await.unwrap().0), vec!["zhang.san"], "{b}");
        assert!(org::pick(&s, "%", None).await.unwrap().0.is_empty(), "{b}: % is a character, not a wildcard");
        assert!(org::pick(&s, "_", None).await.unwrap().0.is_empty(), "{b}: so is _");
        let e = org::pick(&s, &"长".repeat(51), None).await.unwrap_err();
        assert!(matches!(e, ServiceError::Invalid { field: "who", .. }), "{b}: {e}");

        for i in 0..org::PICK_LIMIT {
            builders::person(&s, &format!("bulk.{i}"), Some(office), &[], Clearance::None).await;
        }
        let (rows, more) = org::pick(&s, "", None).await.unwrap();
        assert_eq!((rows.len(), more), (org::PICK_LIMIT, true), "{b}");
    }
}
