//! The change record keeps each node's index current; a rebuild gives the same answers; a
//! refused query changes nothing.

use super::*;
use mishu_domain::incoming::{IncomingAction, RegistrationInput, SubmissionKind};
use mishu_domain::org::{Clearance, Role};
use mishu_service::incoming;
use mishu_testkit::{TestDb, builders};
use std::sync::Arc;

#[tokio::test]
async fn a_change_shows_after_apply_on_every_node_and_a_rebuild_agrees() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let b = t.backend;
        let ban = builders::department(&s, "党政办公室", None).await;
        let sec = builders::person(&s, "mishu", Some(ban), &[Role::Secretary], Clearance::Secret).await;
        let leader = builders::person(&s, "shuji", None, &[Role::Leader], Clearance::Secret).await;
        let secretary = builders::actor(&s, sec).await;
        let now = s.clock.now();
        search::apply_changes_now(&s).await.unwrap();

        let before = changes(&s).await;
        let r = RegistrationInput {
            sender_organ: "市应急管理局".into(),
            sender_number: "应急〔2026〕8号".into(),
            pages: Some(2),
            ..builders::notice("关于开展冬季消防演练的通知", now)
        };
        let id = incoming::register(&s, &secretary, r, "ip").await.unwrap().id;
        assert_eq!(changes(&s).await, before + 1, "{b}: the registration is recorded in its transaction");
        assert_eq!(all_hits(&s, &secretary, "消防演练").await.0, 0, "{b}: not applied yet");
        assert_eq!(search::apply_changes_now(&s).await.unwrap(), 1);
        let (n, hits) = all_hits(&s, &secretary, "消防演练").await;
        assert_eq!((n, hits), (1, vec![("incoming".to_string(), id.0)]), "{b}");
        let page = search::search(&s, &secretary, &query("消防演练")).await.unwrap();
        assert!(page.hits[0].title_html.contains("<mark>消防演练</mark>"), "{b}: {}", page.hits[0].title_html);
        assert!(all_hits(&s, &secretary, "应急管理局").await.0 == 1, "{b}: the sender is searchable");

        let propose = IncomingAction::Propose {
            opinion: "拟请书记审定演练方案".into(),
            submission: SubmissionKind::ForInstruction,
            leaders: vec![leader],
            parallel: false,
        };
        incoming::act(&s, &secretary, id, propose, "ip").await.unwrap();
        assert_eq!(all_hits(&s, &secretary, "审定").await.0, 0, "{b}");
        search::apply_changes_now(&s).await.unwrap();
        assert_eq!(all_hits(&s, &secretary, "审定").await.0, 1, "{b}: the proposal, after apply");
        assert_eq!(search::apply_changes_now(&s).await.unwrap(), 0, "{b}: nothing new");

        // A second node on the same database, with its own index, converges.
        let other = another_node(&s);
        search::apply_changes_now(&other).await.unwrap();
        for term in ["消防演练", "审定", "通知", "应急"] {
            assert_eq!(all_hits(&other, &secretary, term).await, all_hits(&s, &secretary, term).await, "{b}: {term}");
        }

        // A rebuild answers the same.
        let answers = [all_hits(&s, &secretary, "消防").await, all_hits(&s, &secretary, "书记").await];
        let n = search::reindex(&s, &|_, _| {}).await.unwrap();
        assert_eq!(n, 1, "{b}");
        assert_eq!([all_hits(&s, &secretary, "消防").await, all_hits(&s, &secretary, "书记").await], answers, "{b}");
    }
}

#[tokio::test]
async fn a_refused_query_changes_nothing() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let audit_before: (i64,) = s.db.fetch_one("SELECT COUNT(*) FROM audit_log", args![]).await.unwrap();
        let changes_before = changes(&s).await;
        for bad in ["通".repeat(10_000), "通知\u{7}".into(), "会议\r\n".into()] {
            let e = SearchQuery::parse(&RawSearch { q: Some(bad), ..RawSearch::default() }).unwrap_err();
            assert_eq!(e.field, "q");
        }
        let audit_after: (i64,) = s.db.fetch_one("SELECT COUNT(*) FROM audit_log", args![]).await.unwrap();
        assert_eq!(audit_after, audit_before);
        assert_eq!(changes(&s).await, changes_before);
    }
}

/// The office's secretary, who registers and may read what the tests below register.
async fn office_secretary(s: &Services) -> Actor {
    let ban = builders::department(s, "党政办公室", None).await;
    let sec = builders::person(s, "mishu", Some(ban), &[Role::Secretary], Clearance::Secret).await;
    builders::actor(s, sec).await
}

async fn register(s: &Services, who: &Actor, title: &str) {
    incoming::register(s, who, builders::notice(title, s.clock.now()), "ip").await.unwrap();
}

