//! The bench's meeting rooms and their bookings: a few rooms made through the rooms service
//! (audited as the product does it), and bookings in bulk, 0.2 per received document
//! (performance.md D3), laid on a fixed grid of weekday slots going back in time from a few
//! weeks ahead: the first growth step fills the weeks around now (what the week page shows),
//! later steps add older history. The measured `booking` requests take slots further ahead,
//! past everything generated, so each one is free (`scenarios::Ctx::booking`).

use mishu_domain::Timestamp;
use mishu_service::audit::Origin;
use mishu_service::db::Arg;
use mishu_service::meetings::rooms::{self, NewRoom};
use mishu_service::{Services, args};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Rooms the bench adds to the demo's two; only these carry generated bookings.
const ROOMS: &[(&str, i64)] = &[
    ("压测第一会议室", 30),
    ("压测第二会议室", 20),
    ("压测第三会议室", 12),
    ("压测小会议室", 8),
    ("压测报告厅", 200),
    ("压测接待室", 10),
];
/// Local start times of the day's slots (minutes after midnight, office time) and their length.
const SLOTS: &[i64] = &[9 * 60, 10 * 60 + 30, 14 * 60 + 30, 16 * 60];
const SLOT_MINUTES: i64 = 80;
const DAY: i64 = 86_400_000;
const WEEK: i64 = 7 * DAY;
/// The office's offset from UTC (+08:00), for local slot times.
const OFFSET: i64 = 8 * 3_600_000;

pub struct Rooms {
    /// `(room_id, capacity)` of the bench rooms.
    pub rooms: Vec<(i64, i64)>,
    /// Bookings generated so far (the grid position of the next one).
    pub booked: usize,
    /// Monday 00:00 (office time, as UTC ms) of the week four weeks ahead: the grid's top.
    top: i64,
}

/// Monday 00:00 office time of the week holding `at` (UTC ms).
pub fn monday_of(at: i64) -> i64 {
    let local = at + OFFSET;
    let days = local.div_euclid(DAY);
    // 1970-01-01 was a Thursday: day 0 is weekday 3 counted from Monday.
    let monday = days - (days + 3).rem_euclid(7);
    monday * DAY - OFFSET
}

pub async fn create(s: &Services) -> anyhow::Result<Rooms> {
    let mut ids = Vec::new();
    for (name, capacity) in ROOMS {
        let room = NewRoom {
            name: (*name).into(),
            location: "压测楼".into(),
            capacity: *capacity,
            equipment: String::new(),
            equipment_needs_approval: false,
            managed_by: None,
        };
        ids.push((rooms::create_room(s, &Origin::system(), room).await?.0, *capacity));
    }
    Ok(Rooms { rooms: ids, booked: 0, top: monday_of(s.clock.now().0) + 4 * WEEK })
}

/// Adds `n` approved bookings on the next grid positions, newest first (so SQLite's overlap
/// trigger, which scans a room's earlier bookings, finds few).
pub async fn book(s: &Services, r: &mut Rooms, people: &[i64], n: usize, seed: u64) -> anyhow::Result<()> {
    const KINDS: &[&str] = &["president_office", "party_committee", "study_session", "cadre_meeting", "organ_wide"];
    let mut rng = StdRng::seed_from_u64(seed ^ r.booked as u64);
    let now = s.clock.now().0;
    let per_week = r.rooms.len() * 5 * SLOTS.len();
    let mut rows: Vec<Vec<Arg>> = Vec::with_capacity(n);
    for j in r.booked..r.booked + n {
        // Position j counts backwards: week, then weekday (Fri…Mon), slot (late…early), room.
        let (week, rest) = (j / per_week, j % per_week);
        let (day, rest) = (4 - rest / (r.rooms.len() * SLOTS.len()), rest % (r.rooms.len() * SLOTS.len()));
        let (slot, room) = (SLOTS.len() - 1 - rest / r.rooms.len(), rest % r.rooms.len());
        let start = r.top - week as i64 * WEEK + day as i64 * DAY + SLOTS[slot] * 60_000;
        let (room_id, capacity) = r.rooms[room];
        rows.push(args![
            room_id,
            format!("压测会议{j:06}"),
            KINDS[j % KINDS.len()],
            "压测主持人",
            start,
            start + SLOT_MINUTES * 60_000,
            rng.gen_range(1..=capacity),
            "approved",
            people[rng.gen_range(0..people.len())],
            (start - 10 * DAY).min(now)
        ]);
    }
    let cols = "room_id, title, kind, chair, starts_at, ends_at, attendees, state, requested_by, created_at";
    let mut tx = s.db.begin().await?;
    crate::generate::bulk(&mut tx, "room_bookings", cols, rows, None).await?;
    tx.commit().await?;
    r.booked += n;
    Ok(())
}

/// The first free slot the measured requests may take: the Monday after the grid's top week.
pub fn free_from(r: &Rooms) -> Timestamp {
    Timestamp(r.top + WEEK)
}

/// Dates (`YYYY-MM-DD`) of the weeks the week page is asked for: the eight before now and
/// the four after, all of them holding generated bookings.
pub fn weeks(r: &Rooms) -> Vec<String> {
    (0..12).map(|k| Timestamp(r.top - (k + 1) * WEEK + 2 * DAY + OFFSET).rfc3339()[..10].to_string()).collect()
}
