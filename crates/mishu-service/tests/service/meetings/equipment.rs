//! Equipment as bookable items (issue 5, R5.8), on both databases: a shared item is never in
//! two live bookings at overlapping times, across rooms (a clear 409 naming the item and the
//! time, nothing stored); back to back is fine; cancelling or rejecting frees the item; a
//! change of time (改期) moves the items and is refused when one is taken; another room's
//! fixed item or an unknown one is refused naming `equipment`; any item needs consent.

use super::{NEXT_MONDAY, Office, office, req};
use mishu_domain::meetings::{BookingAction, BookingRequest, EquipmentKind, MeetingError, Slot};
use mishu_domain::{EquipmentId, RoomId, Timestamp};
use mishu_service::audit::Origin;
use mishu_service::meetings::{NewEquipment, bookings, equipment};
use mishu_service::{ServiceError, Services, args};
use mishu_testkit::TestDb;

pub struct Items {
    /// Fixed in room 1.
    pub sound1: EquipmentId,
    /// Fixed in room 2.
    pub projector2: EquipmentId,
    /// Shared between the rooms.
    pub portable: EquipmentId,
    pub terminal: EquipmentId,
}

pub async fn item(s: &Services, name: &str, kind: EquipmentKind, room: Option<RoomId>) -> EquipmentId {
    equipment::create(s, &Origin::system(), NewEquipment { name: name.into(), kind, room }).await.unwrap()
}

pub async fn items(s: &Services, o: &Office) -> Items {
    Items {
        sound1: item(s, "第一会议室音响", EquipmentKind::Sound, Some(o.room1)).await,
        projector2: item(s, "第二会议室投影仪", EquipmentKind::Projector, Some(o.room2)).await,
        portable: item(s, "便携式投影仪", EquipmentKind::Projector, None).await,
        terminal: item(s, "视频会议终端", EquipmentKind::VideoLink, None).await,
    }
}

pub fn with(from: Timestamp, minutes: i64, ids: &[EquipmentId]) -> BookingRequest {
    BookingRequest { equipment_ids: ids.to_vec(), ..req(from, minutes, 6) }
}

/// (bookings, holds, live holds)
async fn counts(s: &Services) -> (i64, i64, i64) {
    let (b, h, l): (i64, i64, i64) =
        s.db.fetch_one(
            "SELECT (SELECT COUNT(*) FROM room_bookings), (SELECT COUNT(*) FROM booking_equipment),
                    (SELECT COUNT(*) FROM booking_equipment WHERE state IN ('requested', 'approved'))",
            args![],
        )
        .await
        .unwrap();
    (b, h, l)
}

fn is_conflict_naming(r: &Result<mishu_domain::BookingId, ServiceError>, what: &[&str]) -> bool {
    matches!(r, Err(ServiceError::Conflict(m)) if what.iter().all(|w| m.contains(w)))
}

