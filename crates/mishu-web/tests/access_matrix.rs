//! T5, the access-control matrix: every object of the demo organ (received and outgoing
//! documents, leader tasks, meetings, seal applications, archive items, at every
//! classification the demo holds) × every demo person (every role, the three
//! administrators) × every page and API route that shows one object, against the policy
//! table below. The table is the reviewed statement of who reads what; the test derives
//! each person's relation to each object from the object's access facts and the person's
//! roles, looks the answer up in the table, and requires the server to agree on every
//! call: 100 % agreement, no unexpected allow, and a refusal that looks like a missing object.
//!
//! Change the table only with a review: a row changed here changes who reads what.

mod support;

use axum::http::StatusCode;
use mishu_domain::PersonId;
use mishu_domain::access::{Actor, Capability, allows};
use mishu_domain::incoming::{IncomingAction, RegistrationInput, SubmissionKind};
use mishu_domain::org::{Clearance, Role};
use mishu_service::search::{self, Domain, Readers, SearchDoc};
use mishu_service::{args, demo, incoming, org};
use support::TestApp;

/// A person's strongest relation to one object, in this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Relation {
    /// System, security or audit administrator: no business data at all.
    Administrator,
    /// Gave, owns, handles, signs, attends or must read it.
    OnRoute,
    /// Holds the capability that reads the domain (the archives' keepers).
    Keeper,
    /// Secretary, office head or leader, not on the route.
    OfficeWide,
    /// Head of the department the object belongs to, not on the route.
    OwnDepartmentHead,
    Other,
}
use Relation::*;

/// The object's classification as the person meets it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Open,
    /// Classified, and the person's clearance reaches it.
    Cleared,
    /// Classified above the person's clearance.
    NotCleared,
}
use Class::*;

/// Which rule a domain's pages follow (`Readers` in the service).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rule {
    /// Need to know: the route, and for unclassified objects office-wide roles and the
    /// owning department's head (R1.5, R7.2).
    Policy,
    /// The archives: the route (borrowers) and the keepers, each up to their clearance;
    /// office-wide roles as such read nothing there.
    RouteOrKeeper,
    /// Meetings: every business user opens a meeting's page (the rooms' week and the weekly
    /// arrangement publish them to all staff); search shows them only to the people on it.
    Staff,
}

/// THE POLICY TABLE: (rule, relation, class) → may read. Every combination is listed.
#[rustfmt::skip]
const TABLE: &[(Rule, Relation, Class, bool)] = &[
    (Rule::Policy, Administrator,     Open, false), (Rule::Policy, Administrator,     Cleared, false), (Rule::Policy, Administrator,     NotCleared, false),
    (Rule::Policy, OnRoute,           Open, true),  (Rule::Policy, OnRoute,           Cleared, true),  (Rule::Policy, OnRoute,           NotCleared, false),
    (Rule::Policy, Keeper,            Open, false), (Rule::Policy, Keeper,            Cleared, false), (Rule::Policy, Keeper,            NotCleared, false),
    (Rule::Policy, OfficeWide,        Open, true),  (Rule::Policy, OfficeWide,        Cleared, false), (Rule::Policy, OfficeWide,        NotCleared, false),
    (Rule::Policy, OwnDepartmentHead, Open, true),  (Rule::Policy, OwnDepartmentHead, Cleared, false), (Rule::Policy, OwnDepartmentHead, NotCleared, false),
    (Rule::Policy, Other,             Open, false), (Rule::Policy, Other,             Cleared, false), (Rule::Policy, Other,             NotCleared, false),
    (Rule::RouteOrKeeper, Administrator,     Open, false), (Rule::RouteOrKeeper, Administrator,     Cleared, false), (Rule::RouteOrKeeper, Administrator,     NotCleared, false),
    (Rule::RouteOrKeeper, OnRoute,           Open, true),  (Rule::RouteOrKeeper, OnRoute,           Cleared, true),  (Rule::RouteOrKeeper, OnRoute,           NotCleared, false),
    (Rule::RouteOrKeeper, Keeper,            Open, true),  (Rule::RouteOrKeeper, Keeper,            Cleared, true),  (Rule::RouteOrKeeper, Keeper,            NotCleared, false),
    (Rule::RouteOrKeeper, OfficeWide,        Open, false), (Rule::RouteOrKeeper, OfficeWide,        Cleared, false), (Rule::RouteOrKeeper, OfficeWide,        NotCleared, false),
    (Rule::RouteOrKeeper, OwnDepartmentHead, Open, false), (Rule::RouteOrKeeper, OwnDepartmentHead, Cleared, false), (Rule::RouteOrKeeper, OwnDepartmentHead, NotCleared, false),
    (Rule::RouteOrKeeper, Other,             Open, false), (Rule::RouteOrKeeper, Other,             Cleared, false), (Rule::RouteOrKeeper, Other,             NotCleared, false),
    (Rule::Staff, Administrator,     Open, false), (Rule::Staff, Administrator,     Cleared, false), (Rule::Staff, Administrator,     NotCleared, false),
    (Rule::Staff, OnRoute,           Open, true),  (Rule::Staff, OnRoute,           Cleared, true),  (Rule::Staff, OnRoute,           NotCleared, false),
    (Rule::Staff, Keeper,            Open, true),  (Rule::Staff, Keeper,            Cleared, true),  (Rule::Staff, Keeper,            NotCleared, false),
    (Rule::Staff, OfficeWide,        Open, true),  (Rule::Staff, OfficeWide,        Cleared, true),  (Rule::Staff, OfficeWide,        NotCleared, false),
    (Rule::Staff, OwnDepartmentHead, Open, true),  (Rule::Staff, OwnDepartmentHead, Cleared, true),  (Rule::Staff, OwnDepartmentHead, NotCleared, false),
    (Rule::Staff, Other,             Open, true),  (Rule::Staff, Other,             Cleared, true),  (Rule::Staff, Other,             NotCleared, false),
];

