use mishu_domain::org::Clearance;
use mishu_domain::tasks::InboxBox;
use mishu_domain::{DepartmentId, PersonId};
use mishu_service::{ServiceError, args, audit, auth, demo, org, tasks};
use mishu_testkit::TestDb;

#[tokio::test]
async fn the_demo_organ_loads_once_and_fills_every_inbox() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let b = t.backend;
        assert!(!demo::is_loaded(&s).await.unwrap());
        let report = demo::load(&s).await.unwrap();
        assert!(demo::is_loaded(&s).await.unwrap());
        let again = demo::load(&s).await;
        assert!(
            matches!(&again, Err(ServiceError::Conflict(m)) if m.contains("already holds an organ")),
            "{b}: {again:?}"
        );

        // The secretary the README and browser tests use signs in with the one password.
        let login = auth::login(&s, "mishu", &report.password, "127.0.0.1").await.unwrap();
        assert!(!login.must_change_password, "{b}");
        let people = org::people(&s, None).await.unwrap();
        assert_eq!(report.logins.len(), people.len(), "{b}: every account is reported");
        for l in &report.logins {
            assert!(people.iter().any(|p| p.login == l.login && p.name == l.name), "{b}: {}", l.login);
        }

        // Every business person has something waiting; the administrators hold no role.
        let mut admins = Vec::new();
        for p in people.iter().filter(|p| p.active) {
            let id = PersonId(p.person_id);
            if p.admin_kind.is_some() {
                assert!(org::roles_of(&s, id).await.unwrap().is_empty(), "{b}: {}", p.login);
                admins.push(p.login.as_str());
                continue;
            }
            assert!(p.position.is_some(), "{b}: {} has a position", p.login);
            let actor = org::load_actor(&s, id, None).await.unwrap();
            let todo = tasks::inbox(&s, &actor, InboxBox::ToDo, 50).await.unwrap().len();
            let toread = tasks::inbox(&s, &actor, InboxBox::ToRead, 50).await.unwrap().len();
            assert!(todo + toread >= 1, "{b}: {} ({}) has an empty inbox", p.login, p.name);
        }
        admins.sort_unstable();
        assert_eq!(admins, ["auditadmin", "secadmin", "sysadmin"], "{b}");

        // Nobody holds a task above their clearance.
        let over: Vec<(String, String, String)> = s
            .db
            .fetch_all("SELECT p.login, t.classification, p.clearance FROM tasks t JOIN people p ON p.person_id = t.assignee_id", args![])
            .await
            .unwrap();
        for (login, class, clearance) in over {
            assert!(Clearance::parse(&class).unwrap() <= Clearance::parse(&clearance).unwrap(), "{b}: {login}");
        }

        // 分管: 招生就业处 is supervised by the 副院长 (招生就业), who got the overdue item escalated.
        let zsc = org::departments(&s).await.unwrap().into_iter().find(|d| d.name == "招生就业处").unwrap();
        let vp = org::supervising_leader(&s, DepartmentId(zsc.department_id)).await.unwrap().unwrap();
        let vp_row = org::person(&s, vp).await.unwrap();
        assert_eq!(
            (vp_row.login.as_str(), vp_row.position.as_deref()),
            ("fyz.zhaosheng", Some("副院长（分管招生就业）")),
            "{b}"
        );
        let (escalated,): (i64,) =
            s.db.fetch_one("SELECT COUNT(*) FROM tasks WHERE state = 'open' AND escalated_to = $1", args![vp])
                .await
                .unwrap();
        assert_eq!(escalated, 1, "{b}");
        let states: Vec<(String,)> =
            s.db.fetch_all("SELECT state FROM leader_tasks ORDER BY state", args![]).await.unwrap();
        for want in ["answered", "closed", "given"] {
            assert!(states.iter().any(|(st,)| st == want), "{b}: a leader task {want}");
        }

        // Real received documents, at every stage the office works on.
        let docs: Vec<(String,)> =
            s.db.fetch_all("SELECT state FROM incoming_documents ORDER BY incoming_id", args![]).await.unwrap();
        let docs: Vec<&str> = docs.iter().map(|(st,)| st.as_str()).collect();
        assert_eq!(docs, ["registered", "with_leaders", "assigned", "assigned", "closed"], "{b}");
        let (unread,): (i64,) = s
            .db
            .fetch_one("SELECT COUNT(*) FROM tasks WHERE domain = 'incoming_circulation' AND state = 'open'", args![])
            .await
            .unwrap();
        assert_eq!(unread, 2, "{b}: a circulated notice two readers have not read yet");
        let (linked,): (i64,) =
            s.db.fetch_one(
                "SELECT COUNT(*) FROM tasks WHERE domain = 'incoming' AND subject_id > 0 AND state = 'open'",
                args![],
            )
            .await
            .unwrap();
        assert_eq!(linked, 5, "{b}: secretary, 院长, 招生就业处, 后勤管理处, 保卫处");

        // Real seals: five in use and the old 行政科 seal decommissioned; an application from
        // 教务处 with its supervising leader, one with the keeper; one stamped and in the log.
        let seals: Vec<(String, String)> =
            s.db.fetch_all("SELECT kind, state FROM seals ORDER BY seal_id", args![]).await.unwrap();
        assert_eq!(seals.iter().filter(|(_, st)| st == "active").count(), 5, "{b}");
        assert_eq!(seals.iter().filter(|(k, st)| k == "section" && st == "decommissioned").count(), 1, "{b}");
        let waiting: Vec<(String, String)> =
            s.db.fetch_all(
                "SELECT p.login, a.state FROM tasks t JOIN people p ON p.person_id = t.assignee_id
                 JOIN seal_applications a ON a.application_id = t.subject_id
                 WHERE t.domain = 'seal' AND t.state = 'open' ORDER BY p.login",
                args![],
            )
            .await
            .unwrap();
        let want = [("fyz.jiaoxue", "head_signed"), ("yinzhang", "approved")].map(|(p, st)| (p.into(), st.into()));
        assert_eq!(waiting, want, "{b}");
        let (uses,): (i64,) = s.db.fetch_one("SELECT COUNT(*) FROM seal_uses", args![]).await.unwrap();
        assert_eq!(uses, 1, "{b}");

        // Real meetings: the 院长办公会 and the study session booked and approved, noticed to
        // their attendees; 招生就业处's late request waits for the office head.
        let approved: Vec<(String, String)> =
            s.db.fetch_all(
                "SELECT b.title, r.name FROM room_bookings b JOIN rooms r ON r.room_id = b.room_id
                 WHERE b.state = 'approved' ORDER BY b.starts_at",
                args![],
            )
            .await
            .unwrap();
        let want = [
            ("院长办公会", "第二会议室"),
            ("党委理论学习中心组学习", "第一会议室"),
            ("省教育厅来院调研职业教育改革工作汇报会", "第二会议室"),
        ];
        assert_eq!(approved, want.map(|(t, r)| (t.into(), r.into())), "{b}");
        // The visit's guests wait in reception's inbox (R5.6).
        let (notices,): (i64,) =
            s.db.fetch_one(
                "SELECT COUNT(*) FROM tasks t JOIN people p ON p.person_id = t.assignee_id
                 WHERE t.domain = 'booking_reception' AND t.state = 'open' AND p.login = 'jiedai'",
                args![],
            )
            .await
            .unwrap();
        assert_eq!(notices, 1, "{b}: the reception notice of the 省教育厅 visit");
        let pending: Vec<(String, String)> =
            s.db.fetch_all(
                "SELECT b.title, d.name FROM room_bookings b JOIN departments d ON d.department_id = b.department_id
                 WHERE b.state = 'requested' AND b.ad_hoc AND b.pending_office_head AND NOT b.pending_section",
                args![],
            )
            .await
            .unwrap();
        assert_eq!(pending, [("招生宣传工作协调会".into(), "招生就业处".into())], "{b}");
        let approvers: Vec<(String,)> =
            s.db.fetch_all(
                "SELECT p.login FROM tasks t JOIN people p ON p.person_id = t.assignee_id
                 WHERE t.domain = 'room_booking' AND t.kind = 'approve' AND t.state = 'open' ORDER BY p.login",
                args![],
            )
            .await
            .unwrap();
        assert_eq!(approvers, [("fuzhuren".into(),), ("zhuren".into(),)], "{b}: only the late request waits");
        let attend: Vec<(String,)> =
            s.db.fetch_all(
                "SELECT p.login FROM tasks t JOIN people p ON p.person_id = t.assignee_id
                 JOIN meetings m ON m.meeting_id = t.subject_id
                 WHERE t.domain = 'meeting' AND t.kind = 'attend' AND t.state = 'open' AND m.title = $1 ORDER BY p.login",
                args!["院长办公会"],
            )
            .await
            .unwrap();
        let want = ["fyz.houqin", "fyz.jiaoxue", "fyz.zhaosheng", "yuanzhang", "zhuren"];
        assert_eq!(attend, want.map(|l| (l.to_string(),)), "{b}");
        let (spine_meetings,): (i64,) =
            s.db.fetch_one(
                "SELECT COUNT(*) FROM tasks WHERE domain = 'meeting' AND kind = 'attend' AND subject_id = 0",
                args![],
            )
            .await
            .unwrap();
        assert_eq!(spine_meetings, 0, "{b}: no placeholder meetings left");
        // The weekly arrangement is published for real: its Read tasks point at the version.
        let (placeholders,): (i64,) =
            s.db.fetch_one(
                "SELECT COUNT(*) FROM tasks WHERE kind = 'read' AND domain = 'meeting' AND subject_id = 0",
                args![],
            )
            .await
            .unwrap();
        assert_eq!(placeholders, 0, "{b}: no placeholder arrangement left");
        let (versions, readers): (i64, i64) =
            s.db.fetch_one(
                "SELECT COUNT(DISTINCT v.version_id), COUNT(DISTINCT t.assignee_id) FROM arrangement_versions v
                 JOIN tasks t ON t.subject_id = v.version_id AND t.domain = 'week_arrangement'",
                args![],
            )
            .await
            .unwrap();
        assert_eq!(versions, 1, "{b}");
        assert!(readers >= 9, "{b}: the department heads and everyone on the sheet ({readers})");
        let (activities,): (i64,) = s.db.fetch_one("SELECT COUNT(*) FROM leader_activities", args![]).await.unwrap();
        assert_eq!(activities, 2, "{b}");

        let (rooms,): (i64,) =
            s.db.fetch_one("SELECT COUNT(*) FROM rooms WHERE equipment_needs_approval", args![]).await.unwrap();
        assert_eq!(rooms, 1, "{b}");
        // The equipment register: three fixed items, two shared; the meetings hold theirs.
        let (items, shared, holds): (i64, i64, i64) =
            s.db.fetch_one(
                "SELECT COUNT(*), COUNT(*) - COUNT(room_id), (SELECT COUNT(*) FROM booking_equipment) FROM equipment",
                args![],
            )
            .await
            .unwrap();
        assert_eq!((items, shared, holds), (5, 2, 4), "{b}");
        let (cal, _) = tasks::calendar(&s).await.unwrap();
        assert!(!cal.is_working_day(chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()), "{b}");
        assert!(audit::verify(&s).await.unwrap().ok(), "{b}");
    }
}

