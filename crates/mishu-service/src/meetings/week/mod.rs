//! The weekly work arrangement (每周工作安排, R5.4): compiled from the week's approved
//! bookings, the meetings held in them and the leaders' activities the office enters; read
//! by day and by leader; published by the office as numbered, frozen versions
//! (`publish`); printed as PDF and XLSX (`print`).

mod activities;
mod print;
mod publish;
mod store;

pub use activities::{NewActivity, add_activity, cancel_activity, update_activity};
pub use print::{pdf, xlsx};
pub use publish::{Published, publish};
pub use store::{ActivityRow, ChangeRow, VersionRow};

use super::{bookings, meeting};
use crate::{ServiceError, ServiceResult, Services, settings};
use chrono::NaiveDate;
use mishu_domain::Timestamp;
use mishu_domain::meetings::arrangement::{Change, Entry, diff, week_bounds};
use mishu_domain::meetings::request_deadline;
use serde::Serialize;
use std::collections::HashMap;

/// Spine domain of the Read task a published version sends (subject: the version).
pub const ARRANGEMENT_DOMAIN: &str = "week_arrangement";
/// Spine domain of the Read task telling one person of a change (subject: the version that published it).
pub const ARRANGEMENT_CHANGE_DOMAIN: &str = "week_arrangement_change";

/// One leader's column of the sheet (the by-leader view).
#[derive(Debug, Clone, Serialize)]
pub struct LeaderColumn {
    pub leader_id: i64,
    pub name: String,
    pub entries: Vec<Entry>,
}

/// A week as the page shows it: the live sheet, or a published version of it.
#[derive(Debug, Clone, Serialize)]
pub struct Week {
    pub monday: NaiveDate,
    /// The Friday cut-off before the week (R5.3): the sheet is due by then.
    pub due_at: i64,
    /// The version shown; `None` for the sheet as it stands now (not yet published as such).
    pub version: Option<VersionRow>,
    pub entries: Vec<Entry>,
    pub by_leader: Vec<LeaderColumn>,
    /// Every published version of the week, newest first.
    pub versions: Vec<VersionRow>,
    /// What the published versions changed, newest first.
    pub changes: Vec<ChangeRow>,
    /// What differs between the latest published version and the sheet now: the next
    /// publication will send these.
    pub pending: Vec<Change>,
}

/// The sheet's week (Monday 00:00) and its due time.
pub async fn due_at(s: &Services, monday: NaiveDate) -> ServiceResult<Timestamp> {
    let rules = settings::room_rules(&s.db).await?;
    Ok(request_deadline(&rules, week_bounds(monday).0))
}

/// The week's entries as they stand now, in time order.
pub async fn compile(s: &Services, monday: NaiveDate) -> ServiceResult<Vec<Entry>> {
    let (from, to) = week_bounds(monday);
    let leaders = store::leaders(&s.db).await?;
    let meetings = meeting::between(s, from, to).await?;
    let mut attendees: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
    for (m, p, name) in store::attendees_between(&s.db, from, to).await? {
        attendees.entry(m).or_default().push((p, name));
    }
    let finish = |mut e: Entry| {
        e.people.sort_unstable();
        e.people.dedup();
        let on: Vec<&(i64, String)> = leaders.iter().filter(|(id, _)| e.people.contains(id)).collect();
        e.leaders = on.iter().map(|(id, _)| *id).collect();
        e.leader_names = on.iter().map(|(_, n)| n.clone()).collect();
        e
    };
    let mut out = Vec::new();
    for b in bookings::between(s, from, to).await?.into_iter().filter(|b| b.state == "approved") {
        let m = meetings.iter().find(|m| m.booking_id == Some(b.booking_id));
        let mut people = vec![b.requested_by];
        let mut names = Vec::new();
        if let Some(m) = m {
            people.extend([m.organiser_id, m.chair_id]);
            for (p, n) in attendees.get(&m.meeting_id).into_iter().flatten() {
                people.push(*p);
                names.push(n.as_str());
            }
        }
        out.push(finish(Entry {
            key: format!("b{}", b.booking_id),
            source: "booking".into(),
            source_id: b.booking_id,
            meeting_id: m.map(|m| m.meeting_id),
            starts_at: b.starts_at,
            ends_at: b.ends_at,
            title: b.title.clone(),
            place: place_of(&b),
            chair: m.map_or_else(|| b.chair.clone(), |m| m.chair_name.clone()),
            attendee_names: names.join("、"),
            people,
            leaders: vec![],
            leader_names: vec![],
        }));
    }
    // A meeting held outside the booked rooms still belongs on the sheet.
    for m in meetings.iter().filter(|m| m.booking_id.is_none()) {
        let list = attendees.get(&m.meeting_id).cloned().unwrap_or_default();
        let mut people: Vec<i64> = list.iter().map(|(p, _)| *p).collect();
        people.extend([m.organiser_id, m.chair_id]);
        out.push(finish(Entry {
            key: format!("m{}", m.meeting_id),
            source: "meeting".into(),
            source_id: m.meeting_id,
            meeting_id: Some(m.meeting_id),
            starts_at: m.starts_at,
            ends_at: m.ends_at,
            title: m.title.clone(),
            place: m.location.clone(),
            chair: m.chair_name.clone(),
            attendee_names: list.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join("、"),
            people,
            leaders: vec![],
            leader_names: vec![],
        }));
    }
    for a in store::activities_between(&s.db, from, to).await? {
        out.push(finish(Entry {
            key: format!("a{}", a.activity_id),
            source: "activity".into(),
            source_id: a.activity_id,
            meeting_id: None,
            starts_at: a.starts_at,
            ends_at: a.ends_at,
            title: a.what,
            place: a.place,
            chair: String::new(),
            attendee_names: a.leader_name,
            people: vec![a.leader_id],
            leaders: vec![],
            leader_names: vec![],
        }));
    }
    out.sort_by(|a, b| (a.starts_at, &a.key).cmp(&(b.starts_at, &b.key)));
    Ok(out)
}

