//! Attachments (附件) and the 附注 of a draft: the drafter adds, removes and words them while
//! the draft is with them; they are signed off with the text and printed after it.

use super::{DOMAIN, classification, drafting::editable, store};
use crate::audit::{self, Origin};
use crate::search::{self, Domain};
use crate::{ServiceError, ServiceResult, Services};
use mishu_domain::OutgoingId;
use mishu_domain::access::Actor;
use mishu_domain::audit::AuditEvent;
use mishu_domain::outgoing::{AttachmentText, annotation, room_for_attachment};
use serde_json::json;

/// Adds an attachment after the others; answers its id.
pub async fn add_attachment(
    s: &Services,
    actor: &Actor,
    id: OutgoingId,
    title: &str,
    body: &str,
    source_ip: &str,
) -> ServiceResult<i64> {
    let v = editable(s, actor, id, source_ip).await?;
    let a = AttachmentText::validate(title, body)?;
    room_for_attachment(v.attachments.len())?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let (attachment, count) = store::insert_attachment(&mut tx, id, &a.title, &a.body, actor.person_id, now).await?;
    // A second request racing this one may have filled the last place: count again inside.
    room_for_attachment(count as usize - 1)?;
    let detail = json!({ "attachment": attachment, "title": a.title, "chars": a.body.chars().count() });
    let event = AuditEvent::new("outgoing.attachment_added", DOMAIN, Some(id.to_string()), detail)
        .at_level(classification(&v.doc));
    search::touch(&mut tx, Domain::Outgoing, id.0, now).await?;
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &event).await?;
    tx.commit().await?;
    Ok(attachment)
}

pub async fn remove_attachment(
    s: &Services,
    actor: &Actor,
    id: OutgoingId,
    attachment: i64,
    source_ip: &str,
) -> ServiceResult<()> {
    let v = editable(s, actor, id, source_ip).await?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let Some(title) = store::delete_attachment(&mut tx, id, attachment, now).await? else {
        return Err(ServiceError::NotFound);
    };
    let detail = json!({ "attachment": attachment, "title": title });
    let event = AuditEvent::new("outgoing.attachment_removed", DOMAIN, Some(id.to_string()), detail)
        .at_level(classification(&v.doc));
    search::touch(&mut tx, Domain::Outgoing, id.0, now).await?;
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &event).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets the 附注 (empty removes it); typed parentheses are dropped, the renderer adds them.
pub async fn set_annotation(
    s: &Services,
    actor: &Actor,
    id: OutgoingId,
    text: &str,
    source_ip: &str,
) -> ServiceResult<()> {
    let v = editable(s, actor, id, source_ip).await?;
    let text = annotation(text)?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    store::set_annotation(&mut tx, id, &text, now).await?;
    let event = AuditEvent::new("outgoing.annotation_set", DOMAIN, Some(id.to_string()), json!({ "annotation": text }))
        .at_level(classification(&v.doc));
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &event).await?;
    tx.commit().await?;
    Ok(())
}
