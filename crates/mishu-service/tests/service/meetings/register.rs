//! The room register on both databases: who adds and edits rooms, checked fields, an edit
//! that would strand an upcoming booking refused with the booking named, and photos checked
//! by content; every refusal changes nothing.

use super::{NEXT_MONDAY, office, req};
use mishu_service::files::Upload;
use mishu_service::meetings::bookings;
use mishu_service::meetings::room_register::{self, RoomForm};
use mishu_service::{ServiceError, Services, args};
use mishu_testkit::TestDb;

fn form(name: &str, capacity: &str) -> RoomForm {
    RoomForm {
        name: name.into(),
        location: "图书馆四楼".into(),
        capacity: capacity.into(),
        equipment: "音响".into(),
        equipment_needs_approval: true,
        active: true,
    }
}

async fn count(s: &Services, sql: &str) -> i64 {
    let (n,): (i64,) = s.db.fetch_one(sql, args![]).await.unwrap();
    n
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde";

#[tokio::test]
async fn the_office_keeps_the_register_and_an_edit_never_strands_a_booking() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let b = t.backend;

        // Only the office adds rooms; the new room is managed by the rooms' section.
        let e = room_register::add(&s, &o.requester, &form("第三会议室", "20"), "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Forbidden), "{b}: {e:?}");
        let e = room_register::add(&s, &o.section_head, &form("第三会议室", "20"), "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Forbidden), "{b}: the section edits its rooms, the office adds them");
        let id = room_register::add(&s, &o.office_head, &form("第三会议室", "20"), "ip").await.unwrap();
        let entries = room_register::entries(&s, &o.requester).await.unwrap();
        let third = entries.iter().find(|r| r.room_id == id.0).unwrap();
        assert_eq!((third.capacity, third.managed_by_name.as_deref()), (20, Some("行政科")), "{b}");
        let e = room_register::add(&s, &o.office_head, &form("第三会议室", "5"), "ip").await.unwrap_err();
        assert!(matches!(&e, ServiceError::Conflict(m) if m.starts_with("name")), "{b}: {e:?}");

        // Bad fields name the field and store nothing.
        let before = count(&s, "SELECT COUNT(*) FROM audit_log").await;
        for (f, field) in [(form("", "5"), "name"), (form("x", "0"), "capacity"), (form("x", "many"), "capacity")] {
            let e = room_register::add(&s, &o.office_head, &f, "ip").await.unwrap_err();
            assert!(matches!(e, ServiceError::Invalid { field: got, .. } if got == field), "{b}: {field}");
        }

        // The section head edits the room they manage; a stranger may not.
        let e = room_register::edit(&s, &o.requester, o.room2, &form("大会议室", "40"), "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Forbidden), "{b}");
        assert_eq!(count(&s, "SELECT COUNT(*) FROM audit_log").await, before, "{b}: refusals stored nothing");
        room_register::edit(&s, &o.section_head, o.room2, &form("第二会议室", "45"), "ip").await.unwrap();

        // A 30-person booking next week: the room cannot drop below 30 seats nor be withdrawn.
        let booking =
            bookings::request(&s, &o.requester, o.room2, req(NEXT_MONDAY.plus_hours(9), 60, 30), "ip").await.unwrap();
        let e = room_register::edit(&s, &o.section_head, o.room2, &form("第二会议室", "20"), "ip").await.unwrap_err();
        assert!(matches!(&e, ServiceError::Conflict(m) if m.contains(&format!("#{}", booking.0))), "{b}: {e:?}");
        let withdrawn = RoomForm { active: false, ..form("第二会议室", "45") };
        let e = room_register::edit(&s, &o.office_head, o.room2, &withdrawn, "ip").await.unwrap_err();
        assert!(matches!(&e, ServiceError::Conflict(m) if m.starts_with("active")), "{b}: {e:?}");
        let (cap,): (i64,) =
            s.db.fetch_one("SELECT capacity FROM rooms WHERE room_id = $1", args![o.room2]).await.unwrap();
        assert_eq!(cap, 45, "{b}: the refused edits changed nothing");
        room_register::edit(&s, &o.office_head, o.room1, &RoomForm { active: false, ..form("第一会议室", "10") }, "ip")
            .await
            .unwrap();
        let updated = count(&s, "SELECT COUNT(*) FROM audit_log WHERE action = 'room.updated'").await;
        assert_eq!(updated, 2, "{b}: one record per edit");
    }
}

#[tokio::test]
async fn a_photo_must_really_be_an_image() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let b = t.backend;
        let up = |name: &str, bytes: &[u8]| Upload { field: "photo", filename: name.into(), bytes: bytes.to_vec() };
        for (name, bytes) in
            [("room.png", b"%PDF-1.7 not an image".as_slice()), ("room.pdf", b"%PDF-1.7 x"), ("room.png", b"")]
        {
            let e = room_register::set_photo(&s, &o.section_head, o.room1, up(name, bytes), "ip").await.unwrap_err();
            assert!(matches!(e, ServiceError::Invalid { field: "photo", .. }), "{b}: {name}: {e:?}");
        }
        let big = vec![0u8; room_register::MAX_PHOTO_BYTES + 1];
        let e = room_register::set_photo(&s, &o.section_head, o.room1, up("big.png", &big), "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Invalid { field: "photo", .. }), "{b}: {e:?}");
        let e = room_register::set_photo(&s, &o.requester, o.room1, up("room.png", PNG), "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Forbidden), "{b}");
        assert!(matches!(room_register::photo(&s, &o.requester, o.room1).await, Err(ServiceError::NotFound)), "{b}");

        room_register::set_photo(&s, &o.section_head, o.room1, up("room.png", PNG), "ip").await.unwrap();
        let (bytes, kind) = room_register::photo(&s, &o.requester, o.room1).await.unwrap();
        assert_eq!((bytes.as_slice(), kind.code()), (PNG, "png"), "{b}");
        let recorded = count(&s, "SELECT COUNT(*) FROM audit_log WHERE action = 'room.photo_set'").await;
        assert_eq!(recorded, 1, "{b}");
    }
}