/// Another node on the same database, with an index of its own, never built.
fn another_node(s: &Services) -> Services {
    let mut other = s.clone();
    other.search = Arc::new(search::SearchIndex::in_ram());
    other
}

/// Pruning deletes only old changes; a node whose cursor the pruning passed rebuilds rather
/// than missing what it can no longer read, and a rebuild after everything was pruned does not
/// start below the watermark (which would rebuild again at every apply).
#[tokio::test]
async fn a_pruned_change_record_makes_a_node_left_behind_rebuild() {
    for t in TestDb::all().await {
        let (s, clock) = t.services();
        let b = t.backend;
        let secretary = office_secretary(&s).await;
        register(&s, &secretary, "关于冬季防火检查的通知").await;
        search::apply_changes_now(&s).await.unwrap();
        // A second node, up to date now, then away.
        let away = another_node(&s);
        search::apply_changes_now(&away).await.unwrap();

        register(&s, &secretary, "关于寒假值班安排的通知").await;
        assert_eq!(search::prune(&s).await.unwrap(), 0, "{b}: nothing is old yet");
        clock.advance_minutes((search::KEEP_DAYS + 1) * 24 * 60);
        register(&s, &secretary, "关于开学准备工作的通知").await;
        assert_eq!(search::prune(&s).await.unwrap(), 2, "{b}: the two old changes go, the new one stays");
        assert_eq!(changes(&s).await, 1, "{b}");

        search::apply_changes_now(&away).await.unwrap();
        for term in ["防火检查", "值班安排", "开学准备"] {
            assert_eq!(all_hits(&away, &secretary, term).await.0, 1, "{b}: {term} after the rebuild");
        }
        assert_eq!(search::apply_changes_now(&away).await.unwrap(), 0, "{b}: caught up, no second rebuild");

        // Everything pruned: a new node rebuilds once and then applies as usual.
        clock.advance_minutes((search::KEEP_DAYS + 1) * 24 * 60);
        assert_eq!(search::prune(&s).await.unwrap(), 1, "{b}");
        let new = another_node(&s);
        assert_eq!(search::apply_changes_now(&new).await.unwrap(), 3, "{b}: built from the database");
        assert_eq!(search::apply_changes_now(&new).await.unwrap(), 0, "{b}: not rebuilt again");
        register(&s, &secretary, "关于期末考试安排的通知").await;
        assert_eq!(search::apply_changes_now(&new).await.unwrap(), 1, "{b}: the next change applies");
        assert_eq!(all_hits(&new, &secretary, "期末考试").await.0, 1, "{b}");
    }
}

/// A rebuild request reaches every node while it serves: each rebuilds once at its next
/// apply, then applies changes as usual; the request is audited and the chain still verifies.
#[tokio::test]
async fn a_rebuild_request_rebuilds_every_node_once() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let b = t.backend;
        let secretary = office_secretary(&s).await;
        for title in ["关于冬季防火检查的通知", "关于寒假值班安排的通知"] {
            register(&s, &secretary, title).await;
        }
        let other = another_node(&s);
        for node in [&s, &other] {
            search::apply_changes_now(node).await.unwrap();
            assert_eq!(search::apply_changes_now(node).await.unwrap(), 0, "{b}: up to date");
        }
        search::request_rebuild(&s, &mishu_service::audit::Origin::system()).await.unwrap();
        for node in [&s, &other] {
            // A rebuild answers the objects it indexed; an apply, the changes it read.
            assert_eq!(search::apply_changes_now(node).await.unwrap(), 2, "{b}: rebuilt from the database");
            assert_eq!(search::apply_changes_now(node).await.unwrap(), 0, "{b}: once");
            assert_eq!(all_hits(node, &secretary, "值班安排").await.0, 1, "{b}");
        }
        register(&s, &secretary, "关于期末考试安排的通知").await;
        assert_eq!(search::apply_changes_now(&other).await.unwrap(), 1, "{b}: the next change applies");
        let (n,): (i64,) =
            s.db.fetch_one("SELECT COUNT(*) FROM audit_log WHERE action = 'search.rebuild_requested'", args![])
                .await
                .unwrap();
        assert_eq!(n, 1, "{b}");
        assert!(mishu_service::audit::verify(&s).await.unwrap().ok(), "{b}");
    }
}

/// What the person finds of the meeting in the next test.
async fn found(s: &Services, who: &Actor) -> Vec<(String, i64)> {
    all_hits(s, who, "教学工作例会").await.1
}

/// The meeting's entries in the change record.
async fn marked(s: &Services, id: i64) -> i64 {
    let sql = "SELECT COUNT(*) FROM search_changes WHERE domain = 'meeting' AND subject_id = $1";
    let (n,): (i64,) = s.db.fetch_one(sql, args![id]).await.unwrap();
    n
}

