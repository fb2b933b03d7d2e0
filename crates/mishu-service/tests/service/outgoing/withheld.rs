//! T17: a classified draft's words stay out of the audit log (see the same test for
//! received documents): the title, version notes, attachment titles, the 附注 and the check's
//! opinion are withheld; the acts, their people and codes stay.

use super::*;

#[tokio::test]
async fn a_classified_drafts_words_stay_out_of_the_audit_log() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let b = t.backend;
        for (level, withheld) in [("", false), ("secret", true)] {
            let mut input = notice(&o);
            input.title = "关于甲型设备检修的通知".into();
            if withheld {
                (input.classification, input.secrecy_period) = (level.into(), "1年".into());
            }
            let id = outgoing::create(&s, &o.drafter, input, "ip").await.unwrap();
            outgoing::add_version(&s, &o.drafter, id, BODY, "乙稿说明", "ip").await.unwrap();
            outgoing::add_attachment(&s, &o.drafter, id, "丙型检修表", "", "ip").await.unwrap();
            outgoing::set_annotation(&s, &o.drafter, id, "（联系人：丁敏）", "ip").await.unwrap();
            outgoing::act(&s, &o.drafter, id, A::Submit, "ip").await.unwrap();
            let check = A::Check { pass: false, opinion: "戊段请改".into() };
            outgoing::act(&s, &o.secretary, id, check, "ip").await.unwrap();

            let log = mishu_testkit::audit_details(&s, "outgoing", &id.to_string()).await;
            for words in ["甲型设备", "乙稿说明", "丙型检修表", "丁敏", "戊段请改"] {
                assert_eq!(log.contains(words), !withheld, "{b} {level:?}: {words} in\n{log}");
            }
            let marked = log.lines().filter(|l| l.contains("\"withheld\":true")).count();
            assert_eq!(marked, if withheld { log.lines().count() } else { 0 }, "{b} {level:?}: {log}");
            assert!(log.lines().count() >= 6, "{b} {level:?}: every act recorded: {log}");
            assert!(log.contains(&format!("\"signer\":{}", o.yuanzhang.person_id.0)), "{b} {level:?}: {log}");
        }
    }
}
