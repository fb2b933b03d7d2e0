//! Races on one seal application (T4 of RELIABILITY.md): parallel signatures of one step
//! count once, and parallel stamps against one approval make exactly one use in the
//! keeper's log (R7.6) with one audit record; every loser gets a clear refusal, never a
//! "database is locked" or any other error.
//!
//! Rounds: `MISHU_SEAL_RACE_ROUNDS` (default 10).

use super::seals::{application, count, organ};
use mishu_domain::access::Actor;
use mishu_domain::seals::{ApplicationAction as A, ApplicationState as S, SealError};
use mishu_service::{ServiceError, ServiceResult, Services, seals};
use mishu_testkit::TestDb;

const RACERS: usize = 16;

fn rounds() -> usize {
    std::env::var("MISHU_SEAL_RACE_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(10)
}

/// Runs `RACERS` copies of one move at once; answers (won, refused) and panics on any
/// error that is not the application's own "already done" or a version conflict.
async fn race(s: &Services, who: &Actor, id: mishu_domain::SealApplicationId, action: A, b: &str) -> (usize, usize) {
    let handles: Vec<_> = (0..RACERS)
        .map(|_| {
            let (s, who, action) = (s.clone(), who.clone(), action.clone());
            tokio::spawn(async move { seals::act(&s, &who, id, action, "ip").await })
        })
        .collect();
    let (mut won, mut refused) = (0, 0);
    for h in handles {
        let r: ServiceResult<S> = h.await.unwrap();
        match r {
            Ok(_) => won += 1,
            Err(ServiceError::Conflict(_) | ServiceError::Seal(SealError::WrongState(_))) => refused += 1,
            // Once the application is stamped the keeper's task is gone and it reads as
            // done; a loser may also see the move as not (or no longer) theirs.
            Err(ServiceError::NotFound) => refused += 1,
            Err(e) => panic!("{b}: {action:?} refused unclearly: {e:?}"),
        }
    }
    (won, refused)
}

#[tokio::test]
async fn parallel_signatures_count_once_and_parallel_stamps_make_one_use() {
    let rounds = rounds();
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = organ(&s).await;
        let b = t.backend;
        for round in 0..rounds {
            let id = seals::apply(&s, &o.applicant, application(o.xingzheng_seal, "2"), "ip").await.unwrap();
            assert_eq!(race(&s, &o.jwc_head, id, A::HeadSign, b).await, (1, RACERS - 1), "{b} round {round}: head");
            assert_eq!(race(&s, &o.fyz, id, A::LeaderApprove, b).await, (1, RACERS - 1), "{b} round {round}: leader");
            let stamp = A::Stamp { copies: 2 };
            assert_eq!(race(&s, &o.keeper, id, stamp, b).await, (1, RACERS - 1), "{b} round {round}: keeper");
            assert_eq!(seals::application(&s, &o.applicant, id).await.unwrap().state, "stamped", "{b}");
        }
        let n = rounds as i64;
        assert_eq!(count(&s, "SELECT COUNT(*) FROM seal_uses").await, n, "{b}: one use per approval");
        assert_eq!(
            count(&s, "SELECT CAST(COALESCE(SUM(copies), 0) AS BIGINT) FROM seal_uses").await,
            2 * n,
            "{b}: copies once"
        );
        for action in ["seal_application.head_signed", "seal_application.leader_approved", "seal_application.stamped"] {
            let sql = format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}'");
            assert_eq!(count(&s, &sql).await, n, "{b}: one {action} record per application");
        }
    }
}
