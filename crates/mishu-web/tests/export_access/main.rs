//! T6, export links per role: every list-level download (the 收文 register, the archives'
//! catalogue as XLSX and PDF and the transfer package, the seal-usage report, the chronicle,
//! the audit log, the weekly arrangement's published versions) fetched by every demo person
//! (every role and the three administrators). The organ is the demo's plus a 秘密 received
//! document, closed and filed, whose archive item one keeper may no longer read (his
//! clearance withdrawn). A download must answer as the route's policy says, and an allowed
//! one must hold exactly what that person may open on each object's own page: the oracle is
//! the service's `search::readable` on each object's access facts, as in the T5 matrix, never
//! the download route itself.

#[path = "../support/mod.rs"]
mod support;

mod exports;
mod read;

use axum::http::StatusCode;
use exports::{Export, MARKER, World, opens};
use mishu_domain::PersonId;
use mishu_domain::access::{Actor, Capability, allows};
use mishu_domain::incoming::{IncomingAction, RegistrationInput, SubmissionKind};
use mishu_domain::org::Clearance;
use mishu_domain::{IncomingId, IncomingStepId};
use mishu_service::audit::Origin;
use mishu_service::search::{self, Domain};
use mishu_service::{Services, archives, args, demo, incoming, org};
use support::TestApp;

async fn actor_of(s: &Services, login: &str) -> Actor {
    let (pid,): (i64,) = s.db.fetch_one("SELECT person_id FROM people WHERE login = $1", args![login]).await.unwrap();
    org::load_actor(s, PersonId(pid), None).await.unwrap()
}

/// The secretary registers a 秘密 通知 (the marker in its title) and proposes it to the
/// president for reading; he reads it, the secretary closes it and the archivist files it.
/// Then the security administrator withdraws the deputy office head's clearance: he keeps
/// the archives (ManageArchives) but may no longer read the item, nor the document.
async fn classified_and_filed(s: &Services) -> IncomingId {
    let secretary = actor_of(s, "mishu").await;
    let title = format!("关于考试命题保密工作的通知（{MARKER}）");
    let input = RegistrationInput {
        sender_organ: "机要交通".into(),
        sender_number: "江教密〔2026〕9号".into(),
        pages: Some(2),
        ..mishu_testkit::builders::classified_notice(&title, ["秘密", "1年", "0008"], s.clock.now())
    };
    let id = incoming::register(s, &secretary, input, "ip").await.expect("a classified registration").id;
    let president = actor_of(s, "yuanzhang").await;
    let propose = IncomingAction::Propose {
        opinion: "呈阅".into(),
        submission: SubmissionKind::ForReading,
        leaders: vec![president.person_id],
        parallel: false,
    };
    incoming::act(s, &secretary, id, propose, "ip").await.expect("proposed to the president");
    let view = incoming::get(s, &president, id, "ip").await.expect("the president reads it");
    let step = view.steps.iter().find(|st| st.person_id == president.person_id.0 && st.state == "open");
    let step = IncomingStepId(step.expect("the president's open step").step_id);
    incoming::act(s, &president, id, IncomingAction::MarkRead { step }, "ip").await.expect("read");
    let close = IncomingAction::Close { outcome: "已阅。".into(), reply: String::new(), promote: false };
    incoming::act(s, &secretary, id, close, "ip").await.expect("closed");

    let archivist = actor_of(s, "dangan").await;
    let req = archives::FileRequest {
        source: archives::FilingSource::Incoming(id),
        retention: String::new(),
        class_code: "BGS".into(),
        note: String::new(),
    };
    archives::file(s, &archivist, req, "ip").await.expect("the archivist files it");

    let deputy = actor_of(s, "fuzhuren").await;
    let security = Origin::of(&actor_of(s, "secadmin").await, "ip");
    org::set_roles_and_clearance(s, &security, deputy.person_id, &deputy.roles, Clearance::None)
        .await
        .expect("clearance withdrawn");
    id
}

