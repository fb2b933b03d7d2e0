//! One shared item, sixteen rooms, one slot (issue 5): sixteen simultaneous requests from
//! sixteen different rooms give exactly one booking and fifteen clear conflicts naming the
//! item, every round, on both databases; the losers store nothing.

use super::equipment::{item, with};
use super::{NEXT_MONDAY, office};
use mishu_domain::meetings::EquipmentKind;
use mishu_service::audit::Origin;
use mishu_service::meetings::{NewRoom, bookings, rooms};
use mishu_service::{ServiceError, args};
use mishu_testkit::TestDb;

const RACERS: i64 = 16;
const ROUNDS: i64 = 5;

#[tokio::test]
async fn sixteen_rooms_racing_for_one_shared_item_give_one_booking_and_15_conflicts() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let terminal = item(&s, "视频会议终端", EquipmentKind::VideoLink, None).await;
        let mut racing_rooms = Vec::new();
        for n in 0..RACERS {
            let new = NewRoom {
                name: format!("研讨室{n:02}"),
                location: "图书馆".into(),
                capacity: 20,
                equipment: String::new(),
                equipment_needs_approval: false,
                managed_by: None,
            };
            racing_rooms.push(rooms::create_room(&s, &Origin::system(), new).await.unwrap());
        }
        for round in 0..ROUNDS {
            let base = NEXT_MONDAY.plus_hours(8 + 2 * round);
            let handles: Vec<_> = racing_rooms
                .iter()
                .map(|room| {
                    let (s, actor, room) = (s.clone(), o.requester.clone(), *room);
                    tokio::spawn(
                        async move { bookings::request(&s, &actor, room, with(base, 90, &[terminal]), "ip").await },
                    )
                })
                .collect();
            let (mut won, mut refused) = (0, 0);
            for h in handles {
                match h.await.unwrap() {
                    Ok(_) => won += 1,
                    Err(ServiceError::Conflict(m)) if m.contains("视频会议终端") => refused += 1,
                    Err(e) => panic!("{} round {round}: not a clear conflict: {e}", t.backend),
                }
            }
            assert_eq!((won, refused), (1, RACERS - 1), "{} round {round}", t.backend);
        }
        let (bookings_n, holds): (i64, i64) = s
            .db
            .fetch_one("SELECT (SELECT COUNT(*) FROM room_bookings), (SELECT COUNT(*) FROM booking_equipment)", args![])
            .await
            .unwrap();
        assert_eq!((bookings_n, holds), (ROUNDS, ROUNDS), "{}: one booking and one hold per round", t.backend);
    }
}
