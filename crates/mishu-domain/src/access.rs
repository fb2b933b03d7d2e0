//! The one access policy. Every page, API route, list, attachment and export asks it:
//! route-level `allows(actor, capability)` and object-level `may_read` / `may_act`.
//! The three administrators hold no business rights and cannot do each other's work.

use crate::ids::{DepartmentId, PersonId};
use crate::org::{AdminKind, Clearance, Role};
use serde::Serialize;

/// Who is acting: the signed-in person, with what they hold, possibly acting for another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Actor {
    pub person_id: PersonId,
    pub name: String,
    pub department_id: Option<DepartmentId>,
    pub roles: Vec<(Role, Option<DepartmentId>)>,
    pub admin: Option<AdminKind>,
    pub clearance: Clearance,
    /// Set when this person is acting for another under a delegation ("X acting for Y").
    pub acting_for: Option<PersonId>,
}

impl Actor {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.iter().any(|(r, _)| *r == role)
    }

    /// True for roles that see across departments on office business.
    pub fn is_office_wide(&self) -> bool {
        self.has_role(Role::Secretary) || self.has_role(Role::OfficeHead) || self.has_role(Role::Leader)
    }

    pub fn is_business_user(&self) -> bool {
        self.admin.is_none()
    }
}

/// What a route needs. Every route in the router maps to exactly one of these;
/// a route without an entry is denied (see `mishu_web::policy`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Capability {
    /// No sign-in needed: login page, health, assets, API description.
    Public,
    /// Any signed-in person, administrators included: own account, language, password, TOTP.
    Account,
    /// Business users: inbox, tasks, notifications, own delegations, own API tokens.
    Inbox,
    /// Give a leader-assigned task: leaders, the office head, secretaries recording a leader's word.
    GiveLeaderTask,
    /// Edit the working-day calendar: office head and secretaries.
    ManageCalendar,
    /// Register received documents (收文登记): secretaries and the office head.
    RegisterIncoming,
    /// Keep the seal registry: register seals, name keepers, decommission (R7.2, R7.3). The
    /// general office's business, so the office head — not the system administrator, who
    /// holds no business rights.
    ManageSeals,
    /// See the keeper's log (用印登记) and stamp approved applications: seal keepers and the
    /// office head (who answers for the log, R7.6). Which seal a keeper may stamp with is
    /// decided per object by the service.
    KeepSeal,
    /// Keep the archives (R1.7): file, the catalogue, retention settings, loans, destruction
    /// proposals and the transfer package: archivists and the office head (who also approves
    /// destructions).
    ManageArchives,
    /// Keep the chronicle (大事记, R8.2): accept, edit or drop entries: secretaries and the
    /// office head.
    KeepChronicle,
    /// System administrator: the organ, departments, people, supervision (分管), import, resets, unlocks.
    AdminOrg,
    /// Security administrator: roles, clearance, password and session policy, second-factor resets.
    AdminSecurity,
    /// Audit administrator: browse, filter and export the audit log.
    AdminAudit,
}

/// Route-level decision.
pub fn allows(actor: Option<&Actor>, cap: Capability) -> bool {
    let Some(a) = actor else {
        return cap == Capability::Public;
    };
    match cap {
        Capability::Public | Capability::Account => true,
        Capability::Inbox => a.is_business_user(),
        Capability::GiveLeaderTask => {
            a.is_business_user()
                && (a.has_role(Role::Leader) || a.has_role(Role::OfficeHead) || a.has_role(Role::Secretary))
        }
        Capability::ManageCalendar => {
            a.is_business_user() && (a.has_role(Role::OfficeHead) || a.has_role(Role::Secretary))
        }
        Capability::RegisterIncoming => {
            a.is_business_user() && (a.has_role(Role::OfficeHead) || a.has_role(Role::Secretary))
        }
        Capability::ManageSeals => a.is_business_user() && a.has_role(Role::OfficeHead),
        Capability::KeepSeal => a.is_business_user() && (a.has_role(Role::SealKeeper) || a.has_role(Role::OfficeHead)),
        Capability::ManageArchives => {
            a.is_business_user() && (a.has_role(Role::Archivist) || a.has_role(Role::OfficeHead))
        }
        Capability::KeepChronicle => {
            a.is_business_user() && (a.has_role(Role::Secretary) || a.has_role(Role::OfficeHead))
        }
        Capability::AdminOrg => a.admin == Some(AdminKind::System),
        Capability::AdminSecurity => a.admin == Some(AdminKind::Security),
        Capability::AdminAudit => a.admin == Some(AdminKind::Audit),
    }
}

/// What the policy needs to know about an object to decide on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subject {
    pub classification: Clearance,
    /// The department the object belongs to (its owner's), if any.
    pub department_id: Option<DepartmentId>,
    /// People on the object's route: those who gave, own, handle or must read it.
    pub route: Vec<PersonId>,
}

