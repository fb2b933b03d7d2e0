//! Retention review and destruction (鉴定销毁): the archivist proposes, the office head
//! decides on the spine, the archivist destroys; the destruction record keeps what, when,
//! who proposed, who approved and who destroyed. Files go; the item's metadata stays.

use super::store::{self, DestructionRow};
use super::{DESTRUCTION_DOMAIN, DOMAIN, require_keeper};
use crate::audit::{self, Origin};
use crate::search::{self, Domain};
use crate::tasks::{self, NewTask};
use crate::{ServiceError, ServiceResult, Services};
use chrono::Datelike;
use mishu_domain::access::Actor;
use mishu_domain::archives::destruction::{self as rules, DestructionFacts};
use mishu_domain::archives::{ArchiveError, DestructionAction, DestructionState, Retention, line};
use mishu_domain::audit::AuditEvent;
use mishu_domain::org::{Clearance, Role};
use mishu_domain::tasks::{TaskKind, Urgency};
use mishu_domain::{ArchiveItemId, DestructionId, PersonId};
use serde_json::json;

/// The archivist proposes destroying an item whose retention has run out; the office head
/// gets an Approve task.
pub async fn propose(
    s: &Services,
    actor: &Actor,
    item: ArchiveItemId,
    reason: &str,
    source_ip: &str,
) -> ServiceResult<DestructionId> {
    require_keeper(actor)?;
    let reason = line(reason, "reason", 500)?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let it = store::get_item_tx(&mut tx, item).await?.ok_or(ServiceError::NotFound)?;
    if it.destroyed_at.is_some() {
        return Err(ArchiveError::WrongState("destroyed").into());
    }
    if store::open_destruction_of(&mut tx, item).await?.is_some() {
        return Err(ArchiveError::WrongState("proposed").into());
    }
    let retention = Retention::parse(&it.retention)?;
    rules::may_propose(retention, it.year as i32, now.local_date().year())?;
    let id = store::insert_destruction(&mut tx, item, &reason, actor.person_id, now).await?;
    let heads: Vec<(i64,)> = tx
        .fetch_all(
            "SELECT p.person_id FROM person_roles r JOIN people p ON p.person_id = r.person_id
             WHERE r.role = 'office_head' AND p.active AND p.person_id <> $1 ORDER BY p.person_id",
            crate::args![actor.person_id],
        )
        .await?;
    for (h,) in heads {
        let t = NewTask {
            domain: DESTRUCTION_DOMAIN,
            subject_id: id.0,
            title: format!("销毁审批：{} {}", it.archive_code, it.title),
            kind: TaskKind::Approve,
            assignee: PersonId(h),
            created_by: Some(actor.person_id),
            classification: Clearance::None,
            urgency: Urgency::Normal,
            due_at: None,
        };
        tasks::open_task(&mut tx, &t, now).await?;
    }
    let ev = AuditEvent::new(
        "archive.destruction_proposed",
        DOMAIN,
        Some(item.to_string()),
        json!({"destruction_id": id.0, "archive_code": it.archive_code, "reason": reason}),
    );
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &ev).await?;
    tx.commit().await?;
    Ok(id)
}

/// Approve, reject or (after approval) destroy. Destroying deletes the item's files and
/// keeps the metadata and this record; without an approval it is refused and nothing changes.
pub async fn act(
    s: &Services,
    actor: &Actor,
    id: DestructionId,
    action: DestructionAction,
    source_ip: &str,
) -> ServiceResult<DestructionState> {
    require_keeper(actor)?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let d = store::get_destruction_tx(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    let facts = DestructionFacts {
        state: DestructionState::parse(&d.state),
        proposed_by: PersonId(d.proposed_by),
        actor: actor.person_id,
        actor_is_office_head: actor.has_role(Role::OfficeHead),
        actor_is_archivist: actor.has_role(Role::Archivist),
    };
    let next = rules::decide(&facts, &action)?;
    let item = ArchiveItemId(d.item_id);
    let mut removed = Vec::new();
    match &action {
        DestructionAction::Approve => {
            store::set_destruction_decided(&mut tx, id, next.code(), actor.person_id, None, now, d.version).await?;
            tasks::close_subject_tasks(&mut tx, DESTRUCTION_DOMAIN, id.0, None, actor, next.code(), now).await?;
        }
        DestructionAction::Reject { reason } => {
            let r = line(reason, "reason", 500)?;
            store::set_destruction_decided(&mut tx, id, next.code(), actor.person_id, Some(&r), now, d.version).await?;
            tasks::close_subject_tasks(&mut tx, DESTRUCTION_DOMAIN, id.0, None, actor, &r, now).await?;
        }
        DestructionAction::Destroy => {
            let fs = store::files_of_tx(&mut tx, item).await?;
            removed = fs.into_iter().filter_map(|f| f.storage_key).collect();
            store::set_destroyed(&mut tx, id, item, actor.person_id, removed.len() as i64, now, d.version).await?;
        }
    }
    let ev = AuditEvent::new(
        &format!("archive.destruction_{}", next.code()),
        DOMAIN,
        Some(item.to_string()),
        json!({"destruction_id": id.0, "archive_code": d.archive_code, "action": action, "files_removed": removed.len()}),
    );
    // A loan gives or takes reading; a destruction changes what the item's hit says.
    search::touch(&mut tx, Domain::Archive, item.0, now).await?;
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &ev).await?;
    tx.commit().await?;
    // The bytes go only once the record of their destruction is committed.
    for key in removed {
        s.blobs.remove(&key).await?;
    }
    Ok(next)
}

pub async fn list(s: &Services, actor: &Actor) -> ServiceResult<Vec<DestructionRow>> {
    require_keeper(actor)?;
    Ok(store::destructions(&s.db).await?)
}
