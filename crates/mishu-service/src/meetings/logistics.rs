//! A meeting's logistics checklist (会务保障清单): whoever runs the meeting (the organiser,
//! the office) adds, assigns, edits and closes items; an item with an owner is a Handle task
//! in the owner's 待办 until it is done or found not needed, and its owner may mark it done.
//! The rules are `mishu_domain::meetings::logistics`; every change is audited in its
//! transaction.

use super::logistics_store::{self as store, LogisticsRow};
use super::meeting::runs;
use super::meeting_store::{self, MeetingRow};
use crate::audit::{self, Origin};
use crate::db::{DbResult, Tx};
use crate::tasks::{self, NewTask};
use crate::{ServiceError, ServiceResult, Services};
use mishu_domain::access::Actor;
use mishu_domain::audit::AuditEvent;
use mishu_domain::meetings::logistics::{
    ItemAction, ItemContent, ItemState, Standing, decide, may_edit, validate_item,
};
use mishu_domain::org::Clearance;
use mishu_domain::tasks::{TaskKind, Urgency};
use mishu_domain::{LogisticsItemId, MeetingId, PersonId, Timestamp};
use serde_json::json;

/// Spine domain of a logistics item's task (Handle, for its owner).
pub const LOGISTICS_DOMAIN: &str = "meeting_logistics";

/// An item as asked for: `kind` and `note` are checked by the domain's rules; no `due_at`
/// means the meeting's start.
#[derive(Debug, Clone, Default)]
pub struct ItemInput {
    pub kind: String,
    pub note: String,
    pub owner_id: Option<PersonId>,
    pub due_at: Option<Timestamp>,
}

/// The meeting's checklist, by due time.
pub async fn items(s: &Services, actor: &Actor, id: MeetingId) -> ServiceResult<Vec<LogisticsRow>> {
    if !actor.is_business_user() {
        return Err(ServiceError::NotFound);
    }
    meeting_store::get(&s.db, id).await?.ok_or(ServiceError::NotFound)?;
    Ok(store::items(&s.db, id).await?)
}

/// The meeting an item belongs to: the owner's task opens the meeting page at the item.
pub async fn meeting_of_item(s: &Services, id: LogisticsItemId) -> ServiceResult<MeetingId> {
    let it = store::item(&s.db, id).await?.ok_or(ServiceError::NotFound)?;
    Ok(MeetingId(it.meeting_id))
}

async fn checked(tx: &mut Tx, m: &MeetingRow, input: &ItemInput, now: Timestamp) -> ServiceResult<ItemContent> {
    let meeting = (Timestamp(m.starts_at), Timestamp(m.ends_at));
    let c = validate_item(&input.kind, &input.note, input.due_at, meeting, now)?;
    if let Some(o) = input.owner_id
        && !store::person_active(tx, o).await?
    {
        return Err(ServiceError::invalid("owner_id", "unknown person"));
    }
    Ok(c)
}

async fn open_owner_task(
    tx: &mut Tx,
    m: &MeetingRow,
    id: LogisticsItemId,
    c: (&str, Timestamp),
    owner: PersonId,
    by: PersonId,
    now: Timestamp,
) -> ServiceResult<()> {
    let t = NewTask {
        domain: LOGISTICS_DOMAIN,
        subject_id: id.0,
        title: format!("{} · {}", m.title, c.0),
        kind: TaskKind::Handle,
        assignee: owner,
        created_by: Some(by),
        classification: Clearance::None,
        urgency: Urgency::Normal,
        due_at: Some(c.1),
    };
    tasks::open_task(tx, &t, now).await?;
    Ok(())
}

/// Loads an item of this meeting and the meeting, inside the transaction.
async fn load(tx: &mut Tx, meeting: MeetingId, id: LogisticsItemId) -> ServiceResult<(MeetingRow, LogisticsRow)> {
    let it = store::item_tx(tx, id).await?.filter(|i| i.meeting_id == meeting.0).ok_or(ServiceError::NotFound)?;
    let m = meeting_store::get_tx(tx, meeting).await?.ok_or(ServiceError::NotFound)?;
    Ok((m, it))
}