/// Object-level read decision: clearance first, then need-to-know.
/// Classified objects are visible only to people on their route; unclassified ones also to
/// office-wide roles and to heads of the owning department.
pub fn may_read(actor: &Actor, subject: &Subject) -> bool {
    if !actor.is_business_user() || actor.clearance < subject.classification {
        return false;
    }
    let me = actor.acting_for.unwrap_or(actor.person_id);
    if subject.route.contains(&actor.person_id) || subject.route.contains(&me) {
        return true;
    }
    if subject.classification > Clearance::None {
        return false;
    }
    if actor.is_office_wide() {
        return true;
    }
    subject.department_id.is_some_and(|d| {
        actor
            .roles
            .iter()
            .any(|(r, scope)| *r == Role::DepartmentHead && (*scope == Some(d) || actor.department_id == Some(d)))
    })
}

/// `may_read` written as a set description, for lists that must filter where the data is
/// (the search index) so counts and pages are exact: an object is readable exactly when its
/// classification is in `levels` and either someone in `people` is on its route, or it is
/// unclassified and `office_wide` holds or its department is in `head_of`. Kept next to
/// `may_read` and tested against it over generated actors and subjects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadScope {
    /// Classification levels the actor may read at all; empty for administrators.
    pub levels: Vec<Clearance>,
    /// Being on the route in any of these names grants reading (self, and the principal).
    pub people: Vec<PersonId>,
    /// Office-wide roles read every unclassified object.
    pub office_wide: bool,
    /// Departments whose unclassified objects the actor reads as their head.
    pub head_of: Vec<DepartmentId>,
}

impl ReadScope {
    pub fn of(actor: &Actor) -> ReadScope {
        if !actor.is_business_user() {
            return ReadScope { levels: vec![], people: vec![], office_wide: false, head_of: vec![] };
        }
        let levels = Clearance::ALL.into_iter().filter(|c| *c <= actor.clearance).collect();
        let mut people = vec![actor.person_id];
        people.extend(actor.acting_for.filter(|p| *p != actor.person_id));
        let mut head_of: Vec<DepartmentId> = Vec::new();
        for (r, scope) in &actor.roles {
            if *r == Role::DepartmentHead {
                head_of.extend(scope.iter().chain(actor.department_id.iter()).copied());
            }
        }
        head_of.sort();
        head_of.dedup();
        ReadScope { levels, people, office_wide: actor.is_office_wide(), head_of }
    }