/// The entries of each leader, in the organ's order of leaders; leaders with nothing that
/// week are left out.
pub fn by_leader(entries: &[Entry]) -> Vec<LeaderColumn> {
    let mut cols: Vec<LeaderColumn> = Vec::new();
    for e in entries {
        for (id, name) in e.leaders.iter().zip(&e.leader_names) {
            match cols.iter_mut().find(|c| c.leader_id == *id) {
                Some(c) => c.entries.push(e.clone()),
                None => cols.push(LeaderColumn { leader_id: *id, name: name.clone(), entries: vec![e.clone()] }),
            }
        }
    }
    cols
}

/// The week as it stands (`version: None`) or one of its published versions, with the list
/// of versions, the published changes and what is not yet published. Anyone at work may
/// read it: it is the organ's own timetable.
pub async fn week(s: &Services, monday: NaiveDate, version: Option<i64>) -> ServiceResult<Week> {
    let start = week_bounds(monday).0;
    let versions = store::versions(&s.db, start).await?;
    let live = compile(s, monday).await?;
    let pending = match versions.first() {
        Some(v) => diff(&store::entries(&s.db, v.version_id).await?, &live),
        None => vec![],
    };
    let (version, entries) = match version {
        Some(id) => {
            let v = versions.iter().find(|v| v.version_id == id).cloned().ok_or(ServiceError::NotFound)?;
            let entries = store::entries(&s.db, id).await?;
            (Some(v), entries)
        }
        None => (None, live),
    };
    Ok(Week {
        monday,
        due_at: due_at(s, monday).await?.0,
        version,
        by_leader: by_leader(&entries),
        entries,
        changes: store::changes(&s.db, start).await?,
        versions,
        pending,
    })
}

/// A published version by its id (a Read task's subject), with the Monday of its week.
pub async fn version(s: &Services, id: i64) -> ServiceResult<(VersionRow, NaiveDate)> {
    let v = store::version(&s.db, id).await?.ok_or(ServiceError::NotFound)?;
    let monday = Timestamp(v.week_start).local_date();
    Ok((v, monday))
}

/// The leaders' activities entered for a week, for the office's list.
pub async fn activities(s: &Services, monday: NaiveDate) -> ServiceResult<Vec<ActivityRow>> {
    let (from, to) = week_bounds(monday);
    Ok(store::activities_between(&s.db, from, to).await?)
}

/// The organ's leaders (id, name), for the activity form.
pub async fn leaders(s: &Services) -> ServiceResult<Vec<(i64, String)>> {
    Ok(store::leaders(&s.db).await?)
}

/// A booking's place on the sheet: the room, and the equipment it holds so the items are
/// set up there (issue 5), e.g. `第二会议室（音响、投影仪）`.
fn place_of(b: &super::BookingRow) -> String {
    if b.items.is_empty() {
        return b.room_name.clone();
    }
    let items: Vec<&str> = b.items.iter().map(|i| i.name.as_str()).collect();
    format!("{}（{}）", b.room_name, items.join("、"))
}
