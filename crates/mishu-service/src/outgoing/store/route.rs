//! SQL for a document's route: its steps (review, countersign, sign), the countersigners
//! named on the draft, and its recipients with their printable names.

use crate::args;
use crate::db::{Db, DbResult, Tx};
use mishu_domain::outgoing::{Recipient, RecipientKind, StepKind};
use mishu_domain::{DepartmentId, OutgoingId, OutgoingStepId, PersonId, Timestamp};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct StepRow {
    pub step_id: i64,
    pub outgoing_id: i64,
    pub kind: String,
    pub person_id: i64,
    pub person_name: String,
    pub round: i64,
    pub seq: i64,
    pub state: String,
    pub opinion: Option<String>,
    pub acted_by: Option<i64>,
    pub acted_by_name: Option<String>,
    pub acted_at: Option<i64>,
    pub created_at: i64,
}

const STEPS: &str = "SELECT s.step_id, s.outgoing_id, s.kind, s.person_id, p.name AS person_name, s.round, s.seq,
    s.state, s.opinion, s.acted_by, ap.name AS acted_by_name, s.acted_at, s.created_at
    FROM outgoing_steps s JOIN people p ON p.person_id = s.person_id LEFT JOIN people ap ON ap.person_id = s.acted_by
    WHERE s.outgoing_id = $1 ORDER BY s.round, s.kind, s.seq, s.step_id";

pub(in crate::outgoing) async fn steps(db: &Db, id: OutgoingId) -> DbResult<Vec<StepRow>> {
    db.fetch_all(STEPS, args![id]).await
}

pub(in crate::outgoing) async fn steps_tx(tx: &mut Tx, id: OutgoingId) -> DbResult<Vec<StepRow>> {
    tx.fetch_all(STEPS, args![id]).await
}

#[allow(clippy::too_many_arguments)]
pub(in crate::outgoing) async fn insert_step(
    tx: &mut Tx,
    id: OutgoingId,
    kind: StepKind,
    person: PersonId,
    round: i64,
    seq: i64,
    state: &str,
    now: Timestamp,
) -> DbResult<i64> {
    tx.insert_returning_id(
        "INSERT INTO outgoing_steps (outgoing_id, kind, person_id, round, seq, state, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING step_id",
        args![id, kind.code(), person, round, seq, state, now],
    )
    .await
}

/// Records a step's new state; `acted` carries who acted and their opinion.
pub(in crate::outgoing) async fn set_step(
    tx: &mut Tx,
    step: OutgoingStepId,
    state: &str,
    acted: Option<(PersonId, &str)>,
    now: Timestamp,
) -> DbResult<u64> {
    match acted {
        Some((by, opinion)) => {
            tx.execute(
                "UPDATE outgoing_steps SET state = $1, acted_by = $2, opinion = $3, acted_at = $4 WHERE step_id = $5",
                args![state, by, opinion, now, step],
            )
            .await
        }
        None => tx.execute("UPDATE outgoing_steps SET state = $1 WHERE step_id = $2", args![state, step]).await,
    }
}

pub(in crate::outgoing) async fn insert_countersigner(
    tx: &mut Tx,
    id: OutgoingId,
    person: PersonId,
    position: i64,
) -> DbResult<u64> {
    tx.execute(
        "INSERT INTO outgoing_countersigners (outgoing_id, person_id, position) VALUES ($1, $2, $3)",
        args![id, person, position],
    )
    .await
}

