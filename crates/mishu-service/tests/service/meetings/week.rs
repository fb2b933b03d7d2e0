//! The weekly work arrangement (R5.4) on both databases: compiled from approved bookings,
//! their meetings and leaders' activities, by day and by leader; published by the office as
//! numbered frozen versions that reach everyone on them; changes after publication reach
//! exactly the people they touch, before → after; PDF and XLSX of a version.

use super::{NEXT_MONDAY, office, req};
use mishu_domain::meetings::BookingAction;
use mishu_domain::org::{Clearance, Role};
use mishu_domain::{BookingId, PersonId};
use mishu_service::forms::Labels;
use mishu_service::meetings::week::{self, ARRANGEMENT_CHANGE_DOMAIN, ARRANGEMENT_DOMAIN, NewActivity};
use mishu_service::meetings::{NewMeeting, bookings, meeting};
use mishu_service::{ServiceError, Services, args};
use mishu_testkit::{TestDb, builders};

/// Keys and their arguments, so a test can see what a task says.
struct Raw;

impl Labels for Raw {
    fn tf(&self, key: &str, args: &[(&str, &str)]) -> String {
        args.iter().fold(key.to_string(), |s, (n, v)| format!("{s} {n}={v}"))
    }
}

fn monday() -> chrono::NaiveDate {
    NEXT_MONDAY.local_date()
}

/// Open Read tasks of a domain: (assignee, title), by assignee.
async fn told(s: &Services, domain: &str) -> Vec<(i64, String)> {
    s.db.fetch_all(
        "SELECT assignee_id, title FROM tasks WHERE domain = $1 AND kind = 'read' AND state = 'open'
         ORDER BY assignee_id, task_id",
        args![domain],
    )
    .await
    .unwrap()
}

fn people(rows: &[(i64, String)]) -> Vec<i64> {
    let mut v: Vec<i64> = rows.iter().map(|(p, _)| *p).collect();
    v.dedup();
    v
}

struct Week {
    o: super::Office,
    leader: PersonId,
    b1: BookingId,
    b2: BookingId,
    activity: i64,
}

/// Monday 09:00 in room 1 (approved at once) with a meeting the leader chairs and `other`
/// attends; Tuesday in room 2 with equipment (waits for the section); the leader's visit on
/// Wednesday afternoon, entered by the office.
async fn week_of_work(s: &Services) -> Week {
    let o = office(s).await;
    let dept = o.requester.department_id;
    let leader = builders::person(s, "yuanzhang", dept, &[Role::Leader], Clearance::None).await;
    let b1 = bookings::request(s, &o.requester, o.room1, req(NEXT_MONDAY.plus_hours(9), 120, 8), "ip").await.unwrap();
    let n = NewMeeting {
        booking_id: b1,
        chair_id: leader,
        content: String::new(),
        materials: String::new(),
        attendees: vec![leader, o.other.person_id],
    };
    meeting::create(s, &o.requester, n, "ip").await.unwrap();
    let mut r2 = req(NEXT_MONDAY.plus_hours(24 + 14), 60, 20);
    r2.equipment = true;
    let b2 = bookings::request(s, &o.other, o.room2, r2, "ip").await.unwrap();
    let a = NewActivity {
        leader_id: leader,
        starts_at: NEXT_MONDAY.plus_hours(48 + 14),
        ends_at: NEXT_MONDAY.plus_hours(48 + 17),
        place: "智能制造产业园".into(),
        what: "走访合作企业".into(),
    };
    let activity = week::add_activity(s, &o.office_head, a, "ip").await.unwrap();
    Week { o, leader, b1, b2, activity }
}

