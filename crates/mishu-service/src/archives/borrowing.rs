//! Borrowing (借阅): anyone may ask to borrow a filed item by its 档号; the archivist (or
//! the office head) gets an Approve task, approves with a return date or refuses; an approved
//! loan becomes a Handle task for the borrower due on the return date, so the spine's
//! reminders chase it; recording the return closes it.

use super::loans_store::{self as store, BorrowingRow};
use super::store::keepers;
use super::{BORROWING_DOMAIN, DOMAIN, require_keeper};
use crate::audit::{self, Origin};
use crate::search::{self, Domain};
use crate::tasks::{self, NewTask};
use crate::{ServiceError, ServiceResult, Services};
use mishu_domain::access::{Actor, Capability, allows};
use mishu_domain::archives::borrowing::{self as rules, BorrowFacts};
use mishu_domain::archives::{ArchiveCode, BorrowAction, BorrowState, line};
use mishu_domain::audit::AuditEvent;
use mishu_domain::org::Clearance;
use mishu_domain::tasks::{TaskKind, Urgency};
use mishu_domain::{ArchiveItemId, BorrowingId, PersonId, Timestamp};
use serde_json::json;

fn task(
    id: BorrowingId,
    title: String,
    kind: TaskKind,
    who: PersonId,
    by: PersonId,
    due: Option<Timestamp>,
) -> NewTask {
    NewTask {
        domain: BORROWING_DOMAIN,
        subject_id: id.0,
        title,
        kind,
        assignee: who,
        created_by: Some(by),
        classification: Clearance::None,
        urgency: Urgency::Normal,
        due_at: due,
    }
}

/// The item a 档号 names: id, title, 密级, when destroyed, and its label's MAC.
type ItemByCode = (i64, String, String, Option<i64>, Option<String>);

/// Asks to borrow the item with this 档号 for a purpose.
pub async fn request(
    s: &Services,
    actor: &Actor,
    archive_code: &str,
    purpose: &str,
    source_ip: &str,
) -> ServiceResult<BorrowingId> {
    if !actor.is_business_user() {
        return Err(ServiceError::Forbidden);
    }
    let code = ArchiveCode::parse(archive_code)?.render();
    let purpose = line(purpose, "purpose", 500)?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let found: Option<ItemByCode> = tx
        .fetch_optional(
            "SELECT item_id, title, classification, destroyed_at, label_mac FROM archive_items WHERE archive_code = $1",
            crate::args![code.as_str()],
        )
        .await?;
    let (item, title, classification, destroyed, mac) =
        found.ok_or_else(|| ServiceError::invalid("archive_code", "no filed item has this 档号"))?;
    let label = crate::labels::Label {
        kind: crate::labels::LabelKind::ArchiveItem,
        id: item,
        classification: &classification,
        secrecy_period: "",
        copy_no: "",
    };
    if !crate::labels::intact(s, &label, mac.as_deref()) {
        drop(tx);
        return Err(crate::labels::refuse(s, Some(actor), label.kind, item, "").await);
    }
    let cls = Clearance::parse(&classification).unwrap_or(Clearance::TopSecret);
    if actor.clearance < cls {
        return Err(ServiceError::invalid("archive_code", "no filed item has this 档号"));
    }
    if destroyed.is_some() {
        return Err(ServiceError::invalid("archive_code", "destroyed: only its record remains"));
    }
    let me = actor.acting_for.unwrap_or(actor.person_id);
    let id = store::insert_borrowing(&mut tx, ArchiveItemId(item), me, &purpose, now).await?;
    let keeper = keepers(&s.db).await?.into_iter().find(|k| *k != me);
    let keeper =
        keeper.ok_or_else(|| ServiceError::invalid("archive_code", "the office has no archivist to decide"))?;
    let title = format!("借阅审批：{code} {title}");
    tasks::open_task(&mut tx, &task(id, title, TaskKind::Approve, keeper, me, None), now).await?;
    let ev = AuditEvent::new(
        "archive.borrow_requested",
        DOMAIN,
        Some(item.to_string()),
        json!({"borrowing_id": id.0, "archive_code": code, "purpose": purpose}),
    );
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &ev).await?;
    tx.commit().await?;
    Ok(id)
}

/// Approve (with a return date), reject, or record the return.
pub async fn act(
    s: &Services,
    actor: &Actor,
    id: BorrowingId,
    action: BorrowAction,
    source_ip: &str,
) -> ServiceResult<BorrowState> {
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let b = store::get_borrowing_tx(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    let keeps = allows(Some(actor), Capability::ManageArchives);
    let me = actor.acting_for.unwrap_or(actor.person_id);
    if !keeps && me.0 != b.borrower_id {
        return Err(ServiceError::NotFound);
    }
    let facts = BorrowFacts {
        state: BorrowState::parse(&b.state),
        borrower: PersonId(b.borrower_id),
        actor: me,
        actor_keeps_archives: keeps,
        today: now.local_date(),
    };
    let next = rules::decide(&facts, &action)?;
    match &action {
        BorrowAction::Approve { return_by } => {
            let due = return_by.format("%Y-%m-%d").to_string();
            store::set_borrowing(&mut tx, id, next.code(), Some(due), Some(me), None, None, now, b.version).await?;
            tasks::close_subject_tasks(&mut tx, BORROWING_DOMAIN, id.0, None, actor, next.code(), now).await?;
            let title = format!("按期归还：{} {}", b.archive_code, b.title);
            let due_at = Some(Timestamp::end_of_local_day(*return_by));
            let t = task(id, title, TaskKind::Handle, PersonId(b.borrower_id), me, due_at);
            tasks::open_task(&mut tx, &t, now).await?;
        }
        BorrowAction::Reject { reason } => {
            let r = line(reason, "reason", 500)?;
            store::set_borrowing(&mut tx, id, next.code(), None, Some(me), Some(&r), None, now, b.version).await?;
            tasks::close_subject_tasks(&mut tx, BORROWING_DOMAIN, id.0, None, actor, &r, now).await?;
        }
        BorrowAction::Return => {
            store::set_borrowing(&mut tx, id, next.code(), None, None, None, Some(now), now, b.version).await?;
            tasks::close_subject_tasks(&mut tx, BORROWING_DOMAIN, id.0, None, actor, next.code(), now).await?;
        }
    }
    let ev = AuditEvent::new(
        &format!("archive.borrow_{}", next.code()),
        DOMAIN,
        Some(b.item_id.to_string()),
        json!({"borrowing_id": id.0, "action": action}),
    );
    // A loan gives or takes reading; a destruction changes what the item's hit says.
    search::touch(&mut tx, Domain::Archive, b.item_id, now).await?;
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &ev).await?;
    tx.commit().await?;
    Ok(next)
}

/// The keepers see every loan; anyone else their own.
pub async fn list(s: &Services, actor: &Actor) -> ServiceResult<Vec<BorrowingRow>> {
    if !actor.is_business_user() {
        return Err(ServiceError::Forbidden);
    }
    let who = if require_keeper(actor).is_ok() { None } else { Some(actor.acting_for.unwrap_or(actor.person_id)) };
    Ok(store::borrowings(&s.db, who).await?)
}

pub async fn get(s: &Services, actor: &Actor, id: BorrowingId) -> ServiceResult<BorrowingRow> {
    let b = store::get_borrowing(&s.db, id).await?.ok_or(ServiceError::NotFound)?;
    let me = actor.acting_for.unwrap_or(actor.person_id);
    if require_keeper(actor).is_err() && b.borrower_id != me.0 {
        return Err(ServiceError::NotFound);
    }
    Ok(b)
}
