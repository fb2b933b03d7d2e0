//! Builders for the people and departments a test needs.

use mishu_domain::access::Actor;
use mishu_domain::org::{AdminKind, Clearance, DepartmentName, LoginName, PersonName, Role};
use mishu_domain::{DepartmentId, PersonId};
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
