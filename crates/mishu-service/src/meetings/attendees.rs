//! Changing the attendees after the notice went out: whoever runs the meeting adds a person
//! (the notice reaches them personally, as an Attend task like the others') or takes one
//! off (their open notice is withdrawn and they are told they no longer attend). The list
//! closes with the minutes; whoever was checked in stays on it. The audit keeps the trail,
//! including a removed person's answer. Search follows a meeting's people, so each change is
//! marked for the index in the same transaction.

use super::MEETING_DOMAIN;
use super::logistics_store::person_active;
use super::meeting::runs;
use super::meeting_store as store;
use crate::audit::{self, Origin};
use crate::{ServiceError, ServiceResult, Services, search, tasks};
use mishu_domain::access::Actor;
use mishu_domain::audit::AuditEvent;
use mishu_domain::meetings::{AttendeeChange, AttendeeFacts, attendee_change};
use mishu_domain::{MeetingId, PersonId, Timestamp};
use serde_json::json;

/// Notification kind telling a person they were taken off a meeting's list.
pub const REMOVED_NOTICE: &str = "meeting_removed";

pub async fn add_attendee(
    s: &Services,
    actor: &Actor,
    id: MeetingId,
    person: PersonId,
    source_ip: &str,
) -> ServiceResult<()> {
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let m = store::get_tx(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    if !runs(actor, &m) {
        return Err(ServiceError::Forbidden);
    }
    if !person_active(&mut tx, person).await? {
        return Err(ServiceError::invalid("person_id", "unknown person"));
    }
    let on_list = store::is_attendee(&mut tx, id, person).await?;
    let facts = AttendeeFacts { minutes_recorded: m.minutes.is_some(), on_list, checked_in: false };
    attendee_change(AttendeeChange::Add, facts)?;
    store::add_attendee(&mut tx, id, person).await?;
    tasks::open_task(&mut tx, &super::meeting::notice_task(id, &m.title, m.starts_at, person, actor), now).await?;
    let ev =
        AuditEvent::new("meeting.attendee_added", MEETING_DOMAIN, Some(id.to_string()), json!({"person_id": person.0}));
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &ev).await?;
    search::touch(&mut tx, search::Domain::Meeting, id.0, now).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove_attendee(
    s: &Services,
    actor: &Actor,
    id: MeetingId,
    person: PersonId,
    source_ip: &str,
) -> ServiceResult<()> {
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let m = store::get_tx(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    if !runs(actor, &m) {
        return Err(ServiceError::Forbidden);
    }
    let row = store::attendee_tx(&mut tx, id, person).await?;
    let facts = AttendeeFacts {
        minutes_recorded: m.minutes.is_some(),
        on_list: row.is_some(),
        checked_in: row.as_ref().is_some_and(|r| r.checked_in_at.is_some()),
    };
    attendee_change(AttendeeChange::Remove, facts)?;
    store::remove_attendee(&mut tx, id, person).await?;
    tasks::cancel_subject_tasks(&mut tx, MEETING_DOMAIN, id.0, person, now).await?;
    let when = Timestamp(m.starts_at).to_datetime().with_timezone(&mishu_domain::time::office_offset());
    let message = format!("{}（{}，{}）", m.title, when.format("%Y-%m-%d %H:%M"), m.location);
    tasks::notify(&mut tx, person, REMOVED_NOTICE, &message, now).await?;
    let detail = json!({"person_id": person.0, "was": row});
    let ev = AuditEvent::new("meeting.attendee_removed", MEETING_DOMAIN, Some(id.to_string()), detail);
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &ev).await?;
    search::touch(&mut tx, search::Domain::Meeting, id.0, now).await?;
    tx.commit().await?;
    Ok(())
}
