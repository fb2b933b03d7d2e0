//! The weekly work arrangement (每周工作安排, R5.4) as pure rules: the week an instant falls
//! in, one entry of the sheet, and what changed between two published versions of a week —
//! and so exactly who must be told.

use crate::Timestamp;
use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// The Monday of the week `day` falls in.
pub fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// [Monday 00:00, next Monday 00:00) in office time.
pub fn week_bounds(monday: NaiveDate) -> (Timestamp, Timestamp) {
    let start = Timestamp::end_of_local_day(monday - Duration::days(1)).0 + 1;
    (Timestamp(start), Timestamp(start + 7 * 86_400_000))
}

/// One line of the sheet: an approved booking (with the meeting held in it, if announced),
/// a meeting without a booking, or a leader's activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// `b<booking>`, `m<meeting>` or `a<activity>`: the same entry across versions.
    pub key: String,
    /// `booking`, `meeting` or `activity`.
    pub source: String,
    pub source_id: i64,
    pub meeting_id: Option<i64>,
    pub starts_at: i64,
    pub ends_at: i64,
    pub title: String,
    pub place: String,
    pub chair: String,
    /// The attendees as printed ("张三、李四"); the leader for an activity.
    pub attendee_names: String,
    /// Everyone the entry concerns (attendees, chair, organiser, the leader): they are told.
    pub people: Vec<i64>,
    /// The leaders among them, in the organ's order, with their names (the by-leader view).
    pub leaders: Vec<i64>,
    pub leader_names: Vec<String>,
}

impl Entry {
    /// The entry as one printed line: "12-01 09:00–11:00 院长办公会 · 第二会议室（院长）".
    pub fn line(&self) -> String {
        let (from, to) = (Timestamp(self.starts_at).local_display(), Timestamp(self.ends_at).local_display());
        let chair = if self.chair.is_empty() { String::new() } else { format!("（{}）", self.chair) };
        format!("{} {}–{} {} · {}{chair}", &from[5..10], &from[11..], &to[11..], self.title, self.place)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Changed,
    Cancelled,
}

impl ChangeKind {
    pub fn code(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Changed => "changed",
            ChangeKind::Cancelled => "cancelled",
        }
    }
}

/// One difference between two versions, as told to the people it touches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub key: String,
    pub kind: ChangeKind,
    /// The entry before (empty when added) and after (empty when cancelled).
    pub before: String,
    pub after: String,
    /// Who is told, ascending.
    pub people: Vec<i64>,
}

fn sorted(mut v: Vec<i64>) -> Vec<i64> {
    v.sort_unstable();
    v.dedup();
    v
}

/// What changed from `before` to `after` (both one week's entries), in the order of the new
/// sheet, cancellations last. A moved, renamed or re-placed entry touches everyone on it
/// before and after; a change of attendees alone touches only those added or dropped — the
/// others' day did not change.
pub fn diff(before: &[Entry], after: &[Entry]) -> Vec<Change> {
    let mut out = Vec::new();
    for a in after {
        match before.iter().find(|b| b.key == a.key) {
            None => out.push(Change {
                key: a.key.clone(),
                kind: ChangeKind::Added,
                before: String::new(),
                after: a.line(),
                people: sorted(a.people.clone()),
            }),
            Some(b) if b.line() != a.line() => out.push(Change {
                key: a.key.clone(),
                kind: ChangeKind::Changed,
                before: b.line(),
                after: a.line(),
                people: sorted(b.people.iter().chain(&a.people).copied().collect()),
            }),
            Some(b) => {
                let (was, now) = (sorted(b.people.clone()), sorted(a.people.clone()));
                if was != now {
                    let moved = was.iter().filter(|p| !now.contains(p)).chain(now.iter().filter(|p| !was.contains(p)));
                    out.push(Change {
                        key: a.key.clone(),
                        kind: ChangeKind::Changed,
                        before: format!("{} · {}", b.line(), b.attendee_names),
                        after: format!("{} · {}", a.line(), a.attendee_names),
                        people: sorted(moved.copied().collect()),
                    });
                }
            }
        }
    }
    for b in before.iter().filter(|b| !after.iter().any(|a| a.key == b.key)) {
        out.push(Change {
            key: b.key.clone(),
            kind: ChangeKind::Cancelled,
            before: b.line(),
            after: String::new(),
            people: sorted(b.people.clone()),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Monday 2026-11-30 09:00 +08:00.
    const NINE: i64 = 1_796_000_400_000;

    fn entry(key: &str, start: i64, place: &str, people: &[i64]) -> Entry {
        Entry {
            key: key.into(),
            source: "booking".into(),
            source_id: 1,
            meeting_id: None,
            starts_at: start,
            ends_at: start + 3_600_000,
            title: "院长办公会".into(),
            place: place.into(),
            chair: "院长".into(),
            attendee_names: people.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("、"),
            people: people.to_vec(),
            leaders: vec![],
            leader_names: vec![],
        }
    }

    #[test]
    fn the_week_runs_from_monday_midnight_office_time() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let monday = monday_of(d);
        assert_eq!(monday, NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
        let (from, to) = week_bounds(monday);
        assert_eq!(from.local_display(), "2026-11-30 00:00");
        assert_eq!(to.0 - from.0, 7 * 86_400_000);
        assert_eq!(entry("b1", NINE, "第二会议室", &[]).line(), "11-30 09:00–10:00 院长办公会 · 第二会议室（院长）");
    }

    #[test]
    fn a_move_touches_everyone_an_attendee_change_only_those_added_or_dropped() {
        let before = [
            entry("b1", NINE, "第二会议室", &[1, 2]),
            entry("b2", NINE, "第一会议室", &[3, 4]),
            entry("a1", NINE, "", &[5]),
        ];
        let after = [
            entry("b1", NINE + 3_600_000, "第二会议室", &[2, 6]),
            entry("b2", NINE, "第一会议室", &[3, 7]),
            entry("m9", NINE, "", &[8]),
        ];
        let d = diff(&before, &after);
        let got: Vec<(&str, ChangeKind, Vec<i64>)> =
            d.iter().map(|c| (c.key.as_str(), c.kind, c.people.clone())).collect();
        assert_eq!(
            got,
            [
                ("b1", ChangeKind::Changed, vec![1, 2, 6]),
                ("b2", ChangeKind::Changed, vec![4, 7]),
                ("m9", ChangeKind::Added, vec![8]),
                ("a1", ChangeKind::Cancelled, vec![5]),
            ]
        );
        assert_eq!(d[0].before, "11-30 09:00–10:00 院长办公会 · 第二会议室（院长）");
        assert_eq!(d[0].after, "11-30 10:00–11:00 院长办公会 · 第二会议室（院长）");
        assert!(diff(&after, &after).is_empty());
    }
}
