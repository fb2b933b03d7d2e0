//! Drafting (R2.2 steps 1–5): a new draft with the leader's intent, its recipients and route;
//! the materials list (files and links, ranked, kept or dropped); the outline; versions of
//! the text, each with its author; and the comparison of any two versions.

use super::{DOMAIN, OutgoingView, classification, get, store};
use crate::audit::{self, Origin};
use crate::search::{self, Domain};
use crate::{ServiceError, ServiceResult, Services, multiline};
use mishu_domain::access::Actor;
use mishu_domain::audit::AuditEvent;
use mishu_domain::outgoing::{Draft, DraftInput, MAX_BODY, MAX_TEXT, OutgoingError, Segment};
use mishu_domain::tasks::acts_as_owner;
use mishu_domain::{OutgoingId, PersonId};
use serde::Deserialize;
use serde_json::json;

/// Creates a draft in the actor's department. The signer must be an active leader, every
/// internal recipient must exist, and a classified draft cannot start above its drafter's
/// clearance.
pub async fn create(s: &Services, actor: &Actor, input: DraftInput, source_ip: &str) -> ServiceResult<OutgoingId> {
    if !actor.is_business_user() {
        return Err(ServiceError::Forbidden);
    }
    let d = Draft::validate(&input)?;
    if actor.clearance < d.classification {
        return Err(ServiceError::invalid("classification", "above your own clearance"));
    }
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    if !store::is_active_leader(&mut tx, d.signer).await? {
        return Err(ServiceError::invalid("signer", "the signer (签发人) must be an active leader"));
    }
    for r in &d.recipients {
        if !store::exists(&mut tx, &r.kind).await? {
            return Err(ServiceError::invalid("recipients", "no such department or person"));
        }
    }
    let me = actor.acting_for.unwrap_or(actor.person_id);
    let id = store::insert(&mut tx, &s.audit_key, &d, me, actor.department_id.map(|x| x.0), now).await?;
    for (i, p) in d.countersigners.iter().enumerate() {
        store::insert_countersigner(&mut tx, id, *p, i as i64).await?;
    }
    for (i, r) in d.recipients.iter().enumerate() {
        store::insert_recipient(&mut tx, id, r, i as i64).await?;
    }
    let detail = json!({
        "title": d.title, "doc_type": d.doc_type.code(), "classification": d.classification.code(),
        "prefix": d.prefix.as_str(), "signer": d.signer, "countersigners": d.countersigners,
        "parallel": d.countersign_parallel, "recipients": d.recipients,
    });
    let event = AuditEvent::new("outgoing.drafted", DOMAIN, Some(id.to_string()), detail).at_level(d.classification);
    search::touch(&mut tx, Domain::Outgoing, id.0, now).await?;
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &event).await?;
    tx.commit().await?;
    Ok(id)
}

/// The drafter (or whoever they let act for them) may edit while the draft is with them.
pub(super) async fn editable(
    s: &Services,
    actor: &Actor,
    id: OutgoingId,
    source_ip: &str,
) -> ServiceResult<OutgoingView> {
    let v = get(s, actor, id, source_ip).await?;
    if !acts_as_owner(actor, PersonId(v.doc.drafter_id)) {
        return Err(OutgoingError::NotDrafter.into());
    }
    if v.doc.state != "drafting" {
        return Err(OutgoingError::WrongState(
            mishu_domain::outgoing::OutgoingState::parse(&v.doc.state).map_or("?", |x| x.code()),
        )
        .into());
    }
    Ok(v)
}

/// A new version of the text (R2.2 steps 4–5); the first version is the first draft.
pub async fn add_version(
    s: &Services,
    actor: &Actor,
    id: OutgoingId,
    body: &str,
    note: &str,
    source_ip: &str,
) -> ServiceResult<i64> {
    let v = editable(s, actor, id, source_ip).await?;
    let body = body.trim_end();
    if body.trim().is_empty() {
        return Err(ServiceError::invalid("body", "required"));
    }
    if body.chars().count() > MAX_BODY || note.chars().count() > MAX_TEXT {
        return Err(ServiceError::invalid("body", format!("at most {MAX_BODY} characters")));
    }
    multiline("body", body)?;
    multiline("note", note)?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let seq = store::insert_version(&mut tx, id, body, note.trim(), actor.person_id, now).await?;
    let detail = json!({ "version": seq, "chars": body.chars().count(), "note": note.trim() });
    let event = AuditEvent::new("outgoing.version_added", DOMAIN, Some(id.to_string()), detail)
        .at_level(classification(&v.doc));
    search::touch(&mut tx, Domain::Outgoing, id.0, now).await?;
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &event).await?;
    tx.commit().await?;
    Ok(seq)
}

