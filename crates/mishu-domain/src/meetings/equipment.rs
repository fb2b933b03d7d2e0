//! Equipment as bookable items (issue 5, R5.8): the register's kinds, which items a request
//! for a room may ask for (the room's own fixed items and the shared, movable ones), and
//! that asking for any item waits for the 行政科 head's consent. Whether a shared item is
//! free at the time is the service's check, under the item's lock.

use super::MeetingError;
use crate::ids::{EquipmentId, RoomId};
use serde::{Deserialize, Serialize};

/// What an item is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EquipmentKind {
    /// 音响
    Sound,
    /// 投影
    Projector,
    /// 视频会议（视频连线）
    VideoLink,
    Other,
}

impl EquipmentKind {
    pub const ALL: [EquipmentKind; 4] =
        [EquipmentKind::Sound, EquipmentKind::Projector, EquipmentKind::VideoLink, EquipmentKind::Other];

    pub fn code(self) -> &'static str {
        match self {
            EquipmentKind::Sound => "sound",
            EquipmentKind::Projector => "projector",
            EquipmentKind::VideoLink => "video_link",
            EquipmentKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Result<EquipmentKind, MeetingError> {
        let s = s.trim();
        EquipmentKind::ALL
            .into_iter()
            .find(|k| k.code() == s)
            .ok_or_else(|| MeetingError::EquipmentKindInvalid(s.to_string()))
    }
}

/// What the rules know of one item of the register.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EquipmentFacts {
    pub id: EquipmentId,
    pub name: String,
    /// The room it is fixed in; `None` for a shared item moved between rooms.
    pub room: Option<RoomId>,
    pub active: bool,
}

impl EquipmentFacts {
    pub fn shared(&self) -> bool {
        self.room.is_none()
    }
}

/// At most this many items on one booking.
pub const MAX_ITEMS: usize = 20;

/// The items a booking of `room` may offer: its own fixed items and the shared ones, in use.
pub fn offered(room: RoomId, register: &[EquipmentFacts]) -> Vec<&EquipmentFacts> {
    register.iter().filter(|e| e.active && e.room.is_none_or(|r| r == room)).collect()
}

/// The items a request for `room` asks for, each once and in id order (the order the
/// service locks them in). An unknown or retired item, or one fixed in another room, is
/// refused naming the field `equipment`.
pub fn check_equipment<'a>(
    room: RoomId,
    asked: &[EquipmentId],
    register: &'a [EquipmentFacts],
) -> Result<Vec<&'a EquipmentFacts>, MeetingError> {
    let mut ids = asked.to_vec();
    ids.sort();
    ids.dedup();
    if ids.len() > MAX_ITEMS {
        return Err(MeetingError::TooManyItems);
    }
    ids.iter()
        .map(|id| {
            let item = register.iter().find(|e| e.id == *id && e.active).ok_or(MeetingError::EquipmentUnknown(id.0))?;
            match item.room {
                Some(r) if r != room => Err(MeetingError::EquipmentElsewhere(item.name.clone())),
                _ => Ok(item),
            }
        })
        .collect()
}

/// Any equipment asked for, by the old yes/no or by naming items, needs the consent of the
/// section that manages the rooms (R5.8).
pub fn needs_consent(equipment: bool, items: &[EquipmentId]) -> bool {
    equipment || !items.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: i64, room: Option<i64>, active: bool) -> EquipmentFacts {
        EquipmentFacts { id: EquipmentId(id), name: format!("item{id}"), room: room.map(RoomId), active }
    }

    #[test]
    fn which_items_a_room_may_ask_for() {
        // 1: room 1's sound; 2, 3: room 2's sound and projector; 4, 5: shared; 6: shared, retired.
        let register = [
            item(1, Some(1), true),
            item(2, Some(2), true),
            item(3, Some(2), true),
            item(4, None, true),
            item(5, None, true),
            item(6, None, false),
        ];
        let ids = |v: &[i64]| v.iter().copied().map(EquipmentId).collect::<Vec<_>>();
        let ok =
            |v: Result<Vec<&EquipmentFacts>, MeetingError>| v.map(|v| v.iter().map(|e| e.id.0).collect::<Vec<_>>());
        type Case = (i64, Vec<i64>, Result<Vec<i64>, MeetingError>);
        let table: Vec<Case> = vec![
            (1, vec![], Ok(vec![])),
            (1, vec![1], Ok(vec![1])),
            (1, vec![4, 1, 4], Ok(vec![1, 4])),
            (2, vec![5, 3, 2], Ok(vec![2, 3, 5])),
            (1, vec![2], Err(MeetingError::EquipmentElsewhere("item2".into()))),
            (2, vec![1, 4], Err(MeetingError::EquipmentElsewhere("item1".into()))),
            (1, vec![6], Err(MeetingError::EquipmentUnknown(6))),
            (1, vec![99], Err(MeetingError::EquipmentUnknown(99))),
            (1, vec![-1], Err(MeetingError::EquipmentUnknown(-1))),
            (3, vec![4, 5], Ok(vec![4, 5])),
        ];
        for (room, asked, want) in table {
            let got = ok(check_equipment(RoomId(room), &ids(&asked), &register));
            assert_eq!(got, want, "room {room} asks {asked:?}");
        }
        let many: Vec<EquipmentId> = (0..=MAX_ITEMS as i64).map(EquipmentId).collect();
        assert_eq!(check_equipment(RoomId(1), &many, &register).unwrap_err(), MeetingError::TooManyItems);
        let offered_2: Vec<i64> = offered(RoomId(2), &register).iter().map(|e| e.id.0).collect();
        assert_eq!(offered_2, vec![2, 3, 4, 5], "its own fixed items and the shared ones in use");
        for err in [
            MeetingError::EquipmentUnknown(6),
            MeetingError::EquipmentElsewhere("x".into()),
            MeetingError::TooManyItems,
        ] {
            assert!(err.to_string().starts_with("equipment:"), "names the field: {err}");
        }
    }

    #[test]
    fn any_equipment_needs_the_section_heads_consent_r5_8() {
        let table = [
            (false, vec![], false),
            (true, vec![], true),
            (false, vec![EquipmentId(4)], true),
            (true, vec![EquipmentId(1)], true),
        ];
        for (flag, items, want) in table {
            assert_eq!(needs_consent(flag, &items), want, "{flag} {items:?}");
        }
    }

    #[test]
    fn kinds_round_trip() {
        for k in EquipmentKind::ALL {
            assert_eq!(EquipmentKind::parse(k.code()), Ok(k));
        }
        assert_eq!(EquipmentKind::parse("laser"), Err(MeetingError::EquipmentKindInvalid("laser".into())));
    }
}