#[tokio::test]
async fn the_sheet_holds_approved_bookings_with_their_meetings_and_leaders_activities_by_day_and_by_leader() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let b = t.backend;
        let w = week_of_work(&s).await;
        let sheet = week::week(&s, monday(), None).await.unwrap();
        let keys: Vec<&str> = sheet.entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, [format!("b{}", w.b1.0), format!("a{}", w.activity)], "{b}: the requested booking waits");
        let first = &sheet.entries[0];
        assert!(
            first.meeting_id.is_some() && first.place == "第一会议室" && first.chair == "yuanzhang",
            "{b}: {first:?}"
        );
        let mut on = vec![w.o.requester.person_id.0, w.o.other.person_id.0, w.leader.0];
        on.sort_unstable();
        assert_eq!(first.people, on, "{b}: organiser, chair and attendees");
        assert_eq!(sheet.by_leader.len(), 1, "{b}");
        assert_eq!(sheet.by_leader[0].leader_id, w.leader.0, "{b}");
        assert_eq!(sheet.by_leader[0].entries.len(), 2, "{b}: the meeting the leader chairs and the visit");
        assert!(sheet.version.is_none() && sheet.versions.is_empty() && sheet.pending.is_empty(), "{b}");
        // Friday 17:30 before the week (R5.3) is when it is due.
        assert_eq!(mishu_domain::Timestamp(sheet.due_at).local_display(), "2026-11-27 17:30", "{b}");

        // Only the office enters activities, for a leader, with a sensible time.
        let a = |leader: PersonId, from: i64, to: i64, what: &str| NewActivity {
            leader_id: leader,
            starts_at: NEXT_MONDAY.plus_hours(from),
            ends_at: NEXT_MONDAY.plus_hours(to),
            place: String::new(),
            what: what.into(),
        };
        let before: (i64,) = s.db.fetch_one("SELECT COUNT(*) FROM leader_activities", args![]).await.unwrap();
        let e = week::add_activity(&s, &w.o.requester, a(w.leader, 9, 10, "调研"), "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Forbidden), "{b}: {e:?}");
        for (n, field) in [
            (a(w.o.other.person_id, 9, 10, "调研"), "leader_id"),
            (a(w.leader, 10, 9, "调研"), "ends_at"),
            (a(w.leader, 9, 10, "  "), "what"),
        ] {
            let e = week::add_activity(&s, &w.o.office_head, n, "ip").await.unwrap_err();
            assert!(e.to_string().contains(field), "{b}: {field}: {e}");
        }
        let after: (i64,) = s.db.fetch_one("SELECT COUNT(*) FROM leader_activities", args![]).await.unwrap();
        assert_eq!(before, after, "{b}: nothing half-written");
    }
}

#[tokio::test]
async fn publishing_freezes_a_numbered_version_and_tells_everyone_on_it() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let b = t.backend;
        let w = week_of_work(&s).await;
        let e = week::publish(&s, &w.o.requester, monday(), &Raw, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Forbidden), "{b}: only the office publishes");
        let p = week::publish(&s, &w.o.office_head, monday(), &Raw, "ip").await.unwrap();
        assert_eq!((p.number, p.changes, p.notified), (1, 0, 3), "{b}");
        let rows = told(&s, ARRANGEMENT_DOMAIN).await;
        let mut want = vec![w.o.requester.person_id.0, w.o.other.person_id.0, w.leader.0];
        want.sort_unstable();
        assert_eq!(people(&rows), want, "{b}: the office head is on nothing, so not told");
        assert!(rows[0].1.contains("meetings.week.task_published") && rows[0].1.contains("n=1"), "{b}: {}", rows[0].1);
        let sheet = week::week(&s, monday(), Some(p.version_id)).await.unwrap();
        let v = sheet.version.clone().unwrap();
        assert!(
            v.number == 1 && !v.late() && v.published_by == w.o.office_head.person_id.0,
            "{b}: before Friday 17:30"
        );
        assert_eq!(sheet.entries.len(), 2, "{b}");
        // Nothing changed: nothing to publish.
        let e = week::publish(&s, &w.o.office_head, monday(), &Raw, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Conflict(ref m) if m.contains("version 1")), "{b}: {e:?}");
        // The frozen copy stays as published while the live sheet moves on.
        bookings::act(&s, &w.o.section_head, w.b2, BookingAction::Approve, "ip").await.unwrap();
        let frozen = week::week(&s, monday(), Some(p.version_id)).await.unwrap();
        assert_eq!(frozen.entries.len(), 2, "{b}");
        assert_eq!(week::week(&s, monday(), None).await.unwrap().entries.len(), 3, "{b}");
    }
}

