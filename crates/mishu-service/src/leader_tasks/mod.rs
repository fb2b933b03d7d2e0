//! Leader-assigned tasks (领导交办事项), the spine's first user: a leader gives a task (or a
//! secretary records one a leader gave by word), the owner answers, the leader reviews and
//! closes or returns it. Each waiting step is a task in someone's inbox.

mod search;
mod store;

use crate::audit::{self, Origin};
use crate::tasks::{self, NewTask};
use crate::{ServiceError, ServiceResult, Services};
use mishu_domain::access::{Actor, Subject, may_read};
use mishu_domain::audit::AuditEvent;
use mishu_domain::leader_tasks::{self as rules, LeaderTaskAction, LeaderTaskFacts, LeaderTaskState};
use mishu_domain::org::{Clearance, Role};
use mishu_domain::tasks::{TaskKind, Urgency};
use mishu_domain::{LeaderTaskId, PersonId, Timestamp};
use serde_json::json;

pub(crate) use search::search_docs;
pub use store::LeaderTaskRow;

pub const DOMAIN: &str = "leader_task";

#[derive(Debug, Clone)]
pub struct NewLeaderTask {
    pub title: String,
    pub body: String,
    /// The leader who gave it; the actor themself when a leader gives it.
    pub leader_id: PersonId,
    pub owner_id: PersonId,
    pub due_at: Timestamp,
    pub urgency: Urgency,
}

fn subject(t: &LeaderTaskRow) -> Subject {
    Subject {
        classification: Clearance::None,
        department_id: t.owner_department_id.map(mishu_domain::DepartmentId),
        route: vec![PersonId(t.leader_id), PersonId(t.owner_id), PersonId(t.recorded_by)],
    }
}

pub async fn give(s: &Services, actor: &Actor, n: NewLeaderTask, source_ip: &str) -> ServiceResult<LeaderTaskId> {
    let now = s.clock.now();
    let title = rules::validate_new(&n.title, n.due_at, now)?;
    if n.body.chars().count() > 4000 {
        return Err(ServiceError::invalid("body", "at most 4000 characters"));
    }
    // PostgreSQL refuses a NUL outright (which answered 503 before: T8).
    crate::multiline("body", &n.body)?;
    // Only a leader gives in their own name; the office records for a leader.
    if n.leader_id != actor.person_id && !(actor.has_role(Role::Secretary) || actor.has_role(Role::OfficeHead)) {
        return Err(ServiceError::Forbidden);
    }
    store::require_leader(&s.db, n.leader_id).await?;
    store::require_staff(&s.db, n.owner_id).await?;
    let mut tx = s.db.begin().await?;
    let id = store::insert(&mut tx, &title, &n, actor.person_id, now).await?;
    tasks::open_task(&mut tx, &reply_task(id, &title, n.owner_id, Some(n.leader_id), n.urgency, n.due_at), now).await?;
    audit::append(
        &mut tx,
        &s.audit_key,
        &Origin::of(actor, source_ip),
        now,
        &AuditEvent::new(
            "leader_task.given",
            DOMAIN,
            Some(id.to_string()),
            json!({"title": title, "leader_id": n.leader_id.0, "owner_id": n.owner_id.0, "due_at": n.due_at.0}),
        ),
    )
    .await?;
    crate::search::touch(&mut tx, crate::search::Domain::LeaderTask, id.0, now).await?;
    tx.commit().await?;
    Ok(id)
}

fn reply_task(
    id: LeaderTaskId,
    title: &str,
    owner: PersonId,
    by: Option<PersonId>,
    urgency: Urgency,
    due: Timestamp,
) -> NewTask {
    NewTask {
        domain: DOMAIN,
        subject_id: id.0,
        title: title.to_string(),
        kind: TaskKind::Reply,
        assignee: owner,
        created_by: by,
        classification: Clearance::None,
        urgency,
        due_at: Some(due),
    }
}

