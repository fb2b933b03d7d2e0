use mishu_domain::leader_tasks::{LeaderTaskAction, LeaderTaskState};
use mishu_domain::org::{Clearance, Role};
use mishu_domain::tasks::{InboxBox, Urgency};
use mishu_service::leader_tasks::{self, NewLeaderTask};
use mishu_service::{ServiceError, tasks};
use mishu_testkit::{TestDb, builders};

#[tokio::test]
async fn given_answered_returned_answered_closed() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let now = s.clock.now();
        let d1 = builders::department(&s, "教务处", None).await;
        let d2 = builders::department(&s, "财务处", None).await;
        let leader = builders::person(&s, "yuanzhang", None, &[Role::Leader], Clearance::Confidential).await;
        let owner = builders::person(&s, "jwc.head", Some(d1), &[Role::DepartmentHead], Clearance::None).await;
        let other = builders::person(&s, "cwc.handler", Some(d2), &[Role::Handler], Clearance::None).await;
        let (la, oa, xa) =
            (builders::actor(&s, leader).await, builders::actor(&s, owner).await, builders::actor(&s, other).await);
        let new = NewLeaderTask {
            title: "梳理实训室建设方案".into(),
            body: "周五前报我".into(),
            leader_id: leader,
            owner_id: owner,
            due_at: now.plus_hours(30),
            urgency: Urgency::Urgent,
        };
        let id = leader_tasks::give(&s, &la, new.clone(), "ip").await.unwrap();
        assert_eq!(tasks::inbox(&s, &oa, InboxBox::ToDo, 10).await.unwrap().len(), 1, "{}", t.backend);
        assert!(
            matches!(leader_tasks::get(&s, &xa, id).await, Err(ServiceError::NotFound)),
            "another department's object"
        );
        assert!(matches!(leader_tasks::give(&s, &oa, new, "ip").await, Err(ServiceError::Forbidden)));

        let close_early = leader_tasks::act(&s, &la, id, LeaderTaskAction::Close, "ip").await;
        assert!(close_early.unwrap_err().to_string().contains("without an answer"));
        assert_eq!(
            leader_tasks::act(&s, &oa, id, LeaderTaskAction::Answer { text: "初稿已成".into() }, "ip").await.unwrap(),
            LeaderTaskState::Answered
        );
        assert!(
            tasks::inbox(&s, &oa, InboxBox::ToDo, 10).await.unwrap().is_empty(),
            "{}: owner's task closed",
            t.backend
        );
        assert_eq!(tasks::inbox(&s, &la, InboxBox::ToDo, 10).await.unwrap().len(), 1, "{}: leader reviews", t.backend);
        leader_tasks::act(&s, &la, id, LeaderTaskAction::Return { reason: "补充预算".into() }, "ip").await.unwrap();
        assert_eq!(
            tasks::inbox(&s, &oa, InboxBox::ToDo, 10).await.unwrap().len(),
            1,
            "{}: back with the owner",
            t.backend
        );
        leader_tasks::act(&s, &oa, id, LeaderTaskAction::Answer { text: "已补充预算".into() }, "ip").await.unwrap();
        assert_eq!(
            leader_tasks::act(&s, &la, id, LeaderTaskAction::Close, "ip").await.unwrap(),
            LeaderTaskState::Closed
        );
        assert!(tasks::inbox(&s, &la, InboxBox::ToDo, 10).await.unwrap().is_empty());
        let done = tasks::inbox(&s, &oa, InboxBox::Done, 10).await.unwrap();
        assert_eq!(done.len(), 2, "{}", t.backend);
        let row = leader_tasks::get(&s, &la, id).await.unwrap();
        assert_eq!(row.answer.as_deref(), Some("已补充预算"));
        assert!(mishu_service::audit::verify(&s).await.unwrap().ok());
    }
}