/// Every route that shows one object of the domain, page and API.
fn routes_of(d: Domain) -> &'static [&'static str] {
    match d {
        Domain::Incoming => &["/incoming/{id}", "/incoming/{id}/slip", "/api/v1/incoming/{id}"],
        Domain::LeaderTask => &["/leader-tasks/{id}", "/api/v1/leader-tasks/{id}"],
        Domain::Meeting => &["/meetings/{id}"],
        Domain::SealApplication => &["/seals/applications/{id}"],
        Domain::Outgoing => &["/outgoing/{id}", "/outgoing/{id}/slip", "/api/v1/outgoing/{id}"],
        Domain::Archive => &["/archives/items/{id}", "/api/v1/archives/items/{id}"],
    }
}

fn ids_sql(d: Domain) -> &'static str {
    match d {
        Domain::Incoming => "SELECT incoming_id FROM incoming_documents ORDER BY 1",
        Domain::LeaderTask => "SELECT leader_task_id FROM leader_tasks ORDER BY 1",
        Domain::Meeting => "SELECT meeting_id FROM meetings ORDER BY 1",
        Domain::SealApplication => "SELECT application_id FROM seal_applications ORDER BY 1",
        Domain::Outgoing => "SELECT outgoing_id FROM outgoing_documents ORDER BY 1",
        Domain::Archive => "SELECT item_id FROM archive_items ORDER BY 1",
    }
}

fn relation(a: &Actor, doc: &SearchDoc) -> Relation {
    if a.admin.is_some() {
        return Administrator;
    }
    if doc.subject.route.contains(&a.person_id) {
        return OnRoute;
    }
    if matches!(doc.readers, Readers::RouteOr(cap) if allows(Some(a), cap)) {
        return Keeper;
    }
    if a.has_role(Role::Secretary) || a.has_role(Role::OfficeHead) || a.has_role(Role::Leader) {
        return OfficeWide;
    }
    let heads = |d| {
        a.roles.iter().any(|(r, scope)| *r == Role::DepartmentHead && (*scope == Some(d) || a.department_id == Some(d)))
    };
    if doc.subject.department_id.is_some_and(heads) { OwnDepartmentHead } else { Other }
}

fn class(a: &Actor, doc: &SearchDoc) -> Class {
    match doc.subject.classification {
        Clearance::None => Open,
        c if a.clearance >= c => Cleared,
        _ => NotCleared,
    }
}

fn expected(rule: Rule, rel: Relation, class: Class) -> bool {
    let rows: Vec<_> = TABLE.iter().filter(|(r, l, c, _)| (*r, *l, *c) == (rule, rel, class)).collect();
    assert_eq!(rows.len(), 1, "the table has {} rows for {rule:?} {rel:?} {class:?}", rows.len());
    rows[0].3
}

#[test]
fn the_table_lists_every_combination_once() {
    for rule in [Rule::Policy, Rule::RouteOrKeeper, Rule::Staff] {
        for rel in [Administrator, OnRoute, Keeper, OfficeWide, OwnDepartmentHead, Other] {
            for class in [Open, Cleared, NotCleared] {
                expected(rule, rel, class);
            }
        }
    }
    assert_eq!(TABLE.len(), 3 * 6 * 3);
}

