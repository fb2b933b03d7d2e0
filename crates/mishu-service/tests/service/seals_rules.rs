//! A department's seal rules (R7.5) on each database: the head files, the office registers or
//! returns, newer registered rules supersede older ones, nobody else may do either, and a bad
//! filing stores nothing.

use mishu_domain::org::{Clearance, Role};
use mishu_domain::seals::department_rules::RulesAction;
use mishu_domain::tasks::InboxBox;
use mishu_service::seals::department_rules as rules;
use mishu_service::{ServiceError, tasks};
use mishu_testkit::{TestDb, builders};

const TEXT: &str = "一、本处行政章由处办公室主任保管。二、用印须经处长签字同意并登记。";

#[tokio::test]
async fn a_head_files_the_office_registers_and_newer_rules_supersede() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let b = t.backend;
        let office = builders::department(&s, "党政办公室", None).await;
        let jwc = builders::department(&s, "教务处", None).await;
        let cwc = builders::department(&s, "财务处", None).await;
        let p = |login: &'static str, d, roles: &'static [Role]| {
            builders::person(&s, login, Some(d), roles, Clearance::Secret)
        };
        let head = builders::actor(&s, p("jwc.head", jwc, &[Role::DepartmentHead]).await).await;
        let other_head = builders::actor(&s, p("cwc.head", cwc, &[Role::DepartmentHead]).await).await;
        let clerk = builders::actor(&s, p("jwc.clerk", jwc, &[Role::Handler]).await).await;
        let zhuren = builders::actor(&s, p("zhuren", office, &[Role::OfficeHead]).await).await;

        // Only the department's own head files; the text is checked; nothing is stored on refusal.
        for (who, dept) in [(&clerk, jwc), (&other_head, jwc), (&zhuren, jwc)] {
            let e = rules::file(&s, who, dept, TEXT, "ip").await.unwrap_err();
            assert!(matches!(e, ServiceError::Forbidden), "{b}: {e}");
        }
        let e = rules::file(&s, &head, jwc, "太短", "ip").await.unwrap_err();
        assert!(e.to_string().contains("text"), "{b}: {e}");
        assert!(rules::list(&s, &zhuren).await.unwrap().is_empty(), "{b}");

        let first = rules::file(&s, &head, jwc, TEXT, "ip").await.unwrap();
        let inbox = tasks::inbox(&s, &zhuren, InboxBox::ToDo, 50).await.unwrap();
        assert!(
            inbox.iter().any(|i| i.task.domain == "seal_rules" && i.task.subject_id == first),
            "{b}: the office is asked"
        );
        assert!(rules::in_force(&s, jwc).await.unwrap().is_none(), "{b}: not in force before registration");

        // Only the office decides; a return needs a reason; a decided filing cannot be decided again.
        let e = rules::decide_filing(&s, &head, first, RulesAction::Register, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Forbidden), "{b}: {e}");
        let blank = RulesAction::Return { reason: " ".into() };
        assert!(rules::decide_filing(&s, &zhuren, first, blank, "ip").await.is_err(), "{b}");
        rules::decide_filing(&s, &zhuren, first, RulesAction::Register, "ip").await.unwrap();
        assert!(rules::decide_filing(&s, &zhuren, first, RulesAction::Register, "ip").await.is_err(), "{b}");
        assert_eq!(rules::in_force(&s, jwc).await.unwrap().map(|r| r.rules_id), Some(first), "{b}");
        let inbox = tasks::inbox(&s, &zhuren, InboxBox::ToDo, 50).await.unwrap();
        assert!(!inbox.iter().any(|i| i.task.domain == "seal_rules"), "{b}: the task closed");

        // A returned filing leaves the registered rules in force; a registered one replaces them.
        let second = rules::file(&s, &head, jwc, &format!("{TEXT}三、增加。"), "ip").await.unwrap();
        let back = RulesAction::Return { reason: "第二条请写明登记簿由谁保管".into() };
        rules::decide_filing(&s, &zhuren, second, back, "ip").await.unwrap();
        assert_eq!(rules::in_force(&s, jwc).await.unwrap().map(|r| r.rules_id), Some(first), "{b}");
        let third = rules::file(&s, &head, jwc, &format!("{TEXT}三、登记簿由处办公室保管。"), "ip").await.unwrap();
        rules::decide_filing(&s, &zhuren, third, RulesAction::Register, "ip").await.unwrap();
        assert_eq!(rules::in_force(&s, jwc).await.unwrap().map(|r| r.rules_id), Some(third), "{b}");
        let states: Vec<(i64, String)> =
            rules::list(&s, &head).await.unwrap().into_iter().map(|r| (r.rules_id, r.state)).collect();
        assert_eq!(
            states,
            vec![(third, "registered".into()), (second, "returned".into()), (first, "superseded".into())],
            "{b}"
        );
        assert!(
            rules::list(&s, &other_head).await.unwrap().is_empty(),
            "{b}: another department's head sees only theirs"
        );
    }
}
