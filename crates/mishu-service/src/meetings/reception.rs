//! The reception notice (R5.6, R4.4): when higher leaders or guests from other units attend
//! a booked meeting, the general office is told beforehand — one Handle task per reception
//! staff member (the office head when the organ has none), due at the meeting's start. The
//! first to record the arrangement closes them all and proposes a chronicle candidate; a
//! rejected or cancelled booking takes the notice back.

use super::store::{self, BookingRow};
use crate::audit::{self, Origin};
use crate::db::Tx;
use crate::tasks::{self, NewTask, TaskRow};
use crate::{ServiceError, ServiceResult, Services};
use mishu_domain::access::Actor;
use mishu_domain::audit::AuditEvent;
use mishu_domain::org::{Clearance, Role};
use mishu_domain::tasks::{TaskKind, Urgency};
use mishu_domain::{BookingId, PersonId, Timestamp};
use serde_json::json;

/// Spine domain of a booking's reception notice.
pub const RECEPTION_DOMAIN: &str = "booking_reception";

/// Who arranges reception: the reception staff, or the office head when there are none.
async fn receivers(tx: &mut Tx) -> ServiceResult<Vec<PersonId>> {
    let staff = store::holders_of(tx, Role::Reception.code()).await?;
    Ok(if staff.is_empty() { store::office_heads(tx).await? } else { staff })
}

/// Raises the notice inside the booking's transaction.
pub(super) async fn notify(
    tx: &mut Tx,
    id: BookingId,
    title: &str,
    guests: &str,
    starts_at: Timestamp,
    by: PersonId,
    now: Timestamp,
) -> ServiceResult<()> {
    for person in receivers(tx).await? {
        let t = NewTask {
            domain: RECEPTION_DOMAIN,
            subject_id: id.0,
            title: format!("{guests} · {title}"),
            kind: TaskKind::Handle,
            assignee: person,
            created_by: Some(by),
            classification: Clearance::None,
            urgency: Urgency::Urgent,
            due_at: Some(starts_at),
        };
        tasks::open_task(tx, &t, now).await?;
    }
    Ok(())
}

/// Takes the notice back (the booking was rejected or cancelled): open tasks are withdrawn.
pub(super) async fn withdraw(tx: &mut Tx, id: BookingId, now: Timestamp) -> ServiceResult<()> {
    tasks::cancel_all_subject_tasks(tx, RECEPTION_DOMAIN, id.0, now).await?;
    Ok(())
}

/// Records how reception is arranged (who meets the guests, where, meals…); closes every
/// open notice of the booking. Reception staff and the office head only.
pub async fn record_arrangement(
    s: &Services,
    actor: &Actor,
    id: BookingId,
    arrangement: &str,
    source_ip: &str,
) -> ServiceResult<()> {
    if !actor.is_business_user() || !(actor.has_role(Role::Reception) || actor.has_role(Role::OfficeHead)) {
        return Err(ServiceError::Forbidden);
    }
    let text = arrangement.trim();
    if text.is_empty() || text.chars().count() > 2000 {
        return Err(ServiceError::invalid("arrangement", "required, at most 2000 characters"));
    }
    crate::multiline("arrangement", text)?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    store::get_tx(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    let closed = tasks::close_subject_tasks(&mut tx, RECEPTION_DOMAIN, id.0, None, actor, text, now).await?;
    if closed == 0 {
        return Err(ServiceError::Conflict("no reception notice is open for this booking".into()));
    }
    // A visit by higher leaders or guests is an event of the organ's year (R8.2).
    let origin = Origin::of(actor, source_ip);
    let source = crate::archives::chronicle::CandidateSource::Reception(id);
    let candidate = crate::archives::chronicle::propose_from(&mut tx, &s.audit_key, &origin, source, now).await?;
    let event = AuditEvent::new(
        "booking.reception_arranged",
        super::BOOKING_DOMAIN,
        Some(id.to_string()),
        json!({"arrangement": text, "chronicle_candidate": candidate.map(|c| c.0)}),
    );
    audit::append(&mut tx, &s.audit_key, &origin, now, &event).await?;
    tx.commit().await?;
    Ok(())
}

/// The notice as the booking page shows it: open (to whom) or arranged (by whom, how).
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReceptionNotice {
    pub guests: String,
    pub open_with: Vec<i64>,
    pub arranged: Option<TaskRow>,
}

pub async fn notice(s: &Services, b: &BookingRow) -> ServiceResult<Option<ReceptionNotice>> {
    if b.guests.is_empty() {
        return Ok(None);
    }
    let rows = tasks::tasks_of_subject(s, RECEPTION_DOMAIN, b.booking_id).await?;
    let open_with = rows.iter().filter(|t| t.state == "open").map(|t| t.assignee_id).collect();
    let arranged = rows.into_iter().find(|t| t.state == "done");
    Ok(Some(ReceptionNotice { guests: b.guests.clone(), open_with, arranged }))
}