#[tokio::test]
async fn the_demo_never_mixes_into_existing_people() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        mishu_testkit::builders::person(&s, "real.person", None, &[], Clearance::None).await;
        assert!(matches!(demo::load(&s).await, Err(ServiceError::Conflict(_))), "{}", t.backend);
        assert!(!demo::is_loaded(&s).await.unwrap());
    }
}

#[tokio::test]
async fn the_demo_rooms_are_managed_by_the_administration_section() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        demo::load(&s).await.unwrap();
        let (n,): (i64,) =
            s.db.fetch_one(
                "SELECT COUNT(*) FROM rooms r JOIN departments d ON d.department_id = r.managed_by WHERE d.name = $1",
                args!["行政科"],
            )
            .await
            .unwrap();
        assert_eq!(n, 2, "{}", t.backend);
    }
}

/// The meetings are requested through the booking rules at load time, so the demo must load
/// whatever the hour: before and after the Friday deadline, at a weekend, late at night.
#[tokio::test]
async fn the_demo_meetings_load_at_any_hour_of_the_week() {
    // T0 is Friday 09:00: Friday 18:00, Saturday 10:00, Monday 08:00, Wednesday 23:30.
    for minutes in [9 * 60, 25 * 60, 71 * 60, 134 * 60 + 30] {
        for t in TestDb::all().await {
            let (s, clock) = t.services();
            clock.advance_minutes(minutes);
            demo::load(&s).await.unwrap_or_else(|e| panic!("{} at +{minutes}min: {e:?}", t.backend));
            let counts: Vec<(String, i64)> =
                s.db.fetch_all(
                    "SELECT state || CASE WHEN state = 'requested' AND ad_hoc THEN ' ad hoc' ELSE '' END AS s, COUNT(*)
                     FROM room_bookings GROUP BY s ORDER BY s",
                    args![],
                )
                .await
                .unwrap();
            assert_eq!(
                counts,
                [("approved".into(), 3), ("requested ad hoc".into(), 1)],
                "{} at +{minutes}min",
                t.backend
            );
        }
    }
}