#[tokio::test]
async fn a_shared_item_is_never_in_two_rooms_at_once_and_back_to_back_is_fine() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let i = items(&s, &o).await;
        let b = t.backend;
        let nine = NEXT_MONDAY.plus_hours(9);
        let first =
            bookings::request(&s, &o.requester, o.room1, with(nine, 60, &[i.portable, i.sound1]), "ip").await.unwrap();
        let row = bookings::get(&s, first).await.unwrap();
        assert!(row.equipment && row.pending_section && row.state == "requested", "{b}: items need consent (R5.8)");
        let names: Vec<&str> = row.items.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(names, ["第一会议室音响", "便携式投影仪"], "{b}");
        assert_eq!(counts(&s).await, (1, 2, 2), "{b}");

        // The same shared item from the other room, overlapping: 409 naming it and its time.
        let clash =
            bookings::request(&s, &o.other, o.room2, with(nine.plus_minutes(30), 60, &[i.portable]), "ip").await;
        assert!(is_conflict_naming(&clash, &["便携式投影仪", "2026-11-30 09:00", "10:00"]), "{b}: {clash:?}");
        assert_eq!(counts(&s).await, (1, 2, 2), "{b}: nothing stored on conflict");
        // Back to back (half-open), or another shared item at the same time: fine.
        bookings::request(&s, &o.other, o.room2, with(nine.plus_hours(1), 60, &[i.portable]), "ip").await.unwrap();
        bookings::request(&s, &o.other, o.room2, with(nine.plus_minutes(-60), 60, &[i.portable]), "ip").await.unwrap();
        let other_item = with(nine.plus_hours(2), 60, &[i.terminal, i.projector2]);
        bookings::request(&s, &o.other, o.room2, other_item, "ip").await.unwrap();
        assert_eq!(counts(&s).await, (4, 6, 6), "{b}");

        // Cancelling frees the item: the other room may now have it at that time.
        let cancel = BookingAction::Cancel { reason: "会议取消".into() };
        bookings::act(&s, &o.requester, first, cancel, "ip").await.unwrap();
        assert_eq!(counts(&s).await, (4, 6, 4), "{b}: the cancelled booking's holds are dead");
        let freed = bookings::request(&s, &o.other, o.room2, with(nine, 60, &[i.portable]), "ip").await;
        assert!(freed.is_ok(), "{b}: {freed:?}");

        // Rejecting frees it too.
        let ten = NEXT_MONDAY.plus_hours(24 + 10);
        let asked = bookings::request(&s, &o.requester, o.room1, with(ten, 60, &[i.terminal]), "ip").await.unwrap();
        let refused = bookings::request(&s, &o.other, o.room2, with(ten, 30, &[i.terminal]), "ip").await;
        assert!(is_conflict_naming(&refused, &["视频会议终端"]), "{b}: a pending request holds the item");
        let reject = BookingAction::Reject { reason: "终端检修".into() };
        bookings::act(&s, &o.section_head, asked, reject, "ip").await.unwrap();
        bookings::request(&s, &o.other, o.room2, with(ten, 30, &[i.terminal]), "ip").await.unwrap();
    }
}

#[tokio::test]
async fn another_rooms_fixed_item_or_an_unknown_one_is_refused_naming_equipment() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let i = items(&s, &o).await;
        let b = t.backend;
        let nine = NEXT_MONDAY.plus_hours(9);
        let retired = item(&s, "旧投影仪", EquipmentKind::Projector, None).await;
        s.db.execute("UPDATE equipment SET active = FALSE WHERE equipment_id = $1", args![retired]).await.unwrap();
        let bad = [
            (o.room1, vec![i.projector2], MeetingError::EquipmentElsewhere("第二会议室投影仪".into())),
            (o.room2, vec![i.portable, i.sound1], MeetingError::EquipmentElsewhere("第一会议室音响".into())),
            (o.room1, vec![EquipmentId(9999)], MeetingError::EquipmentUnknown(9999)),
            (o.room1, vec![retired], MeetingError::EquipmentUnknown(retired.0)),
        ];
        for (room, ids, want) in bad {
            let r = bookings::request(&s, &o.requester, room, with(nine, 60, &ids), "ip").await;
            match r {
                Err(ServiceError::Meeting(e)) => {
                    assert_eq!(e, want, "{b}");
                    assert!(e.to_string().starts_with("equipment:"), "{b}: names the field: {e}");
                }
                other => panic!("{b}: {ids:?} in {room:?}: {other:?}"),
            }
        }
        assert_eq!(counts(&s).await, (0, 0, 0), "{b}: nothing stored");
        // Its own fixed item and the shared ones are fine; the register lists every item.
        bookings::request(&s, &o.requester, o.room2, with(nine, 60, &[i.projector2, i.terminal]), "ip").await.unwrap();
        let listed = equipment::list(&s).await.unwrap();
        assert_eq!(listed.len(), 5, "{b}");
        assert_eq!(listed.iter().filter(|e| e.shared()).count(), 3, "{b}");
        assert_eq!(listed[0].room_name.as_deref(), Some("第一会议室"), "{b}: fixed items first, by room");
    }
}

