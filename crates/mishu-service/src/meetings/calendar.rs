//! A person's calendar (我的日程): the meetings they chair, organise or are invited to and
//! the rooms they booked, for the week and day pages, one meeting's `.ics`, and the private
//! feed a calendar app subscribes to without a session. Every entry passes `may_read` for
//! the person it is shown to, so a feed never carries a title they could not read.

use super::calendar_store::{self as store, BookingEntry, MeetingEntry};
use super::{bookings, meeting};
use crate::audit::{self, Origin};
use crate::auth::{digest_token, new_secret};
use crate::{ServiceError, ServiceResult, Services, org};
use mishu_domain::access::{Actor, Subject, may_read};
use mishu_domain::audit::AuditEvent;
use mishu_domain::ics::{Event, Status};
use mishu_domain::org::Clearance;
use mishu_domain::{MeetingId, PersonId, Timestamp};
use serde::Serialize;
use serde_json::json;

/// How far the feed reaches: a month back (for minutes and claims), half a year ahead.
pub const FEED_DAYS_BACK: i64 = 30;
pub const FEED_DAYS_AHEAD: i64 = 180;
const DAY_MS: i64 = 86_400_000;

#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// `meeting` or `booking`.
    pub kind: &'static str,
    pub id: i64,
    pub title: String,
    pub place: String,
    pub detail: String,
    pub starts_at: i64,
    pub ends_at: i64,
    /// `confirmed`, `tentative` (a booking waiting for approval) or `cancelled`.
    pub state: &'static str,
    /// The person's part: `chair`, `organiser`, `attendee` or `requester`.
    pub role: &'static str,
    /// Their own answer to the notice, as an attendee.
    pub rsvp: Option<String>,
    pub checked_in: bool,
    pub sequence: i64,
}

impl Entry {
    pub fn link(&self) -> String {
        match self.kind {
            "meeting" => format!("/meetings/{}", self.id),
            _ => format!("/rooms/bookings/{}", self.id),
        }
    }

    /// The same for the meeting's whole life, on every node.
    pub fn uid(&self) -> String {
        format!("{}-{}@mishu", self.kind, self.id)
    }

    pub fn event(&self, stamp: Timestamp) -> Event {
        Event {
            uid: self.uid(),
            sequence: self.sequence,
            stamp,
            start: Timestamp(self.starts_at),
            end: Timestamp(self.ends_at),
            summary: self.title.clone(),
            location: self.place.clone(),
            description: self.detail.clone(),
            status: match self.state {
                "cancelled" => Status::Cancelled,
                "tentative" => Status::Tentative,
                _ => Status::Confirmed,
            },
        }
    }
}

fn state_of(booking_state: &str) -> &'static str {
    match booking_state {
        "cancelled" | "rejected" => "cancelled",
        "requested" => "tentative",
        _ => "confirmed",
    }
}

/// Meetings carry no classification yet; their route is who is at them.
fn meeting_subject(m: &MeetingEntry, me: PersonId) -> Subject {
    let mut route = vec![PersonId(m.organiser_id), PersonId(m.chair_id)];
    if m.rsvp.is_some() {
        route.push(me);
    }
    Subject { classification: Clearance::None, department_id: None, route }
}

fn of_meeting(m: MeetingEntry, me: PersonId) -> Entry {
    let role = if m.chair_id == me.0 {
        "chair"
    } else if m.organiser_id == me.0 && m.rsvp.is_none() {
        "organiser"
    } else {
        "attendee"
    };
    Entry {
        kind: "meeting",
        id: m.meeting_id,
        state: state_of(&m.state),
        role,
        checked_in: m.checked_in_at.is_some(),
        title: m.title,
        place: m.location,
        detail: m.content,
        starts_at: m.starts_at,
        ends_at: m.ends_at,
        rsvp: m.rsvp,
        sequence: m.sequence,
    }
}

fn of_booking(b: BookingEntry) -> Entry {
    Entry {
        kind: "booking",
        id: b.booking_id,
        state: state_of(&b.state),
        role: "requester",
        checked_in: false,
        title: b.title,
        place: b.room_name,
        detail: b.content,
        starts_at: b.starts_at,
        ends_at: b.ends_at,
        rsvp: None,
        sequence: b.version,
    }
}