/// The archivist's "归档：…纪要" task points at the issued minutes (发文), and filing them
/// closes it, in the filing transaction, like any filing task.
#[tokio::test]
async fn filing_the_demo_minutes_closes_the_archivists_task() {
    use mishu_service::archives::{self, FileRequest, FilingSource};
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let b = t.backend;
        demo::load(&s).await.unwrap();
        let (minutes,): (i64,) =
            s.db.fetch_one(
                "SELECT outgoing_id FROM outgoing_documents WHERE doc_number = $1",
                args!["江职院纪要〔2026〕1号"],
            )
            .await
            .unwrap();
        let task_of = |state: &'static str| {
            let s = s.clone();
            async move {
                let rows: Vec<(String, i64, String)> = s
                    .db
                    .fetch_all(
                        "SELECT t.domain, t.subject_id, t.title FROM tasks t JOIN people p ON p.person_id = t.assignee_id
                         WHERE p.login = 'dangan' AND t.title LIKE $1 AND t.state = $2",
                        args!["归档：%", state],
                    )
                    .await
                    .unwrap();
                rows
            }
        };
        let open = task_of("open").await;
        assert_eq!(open.len(), 1, "{b}: {open:?}");
        assert_eq!((open[0].0.as_str(), open[0].1), ("filing_outgoing", minutes), "{b}: linked to the minutes");
        assert!(open[0].2.contains("院长办公会议纪要"), "{b}");

        let dangan = org::people(&s, None).await.unwrap().into_iter().find(|p| p.login == "dangan").unwrap();
        let archivist = org::load_actor(&s, PersonId(dangan.person_id), None).await.unwrap();
        let req = FileRequest {
            source: FilingSource::Outgoing(mishu_domain::OutgoingId(minutes)),
            retention: String::new(),
            class_code: "BGS".into(),
            note: String::new(),
        };
        let item = archives::file(&s, &archivist, req, "ip").await.unwrap();
        assert!(task_of("open").await.is_empty(), "{b}: filing closed the task");
        assert_eq!(task_of("done").await.len(), 1, "{b}: it is in the archivist's 已办");
        let code = archives::item(&s, &archivist, item).await.unwrap().item.archive_code;
        let (outcome,): (Option<String>,) = s
            .db
            .fetch_one("SELECT outcome FROM tasks WHERE domain = 'filing_outgoing' AND subject_id = $1", args![minutes])
            .await
            .unwrap();
        assert_eq!(outcome.as_deref(), Some(code.as_str()), "{b}: the outcome is the 档号");
    }
}
