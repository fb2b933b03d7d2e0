//! The seal-usage report (R7.6) on each database: uses and copies per seal in a period, and
//! every inconsistency planted behind the rules' back is listed; only the office head reads it.

use super::seals::{Organ, application, organ};
use mishu_domain::seals::ApplicationAction as A;
use mishu_domain::seals::SealError;
use mishu_domain::{SealApplicationId, SealId};
use mishu_service::seals;
use mishu_service::{ServiceError, Services, args};
use mishu_testkit::TestDb;

async fn approved(s: &Services, o: &Organ, seal: SealId, copies: &str) -> SealApplicationId {
    let id = seals::apply(s, &o.applicant, application(seal, copies), "ip").await.unwrap();
    seals::act(s, &o.jwc_head, id, A::HeadSign, "ip").await.unwrap();
    seals::act(s, &o.fyz, id, A::LeaderApprove, "ip").await.unwrap();
    id
}

async fn exec(s: &Services, sql: &str, args: Vec<mishu_service::db::Arg>) {
    let mut tx = s.db.begin().await.unwrap();
    tx.execute(sql, args).await.unwrap();
    tx.commit().await.unwrap();
}

/// A use written straight into the keeper's log, as a careless import or a forged row would.
async fn planted_use(s: &Services, o: &Organ, a: SealApplicationId, seal: SealId) {
    let now = s.clock.now();
    exec(
        s,
        "INSERT INTO seal_uses (application_id, seal_id, keeper_id, document_title, copies, used_at)
         VALUES ($1, $2, $3, '补登', 1, $4)",
        args![a, seal, o.keeper.person_id, now],
    )
    .await;
}

#[tokio::test]
async fn the_report_counts_uses_per_seal_and_lists_every_inconsistency() {
    for t in TestDb::all().await {
        let (s, clock) = t.services();
        let o = organ(&s).await;
        let b = t.backend;
        let seal = o.xingzheng_seal;
        let [proper, too_many, unapproved, never, suspended] = [
            approved(&s, &o, seal, "3").await,
            approved(&s, &o, seal, "3").await,
            approved(&s, &o, seal, "3").await,
            approved(&s, &o, seal, "3").await,
            approved(&s, &o, seal, "3").await,
        ];
        let late = approved(&s, &o, o.organ_seal, "1").await;
        clock.advance_minutes(60);
        seals::act(&s, &o.keeper, proper, A::Stamp { copies: 2 }, "ip").await.unwrap();
        seals::act(&s, &o.keeper, too_many, A::Stamp { copies: 3 }, "ip").await.unwrap();
        seals::act(&s, &o.keeper, unapproved, A::Stamp { copies: 3 }, "ip").await.unwrap();
        exec(&s, "UPDATE seal_uses SET copies = 5 WHERE application_id = $1", args![too_many]).await;
        exec(&s, "UPDATE seal_applications SET state = 'head_signed' WHERE application_id = $1", args![unapproved])
            .await;
        clock.advance_minutes(60);
        seals::set_suspended(&s, &o.office_head, seal, true, "印章遗失，正在查找", "ip").await.unwrap();
        clock.advance_minutes(60);
        planted_use(&s, &o, suspended, seal).await;
        exec(&s, "UPDATE seal_applications SET state = 'stamped' WHERE application_id = $1", args![suspended]).await;
        clock.advance_minutes(60);
        seals::set_suspended(&s, &o.office_head, seal, false, "", "ip").await.unwrap();
        seals::decommission(&s, &o.office_head, o.organ_seal, "学院更名", "上级党委", "sealed_up", "ip").await.unwrap();
        clock.advance_minutes(60);
        let other_keeper = o.other_keeper.person_id;
        let now = s.clock.now();
        exec(
            &s,
            "INSERT INTO seal_uses (application_id, seal_id, keeper_id, document_title, copies, used_at)
             VALUES ($1, $2, $3, '补登', 1, $4)",
            args![late, o.organ_seal, other_keeper, now],
        )
        .await;

        let today = s.clock.now().local_date().to_string();
        let r = seals::usage_report(&s, &o.office_head, &today, &today, "").await.unwrap();
        let line = |id: SealId| r.seals.iter().find(|x| x.seal_id == id.0).map(|x| (x.uses, x.copies));
        assert_eq!(line(seal), Some((4, 2 + 5 + 3 + 1)), "{b}");
        assert_eq!(line(o.organ_seal), Some((1, 1)), "{b}");
        assert_eq!((r.total_uses, r.total_copies), (5, 12), "{b}");
        let mut found: Vec<(&str, i64)> = r.findings.iter().map(|f| (f.code, f.application_id)).collect();
        found.sort();
        let mut want = vec![
            ("copies_exceeded", too_many.0),
            ("use_not_approved", unapproved.0),
            ("use_on_suspended", suspended.0),
            ("use_not_approved", late.0),
            ("use_on_decommissioned", late.0),
        ];
        want.sort();
        assert_eq!(found, want, "{b}: nothing about {proper} or, not yet, {never}");

        // Thirty days on, the approved application never used is listed too.
        clock.advance_minutes(31 * 24 * 60);
        let r = seals::usage_report(&s, &o.office_head, &today, "", "30").await.unwrap();
        let stale: Vec<i64> =
            r.findings.iter().filter(|f| f.code == "approved_never_used").map(|f| f.application_id).collect();
        assert_eq!(stale, vec![never.0], "{b}");
        let r = seals::usage_report(&s, &o.office_head, &today, "", "60").await.unwrap();
        assert!(r.findings.iter().all(|f| f.code != "approved_never_used"), "{b}: not yet after 60 days");

        for who in [&o.keeper, &o.secretary, &o.applicant, &o.sysadmin] {
            let e = seals::usage_report(&s, who, "", "", "").await.unwrap_err();
            assert!(matches!(e, ServiceError::Forbidden), "{b}: {}: {e:?}", who.name);
        }
        let e = seals::usage_report(&s, &o.office_head, &today, "2020-01-01", "").await.unwrap_err();
        assert!(matches!(e, ServiceError::Seal(SealError::Invalid { field: "to", .. })), "{b}: {e:?}");
        let words = |k: &str| k.to_string();
        let (_, xlsx) = seals::usage_report_xlsx(&s, &o.office_head, &today, "", "", &words).await.unwrap();
        assert!(xlsx.starts_with(b"PK"), "{b}: an XLSX (zip) workbook");
    }
}
