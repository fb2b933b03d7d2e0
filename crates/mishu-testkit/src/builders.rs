//! Builders for the people, departments and registrations a test needs.

use mishu_domain::access::Actor;
use mishu_domain::incoming::RegistrationInput;
use mishu_domain::org::{AdminKind, Clearance, DepartmentName, LoginName, PersonName, Role};
use mishu_domain::{DepartmentId, PersonId, Timestamp};
use mishu_service::Services;
use mishu_service::audit::Origin;
use mishu_service::org::{self, NewDepartment, NewPerson};

pub async fn department(s: &Services, name: &str, parent: Option<DepartmentId>) -> DepartmentId {
    org::create_department(
        s,
        &Origin::system(),
        NewDepartment { name: DepartmentName::parse(name).unwrap(), parent_id: parent, sort_order: 0 },
    )
    .await
    .expect("department")
}

/// A person with the given roles (scoped to their department) and clearance.
pub async fn person(
    s: &Services,
    login: &str,
    dept: Option<DepartmentId>,
    roles: &[Role],
    clearance: Clearance,
) -> PersonId {
    let p = NewPerson {
        login: LoginName::parse(login).unwrap(),
        name: PersonName::parse(login).unwrap(),
        department_id: dept,
        position: None,
        clearance,
        admin: None,
        phone: String::new(),
        sort_order: 0,
    };
    let roles: Vec<_> = roles.iter().map(|r| (*r, dept)).collect();
    org::create_person(s, &Origin::system(), p, &roles).await.expect("person")
}

pub async fn admin(s: &Services, login: &str, kind: AdminKind) -> PersonId {
    let p = NewPerson {
        login: LoginName::parse(login).unwrap(),
        name: PersonName::parse(login).unwrap(),
        department_id: None,
        position: None,
        clearance: Clearance::None,
        admin: Some(kind),
        phone: String::new(),
        sort_order: 0,
    };
    org::create_person(s, &Origin::system(), p, &[]).await.expect("admin")
}

pub async fn actor(s: &Services, id: PersonId) -> Actor {
    org::load_actor(s, id, None).await.expect("actor")
}

/// A password that satisfies the default policy.
pub const GOOD_PASSWORD: &str = "Zh@ngSan2026!x";

/// A received 通知 as the 收文 form fills it: unclassified, 阅办, one copy, no 来文字号, no
/// deadline. A test changes what it is about with struct update syntax:
/// `RegistrationInput { pages: Some(2), ..builders::notice("…", now) }`.
pub fn notice(title: &str, received_at: Timestamp) -> RegistrationInput {
    RegistrationInput {
        sender_organ: "某省教育厅".into(),
        sender_number: String::new(),
        title: title.into(),
        doc_type: "通知".into(),
        classification: String::new(),
        secrecy_period: String::new(),
        copy_no: String::new(),
        urgency: String::new(),
        handling: "阅办".into(),
        copies: 1,
        pages: None,
        received_at,
        due_at: None,
    }
}

/// `notice` as a 机要 registration carries it: 密级, 保密期限 and 份号 (e.g. "秘密", "1年", "0007").
pub fn classified_notice(title: &str, label: [&str; 3], received_at: Timestamp) -> RegistrationInput {
    let [classification, secrecy_period, copy_no] = label.map(String::from);
    RegistrationInput { classification, secrecy_period, copy_no, ..notice(title, received_at) }
}