async fn actor_of(s: &mishu_service::Services, login: &str) -> Actor {
    let (pid,): (i64,) = s.db.fetch_one("SELECT person_id FROM people WHERE login = $1", args![login]).await.unwrap();
    org::load_actor(s, PersonId(pid), None).await.unwrap()
}

/// The demo holds no classified object: the secretary registers a 秘密 请示 and proposes it
/// to the president, so the classified rows of the table are met.
async fn classified_document(s: &mishu_service::Services) {
    let secretary = actor_of(s, "mishu").await;
    let now = s.clock.now();
    let input = RegistrationInput {
        sender_organ: "机要交通".into(),
        sender_number: "江教密〔2026〕3号".into(),
        pages: Some(2),
        ..mishu_testkit::builders::classified_notice("关于考试命题保密工作的通知", ["秘密", "1年", "0007"], now)
    };
    let id = incoming::register(s, &secretary, input, "ip").await.expect("a classified registration").id;
    let president = actor_of(s, "yuanzhang").await.person_id;
    let propose = IncomingAction::Propose {
        opinion: "呈阅".into(),
        submission: SubmissionKind::ForReading,
        leaders: vec![president],
        parallel: false,
    };
    incoming::act(s, &secretary, id, propose, "ip").await.expect("proposed to the president");
}

#[tokio::test]
async fn every_person_reads_exactly_what_the_policy_table_says_on_every_object_route() {
    for app in TestApp::all().await {
        let b = app.backend;
        let report = demo::load(&app.services).await.expect("the demo organ");
        let s = &app.services;
        classified_document(s).await;

        let mut objects: Vec<SearchDoc> = Vec::new();
        for d in Domain::ALL {
            let ids: Vec<(i64,)> = s.db.fetch_all(ids_sql(d), args![]).await.unwrap();
            assert!(!ids.is_empty(), "{b}: the demo holds no {d:?}, the matrix would not cover it");
            for (id,) in ids {
                objects.push(search::access_facts(s, d, id).await.unwrap().expect("the object exists"));
            }
        }
        let classified = objects.iter().filter(|o| o.subject.classification > Clearance::None).count();
        assert!(classified > 0, "{b}: the demo holds no classified object, the matrix would not cover it");

        let (mut calls, mut allowed, mut cells) = (0usize, 0usize, std::collections::BTreeSet::new());
        let mut disagreements = Vec::new();
        for login in &report.logins {
            let actor = actor_of(s, &login.login).await;
            let mut c = app.client();
            let r = c.login(&login.login, &report.password).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {} signs in", login.login);
            for doc in &objects {
                let rule = match (doc.domain, doc.readers) {
                    (Domain::Meeting, _) => Rule::Staff,
                    (_, Readers::RouteOr(Capability::ManageArchives)) => Rule::RouteOrKeeper,
                    _ => Rule::Policy,
                };
                let (rel, cls) = (relation(&actor, doc), class(&actor, doc));
                let want = expected(rule, rel, cls);
                cells.insert(format!("{rule:?}/{rel:?}/{cls:?}"));
                for route in routes_of(doc.domain) {
                    let url = route.replace("{id}", &doc.id.to_string());
                    let got = c.get(&url).await.status;
                    calls += 1;
                    // A refused business user sees "not found", exactly like a missing id; an
                    // administrator is stopped at the route (no business capability).
                    let refused = if rel == Administrator { StatusCode::FORBIDDEN } else { StatusCode::NOT_FOUND };
                    let agrees = if want { got == StatusCode::OK } else { got == refused };
                    allowed += usize::from(got == StatusCode::OK);
                    if !agrees {
                        disagreements.push(format!(
                            "{} on {url}: {rule:?}/{rel:?}/{cls:?} expects {}, got {got}",
                            login.login,
                            if want { "200" } else { refused.as_str() }
                        ));
                    }
                }
            }
        }
        eprintln!(
            "{b}: {} people × {} objects ({classified} classified): {calls} calls, {allowed} allowed, {} table cells met, {} disagreements",
            report.logins.len(),
            objects.len(),
            cells.len(),
            disagreements.len()
        );
        assert!(disagreements.is_empty(), "{b}: {} disagreements:\n{}", disagreements.len(), disagreements.join("\n"));
        assert!(allowed > 0 && allowed < calls, "{b}: the matrix must both allow and refuse");
    }
}