pub async fn add_item(
    s: &Services,
    actor: &Actor,
    meeting: MeetingId,
    input: ItemInput,
    source_ip: &str,
) -> ServiceResult<LogisticsItemId> {
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let m = meeting_store::get_tx(&mut tx, meeting).await?.ok_or(ServiceError::NotFound)?;
    if !actor.is_business_user() {
        return Err(ServiceError::NotFound);
    }
    if !runs(actor, &m) {
        return Err(ServiceError::Forbidden);
    }
    let c = checked(&mut tx, &m, &input, now).await?;
    let id = store::insert(&mut tx, meeting, &c, input.owner_id, actor.person_id, now).await?;
    if let Some(o) = input.owner_id {
        open_owner_task(&mut tx, &m, id, (&c.note, c.due_at), o, actor.person_id, now).await?;
    }
    let detail = json!({"meeting_id": meeting.0, "kind": c.kind.code(), "note": c.note,
        "owner_id": input.owner_id.map(|o| o.0), "due_at": c.due_at.0});
    let ev = AuditEvent::new("meeting.logistics_added", LOGISTICS_DOMAIN, Some(id.to_string()), detail);
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &ev).await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes an open item's kind, note, owner or due time. A new owner (or a new note) moves
/// the task to them; a new due time moves the task's deadline.
pub async fn edit_item(
    s: &Services,
    actor: &Actor,
    meeting: MeetingId,
    id: LogisticsItemId,
    input: ItemInput,
    source_ip: &str,
) -> ServiceResult<()> {
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let (m, it) = load(&mut tx, meeting, id).await?;
    let owner = it.owner_id.map(PersonId);
    may_edit(ItemState::parse(&it.state), Standing::of(actor, runs(actor, &m), owner))?;
    let c = checked(&mut tx, &m, &input, now).await?;
    if store::update(&mut tx, id, it.version, &c, input.owner_id).await? == 0 {
        return Err(ServiceError::Conflict("this item changed meanwhile; reload".into()));
    }
    if input.owner_id != owner || c.note != it.note {
        tasks::cancel_all_subject_tasks(&mut tx, LOGISTICS_DOMAIN, id.0, now).await?;
        if let Some(o) = input.owner_id {
            open_owner_task(&mut tx, &m, id, (&c.note, c.due_at), o, actor.person_id, now).await?;
        }
    } else if c.due_at.0 != it.due_at {
        tasks::move_subject_due(&mut tx, LOGISTICS_DOMAIN, id.0, c.due_at).await?;
    }
    let detail = json!({"meeting_id": meeting.0,
        "before": {"kind": it.kind, "note": it.note, "owner_id": it.owner_id, "due_at": it.due_at},
        "after": {"kind": c.kind.code(), "note": c.note, "owner_id": input.owner_id.map(|o| o.0), "due_at": c.due_at.0}});
    let ev = AuditEvent::new("meeting.logistics_changed", LOGISTICS_DOMAIN, Some(id.to_string()), detail);
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &ev).await?;
    tx.commit().await?;
    Ok(())
}

/// Done (by those who run the meeting or the owner), not needed, or reopened (by those who
/// run it). Done closes the owner's task; not needed withdraws it; reopening gives it back.
pub async fn set_state(
    s: &Services,
    actor: &Actor,
    meeting: MeetingId,
    id: LogisticsItemId,
    action: ItemAction,
    source_ip: &str,
) -> ServiceResult<()> {
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let (m, it) = load(&mut tx, meeting, id).await?;
    let owner = it.owner_id.map(PersonId);
    let next = decide(ItemState::parse(&it.state), action, Standing::of(actor, runs(actor, &m), owner))?;
    let closed = (next != ItemState::Open).then_some((actor.person_id, now));
    if store::set_state(&mut tx, id, it.version, next.code(), closed).await? == 0 {
        return Err(ServiceError::Conflict("this item changed meanwhile; reload".into()));
    }
    match (next, owner) {
        (ItemState::Done, _) => {
            tasks::close_subject_tasks(&mut tx, LOGISTICS_DOMAIN, id.0, None, actor, "done", now).await?;
        }
        (ItemState::NotNeeded, _) => {
            tasks::cancel_all_subject_tasks(&mut tx, LOGISTICS_DOMAIN, id.0, now).await?;
        }
        (ItemState::Open, Some(o)) => {
            open_owner_task(&mut tx, &m, id, (&it.note, Timestamp(it.due_at)), o, actor.person_id, now).await?;
        }
        (ItemState::Open, None) => {}
    }
    let name = match next {
        ItemState::Done => "meeting.logistics_done",
        ItemState::NotNeeded => "meeting.logistics_not_needed",
        ItemState::Open => "meeting.logistics_reopened",
    };
    let detail = json!({"meeting_id": meeting.0, "from": it.state, "to": next.code()});
    let ev = AuditEvent::new(name, LOGISTICS_DOMAIN, Some(id.to_string()), detail);
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &ev).await?;
    tx.commit().await?;
    Ok(())
}

/// The meeting moved by `shift` milliseconds: its open items' due times (and their tasks'
/// deadlines) move with it, so each stays as far before the start as it was.
pub(super) async fn follow_move(tx: &mut Tx, meeting: i64, shift: i64) -> DbResult<()> {
    if shift == 0 {
        return Ok(());
    }
    for (item, due) in store::open_items(tx, meeting).await? {
        let due = Timestamp(due + shift);
        store::set_due(tx, item, due).await?;
        tasks::move_subject_due(tx, LOGISTICS_DOMAIN, item, due).await?;
    }
    Ok(())
}

/// The meeting was called off (its booking cancelled or rejected): the owners' open tasks
/// are withdrawn.
pub(super) async fn withdraw(tx: &mut Tx, meeting: i64, now: Timestamp) -> DbResult<()> {
    for (item, _) in store::open_items(tx, meeting).await? {
        tasks::cancel_all_subject_tasks(tx, LOGISTICS_DOMAIN, item, now).await?;
    }
    Ok(())
}
