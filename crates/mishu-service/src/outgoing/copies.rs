//! The copy register (份号登记) of a classified outgoing document: the office prints it one
//! numbered copy at a time (each PDF carries its own 份号), hands copies to holders, takes
//! them back and destroys them; every step is in the register and the audit log.

use super::{DOMAIN, OutgoingView, classification, get, render, store};
use crate::audit::{self, Origin};
use crate::{ServiceError, ServiceResult, Services, org};
use mishu_domain::OutgoingId;
use mishu_domain::access::Actor;
use mishu_domain::audit::AuditEvent;
use mishu_domain::org::{Clearance, Role};
use mishu_domain::outgoing::{CopyAction, CopyState, OutgoingError, copy_label, decide_copy};
use serde::Serialize;
use serde_json::json;

/// One line of the register: every copy from 1 to the document's copies, printed or not.
#[derive(Debug, Clone, Serialize)]
pub struct CopyLine {
    pub copy_no: i64,
    /// 份号 as printed.
    pub label: String,
    pub state: &'static str,
    pub row: Option<store::CopyRow>,
}

fn office(actor: &Actor) -> ServiceResult<()> {
    if actor.has_role(Role::Secretary) || actor.has_role(Role::OfficeHead) {
        Ok(())
    } else {
        Err(OutgoingError::NotOffice.into())
    }
}

fn classified(v: &OutgoingView) -> bool {
    classification(&v.doc) > Clearance::None
}

/// The register is kept from registration on: a document without its number is not printed.
fn numbered(v: &OutgoingView) -> ServiceResult<()> {
    if v.doc.doc_number.is_none() {
        return Err(render::RenderFailure::NotNumbered.into());
    }
    Ok(())
}

fn state_of(row: Option<&store::CopyRow>) -> CopyState {
    row.map_or(CopyState::Unprinted, |r| CopyState::parse(&r.state).unwrap_or(CopyState::Destroyed))
}

/// The register of a classified document for the office (empty for an unclassified one),
/// with the document it belongs to.
pub async fn register(
    s: &Services,
    actor: &Actor,
    id: OutgoingId,
    source_ip: &str,
) -> ServiceResult<(OutgoingView, Vec<CopyLine>)> {
    office(actor)?;
    let v = get(s, actor, id, source_ip).await?;
    if !classified(&v) {
        return Ok((v, vec![]));
    }
    let rows = store::copies(&s.db, id).await?;
    let lines = (1..=v.doc.copies)
        .map(|n| {
            let row = rows.iter().find(|r| r.copy_no == n).cloned();
            CopyLine { copy_no: n, label: copy_label(n), state: state_of(row.as_ref()).code(), row }
        })
        .collect();
    Ok((v, lines))
}

/// Prints copy `n`: the PDF with its 份号, recorded in the register. A reprint of a copy the
/// office still holds needs a reason. The PDF is rendered first so that a failed render
/// records nothing.
pub async fn print_copy(
    s: &Services,
    actor: &Actor,
    id: OutgoingId,
    n: i64,
    reprint_reason: Option<&str>,
    source_ip: &str,
) -> ServiceResult<(String, Vec<u8>)> {
    office(actor)?;
    let v = get(s, actor, id, source_ip).await?;
    numbered(&v)?;
    let action = CopyAction::Print { reprint_reason: reprint_reason.map(|r| r.trim().to_string()) };
    let before = store::copies(&s.db, id).await?;
    decide_copy(classified(&v), v.doc.copies, n, state_of(before.iter().find(|r| r.copy_no == n)), &action)?;
    let organ = org::organ(s).await?.map_or_else(String::new, |o| o.name);
    let doc = render::official_document(&v, &organ, s.clock.now().local_date(), Some(n));
    let pdf = crate::forms::off_runtime(s, move |r| r.render(&doc)).await?;
    let reason = reprint_reason.map(str::trim).filter(|r| !r.is_empty());
    apply(s, actor, &v, n, &action, Some(reason.unwrap_or("")), source_ip).await?;
    let name = format!("{}-{}", v.doc.doc_number.clone().unwrap_or_default(), copy_label(n));
    Ok((name, pdf))
}

/// Issues, returns or destroys copy `n`.
pub async fn record_copy(
    s: &Services,
    actor: &Actor,
    id: OutgoingId,
    n: i64,
    action: CopyAction,
    source_ip: &str,
) -> ServiceResult<()> {
    office(actor)?;
    if matches!(action, CopyAction::Print { .. }) {
        return Err(ServiceError::invalid("action", "print a copy through its PDF"));
    }
    let v = get(s, actor, id, source_ip).await?;
    numbered(&v)?;
    let note = match &action {
        CopyAction::Destroy { reason } => Some(reason.trim()),
        _ => None,
    };
    apply(s, actor, &v, n, &action, note, source_ip).await
}

/// Decides again inside the transaction (another office may have moved the copy since the
/// page was read) and writes the register row and its audit record together.
async fn apply(
    s: &Services,
    actor: &Actor,
    v: &OutgoingView,
    n: i64,
    action: &CopyAction,
    note: Option<&str>,
    source_ip: &str,
) -> ServiceResult<()> {
    let id = OutgoingId(v.doc.outgoing_id);
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    store::lock_document(&mut tx, id, now).await?;
    let row = store::copy_state(&mut tx, id, n).await?;
    let from = state_of(row.as_ref());
    let to = decide_copy(classified(v), v.doc.copies, n, from, action)?;
    let (printed, holder) = match action {
        CopyAction::Print { .. } => (true, None),
        CopyAction::Issue { holder } => (false, Some(holder.trim())),
        CopyAction::Return | CopyAction::Destroy { .. } => (false, None),
    };
    store::upsert_copy(&mut tx, id, n, to.code(), printed, holder, note, actor.person_id, now).await?;
    let verb = match action {
        CopyAction::Print { .. } if from == CopyState::Printed => "reprinted",
        CopyAction::Print { .. } => "printed",
        CopyAction::Issue { .. } => "issued",
        CopyAction::Return => "returned",
        CopyAction::Destroy { .. } => "destroyed",
    };
    let detail = json!({
        "copy": copy_label(n), "from": from.code(), "to": to.code(), "holder": holder, "note": note,
        "number": v.doc.doc_number,
    });
    let event = AuditEvent::new(&format!("outgoing.copy_{verb}"), DOMAIN, Some(id.to_string()), detail)
        .at_level(classification(&v.doc));
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &event).await?;
    tx.commit().await?;
    Ok(())
}
