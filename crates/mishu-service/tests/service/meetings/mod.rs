//! Meetings and rooms on both databases: the room rules at the service boundary, races for
//! one slot, approvals on the spine, and a meeting from notice to followed-up decisions.

mod bookings;
mod calendar;
mod equipment;
mod equipment_race;
mod flow;
mod logistics;
mod moves;
mod race;
mod reception;
mod register;
mod summary;
mod week;

use mishu_domain::access::Actor;
use mishu_domain::meetings::{BookingRequest, MeetingKind, Slot};
use mishu_domain::org::{Clearance, Role};
use mishu_domain::{PersonId, RoomId, Timestamp};
use mishu_service::Services;
use mishu_service::audit::Origin;
use mishu_service::meetings::{NewRoom, rooms};
use mishu_testkit::{T0, builders};

/// Monday 2026-11-30 00:00 +08:00: the week after T0 (Friday 09:00).
pub const NEXT_MONDAY: Timestamp = Timestamp(T0.0 + (3 * 24 - 9) * 3_600_000);

pub struct Office {
    pub office_head: Actor,
    pub section_head: Actor,
    pub requester: Actor,
    pub other: Actor,
    pub room1: RoomId,
    pub room2: RoomId,
}

pub async fn office(s: &Services) -> Office {
    let office = builders::department(s, "党政办公室", None).await;
    let section = builders::department(s, "行政科", Some(office)).await;
    let jwc = builders::department(s, "教务处", None).await;
    let head = builders::person(s, "zhuren", Some(office), &[Role::OfficeHead], Clearance::Secret).await;
    let section_head = builders::person(s, "xingzheng", Some(section), &[Role::DepartmentHead], Clearance::None).await;
    let requester = builders::person(s, "jwc.handler", Some(jwc), &[Role::Handler], Clearance::None).await;
    let other = builders::person(s, "jwc.other", Some(jwc), &[Role::Handler], Clearance::None).await;
    let room = |name: &str, capacity, needs| NewRoom {
        name: name.into(),
        location: "行政楼".into(),
        capacity,
        equipment: "音响 投影".into(),
        equipment_needs_approval: needs,
        managed_by: Some(section),
    };
    let room1 = rooms::create_room(s, &Origin::system(), room("第一会议室", 10, false)).await.unwrap();
    let room2 = rooms::create_room(s, &Origin::system(), room("第二会议室", 40, true)).await.unwrap();
    Office {
        office_head: builders::actor(s, head).await,
        section_head: builders::actor(s, section_head).await,
        requester: builders::actor(s, requester).await,
        other: builders::actor(s, other).await,
        room1,
        room2,
    }
}

/// A request for `hours` hours from `from`, ordinary kind, no equipment.
pub fn req(from: Timestamp, minutes: i64, attendees: i64) -> BookingRequest {
    BookingRequest {
        title: "教学工作例会".into(),
        kind: MeetingKind::OrganWide,
        chair: "分管副院长".into(),
        content: "期末教学安排".into(),
        slot: Slot { from, to: from.plus_minutes(minutes) },
        attendees,
        equipment: false,
        equipment_ids: vec![],
        guests: String::new(),
    }
}

pub fn person(a: &Actor) -> PersonId {
    a.person_id
}