/// One task as the actor may see it.
pub async fn get(s: &Services, actor: &Actor, id: LeaderTaskId) -> ServiceResult<LeaderTaskRow> {
    let t = store::get(&s.db, id).await?.ok_or(ServiceError::NotFound)?;
    // Another department's object answers like a missing one: no existence leak.
    if !may_read(actor, &subject(&t)) {
        return Err(ServiceError::NotFound);
    }
    Ok(t)
}

/// Tasks the actor gave, owns or (office-wide roles) all of them.
pub async fn list(s: &Services, actor: &Actor, state: Option<LeaderTaskState>) -> ServiceResult<Vec<LeaderTaskRow>> {
    let all = store::list(&s.db, state).await?;
    Ok(all.into_iter().filter(|t| may_read(actor, &subject(t))).collect())
}

pub async fn act(
    s: &Services,
    actor: &Actor,
    id: LeaderTaskId,
    action: LeaderTaskAction,
    source_ip: &str,
) -> ServiceResult<LeaderTaskState> {
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let t = store::get_tx(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    if !may_read(actor, &subject(&t)) {
        return Err(ServiceError::NotFound);
    }
    let facts = LeaderTaskFacts {
        state: LeaderTaskState::parse(&t.state),
        leader: PersonId(t.leader_id),
        owner: PersonId(t.owner_id),
        has_answer: t.answer.as_deref().is_some_and(|a| !a.trim().is_empty()),
    };
    let (next, event) = rules::decide(&facts, actor, action.clone(), now)?;
    let urgency = Urgency::from_rank(t.urgency);
    match &action {
        LeaderTaskAction::Answer { text } => {
            store::set_answer(&mut tx, id, text.trim(), actor.person_id, now, t.version).await?;
            tasks::close_subject_tasks(&mut tx, DOMAIN, id.0, Some(PersonId(t.owner_id)), actor, text.trim(), now)
                .await?;
            // The leader now reviews the answer: 回音 reaches the one who asked.
            let review = NewTask {
                kind: TaskKind::Approve,
                assignee: PersonId(t.leader_id),
                due_at: None,
                ..reply_task(id, &t.title, PersonId(t.leader_id), Some(actor.person_id), urgency, Timestamp(t.due_at))
            };
            tasks::open_task(&mut tx, &review, now).await?;
        }
        LeaderTaskAction::Return { reason } => {
            store::set_state(&mut tx, id, next, None, t.version).await?;
            tasks::close_subject_tasks(&mut tx, DOMAIN, id.0, Some(PersonId(t.leader_id)), actor, reason.trim(), now)
                .await?;
            tasks::open_task(
                &mut tx,
                &reply_task(id, &t.title, PersonId(t.owner_id), Some(actor.person_id), urgency, Timestamp(t.due_at)),
                now,
            )
            .await?;
        }
        LeaderTaskAction::Close => {
            store::set_state(&mut tx, id, next, Some(now), t.version).await?;
            let outcome = t.answer.clone().unwrap_or_default();
            tasks::close_subject_tasks(&mut tx, DOMAIN, id.0, None, actor, &outcome, now).await?;
            // A closed supervision item is a chronicle candidate (大事记, R8.2).
            let source = crate::archives::chronicle::CandidateSource::LeaderTask(id);
            let origin = Origin::of(actor, source_ip);
            crate::archives::chronicle::propose_from(&mut tx, &s.audit_key, &origin, source, now).await?;
        }
    }
    let detail = serde_json::to_value(&event).unwrap_or_default();
    let action_name = format!("leader_task.{}", next_event_name(&event));
    audit::append(
        &mut tx,
        &s.audit_key,
        &Origin::of(actor, source_ip),
        now,
        &AuditEvent::new(&action_name, DOMAIN, Some(id.to_string()), detail),
    )
    .await?;
    crate::search::touch(&mut tx, crate::search::Domain::LeaderTask, id.0, now).await?;
    tx.commit().await?;
    Ok(next)
}

fn next_event_name(e: &rules::LeaderTaskEvent) -> &'static str {
    match e {
        rules::LeaderTaskEvent::Answered { .. } => "answered",
        rules::LeaderTaskEvent::Returned { .. } => "returned",
        rules::LeaderTaskEvent::Closed { .. } => "closed",
    }
}