async fn world(s: &Services) -> World {
    let mut objects = Vec::new();
    for d in Domain::ALL {
        for id in search_ids(s, d).await {
            objects.push(search::access_facts(s, d, id).await.unwrap().expect("the object exists"));
        }
    }
    let codes =
        s.db.fetch_all("SELECT item_id, archive_code, year FROM archive_items ORDER BY 1", args![]).await.unwrap();
    let since = s.clock.now().0 - 29 * 24 * 3600 * 1000;
    let used: Vec<(i64,)> =
        s.db.fetch_all("SELECT application_id FROM seal_uses WHERE used_at >= $1", args![since]).await.unwrap();
    let year = chrono::Datelike::year(&s.clock.now().local_date());
    let chronicle: Vec<(String, String)> =
        s.db.fetch_all(
            "SELECT event, state FROM chronicle_entries WHERE entry_date >= $1 AND entry_date <= $2",
            args![format!("{year}-01-01"), format!("{year}-12-31")],
        )
        .await
        .unwrap();
    let versions: Vec<(i64,)> = s.db.fetch_all("SELECT version_id FROM arrangement_versions", args![]).await.unwrap();
    let entries =
        s.db.fetch_all("SELECT version_id, title, meeting_id FROM arrangement_entries", args![]).await.unwrap();
    World {
        objects,
        codes,
        year,
        used_applications: used.into_iter().map(|r| r.0).collect(),
        chronicle: chronicle.into_iter().map(|(e, st)| (e, st == "accepted")).collect(),
        versions: versions.into_iter().map(|r| r.0).collect(),
        entries,
    }
}

async fn search_ids(s: &Services, d: Domain) -> Vec<i64> {
    let sql = match d {
        Domain::Incoming => "SELECT incoming_id FROM incoming_documents ORDER BY 1",
        Domain::LeaderTask => "SELECT leader_task_id FROM leader_tasks ORDER BY 1",
        Domain::Meeting => "SELECT meeting_id FROM meetings ORDER BY 1",
        Domain::SealApplication => "SELECT application_id FROM seal_applications ORDER BY 1",
        Domain::Outgoing => "SELECT outgoing_id FROM outgoing_documents ORDER BY 1",
        Domain::Archive => "SELECT item_id FROM archive_items ORDER BY 1",
    };
    let rows: Vec<(i64,)> = s.db.fetch_all(sql, args![]).await.unwrap();
    rows.into_iter().map(|r| r.0).collect()
}

/// The route's capability in the policy table the server runs.
fn capability(route: &str) -> Capability {
    let found = mishu_web::policy::POLICY.iter().find(|(m, p, _)| *m == "GET" && *p == route);
    found.unwrap_or_else(|| panic!("{route} is not in the policy table")).2
}