/// Search follows a meeting's people: a person added after the notice finds it once the
/// change is applied, and one taken off no longer does, because each change is marked for
/// the index in its own transaction.
#[tokio::test]
async fn an_attendee_added_finds_the_meeting_and_one_removed_no_longer_does() {
    use crate::meetings::{NEXT_MONDAY, office, person, req};
    use mishu_service::meetings::{NewMeeting, attendees, bookings, meeting};
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let b = t.backend;
        let o = office(&s).await;
        let booking = bookings::request(&s, &o.requester, o.room1, req(NEXT_MONDAY.plus_hours(9), 60, 3), "ip").await;
        let new = NewMeeting {
            booking_id: booking.unwrap(),
            chair_id: person(&o.office_head),
            content: String::new(),
            materials: String::new(),
            attendees: vec![person(&o.other)],
        };
        let id = meeting::create(&s, &o.requester, new, "ip").await.unwrap();
        search::apply_changes_now(&s).await.unwrap();
        let hit = vec![("meeting".to_string(), id.0)];
        assert_eq!(found(&s, &o.other).await, hit, "{b}: an attendee finds it");
        // The 行政科 head is not on the meeting and reads no department's meetings as head.
        assert!(found(&s, &o.section_head).await.is_empty(), "{b}: not yet on the meeting");

        let before = marked(&s, id.0).await;
        attendees::add_attendee(&s, &o.requester, id, person(&o.section_head), "ip").await.unwrap();
        assert_eq!(marked(&s, id.0).await, before + 1, "{b}: the addition is marked in its transaction");
        search::apply_changes_now(&s).await.unwrap();
        assert_eq!(found(&s, &o.section_head).await, hit, "{b}: the added person finds it");

        attendees::remove_attendee(&s, &o.requester, id, person(&o.section_head), "ip").await.unwrap();
        assert_eq!(marked(&s, id.0).await, before + 2, "{b}: the removal is marked in its transaction");
        search::apply_changes_now(&s).await.unwrap();
        assert!(found(&s, &o.section_head).await.is_empty(), "{b}: the removed person no longer finds it");
        assert_eq!(found(&s, &o.other).await, hit, "{b}: the others still do");
    }
}

/// A rebuild replaces objects in place: every search made between its batches still finds
/// what it found before (a serving node rebuilds on request), and an object the database no
/// longer has leaves the index.
#[tokio::test]
async fn a_rebuild_answers_in_full_while_it_runs_and_drops_what_the_database_no_longer_has() {
    use mishu_domain::tasks::Urgency;
    use mishu_service::leader_tasks::{self, NewLeaderTask};
    use std::sync::Mutex;
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let b = t.backend;
        let secretary = office_secretary(&s).await;
        register(&s, &secretary, "关于冬季防火检查的通知").await;
        let dept = builders::department(&s, "教务处", None).await;
        let owner = builders::person(&s, "jwc.head", Some(dept), &[Role::DepartmentHead], Clearance::None).await;
        let leader_id = builders::person(&s, "yuanzhang", None, &[Role::Leader], Clearance::Secret).await;
        let leader = builders::actor(&s, leader_id).await;
        let new = NewLeaderTask {
            title: "梳理实训室建设方案".into(),
            body: "周五前报我".into(),
            leader_id,
            owner_id: owner,
            due_at: s.clock.now().plus_hours(30),
            urgency: Urgency::Normal,
        };
        let task = leader_tasks::give(&s, &leader, new, "ip").await.unwrap();
        search::apply_changes_now(&s).await.unwrap();
        let finds = || {
            let n = |who: &Actor, q: &str| search::engine_page(&s, who, &query(q)).unwrap().0;
            (n(&secretary, "防火检查"), n(&leader, "实训室"))
        };
        assert_eq!(finds(), (1, 1), "{b}: before");
        let seen = Mutex::new(Vec::new());
        search::reindex(&s, &|_, _| seen.lock().unwrap().push(finds())).await.unwrap();
        let seen = seen.into_inner().unwrap();
        assert!(seen.len() >= 3, "{b}: a batch per domain at least: {seen:?}");
        assert!(seen.iter().all(|f| *f == (1, 1)), "{b}: found in full between batches: {seen:?}");
        assert_eq!(s.search.segments(), 1, "{b}: a rebuild's batches end merged into one segment");

        // Gone from the database behind the index's back: a rebuild takes it out.
        s.db.execute("DELETE FROM tasks WHERE domain = 'leader_task' AND subject_id = $1", args![task.0])
            .await
            .unwrap();
        s.db.execute("DELETE FROM leader_tasks WHERE leader_task_id = $1", args![task.0]).await.unwrap();
        assert_eq!(finds(), (1, 1), "{b}: the index does not know yet");
        search::reindex(&s, &|_, _| {}).await.unwrap();
        assert_eq!(finds(), (1, 0), "{b}: dropped by the rebuild");
    }
}
