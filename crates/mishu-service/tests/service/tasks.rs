use mishu_domain::Timestamp;
use mishu_domain::org::{Clearance, Role};
use mishu_domain::tasks::{InboxBox, TaskKind, Urgency};
use mishu_service::tasks::{self, NewTask};
use mishu_service::{args, org};
use mishu_testkit::{TestDb, builders};

fn task(
    assignee: mishu_domain::PersonId,
    title: &str,
    kind: TaskKind,
    urgency: Urgency,
    due: Option<Timestamp>,
) -> NewTask {
    NewTask {
        domain: "test",
        subject_id: 1,
        title: title.into(),
        kind,
        assignee,
        created_by: None,
        classification: Clearance::None,
        urgency,
        due_at: due,
    }
}

#[tokio::test]
async fn inbox_sorts_by_urgency_then_deadline_and_counts() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let now = s.clock.now();
        let p = builders::person(&s, "owner", None, &[Role::Handler], Clearance::None).await;
        let mut tx = s.db.begin().await.unwrap();
        for (title, kind, urg, due) in [
            ("late", TaskKind::Handle, Urgency::Normal, Some(now.plus_hours(-1))),
            ("soon", TaskKind::Handle, Urgency::Normal, Some(now.plus_hours(5))),
            ("urgent", TaskKind::Handle, Urgency::VeryUrgent, Some(now.plus_hours(50))),
            ("nodue", TaskKind::Handle, Urgency::Normal, None),
            ("read me", TaskKind::Read, Urgency::Normal, None),
            ("read late", TaskKind::Read, Urgency::Normal, Some(now.plus_hours(-2))),
        ] {
            tasks::open_task(&mut tx, &task(p, title, kind, urg, due), now).await.unwrap();
        }
        tx.commit().await.unwrap();
        let actor = builders::actor(&s, p).await;
        let todo = tasks::inbox(&s, &actor, InboxBox::ToDo, 50).await.unwrap();
        let titles: Vec<_> = todo.iter().map(|i| i.task.title.as_str()).collect();
        assert_eq!(titles, ["urgent", "late", "soon", "nodue"], "{}", t.backend);
        assert!(todo[1].ms_left.unwrap() < 0);
        let c = tasks::inbox_counts(&s, &actor).await.unwrap();
        // Overdue counts both boxes (a late 待阅 too).
        assert_eq!((c.todo, c.toread, c.overdue), (4, 2, 2), "{}", t.backend);
        // Each count stops at the cap, and only there.
        let c = tasks::inbox_counts_upto(&s, &actor, 3).await.unwrap();
        assert_eq!((c.todo, c.toread, c.overdue), (3, 2, 2), "{}", t.backend);
        let c = tasks::inbox_counts_upto(&s, &actor, 1).await.unwrap();
        assert_eq!((c.todo, c.toread, c.overdue), (1, 1, 1), "{}", t.backend);

        let read = tasks::inbox(&s, &actor, InboxBox::ToRead, 50).await.unwrap();
        tasks::complete(&s, &actor, mishu_domain::TaskId(read[0].task.task_id), "", "ip").await.unwrap();
        assert_eq!(tasks::inbox(&s, &actor, InboxBox::Read, 50).await.unwrap().len(), 1);
        let err = tasks::complete(&s, &actor, mishu_domain::TaskId(todo[0].task.task_id), " ", "ip").await.unwrap_err();
        assert!(err.to_string().contains("outcome"), "{err}");
    }
}