#[tokio::test]
async fn a_change_after_publication_reaches_exactly_the_people_it_touches_with_before_and_after() {
    for t in TestDb::all().await {
        let (s, clock) = t.services();
        let b = t.backend;
        let w = week_of_work(&s).await;
        week::publish(&s, &w.o.office_head, monday(), &Raw, "ip").await.unwrap();
        // Saturday: the visit moves a day, room 2's meeting is approved, room 1's is cancelled.
        clock.set(NEXT_MONDAY.plus_hours(-36));
        let moved = NewActivity {
            leader_id: w.leader,
            starts_at: NEXT_MONDAY.plus_hours(72 + 14),
            ends_at: NEXT_MONDAY.plus_hours(72 + 17),
            place: "智能制造产业园".into(),
            what: "走访合作企业".into(),
        };
        week::update_activity(&s, &w.o.office_head, w.activity, moved, "ip").await.unwrap();
        bookings::act(&s, &w.o.section_head, w.b2, BookingAction::Approve, "ip").await.unwrap();
        let cancel = BookingAction::Cancel { reason: "改期".into() };
        bookings::act(&s, &w.o.requester, w.b1, cancel, "ip").await.unwrap();
        let pending = week::week(&s, monday(), None).await.unwrap().pending;
        let kinds: Vec<&str> = pending.iter().map(|c| c.kind.code()).collect();
        assert_eq!(kinds, ["added", "changed", "cancelled"], "{b}: {pending:?}");
        assert!(told(&s, ARRANGEMENT_CHANGE_DOMAIN).await.is_empty(), "{b}: nobody is told before re-publishing");

        let p = week::publish(&s, &w.o.office_head, monday(), &Raw, "ip").await.unwrap();
        assert_eq!((p.number, p.changes), (2, 3), "{b}");
        let rows = told(&s, ARRANGEMENT_CHANGE_DOMAIN).await;
        let of = |p: PersonId| rows.iter().filter(|(a, _)| *a == p.0).map(|(_, t)| t.clone()).collect::<Vec<_>>();
        // The leader: the visit moved and the meeting they chair is cancelled.
        let leader = of(w.leader);
        assert_eq!(leader.len(), 2, "{b}: {leader:?}");
        assert!(
            leader.iter().any(|t| t.contains("kind=meetings.week.change.changed")
                && t.contains("before=12-02 14:00–17:00 走访合作企业")
                && t.contains("after=12-03 14:00–17:00 走访合作企业")),
            "{b}: {leader:?}"
        );
        assert!(
            leader
                .iter()
                .any(|t| t.contains("change.cancelled") && t.contains("before=11-30 09:00–11:00 教学工作例会")),
            "{b}"
        );
        // `other`: attended the cancelled meeting and booked the one now approved.
        assert_eq!(of(w.o.other.person_id).len(), 2, "{b}");
        // The requester of room 1: only the cancellation.
        assert_eq!(of(w.o.requester.person_id).len(), 1, "{b}");
        assert!(of(w.o.office_head.person_id).is_empty() && of(w.o.section_head.person_id).is_empty(), "{b}");

        let sheet = week::week(&s, monday(), None).await.unwrap();
        assert!(sheet.pending.is_empty(), "{b}");
        assert_eq!(sheet.versions.len(), 2, "{b}");
        assert_eq!(sheet.changes.len(), 3, "{b}: the week's change list");
        assert!(sheet.changes.iter().all(|c| c.number == 2), "{b}");
        // Published on Saturday, after the Friday cut-off: marked late.
        assert!(sheet.versions[0].late() && !sheet.versions[1].late(), "{b}");
    }
}

#[tokio::test]
async fn a_version_prints_as_a_landscape_pdf_and_an_xlsx() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let b = t.backend;
        let w = week_of_work(&s).await;
        let p = week::publish(&s, &w.o.office_head, monday(), &Raw, "ip").await.unwrap();
        let (name, pdf) = week::pdf(&s, &w.o.other, p.version_id, &Raw).await.unwrap();
        assert!(pdf.starts_with(b"%PDF"), "{b}");
        assert!(name.contains("2026-11-30"), "{b}: {name}");
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("841.8") && text.contains("595.2"), "{b}: A4 landscape MediaBox");
        let (_, xlsx) = week::xlsx(&s, &w.o.other, p.version_id, &Raw).await.unwrap();
        assert!(xlsx.starts_with(b"PK"), "{b}");
        let e = week::pdf(&s, &w.o.other, p.version_id + 100, &Raw).await.unwrap_err();
        assert!(matches!(e, ServiceError::NotFound), "{b}");
    }
}
