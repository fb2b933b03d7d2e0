//! The access clause against `readable` (so `may_read`) itself: a generated set of subjects,
//! each under both kinds of `Readers`, is indexed and, for every generated actor, the clause
//! finds exactly the objects `readable` allows.

use super::find::{access, caps_of};
use super::index::SearchIndex;
use super::{Domain, Readers, SearchDoc, readable};
use mishu_domain::access::{Actor, Capability, ReadScope, Subject};
use mishu_domain::org::{AdminKind, Clearance, Role};
use mishu_domain::{DepartmentId, PersonId, Timestamp};
use std::collections::BTreeSet;
use tantivy::collector::DocSetCollector;
use tantivy::schema::Value;

fn subjects() -> Vec<Subject> {
    let mut out = Vec::new();
    for classification in Clearance::ALL {
        for department_id in [None, Some(DepartmentId(1)), Some(DepartmentId(2))] {
            for route in [vec![], vec![PersonId(1)], vec![PersonId(2), PersonId(3)], vec![PersonId(4)]] {
                out.push(Subject { classification, department_id, route });
            }
        }
    }
    out
}

fn actors() -> Vec<Actor> {
    let roles = [
        None,
        Some(Role::Handler),
        Some(Role::Secretary),
        Some(Role::Leader),
        Some(Role::DepartmentHead),
        Some(Role::Archivist),
    ];
    let mut out = Vec::new();
    for person in 1..=4 {
        for role in roles {
            for scope in [None, Some(DepartmentId(2))] {
                for department_id in [None, Some(DepartmentId(1))] {
                    for clearance in Clearance::ALL {
                        for acting_for in [None, Some(PersonId(3))] {
                            for admin in [None, Some(AdminKind::Audit)] {
                                out.push(Actor {
                                    person_id: PersonId(person),
                                    name: String::new(),
                                    department_id,
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
    out
}

#[test]
fn the_access_clause_finds_exactly_what_may_read_allows() {
    let idx = SearchIndex::in_ram();
    let readers = [Readers::Policy, Readers::RouteOr(Capability::ManageArchives)];
    let docs: Vec<SearchDoc> = subjects()
        .into_iter()
        .flat_map(|s| readers.map(|r| (s.clone(), r)))
        .enumerate()
        .map(|(i, (subject, readers))| SearchDoc {
            domain: Domain::LeaderTask,
            id: i as i64,
            title: "标题".into(),
            body: String::new(),
            doc_type: String::new(),
            year: 2026,
            departments: vec![],
            state: "given".into(),
            at: Timestamp(0),
            subject,
            readers,
        })
        .collect();
    idx.write(&[], &docs, Some(0)).unwrap();
    let searcher = idx.searcher();
    let mut checked = 0;
    for actor in actors() {
        let want: BTreeSet<i64> = docs.iter().filter(|d| readable(&actor, d)).map(|d| d.id).collect();
        let scope = ReadScope::of(&actor);
        let got: BTreeSet<i64> = if scope.levels.is_empty() {
            BTreeSet::new()
        } else {
            let found = searcher.search(&*access(&idx.f, &scope, &caps_of(&actor)), &DocSetCollector).unwrap();
            found
                .into_iter()
                .map(|a| {
                    let d: tantivy::TantivyDocument = searcher.doc(a).unwrap();
                    d.get_first(idx.f.id).and_then(|v| v.as_i64()).unwrap()
                })
                .collect()
        };
        assert_eq!(got, want, "{actor:?}");
        checked += 1;
    }
    assert!(checked > 1000);
}