#[tokio::test]
async fn reminders_fire_once_and_escalate_to_the_supervising_leader() {
    for t in TestDb::all().await {
        let (s, clock) = t.services();
        let now = s.clock.now();
        let dept = builders::department(&s, "招生就业处", None).await;
        let leader = builders::person(&s, "vp", None, &[Role::Leader], Clearance::None).await;
        org::set_supervision(&s, &mishu_service::audit::Origin::system(), leader, &[dept], &[]).await.unwrap();
        let owner = builders::person(&s, "owner2", Some(dept), &[Role::Handler], Clearance::None).await;
        let mut tx = s.db.begin().await.unwrap();
        tasks::open_task(
            &mut tx,
            &task(owner, "报送材料", TaskKind::Handle, Urgency::Normal, Some(now.plus_hours(10))),
            now,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();

        let r = tasks::run_reminder_sweep(&s, "node-a").await.unwrap();
        assert_eq!((r.reminded, r.escalated), (1, 0), "{}: 24 h before", t.backend);
        assert_eq!(tasks::run_reminder_sweep(&s, "node-a").await.unwrap().reminded, 0, "once only");
        assert_eq!(tasks::run_reminder_sweep(&s, "node-b").await.unwrap().reminded, 0, "lease held by node-a");
        assert_eq!(
            tasks::run_reminder_sweep_now(&s).await.unwrap().reminded,
            0,
            "an on-demand sweep sends nothing twice"
        );
        clock.advance_minutes(10 * 60);
        assert_eq!(
            tasks::run_reminder_sweep(&s, "node-a").await.unwrap().reminded,
            1,
            "{}: at the deadline",
            t.backend
        );
        clock.advance_minutes(60);
        let r = tasks::run_reminder_sweep(&s, "node-a").await.unwrap();
        assert_eq!(r.escalated, 1, "{}: past the deadline", t.backend);
        let leader_notes = tasks::notifications(&s, leader).await.unwrap();
        assert_eq!(leader_notes.len(), 1);
        assert_eq!(leader_notes[0].kind, "escalation");
        let (to,): (Option<i64>,) = s.db.fetch_one("SELECT escalated_to FROM tasks", args![]).await.unwrap();
        assert_eq!(to, Some(leader.0));
    }
}

#[tokio::test]
async fn a_delegate_acts_for_the_principal_and_it_is_recorded() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let now = s.clock.now();
        let boss = builders::person(&s, "president", None, &[Role::Leader], Clearance::Confidential).await;
        let deputy = builders::person(&s, "deputy", None, &[Role::Handler], Clearance::None).await;
        let mut tx = s.db.begin().await.unwrap();
        tasks::open_task(&mut tx, &task(boss, "审阅", TaskKind::Handle, Urgency::Normal, None), now).await.unwrap();
        tx.commit().await.unwrap();
        let boss_actor = builders::actor(&s, boss).await;
        tasks::create_delegation(&s, &boss_actor, deputy, now, now.plus_hours(48), "出差", "ip").await.unwrap();
        assert!(tasks::delegation_active(&s.db, boss, deputy, now).await.unwrap());
        let acting = org::load_actor(&s, deputy, Some(boss)).await.unwrap();
        let items = tasks::inbox(&s, &acting, InboxBox::ToDo, 10).await.unwrap();
        assert_eq!(items.len(), 1, "{}", t.backend);
        tasks::complete(&s, &acting, mishu_domain::TaskId(items[0].task.task_id), "已阅处理", "ip").await.unwrap();
        let (by, for_): (Option<i64>, Option<i64>) =
            s.db.fetch_one("SELECT done_by, done_acting_for FROM tasks", args![]).await.unwrap();
        assert_eq!((by, for_), (Some(deputy.0), Some(boss.0)), "{}", t.backend);
        let too_long = tasks::create_delegation(&s, &boss_actor, deputy, now, now.plus_hours(24 * 100), "", "ip").await;
        assert!(too_long.is_err());
    }
}

#[tokio::test]
async fn working_days_follow_the_office_calendar() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        // T0 is Friday 2026-11-27; one working day later is Monday 11-30, unless it is a holiday.
        let due = tasks::add_working_days(&s, 1).await.unwrap();
        assert_eq!(due.local_date().to_string(), "2026-11-30");
        tasks::set_day(
            &s,
            &mishu_service::audit::Origin::system(),
            "2026-11-30",
            Some(mishu_domain::calendar::DayKind::Holiday),
            "校庆",
        )
        .await
        .unwrap();
        assert_eq!(
            tasks::add_working_days(&s, 1).await.unwrap().local_date().to_string(),
            "2026-12-01",
            "{}",
            t.backend
        );
        assert!(tasks::set_day(&s, &mishu_service::audit::Origin::system(), "2026-13-01", None, "").await.is_err());
    }
}

#[tokio::test]
async fn inbox_pages_return_every_item_exactly_once_in_order() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let now = s.clock.now();
        let p = builders::person(&s, "pager", None, &[Role::Handler], Clearance::None).await;
        let mut tx = s.db.begin().await.unwrap();
        // Ties on urgency and deadline on purpose: task_id must keep the pages apart.
        for i in 0..7i64 {
            let urg = if i % 3 == 0 { Urgency::Urgent } else { Urgency::Normal };
            let due = (i % 2 == 0).then(|| now.plus_hours(5));
            tasks::open_task(&mut tx, &task(p, &format!("item {i}"), TaskKind::Handle, urg, due), now).await.unwrap();
        }
        tx.commit().await.unwrap();
        let actor = builders::actor(&s, p).await;
        let all = tasks::inbox(&s, &actor, InboxBox::ToDo, 500).await.unwrap();
        assert_eq!(all.len(), 7, "{}", t.backend);
        let (mut paged, mut offset, mut pages) = (Vec::new(), 0, 0);
        loop {
            let page = tasks::inbox_page(&s, &actor, InboxBox::ToDo, 3, offset).await.unwrap();
            assert!(page.items.len() <= 3);
            paged.extend(page.items.into_iter().map(|i| i.task.task_id));
            pages += 1;
            match page.next_offset {
                Some(n) => offset = n,
                None => break,
            }
        }
        assert_eq!(pages, 3, "{}: 3 + 3 + 1", t.backend);
        assert_eq!(paged, all.iter().map(|i| i.task.task_id).collect::<Vec<_>>(), "{}", t.backend);
    }
}
