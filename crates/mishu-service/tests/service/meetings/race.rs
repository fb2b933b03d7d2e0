//! Two live bookings of one room never overlap (issue 5): 64 parallel requests for one
//! room and slot give exactly one booking and 63 clear conflicts, every round; and the
//! database itself refuses an overlapping row that skips the service (PostgreSQL's
//! exclusion constraint, SQLite's trigger; migration 0021).
//!
//! Rounds: `MISHU_BOOKING_RACE_ROUNDS` (default 100, the figure).

use super::{NEXT_MONDAY, office, req};
use mishu_domain::Timestamp;
use mishu_service::meetings::bookings;
use mishu_service::{ServiceError, args};
use mishu_testkit::TestDb;
use std::time::Instant;

const RACERS: i64 = 64;

fn rounds() -> i64 {
    std::env::var("MISHU_BOOKING_RACE_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(100)
}

#[tokio::test]
async fn sixty_four_parallel_requests_for_one_slot_give_one_booking_and_63_conflicts_each_round() {
    let rounds = rounds();
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let started = Instant::now();
        for round in 0..rounds {
            // One slot per round, two hours apart, all in the future and before the cut-off.
            let base = NEXT_MONDAY.plus_hours(2 * round);
            let handles: Vec<_> = (0..RACERS)
                .map(|i| {
                    let (s, actor, room) = (s.clone(), o.requester.clone(), o.room2);
                    // Every slot overlaps every other: all contain [base+63 min, base+120 min).
                    tokio::spawn(async move {
                        bookings::request(&s, &actor, room, req(base.plus_minutes(i), 120 - i, 8), "ip").await
                    })
                })
                .collect();
            let (mut won, mut refused) = (0, 0);
            for h in handles {
                match h.await.unwrap() {
                    Ok(_) => won += 1,
                    Err(ServiceError::Conflict(m)) if m.contains("第二会议室") => refused += 1,
                    Err(e) => panic!("{} round {round}: not a clear conflict: {e}", t.backend),
                }
            }
            assert_eq!((won, refused), (1, RACERS - 1), "{} round {round}", t.backend);
        }
        let (n,): (i64,) =
            s.db.fetch_one("SELECT COUNT(*) FROM room_bookings WHERE room_id = $1", args![o.room2]).await.unwrap();
        assert_eq!(n, rounds, "{}: one booking per round", t.backend);
        let (audited,): (i64,) =
            s.db.fetch_one("SELECT COUNT(*) FROM audit_log WHERE action = 'booking.requested'", args![]).await.unwrap();
        assert_eq!(audited, rounds, "{}: one audit record per booking, none for a refusal", t.backend);
        eprintln!("{}: {rounds} rounds x {RACERS} racers in {:?}", t.backend, started.elapsed());
    }
}

/// Writes a live booking row straight into the table, past the service and its room lock.
async fn insert_direct(
    s: &mishu_service::Services,
    room: i64,
    by: i64,
    from: Timestamp,
    minutes: i64,
    state: &str,
) -> Result<u64, mishu_service::db::DbError> {
    s.db.execute(
        "INSERT INTO room_bookings (room_id, title, kind, chair, starts_at, ends_at, attendees, state, requested_by, created_at)
         VALUES ($1, '直接写入', 'organ_wide', '主持人', $2, $3, 5, $4, $5, 0)",
        args![room, from, from.plus_minutes(minutes), state, by],
    )
    .await
}

#[tokio::test]
async fn the_database_refuses_an_overlapping_live_booking_that_skips_the_service() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let (room, by) = (o.room1.0, o.requester.person_id.0);
        let nine = NEXT_MONDAY.plus_hours(9);
        insert_direct(&s, room, by, nine, 60, "approved").await.unwrap();
        // Overlapping, whether approved or still requested: refused by the database itself.
        for state in ["approved", "requested"] {
            let e = insert_direct(&s, room, by, nine.plus_minutes(30), 60, state).await.unwrap_err();
            assert!(e.is_exclusion_violation(), "{} {state}: {e}", t.backend);
            if t.backend == "postgres" {
                assert!(e.to_string().contains("room_bookings_no_overlap"), "{e}");
            }
        }
        // Back to back (half-open), another room, or a dead booking: allowed.
        insert_direct(&s, room, by, nine.plus_minutes(60), 60, "approved").await.unwrap();
        insert_direct(&s, o.room2.0, by, nine, 60, "approved").await.unwrap();
        insert_direct(&s, room, by, nine, 60, "cancelled").await.unwrap();
        insert_direct(&s, room, by, nine, 60, "rejected").await.unwrap();
        // Reviving a dead booking into a taken slot is refused too.
        let e =
            s.db.execute(
                "UPDATE room_bookings SET state = 'requested' WHERE state = 'cancelled' AND room_id = $1",
                args![room],
            )
            .await
            .unwrap_err();
        assert!(e.is_exclusion_violation(), "{}: {e}", t.backend);
        let (n,): (i64,) = s.db.fetch_one("SELECT COUNT(*) FROM room_bookings", args![]).await.unwrap();
        assert_eq!(n, 5, "{}", t.backend);
    }
}

/// The guards look back one day at most (migration 0031): sound because the database also
/// refuses a booking longer than a day, and still catching a full-day booking that began
/// almost a day before the new one.
#[tokio::test]
async fn the_bounded_guard_still_sees_a_day_long_booking_and_refuses_longer_ones() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let (room, by) = (o.room1.0, o.requester.person_id.0);
        let start = NEXT_MONDAY.plus_hours(8);
        let e = insert_direct(&s, room, by, start, 24 * 60 + 1, "approved").await.unwrap_err();
        assert!(e.to_string().contains("room_bookings_at_most_one_day"), "{}: {e}", t.backend);
        insert_direct(&s, room, by, start, 24 * 60, "approved").await.unwrap();
        // Starts 23 h 59 min after the day-long booking: inside it, refused.
        let e = insert_direct(&s, room, by, start.plus_minutes(24 * 60 - 1), 30, "requested").await.unwrap_err();
        assert!(e.is_exclusion_violation(), "{}: {e}", t.backend);
        // Stretching a booking past a day is refused as well.
        let e =
            s.db.execute(
                "UPDATE room_bookings SET ends_at = ends_at + 60000 WHERE room_id = $1 AND state = 'approved'",
                args![room],
            )
            .await
            .unwrap_err();
        assert!(e.to_string().contains("room_bookings_at_most_one_day"), "{}: {e}", t.backend);
        insert_direct(&s, room, by, start.plus_minutes(24 * 60), 30, "requested").await.unwrap();
    }
}
