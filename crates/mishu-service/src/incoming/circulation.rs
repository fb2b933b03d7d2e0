//! Circulation (传阅): the office sends a document to chosen readers, each gets a Read task
//! on the spine; the document shows per reader must-read, read (when) or not yet; the office
//! can recall unread copies. A classified document only circulates to cleared people.

use super::{DOMAIN, IncomingRow, classification, get, store};
use crate::audit::{self, Origin};
use crate::search;
use crate::tasks::{self, NewTask};
use crate::{ServiceError, ServiceResult, Services};
use mishu_domain::access::Actor;
use mishu_domain::audit::AuditEvent;
use mishu_domain::org::{Clearance, Role};
use mishu_domain::tasks::{TaskKind, Urgency};
use mishu_domain::{DepartmentId, IncomingId, PersonId};
use serde_json::json;
use store::TASK_DOMAIN;

const MAX_NOTE: usize = 500;

fn is_office(actor: &Actor) -> bool {
    actor.has_role(Role::Secretary) || actor.has_role(Role::OfficeHead)
}

/// The document, for an office member who may read it (refusals audited, as not found).
async fn office_doc(s: &Services, actor: &Actor, id: IncomingId, source_ip: &str) -> ServiceResult<IncomingRow> {
    let v = get(s, actor, id, source_ip).await?;
    if !is_office(actor) {
        return Err(ServiceError::Forbidden);
    }
    Ok(v.doc)
}

/// Who a circulation goes to: people chosen one by one, and whole departments.
#[derive(Debug, Clone, Default)]
pub struct Readers {
    pub people: Vec<PersonId>,
    pub departments: Vec<DepartmentId>,
}

/// What a circulation did: copies sent, and members of the chosen departments left out
/// because their clearance is below the document's (a person chosen by name who is not
/// cleared is an error instead: the office asked for that person).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Circulated {
    pub sent: usize,
    pub not_cleared: usize,
}

/// Sends the document to each reader not already holding an unread copy.
pub async fn circulate(
    s: &Services,
    actor: &Actor,
    id: IncomingId,
    readers: &Readers,
    must_read: bool,
    note: &str,
    source_ip: &str,
) -> ServiceResult<Circulated> {
    let doc = office_doc(s, actor, id, source_ip).await?;
    if doc.state == "returned" {
        return Err(ServiceError::invalid("readers", "the document was returned to its sender"));
    }
    if readers.people.is_empty() && readers.departments.is_empty() {
        return Err(ServiceError::invalid("readers", "choose at least one reader or department"));
    }
    let note = note.trim();
    if note.chars().count() > MAX_NOTE {
        return Err(ServiceError::invalid("note", format!("at most {MAX_NOTE} characters")));
    }
    crate::multiline("note", note)?;
    let level = classification(&doc);
    let cleared = |c: &str| Clearance::parse(c).unwrap_or(Clearance::None) >= level;
    let mut chosen: Vec<PersonId> = Vec::new();
    for p in &readers.people {
        match store::staff_clearance(&s.db, *p).await? {
            None => return Err(ServiceError::invalid("readers", format!("person {p} is not active staff"))),
            Some(c) if !cleared(&c) => {
                return Err(ServiceError::invalid("readers", format!("person {p} is not cleared for this document")));
            }
            Some(_) => chosen.push(*p),
        }
    }
    let mut not_cleared = 0;
    for d in &readers.departments {
        // Only "no such department" is the caller's mistake; a database error stays one.
        let active = match crate::org::department(s, *d).await {
            Ok(row) => row.active,
            Err(ServiceError::NotFound) => false,
            Err(e) => return Err(e),
        };
        if !active {
            return Err(ServiceError::invalid("departments", format!("department {d} is not an active department")));
        }
        for (p, c) in store::department_staff(&s.db, *d).await? {
            if cleared(&c) {
                chosen.push(PersonId(p));
            } else {
                not_cleared += 1;
            }
        }
    }
    if chosen.is_empty() {
        return Err(ServiceError::invalid("departments", "nobody in the chosen departments may read this document"));
    }
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let unread: Vec<i64> = store::unread(&mut tx, id).await?.into_iter().map(|r| r.0).collect();
    let mut sent = Vec::new();
    for p in &chosen {
        if unread.contains(&p.0) || sent.contains(&p.0) {
            continue;
        }
        let task = NewTask {
            domain: TASK_DOMAIN,
            subject_id: id.0,
            title: doc.title.clone(),
            kind: TaskKind::Read,
            assignee: *p,
            created_by: Some(actor.person_id),
            classification: level,
            urgency: Urgency::from_rank(doc.urgency),
            due_at: None,
        };
        let task_id = tasks::open_task(&mut tx, &task, now).await?;
        store::insert_circulation(&mut tx, id, *p, task_id, must_read, note, actor.person_id, now).await?;
        sent.push(p.0);
    }
    let departments: Vec<i64> = readers.departments.iter().map(|d| d.0).collect();
    let detail = json!({"readers": sent, "departments": departments, "not_cleared": not_cleared, "must_read": must_read, "note": note});
    let event = AuditEvent::new("incoming.circulated", DOMAIN, Some(id.to_string()), detail).at_level(level);
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &event).await?;
    search::touch(&mut tx, search::Domain::Incoming, id.0, now).await?;
    tx.commit().await?;
    Ok(Circulated { sent: sent.len(), not_cleared })
}

/// The reader (or whoever acts for them) marks their copy read.
pub async fn mark_circulation_read(s: &Services, actor: &Actor, id: IncomingId, source_ip: &str) -> ServiceResult<()> {
    let v = get(s, actor, id, source_ip).await?;
    let owner = actor.acting_for.unwrap_or(actor.person_id);
    if !v.circulation.iter().any(|c| c.person_id == owner.0 && c.task_state == "open") {
        return Err(ServiceError::Conflict("nothing to read here: not circulated to you, or already read".into()));
    }
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    tasks::close_subject_tasks(&mut tx, TASK_DOMAIN, id.0, Some(owner), actor, "", now).await?;
    let event = AuditEvent::new("incoming.circulation_read", DOMAIN, Some(id.to_string()), json!({"reader": owner.0}));
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &event).await?;
    tx.commit().await?;
    Ok(())
}

/// Recalls unread copies: one reader's, or everyone's who has not read it yet. Read copies stay.
pub async fn recall_circulation(
    s: &Services,
    actor: &Actor,
    id: IncomingId,
    reader: Option<PersonId>,
    source_ip: &str,
) -> ServiceResult<usize> {
    office_doc(s, actor, id, source_ip).await?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let unread: Vec<PersonId> = store::unread(&mut tx, id).await?.into_iter().map(|r| PersonId(r.0)).collect();
    let targets: Vec<PersonId> = unread.into_iter().filter(|p| reader.is_none_or(|r| r == *p)).collect();
    if targets.is_empty() {
        return Err(ServiceError::Conflict("no unread copy to recall".into()));
    }
    for p in &targets {
        tasks::cancel_subject_tasks(&mut tx, TASK_DOMAIN, id.0, *p, now).await?;
    }
    let detail = json!({"readers": targets.iter().map(|p| p.0).collect::<Vec<_>>()});
    let event = AuditEvent::new("incoming.circulation_recalled", DOMAIN, Some(id.to_string()), detail);
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &event).await?;
    search::touch(&mut tx, search::Domain::Incoming, id.0, now).await?;
    tx.commit().await?;
    Ok(targets.len())
}
