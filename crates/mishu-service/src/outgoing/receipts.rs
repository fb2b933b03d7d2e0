//! Receipts (签收, R1.8 发出文电询收到): an internal recipient signs for their copy, which
//! closes their spine task; the secretary records an external organ's confirmation (who
//! confirmed, by what channel). Nothing is confirmed twice.

use super::{DOMAIN, get, spine, store};
use crate::audit::{self, Origin};
use crate::search::{self, Domain};
use crate::{ServiceError, ServiceResult, Services};
use mishu_domain::access::Actor;
use mishu_domain::audit::AuditEvent;
use mishu_domain::org::Role;
use mishu_domain::outgoing::OutgoingError;
use mishu_domain::tasks::acts_as_owner;
use mishu_domain::{OutgoingId, PersonId};
use serde_json::json;

async fn pending(
    s: &Services,
    tx: &mut crate::db::Tx,
    id: OutgoingId,
    receipt: i64,
) -> ServiceResult<store::ReceiptRow> {
    let _ = s;
    let r = store::receipt_tx(tx, receipt).await?.filter(|r| r.outgoing_id == id.0).ok_or(ServiceError::NotFound)?;
    if r.state != "pending" {
        return Err(ServiceError::invalid("receipt", "already confirmed or cancelled"));
    }
    Ok(r)
}

/// The recipient (or their delegate) signs for their copy.
pub async fn confirm_receipt(
    s: &Services,
    actor: &Actor,
    id: OutgoingId,
    receipt: i64,
    source_ip: &str,
) -> ServiceResult<()> {
    let v = get(s, actor, id, source_ip).await?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let r = pending(s, &mut tx, id, receipt).await?;
    let Some(person) = r.person_id.map(PersonId) else {
        return Err(ServiceError::invalid("receipt", "an external organ's receipt is recorded by the office"));
    };
    if !acts_as_owner(actor, person) {
        return Err(OutgoingError::NotHolder.into());
    }
    store::confirm_receipt(&mut tx, receipt, actor.person_id, &actor.name, "system", "", now).await?;
    spine::close(&mut tx, &v.doc, person, actor, "received", now).await?;
    let detail = json!({ "receipt": receipt, "recipient": r.recipient_name });
    let event = AuditEvent::new("outgoing.received", DOMAIN, Some(id.to_string()), detail);
    search::touch(&mut tx, Domain::Outgoing, id.0, now).await?;
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &event).await?;
    tx.commit().await?;
    Ok(())
}

/// The office records that an external organ confirmed receipt: who, how (phone, 机要交通…).
#[allow(clippy::too_many_arguments)]
pub async fn record_external_receipt(
    s: &Services,
    actor: &Actor,
    id: OutgoingId,
    receipt: i64,
    confirmer: &str,
    channel: &str,
    note: &str,
    source_ip: &str,
) -> ServiceResult<()> {
    if !(actor.has_role(Role::Secretary) || actor.has_role(Role::OfficeHead)) {
        return Err(OutgoingError::NotOffice.into());
    }
    get(s, actor, id, source_ip).await?;
    let confirmer = confirmer.trim();
    if confirmer.is_empty() || confirmer.chars().count() > 100 {
        return Err(ServiceError::invalid("confirmer", "required, at most 100 characters"));
    }
    let channel = channel.trim();
    if channel.is_empty() || channel.chars().count() > 50 {
        return Err(ServiceError::invalid("channel", "required, at most 50 characters"));
    }
    for (field, text) in [("confirmer", confirmer), ("channel", channel), ("note", note)] {
        crate::multiline(field, text)?;
    }
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let r = pending(s, &mut tx, id, receipt).await?;
    if r.person_id.is_some() {
        return Err(ServiceError::invalid("receipt", "an internal recipient signs for it themselves"));
    }
    store::confirm_receipt(&mut tx, receipt, actor.person_id, confirmer, channel, note.trim(), now).await?;
    let detail =
        json!({ "receipt": receipt, "recipient": r.recipient_name, "confirmer": confirmer, "channel": channel });
    let event = AuditEvent::new("outgoing.receipt_recorded", DOMAIN, Some(id.to_string()), detail);
    search::touch(&mut tx, Domain::Outgoing, id.0, now).await?;
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &event).await?;
    tx.commit().await?;
    Ok(())
}