pub(in crate::outgoing) async fn countersigners(tx: &mut Tx, id: OutgoingId) -> DbResult<Vec<PersonId>> {
    let rows: Vec<(i64,)> = tx
        .fetch_all("SELECT person_id FROM outgoing_countersigners WHERE outgoing_id = $1 ORDER BY position", args![id])
        .await?;
    Ok(rows.into_iter().map(|r| PersonId(r.0)).collect())
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct RecipientRow {
    pub recipient_id: i64,
    pub role: String,
    pub kind: String,
    pub department_id: Option<i64>,
    pub person_id: Option<i64>,
    pub organ: String,
    /// As printed: the department's, the person's or the organ's name.
    pub name: String,
    pub position: i64,
}

const RECIPIENTS: &str = "SELECT r.recipient_id, r.role, r.kind, r.department_id, r.person_id, r.organ,
    COALESCE(d.name, p.name, r.organ) AS name, r.position
    FROM outgoing_recipients r LEFT JOIN departments d ON d.department_id = r.department_id
    LEFT JOIN people p ON p.person_id = r.person_id WHERE r.outgoing_id = $1 ORDER BY r.role DESC, r.position";

pub(in crate::outgoing) async fn recipients(db: &Db, id: OutgoingId) -> DbResult<Vec<RecipientRow>> {
    db.fetch_all(RECIPIENTS, args![id]).await
}

pub(in crate::outgoing) async fn recipients_tx(tx: &mut Tx, id: OutgoingId) -> DbResult<Vec<RecipientRow>> {
    tx.fetch_all(RECIPIENTS, args![id]).await
}

pub(in crate::outgoing) async fn insert_recipient(
    tx: &mut Tx,
    id: OutgoingId,
    r: &Recipient,
    position: i64,
) -> DbResult<i64> {
    let (dept, person, organ) = match &r.kind {
        RecipientKind::Department { id } => (Some(*id), None, String::new()),
        RecipientKind::Person { id } => (None, Some(*id), String::new()),
        RecipientKind::External { organ } => (None, None, organ.clone()),
    };
    tx.insert_returning_id(
        "INSERT INTO outgoing_recipients (outgoing_id, role, kind, department_id, person_id, organ, position)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING recipient_id",
        args![id, r.role.code(), r.kind.code(), dept, person, organ, position],
    )
    .await
}

/// The first active head of a department, who signs for what is sent to it.
pub(in crate::outgoing) async fn department_head(tx: &mut Tx, department: DepartmentId) -> DbResult<Option<PersonId>> {
    let r: Option<(i64,)> = tx
        .fetch_optional(
            "SELECT p.person_id FROM person_roles r JOIN people p ON p.person_id = r.person_id
             WHERE r.role = 'department_head' AND p.active AND p.admin_kind IS NULL
               AND (r.department_id = $1 OR (r.department_id IS NULL AND p.department_id = $1))
             ORDER BY p.sort_order, p.person_id LIMIT 1",
            args![department],
        )
        .await?;
    Ok(r.map(|r| PersonId(r.0)))
}

/// True when the person is an active leader (the only people who may sign off, 条例 art. 22).
pub(in crate::outgoing) async fn is_active_leader(tx: &mut Tx, person: PersonId) -> DbResult<bool> {
    let r: Option<(i64,)> = tx
        .fetch_optional(
            "SELECT p.person_id FROM person_roles r JOIN people p ON p.person_id = r.person_id
             WHERE r.person_id = $1 AND r.role = 'leader' AND p.active AND p.admin_kind IS NULL",
            args![person],
        )
        .await?;
    Ok(r.is_some())
}

/// True when the id names an active department / person (recipients must exist).
pub(in crate::outgoing) async fn exists(tx: &mut Tx, kind: &RecipientKind) -> DbResult<bool> {
    let r: Option<(i64,)> = match kind {
        RecipientKind::Department { id } => {
            tx.fetch_optional("SELECT department_id FROM departments WHERE department_id = $1 AND active", args![*id])
                .await?
        }
        RecipientKind::Person { id } => {
            tx.fetch_optional(
                "SELECT person_id FROM people WHERE person_id = $1 AND active AND admin_kind IS NULL",
                args![*id],
            )
            .await?
        }
        RecipientKind::External { .. } => Some((0,)),
    };
    Ok(r.is_some())
}

const OFFICE_PEOPLE: &str = "SELECT DISTINCT p.person_id FROM person_roles r JOIN people p ON p.person_id = r.person_id
    WHERE r.role IN ('secretary', 'office_head') AND p.active AND p.admin_kind IS NULL ORDER BY p.person_id";

/// The office's people (secretaries and the office head), who check, number, print and
/// distribute every document sent to them. A plain read: lists call it, and on SQLite a
/// transaction would take the write lock.
pub(in crate::outgoing) async fn office_people(db: &Db) -> DbResult<Vec<i64>> {
    let rows: Vec<(i64,)> = db.fetch_all(OFFICE_PEOPLE, args![]).await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// The same, inside a transaction that reads the document's route as of one moment.
pub(in crate::outgoing) async fn office_people_tx(tx: &mut Tx) -> DbResult<Vec<i64>> {
    let rows: Vec<(i64,)> = tx.fetch_all(OFFICE_PEOPLE, args![]).await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}
