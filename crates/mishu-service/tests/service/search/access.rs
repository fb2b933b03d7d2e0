//! Access inside the query: a person without clearance, or from another department, gets no
//! hit, no title and no count for what `may_read` refuses them (R1.6 need to know).

use super::*;
use mishu_domain::incoming::RegistrationInput;
use mishu_domain::org::{Clearance, Role};
use mishu_domain::tasks::Urgency;
use mishu_domain::{PersonId, Timestamp};
use mishu_service::incoming;
use mishu_service::leader_tasks::{self, NewLeaderTask};
use mishu_testkit::{TestDb, builders};

fn registration(title: &str, classification: &str, now: Timestamp) -> RegistrationInput {
    let base = match classification {
        "" => mishu_testkit::builders::notice(title, now),
        c => mishu_testkit::builders::classified_notice(title, [c, "10年", "0007"], now),
    };
    RegistrationInput {
        sender_organ: "省教育厅".into(),
        sender_number: "教办〔2026〕31号".into(),
        pages: Some(2),
        ..base
    }
}

#[tokio::test]
async fn what_may_not_be_read_has_no_hit_no_title_and_no_count() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let b = t.backend;
        let ban = builders::department(&s, "党政办公室", None).await;
        let jwc = builders::department(&s, "教务处", None).await;
        let cwc = builders::department(&s, "财务处", None).await;
        let p = |login: &'static str, d, roles: &'static [Role], c| builders::person(&s, login, d, roles, c);
        let secretary =
            builders::actor(&s, p("mishu", Some(ban), &[Role::Secretary], Clearance::Confidential).await).await;
        let office_head =
            builders::actor(&s, p("ban.head", Some(ban), &[Role::OfficeHead], Clearance::TopSecret).await).await;
        let shuji = builders::actor(&s, p("shuji", None, &[Role::Leader], Clearance::TopSecret).await).await;
        let jwc_head =
            builders::actor(&s, p("jwc.head", Some(jwc), &[Role::DepartmentHead], Clearance::Secret).await).await;
        let jwc_staff = builders::actor(&s, p("jwc.staff", Some(jwc), &[Role::Handler], Clearance::None).await).await;
        let cwc_head =
            builders::actor(&s, p("cwc.head", Some(cwc), &[Role::DepartmentHead], Clearance::TopSecret).await).await;
        let now = s.clock.now();

        let secret = registration("关于核心机房改造方案的通知", "机密", now);
        let secret_id = incoming::register(&s, &secretary, secret, "ip").await.unwrap().id;
        let task = NewLeaderTask {
            title: "核心机房巡检整改".into(),
            body: "请教务处牵头排查机房隐患".into(),
            leader_id: shuji.person_id,
            owner_id: jwc_staff.person_id,
            due_at: now.plus_hours(72),
            urgency: Urgency::Normal,
        };
        let task_id = leader_tasks::give(&s, &shuji, task, "ip").await.unwrap();
        search::apply_changes_now(&s).await.unwrap();

        // On the route with clearance: the registering secretary sees the classified document.
        let (n, hits) = all_hits(&s, &secretary, "核心机房").await;
        assert_eq!((n, hits.len()), (2, 2), "{b}: secretary sees both");
        // Office-wide and cleared, but not on the classified document's route: only the task.
        let (n, hits) = all_hits(&s, &office_head, "核心机房").await;
        assert_eq!((n, hits), (1, vec![("leader_task".to_string(), task_id.0)]), "{b}");
        // Another department's head: nothing at all; not even a count.
        let page = search::search(&s, &cwc_head, &query("核心机房")).await.unwrap();
        assert_eq!((page.total, page.hits.len()), (0, 0), "{b}: no hit and no count");
        assert!(page.next_offset.is_none());
        // The owning department's head reads the task as head; the owner by being on it.
        assert_eq!(all_hits(&s, &jwc_head, "核心机房").await.0, 1, "{b}");
        assert_eq!(all_hits(&s, &jwc_staff, "机房隐患").await.0, 1, "{b}");
        // Searching the classified title's own words, word for word, reveals nothing either.
        for who in [&office_head, &cwc_head, &jwc_head, &jwc_staff] {
            let page = search::search(&s, who, &query("关于核心机房改造方案的通知")).await.unwrap();
            assert_eq!(page.total, 0, "{b}: {}", who.name);
            assert!(page.hits.iter().all(|h| !h.title.contains("改造方案")));
        }

        // Put on the route, a leader without enough clearance still sees nothing (R1.6).
        let low = builders::actor(&s, p("yuanzhang", None, &[Role::Leader], Clearance::Secret).await).await;
        assert_eq!(all_hits(&s, &low, "改造方案").await.0, 0, "{b}");
        let seen = all_hits(&s, &shuji, "改造方案").await;
        assert_eq!(seen.0, 0, "{b}: cleared, but not on the route yet");
        let propose = mishu_domain::incoming::IncomingAction::Propose {
            opinion: "拟请书记阅示".into(),
            submission: mishu_domain::incoming::SubmissionKind::ForReading,
            leaders: vec![shuji.person_id],
            parallel: false,
        };
        incoming::act(&s, &secretary, secret_id, propose, "ip").await.unwrap();
        search::apply_changes_now(&s).await.unwrap();
        assert_eq!(all_hits(&s, &shuji, "改造方案").await.1, vec![("incoming".to_string(), secret_id.0)], "{b}");
        assert_eq!(all_hits(&s, &shuji, "阅示").await.0, 1, "{b}: the proposal is searchable");

        // Acting for someone reads what they may read.
        let mut deputy = cwc_head.clone();
        deputy.acting_for = Some(PersonId(jwc_staff.person_id.0));
        assert_eq!(all_hits(&s, &deputy, "机房隐患").await.0, 1, "{b}");
    }
}
