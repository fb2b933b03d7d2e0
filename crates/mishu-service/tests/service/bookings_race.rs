//! Races on one pending room booking (T4 of RELIABILITY.md): parallel approvals by the
//! 行政科 head (equipment consent, R5.8) count once — one state change, one audit record,
//! the approval task closed once — and an approval racing a rejection or the booker's
//! cancellation leaves exactly the outcome that won stored. Every loser gets a clear
//! refusal (a version conflict or the booking's wrong state), never "database is locked"
//! or any other error.
//!
//! Rounds: `MISHU_BOOKING_APPROVAL_RACE_ROUNDS` (default 5).

use super::meetings::{NEXT_MONDAY, Office, office, req};
use mishu_domain::BookingId;
use mishu_domain::access::Actor;
use mishu_domain::meetings::{BookingAction, BookingState, MeetingError};
use mishu_service::meetings::{BOOKING_DOMAIN, bookings};
use mishu_service::{ServiceError, Services, args};
use mishu_testkit::TestDb;

const RACERS: usize = 16;

fn rounds() -> i64 {
    std::env::var("MISHU_BOOKING_APPROVAL_RACE_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(5)
}

/// A booking of the second room with its equipment, waiting for the 行政科 head alone.
async fn pending(s: &Services, o: &Office, hour: i64) -> BookingId {
    let mut r = req(NEXT_MONDAY.plus_hours(hour), 60, 20);
    r.equipment = true;
    let id = bookings::request(s, &o.requester, o.room2, r, "ip").await.unwrap();
    let b = bookings::get(s, id).await.unwrap();
    assert!(b.state == "requested" && b.pending_section && !b.pending_office_head, "{b:?}");
    id
}

/// Runs every (who, action) at once; answers, per racer, the state it won or `None` for a
/// clear refusal, and panics on any other error.
async fn race(
    s: &Services,
    id: BookingId,
    racers: Vec<(Actor, BookingAction)>,
    what: &str,
) -> Vec<Option<BookingState>> {
    let handles: Vec<_> = racers
        .into_iter()
        .map(|(who, action)| {
            let s = s.clone();
            tokio::spawn(async move { bookings::act(&s, &who, id, action, "ip").await })
        })
        .collect();
    let mut out = Vec::new();
    for h in handles {
        match h.await.unwrap() {
            Ok(state) => out.push(Some(state)),
            Err(ServiceError::Conflict(_) | ServiceError::Meeting(MeetingError::WrongState(_))) => out.push(None),
            Err(e) => panic!("{what}: refused unclearly: {e:?}"),
        }
    }
    out
}

async fn one(s: &Services, sql: &str, id: BookingId) -> i64 {
    let (n,): (i64,) = s.db.fetch_one(sql, args![id]).await.unwrap();
    n
}

async fn version(s: &Services, id: BookingId) -> i64 {
    one(s, "SELECT version FROM room_bookings WHERE booking_id = $1", id).await
}

/// The booking's audit records of `action`, in the order they were written.
async fn records(s: &Services, id: BookingId, action: &str) -> Vec<i64> {
    let rows: Vec<(i64,)> = s
        .db
        .fetch_all(
            "SELECT seq FROM audit_log WHERE subject_type = 'room_booking' AND subject_id = $1 AND action = $2 ORDER BY seq",
            args![id.to_string(), action],
        )
        .await
        .unwrap();
    rows.into_iter().map(|(seq,)| seq).collect()
}

/// The section head's approval task: (state, version).
async fn approval_task(s: &Services, id: BookingId) -> (String, i64) {
    let rows: Vec<(String, i64)> = s
        .db
        .fetch_all("SELECT state, version FROM tasks WHERE domain = $1 AND subject_id = $2", args![BOOKING_DOMAIN, id])
        .await
        .unwrap();
    assert_eq!(rows.len(), 1, "one approval task: {rows:?}");
    rows.into_iter().next().unwrap()
}

fn wins(results: &[Option<BookingState>], state: BookingState) -> usize {
    results.iter().filter(|r| **r == Some(state)).count()
}

fn reason() -> String {
    "设备另行安排".into()
}

#[tokio::test]
async fn parallel_approvals_count_once_and_an_approval_racing_a_rejection_or_cancellation_leaves_one_outcome() {
    let rounds = rounds();
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let b = t.backend;
        let (mut rejected_won, mut cancelled_won) = (0, 0);
        for round in 0..rounds {
            // Three one-hour slots per round, none overlapping another round's.
            let hour = 8 + 4 * round;

            // 16 approvals by the one 行政科 head.
            let id = pending(&s, &o, hour).await;
            let (v0, task0) = (version(&s, id).await, approval_task(&s, id).await.1);
            let all = (0..RACERS).map(|_| (o.section_head.clone(), BookingAction::Approve)).collect();
            let r = race(&s, id, all, &format!("{b} round {round}: approvals")).await;
            assert_eq!((wins(&r, BookingState::Approved), r.len()), (1, RACERS), "{b} round {round}: {r:?}");
            assert_eq!(bookings::get(&s, id).await.unwrap().state, "approved", "{b}");
            assert_eq!(version(&s, id).await, v0 + 1, "{b} round {round}: one state change");
            assert_eq!(records(&s, id, "booking.approved").await.len(), 1, "{b} round {round}: one record");
            assert_eq!(approval_task(&s, id).await, ("done".into(), task0 + 1), "{b} round {round}: closed once");

            // 8 approvals against 8 rejections: exactly one of all 16 wins.
            let id = pending(&s, &o, hour + 1).await;
            let v0 = version(&s, id).await;
            let mixed = (0..RACERS)
                .map(|i| {
                    let a =
                        if i % 2 == 0 { BookingAction::Approve } else { BookingAction::Reject { reason: reason() } };
                    (o.section_head.clone(), a)
                })
                .collect();
            let r = race(&s, id, mixed, &format!("{b} round {round}: approve/reject")).await;
            let (approved, rejected) = (wins(&r, BookingState::Approved), wins(&r, BookingState::Rejected));
            assert_eq!(approved + rejected, 1, "{b} round {round}: {r:?}");
            let stored = bookings::get(&s, id).await.unwrap();
            let winner = if approved == 1 { "approved" } else { "rejected" };
            assert_eq!(stored.state, winner, "{b} round {round}: the stored state is the winner's");
            assert_eq!(version(&s, id).await, v0 + 1, "{b} round {round}");
            let (ra, rr) = (records(&s, id, "booking.approved").await, records(&s, id, "booking.rejected").await);
            assert_eq!((ra.len(), rr.len()), (approved, rejected), "{b} round {round}: the winner's record only");
            assert_eq!(approval_task(&s, id).await.0, "done", "{b}");
            rejected_won += rejected;

            // 8 approvals by the head against 8 cancellations by the booker. The booker may
            // still cancel an approved booking, so "approved, then cancelled" is two steps in
            // order; what must never happen is a step counted twice, or an approval stored
            // over a cancellation.
            let id = pending(&s, &o, hour + 2).await;
            let v0 = version(&s, id).await;
            let mixed = (0..RACERS)
                .map(|i| {
                    if i % 2 == 0 {
                        (o.section_head.clone(), BookingAction::Approve)
                    } else {
                        (o.requester.clone(), BookingAction::Cancel { reason: reason() })
                    }
                })
                .collect();
            let r = race(&s, id, mixed, &format!("{b} round {round}: approve/cancel")).await;
            let (approved, cancelled) = (wins(&r, BookingState::Approved), wins(&r, BookingState::Cancelled));
            assert!(approved <= 1 && cancelled <= 1 && approved + cancelled >= 1, "{b} round {round}: {r:?}");
            let stored = bookings::get(&s, id).await.unwrap();
            let last = if cancelled == 1 { "cancelled" } else { "approved" };
            assert_eq!(stored.state, last, "{b} round {round}: the stored state is the last winner's");
            assert_eq!(version(&s, id).await, v0 + (approved + cancelled) as i64, "{b} round {round}");
            let (ra, rc) = (records(&s, id, "booking.approved").await, records(&s, id, "booking.cancelled").await);
            assert_eq!((ra.len(), rc.len()), (approved, cancelled), "{b} round {round}: one record per win");
            if let ([a], [c]) = (ra.as_slice(), rc.as_slice()) {
                assert!(a < c, "{b} round {round}: approved before cancelled");
            }
            cancelled_won += cancelled;
        }
        eprintln!("{b}: {rounds} rounds; rejections won {rejected_won}, cancellations won {cancelled_won}");
        // No loser left a booking behind.
        let (n,): (i64,) = s.db.fetch_one("SELECT COUNT(*) FROM room_bookings", args![]).await.unwrap();
        assert_eq!(n, 3 * rounds, "{b}");
    }
}