/// What `reader` may see of `person`'s calendar in [from, to), in time order. A booking
/// that holds one of the person's meetings shows as that meeting only.
async fn entries(
    s: &Services,
    reader: &Actor,
    person: PersonId,
    from: Timestamp,
    to: Timestamp,
) -> ServiceResult<Vec<Entry>> {
    if !reader.is_business_user() {
        return Err(ServiceError::Forbidden);
    }
    let meetings = store::meetings_of(&s.db, person, from, to).await?;
    let held: Vec<i64> = meetings.iter().filter_map(|m| m.booking_id).collect();
    let mut out: Vec<Entry> = Vec::new();
    for m in meetings {
        if may_read(reader, &meeting_subject(&m, person)) {
            out.push(of_meeting(m, person));
        }
    }
    let own = Subject { classification: Clearance::None, department_id: None, route: vec![person] };
    for b in store::bookings_of(&s.db, person, from, to).await? {
        if !held.contains(&b.booking_id) && may_read(reader, &own) {
            out.push(of_booking(b));
        }
    }
    out.sort_by_key(|e| (e.starts_at, e.ends_at, e.id));
    Ok(out)
}

/// The signed-in person's own calendar (the principal's, when acting for someone).
pub async fn agenda(s: &Services, actor: &Actor, from: Timestamp, to: Timestamp) -> ServiceResult<Vec<Entry>> {
    if to.0 <= from.0 || to.0 - from.0 > 62 * DAY_MS {
        return Err(ServiceError::invalid("day", "a range of at most two months"));
    }
    entries(s, actor, actor.acting_for.unwrap_or(actor.person_id), from, to).await
}

/// One meeting as a calendar event, for anyone who may open its page.
pub async fn meeting_event(s: &Services, actor: &Actor, id: MeetingId) -> ServiceResult<Event> {
    let v = meeting::get(s, actor, id).await?;
    let m = v.meeting;
    let (state, sequence) = match m.booking_id {
        Some(b) => {
            let b = bookings::get(s, mishu_domain::BookingId(b)).await?;
            (state_of(&b.state), b.version)
        }
        None => ("confirmed", 0),
    };
    let e = Entry {
        kind: "meeting",
        id: m.meeting_id,
        title: m.title,
        place: m.location,
        detail: m.content,
        starts_at: m.starts_at,
        ends_at: m.ends_at,
        state,
        role: "attendee",
        rsvp: None,
        checked_in: false,
        sequence,
    };
    Ok(e.event(s.clock.now()))
}

/// Makes (or replaces) the person's private feed address; the token is returned once and
/// only its digest is kept, so an earlier address stops working at once.
pub async fn rotate_feed(s: &Services, actor: &Actor, source_ip: &str) -> ServiceResult<String> {
    if !actor.is_business_user() {
        return Err(ServiceError::Forbidden);
    }
    let now = s.clock.now();
    let (token, hash) = new_secret();
    let mut tx = s.db.begin().await?;
    let rotated = store::put_feed(&mut tx, actor.person_id, &hash, now).await?;
    let action = if rotated { "calendar_feed.rotated" } else { "calendar_feed.created" };
    let ev = AuditEvent::new(action, "calendar_feed", Some(actor.person_id.to_string()), json!({}));
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &ev).await?;
    tx.commit().await?;
    Ok(token)
}

/// When the person's live feed address was made, if they have one.
pub async fn feed_made(s: &Services, actor: &Actor) -> ServiceResult<Option<Timestamp>> {
    Ok(store::feed_made(&s.db, actor.person_id).await?.map(Timestamp))
}

/// The feed behind a token: the owner's name and their events from a month back to half a
/// year ahead, read as the owner (their clearance, their need to know). `None` for a token
/// that is unknown, rotated away, or whose owner left or is an administrator.
pub async fn feed(s: &Services, token: &str) -> ServiceResult<Option<(String, Vec<Event>)>> {
    let token = token.trim();
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let Some(person) = store::feed_owner(&s.db, &digest_token(token)).await? else { return Ok(None) };
    let owner = org::load_actor(s, person, None).await?;
    if !owner.is_business_user() {
        return Ok(None);
    }
    let now = s.clock.now();
    let (from, to) = (Timestamp(now.0 - FEED_DAYS_BACK * DAY_MS), Timestamp(now.0 + FEED_DAYS_AHEAD * DAY_MS));
    let events = entries(s, &owner, person, from, to).await?.iter().map(|e| e.event(now)).collect();
    Ok(Some((owner.name, events)))
}