/// The leader's intent (step 1) and the outline (step 3).
pub async fn set_outline(
    s: &Services,
    actor: &Actor,
    id: OutgoingId,
    intent: &str,
    outline: &str,
    source_ip: &str,
) -> ServiceResult<()> {
    let v = editable(s, actor, id, source_ip).await?;
    if intent.chars().count() > MAX_TEXT {
        return Err(ServiceError::invalid("intent", format!("at most {MAX_TEXT} characters")));
    }
    if outline.chars().count() > MAX_TEXT {
        return Err(ServiceError::invalid("outline", format!("at most {MAX_TEXT} characters")));
    }
    multiline("intent", intent)?;
    multiline("outline", outline)?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    store::set_outline(&mut tx, id, intent.trim(), outline.trim(), now).await?;
    let event = AuditEvent::new(
        "outgoing.outline_set",
        DOMAIN,
        Some(id.to_string()),
        json!({ "intent": intent.trim(), "outline": outline.trim() }),
    )
    .at_level(classification(&v.doc));
    search::touch(&mut tx, Domain::Outgoing, id.0, now).await?;
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &event).await?;
    tx.commit().await?;
    Ok(())
}

/// One material (R2.2 step 2): a file name or a link, and how it ranks.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MaterialInput {
    /// file or link.
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub reference: String,
    #[serde(default)]
    pub rank: Option<i64>,
    #[serde(default)]
    pub note: String,
}

pub async fn add_material(
    s: &Services,
    actor: &Actor,
    id: OutgoingId,
    m: MaterialInput,
    source_ip: &str,
) -> ServiceResult<i64> {
    let v = editable(s, actor, id, source_ip).await?;
    let kind = match m.kind.trim() {
        "" | "file" => "file",
        "link" => "link",
        _ => return Err(ServiceError::invalid("kind", "expected file or link")),
    };
    let title = m.title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        return Err(ServiceError::invalid("title", "required, at most 200 characters"));
    }
    let reference = m.reference.trim();
    if kind == "link" && !(reference.starts_with("https://") || reference.starts_with("http://")) {
        return Err(ServiceError::invalid("reference", "a link starts with https:// or http://"));
    }
    if reference.chars().count() > 1000 || m.note.chars().count() > MAX_TEXT {
        return Err(ServiceError::invalid("reference", "too long"));
    }
    if title.chars().any(char::is_control) {
        return Err(ServiceError::invalid("title", "one line, no control characters"));
    }
    multiline("reference", reference)?;
    multiline("note", &m.note)?;
    let rank = m.rank.unwrap_or(1).clamp(1, 999);
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let mid =
        store::insert_material(&mut tx, id, kind, title, reference, rank, m.note.trim(), actor.person_id, now).await?;
    let detail = json!({ "material": mid, "kind": kind, "title": title, "reference": reference, "rank": rank });
    let event = AuditEvent::new("outgoing.material_added", DOMAIN, Some(id.to_string()), detail)
        .at_level(classification(&v.doc));
    search::touch(&mut tx, Domain::Outgoing, id.0, now).await?;
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &event).await?;
    tx.commit().await?;
    Ok(mid)
}

/// Ranks a material and keeps or drops it ("keep the best and the true").
pub async fn set_material(
    s: &Services,
    actor: &Actor,
    id: OutgoingId,
    material: i64,
    rank: i64,
    kept: bool,
    source_ip: &str,
) -> ServiceResult<()> {
    editable(s, actor, id, source_ip).await?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    if store::set_material(&mut tx, id, material, rank.clamp(1, 999), kept).await? == 0 {
        return Err(ServiceError::NotFound);
    }
    let detail = json!({ "material": material, "rank": rank, "kept": kept });
    let event = AuditEvent::new("outgoing.material_ranked", DOMAIN, Some(id.to_string()), detail);
    search::touch(&mut tx, Domain::Outgoing, id.0, now).await?;
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &event).await?;
    tx.commit().await?;
    Ok(())
}

/// Two versions side by side: (older, newer, the changes), each version with its author.
pub async fn diff(
    s: &Services,
    actor: &Actor,
    id: OutgoingId,
    from: i64,
    to: i64,
    source_ip: &str,
) -> ServiceResult<(super::VersionRow, super::VersionRow, Vec<Segment>)> {
    let v = get(s, actor, id, source_ip).await?;
    let find = |seq: i64| v.versions.iter().find(|x| x.seq == seq).cloned().ok_or(ServiceError::NotFound);
    let (a, b) = (find(from)?, find(to)?);
    let changes = mishu_domain::outgoing::diff(&a.body, &b.body);
    Ok((a, b, changes))
}