#[tokio::test]
async fn every_person_downloads_exactly_what_they_may_open() {
    let pdf = read::have_pdftotext();
    if !pdf {
        eprintln!("T6: pdftotext (poppler-utils) is missing: the PDF downloads are checked for status only");
    }
    for app in TestApp::all().await {
        let b = app.backend;
        let report = demo::load(&app.services).await.expect("the demo organ");
        let s = &app.services;
        let secret = classified_and_filed(s).await;
        let w = world(s).await;

        // The organ must make the checks bite: someone reads the 秘密 document and an
        // office-wide role does not; a keeper cannot read its archive item, another can.
        let doc = w.objects.iter().find(|o| o.domain == Domain::Incoming && o.id == secret.0).unwrap();
        let item = w.objects.iter().find(|o| o.domain == Domain::Archive && o.title.contains(MARKER)).unwrap();
        let (head, deputy, archivist) =
            (actor_of(s, "zhuren").await, actor_of(s, "fuzhuren").await, actor_of(s, "dangan").await);
        assert!(opens(&actor_of(s, "yuanzhang").await, doc) && !opens(&head, doc), "{b}: the 秘密 document splits");
        assert!(opens(&archivist, item) && !opens(&deputy, item), "{b}: the archive item splits the keepers");
        assert!(allows(Some(&deputy), Capability::ManageArchives), "{b}: the deputy still keeps the archives");
        assert!(!w.versions.is_empty() && !w.used_applications.is_empty(), "{b}: the demo publishes and stamps");

        let (mut calls, mut allowed, mut checked, mut skipped) = (0usize, 0usize, 0usize, 0usize);
        let mut per_export = std::collections::BTreeMap::<String, (usize, usize)>::new();
        let mut problems = Vec::new();
        for login in &report.logins {
            let actor = actor_of(s, &login.login).await;
            let mut c = app.client();
            let r = c.login(&login.login, &report.password).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {} signs in", login.login);
            for export in Export::ALL {
                let may = allows(Some(&actor), capability(export.route()));
                for url in export.urls(&w) {
                    let seqs = audit_seqs(s).await;
                    let r = c.get(&url).await;
                    calls += 1;
                    let tally = per_export.entry(format!("{export:?}")).or_default();
                    // A download the route's capability refuses is stopped before any handler,
                    // for business users and administrators alike: 403, as everywhere else.
                    let want = if may { StatusCode::OK } else { StatusCode::FORBIDDEN };
                    if r.status != want {
                        problems.push(format!("{} {url}: expected {want}, got {}", login.login, r.status));
                        continue;
                    }
                    if !may {
                        tally.1 += 1;
                        continue;
                    }
                    (allowed, tally.0) = (allowed + 1, tally.0 + 1);
                    if export.is_pdf() && !pdf {
                        skipped += 1;
                        continue;
                    }
                    let (n, found) = export.check(&w, &actor, &url, &r.body, &seqs);
                    checked += n;
                    problems.extend(found.into_iter().map(|f| format!("{} {url}: {f}", login.login)));
                }
            }
        }
        eprintln!(
            "{b}: {} people × {} exports: {calls} calls, {allowed} allowed, {checked} object checks, {} problems; \
             per export (allowed, refused): {per_export:?}",
            report.logins.len(),
            Export::ALL.len(),
            problems.len()
        );
        if skipped > 0 {
            eprintln!("{b}: {skipped} PDF downloads NOT read (no pdftotext)");
        }
        assert!(problems.is_empty(), "{b}: {} problems:\n{}", problems.len(), problems.join("\n"));
        for (export, (yes, no)) in &per_export {
            assert!(*yes > 0, "{b}: nobody may download {export}: the check would prove nothing");
            assert!(*no > 0, "{b}: everyone may download {export}: no refusal was tried");
        }
    }
}

async fn audit_seqs(s: &Services) -> Vec<i64> {
    let rows: Vec<(i64,)> = s.db.fetch_all("SELECT seq FROM audit_log ORDER BY seq", args![]).await.unwrap();
    rows.into_iter().map(|r| r.0).collect()
}

/// Every download route in the policy table is checked here or shows one object only (T5's
/// ground, each through its object's own access check). A new list export fails this test
/// until it joins `Export::ALL`.
#[test]
fn every_list_download_in_the_policy_is_covered() {
    const ONE_OBJECT: &[&str] = &[
        "/incoming/{id}/slip.pdf",
        "/outgoing/{id}/draft-sheet.pdf",
        "/outgoing/{id}/pdf",
        "/seals/applications/{id}/sealed.pdf",
        "/meetings/{id}/ics",
    ];
    let download =
        |p: &str| [".xlsx", ".pdf", ".csv", ".zip", ".ics", "/pdf", "/xlsx", "/ics"].iter().any(|x| p.ends_with(x));
    for (method, path, _) in mishu_web::policy::POLICY.iter().filter(|(m, p, _)| *m == "GET" && download(p)) {
        let covered = Export::ALL.iter().any(|e| e.route() == *path) || ONE_OBJECT.contains(path);
        assert!(covered, "{method} {path} is a download this test does not check");
    }
}
