//! T17: a classified document's words stay out of the audit log. The audit administrator
//! reads every record and need not be cleared for what was acted on; who did what to which
//! document stays, the title and the opinions do not.

use super::*;

#[tokio::test]
async fn a_classified_documents_words_stay_out_of_the_audit_log() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let b = t.backend;
        let now = s.clock.now();
        for (level, withheld) in [("", false), ("机密", true)] {
            let mut input = mishu_testkit::builders::notice("关于甲型试验台验收的请示", now);
            if withheld {
                input = mishu_testkit::builders::classified_notice(&input.title, [level, "10年", "0002"], now);
            }
            let id = incoming::register(&s, &o.secretary, input, "ip").await.unwrap().id;
            let propose = A::Propose {
                opinion: "拟呈乙书记阅示".into(),
                submission: SubmissionKind::ForInstruction,
                leaders: vec![o.shuji.person_id],
                parallel: false,
            };
            incoming::act(&s, &o.secretary, id, propose, "ip").await.unwrap();
            let step = step_of(&s, &o.shuji, id, &o.shuji).await;
            incoming::act(&s, &o.shuji, id, A::Instruct { step, text: "同意丙处落实".into() }, "ip").await.unwrap();

            let log = mishu_testkit::audit_details(&s, "incoming", &id.to_string()).await;
            for words in ["甲型试验台", "乙书记", "丙处落实"] {
                assert_eq!(log.contains(words), !withheld, "{b} {level:?}: {words} in\n{log}");
            }
            let marked = log.lines().filter(|l| l.contains("\"withheld\":true")).count();
            assert_eq!(marked, if withheld { log.lines().count() } else { 0 }, "{b} {level:?}: {log}");
            // The acts themselves are all there, with their codes and people.
            let (acts,): (i64,) =
                s.db.fetch_one(
                    "SELECT COUNT(*) FROM audit_log WHERE subject_type = 'incoming' AND subject_id = $1
                     AND action IN ('incoming.registered', 'incoming.proposed', 'incoming.instructed')",
                    args![id.to_string()],
                )
                .await
                .unwrap();
            assert_eq!(acts, 3, "{b} {level:?}: {log}");
            assert!(log.contains(&format!("\"person\":{}", o.shuji.person_id.0)), "{b} {level:?}: {log}");
        }
    }
}