#[tokio::test]
async fn rescheduling_moves_the_items_and_is_refused_when_one_is_taken() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let i = items(&s, &o).await;
        let b = t.backend;
        let nine = NEXT_MONDAY.plus_hours(9);
        let mine = bookings::request(&s, &o.requester, o.room1, with(nine, 60, &[i.portable]), "ip").await.unwrap();
        // Room 2 holds the shared item at 14:00; room 1 itself is free then.
        bookings::request(&s, &o.other, o.room2, with(nine.plus_hours(5), 60, &[i.portable]), "ip").await.unwrap();
        let before = counts(&s).await;
        let to = Slot { from: nine.plus_hours(5).plus_minutes(30), to: nine.plus_hours(6).plus_minutes(30) };
        let taken = bookings::reschedule(&s, &o.requester, mine, to, "ip").await;
        match taken {
            Err(ServiceError::Conflict(m)) => assert!(m.contains("便携式投影仪") && m.contains("14:00"), "{b}: {m}"),
            other => panic!("{b}: {other:?}"),
        }
        assert_eq!(counts(&s).await, before, "{b}");
        let kept: (i64, i64) =
            s.db.fetch_one("SELECT starts_at, ends_at FROM booking_equipment WHERE booking_id = $1", args![mine])
                .await
                .unwrap();
        assert_eq!(kept, (nine.0, nine.plus_hours(1).0), "{b}: the item kept its slot");

        // A free time: the items move with the booking, and its old slot is free for others.
        let to = Slot { from: nine.plus_hours(2), to: nine.plus_hours(3) };
        bookings::reschedule(&s, &o.requester, mine, to, "ip").await.unwrap();
        let moved: (i64, i64) =
            s.db.fetch_one("SELECT starts_at, ends_at FROM booking_equipment WHERE booking_id = $1", args![mine])
                .await
                .unwrap();
        assert_eq!(moved, (to.from.0, to.to.0), "{b}");
        bookings::request(&s, &o.other, o.room2, with(nine, 60, &[i.portable]), "ip").await.unwrap();
        let clash = bookings::request(&s, &o.other, o.room2, with(to.from, 60, &[i.portable]), "ip").await;
        assert!(is_conflict_naming(&clash, &["便携式投影仪", "11:00"]), "{b}: {clash:?}");
    }
}

/// Writes a hold straight into the table, past the service and its item lock.
async fn hold_direct(
    s: &Services,
    booking: i64,
    item: EquipmentId,
    from: Timestamp,
    state: &str,
) -> Result<u64, mishu_service::db::DbError> {
    s.db.execute(
        "INSERT INTO booking_equipment (booking_id, equipment_id, starts_at, ends_at, state) VALUES ($1, $2, $3, $4, $5)",
        args![booking, item, from, from.plus_minutes(60), state],
    )
    .await
}

#[tokio::test]
async fn the_database_refuses_an_overlapping_hold_that_skips_the_service() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let i = items(&s, &o).await;
        let nine = NEXT_MONDAY.plus_hours(9);
        let a = bookings::request(&s, &o.requester, o.room1, req(nine, 60, 5), "ip").await.unwrap().0;
        let c = bookings::request(&s, &o.other, o.room2, req(nine, 60, 5), "ip").await.unwrap().0;
        hold_direct(&s, a, i.portable, nine, "approved").await.unwrap();
        let e = hold_direct(&s, c, i.portable, nine.plus_minutes(30), "requested").await.unwrap_err();
        assert!(e.is_exclusion_violation(), "{}: {e}", t.backend);
        hold_direct(&s, c, i.portable, nine.plus_minutes(60), "approved").await.unwrap();
        hold_direct(&s, c, i.terminal, nine, "cancelled").await.unwrap();
        let e =
            s.db.execute(
                "UPDATE booking_equipment SET starts_at = $1 WHERE booking_id = $2 AND equipment_id = $3",
                args![nine.plus_minutes(30), c, i.portable],
            )
            .await
            .unwrap_err();
        assert!(e.is_exclusion_violation(), "{}: {e}", t.backend);
    }
}