    /// The same decision as `may_read`, from the scope.
    pub fn admits(&self, subject: &Subject) -> bool {
        if !self.levels.contains(&subject.classification) {
            return false;
        }
        if subject.route.iter().any(|p| self.people.contains(p)) {
            return true;
        }
        subject.classification == Clearance::None
            && (self.office_wide || subject.department_id.is_some_and(|d| self.head_of.contains(&d)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: i64, roles: &[Role], admin: Option<AdminKind>, clearance: Clearance) -> Actor {
        Actor {
            person_id: PersonId(id),
            name: format!("p{id}"),
            department_id: Some(DepartmentId(1)),
            roles: roles.iter().map(|r| (*r, Some(DepartmentId(1)))).collect(),
            admin,
            clearance,
            acting_for: None,
        }
    }

    #[test]
    fn route_capabilities_table() {
        use Capability::*;
        let secretary = person(1, &[Role::Secretary], None, Clearance::Secret);
        let handler = person(2, &[Role::Handler], None, Clearance::None);
        let sys = person(3, &[], Some(AdminKind::System), Clearance::None);
        let sec = person(4, &[], Some(AdminKind::Security), Clearance::None);
        let aud = person(5, &[], Some(AdminKind::Audit), Clearance::None);
        let leader = person(6, &[Role::Leader], None, Clearance::TopSecret);
        let office_head = person(7, &[Role::OfficeHead], None, Clearance::Secret);
        let keeper = person(8, &[Role::SealKeeper], None, Clearance::None);
        let archivist = person(9, &[Role::Archivist], None, Clearance::Secret);
        let cases: &[(Option<&Actor>, Capability, bool)] = &[
            (None, Public, true),
            (None, Account, false),
            (None, Inbox, false),
            (Some(&secretary), Inbox, true),
            (Some(&secretary), GiveLeaderTask, true),
            (Some(&secretary), ManageCalendar, true),
            (Some(&secretary), AdminOrg, false),
            (Some(&handler), GiveLeaderTask, false),
            (Some(&handler), ManageCalendar, false),
            (Some(&secretary), RegisterIncoming, true),
            (Some(&office_head), RegisterIncoming, true),
            (Some(&leader), RegisterIncoming, false),
            (Some(&handler), RegisterIncoming, false),
            (Some(&sys), RegisterIncoming, false),
            (None, RegisterIncoming, false),
            (Some(&office_head), ManageSeals, true),
            (Some(&secretary), ManageSeals, false),
            (Some(&keeper), ManageSeals, false),
            (Some(&sys), ManageSeals, false),
            (None, ManageSeals, false),
            (Some(&keeper), KeepSeal, true),
            (Some(&office_head), KeepSeal, true),
            (Some(&secretary), KeepSeal, false),
            (Some(&handler), KeepSeal, false),
            (Some(&sys), KeepSeal, false),
            (Some(&archivist), ManageArchives, true),
            (Some(&office_head), ManageArchives, true),
            (Some(&secretary), ManageArchives, false),
            (Some(&handler), ManageArchives, false),
            (Some(&sys), ManageArchives, false),
            (None, ManageArchives, false),
            (Some(&secretary), KeepChronicle, true),
            (Some(&office_head), KeepChronicle, true),
            (Some(&archivist), KeepChronicle, false),
            (Some(&leader), KeepChronicle, false),
            (Some(&aud), KeepChronicle, false),
            (Some(&sys), AdminOrg, true),
            (Some(&sys), AdminSecurity, false),
            (Some(&sys), AdminAudit, false),
            (Some(&sys), Inbox, false),
            (Some(&sec), AdminSecurity, true),
            (Some(&sec), AdminOrg, false),
            (Some(&aud), AdminAudit, true),
            (Some(&aud), AdminOrg, false),
            (Some(&aud), Inbox, false),
            (Some(&aud), Account, true),
        ];
        for (actor, cap, want) in cases {
            assert_eq!(allows(*actor, *cap), *want, "{:?} {cap:?}", actor.map(|a| a.name.clone()));
        }
    }

    #[test]
    fn classified_objects_need_clearance_and_the_route() {
        let leader = person(1, &[Role::Leader], None, Clearance::Confidential);
        let secretary = person(2, &[Role::Secretary], None, Clearance::Secret);
        let classified = Subject {
            classification: Clearance::Confidential,
            department_id: None,
            route: vec![PersonId(1), PersonId(2)],
        };
        assert!(may_read(&leader, &classified));
        assert!(!may_read(&secretary, &classified), "clearance too low even on the route");
        let off_route = Subject { route: vec![], ..classified.clone() };
        assert!(!may_read(&leader, &off_route), "need to know");
        let open = Subject { classification: Clearance::None, department_id: Some(DepartmentId(9)), route: vec![] };
        assert!(may_read(&secretary, &open));
        let handler = person(3, &[Role::Handler], None, Clearance::None);
        assert!(!may_read(&handler, &open), "another department's object");
        let admin = person(4, &[], Some(AdminKind::System), Clearance::TopSecret);
        assert!(!may_read(&admin, &open), "administrators hold no business rights");
    }

    /// Every combination of a small universe of actors and subjects: the scope used to filter
    /// inside the search index decides exactly as `may_read`.
    #[test]
    fn read_scope_decides_exactly_as_may_read() {
        let roles = [
            None,
            Some(Role::Handler),
            Some(Role::Secretary),
            Some(Role::OfficeHead),
            Some(Role::Leader),
            Some(Role::DepartmentHead),
        ];
        let mut actors = Vec::new();
        for pid in 1..=3 {
            for role in roles {
                for scope in [None, Some(DepartmentId(1)), Some(DepartmentId(2))] {
                    for dept in [None, Some(DepartmentId(1)), Some(DepartmentId(2))] {
                        for clearance in Clearance::ALL {
                            for acting_for in [None, Some(PersonId(3))] {
                                for admin in [None, Some(AdminKind::System)] {
                                    actors.push(Actor {
                                        person_id: PersonId(pid),
                                        name: String::new(),
                                        department_id: dept,
                                        roles: role.map(|r| vec![(r, scope)]).unwrap_or_default(),
                                        admin,
                                        clearance,
                                        acting_for,
                                    });
                                }
                            }
                        }
                    }
                }
            }
        }
        let mut subjects = Vec::new();
        for classification in Clearance::ALL {
            for department_id in [None, Some(DepartmentId(1)), Some(DepartmentId(2))] {
                for route in [vec![], vec![PersonId(1)], vec![PersonId(2), PersonId(3)], vec![PersonId(4)]] {
                    subjects.push(Subject { classification, department_id, route });
                }
            }
        }
        let mut readable = 0;
        for a in &actors {
            let scope = ReadScope::of(a);
            for s in &subjects {
                let want = may_read(a, s);
                readable += usize::from(want);
                assert_eq!(scope.admits(s), want, "{a:?} {s:?}");
            }
        }
        assert!(readable > 1000 && readable < actors.len() * subjects.len(), "the universe exercises both answers");
    }
}
