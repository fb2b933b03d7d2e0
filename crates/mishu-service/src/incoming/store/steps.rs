//! SQL for the steps of a document's route.

use super::changed;
use crate::db::{Db, DbResult, Tx};
use crate::{ServiceResult, args};
use mishu_domain::incoming::{NewStep, StepState};
use mishu_domain::{IncomingId, IncomingStepId, PersonId, Timestamp};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct StepRow {
    pub step_id: i64,
    pub incoming_id: i64,
    pub stage: String,
    pub mode: String,
    pub round: i64,
    pub seq: i64,
    pub parallel: bool,
    pub lead: bool,
    pub person_id: i64,
    pub person_name: String,
    pub person_position: Option<String>,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub state: String,
    pub due_at: Option<i64>,
    pub opened_at: Option<i64>,
    pub text: Option<String>,
    pub acted_by: Option<i64>,
    pub acted_by_name: Option<String>,
    pub acting_for: Option<i64>,
    pub acted_at: Option<i64>,
    pub created_at: i64,
}

const STEP_SELECT: &str = "SELECT s.step_id, s.incoming_id, s.stage, s.mode, s.round, s.seq, s.parallel, s.lead, s.person_id,
    p.name AS person_name, p.position AS person_position, s.department_id, dep.name AS department_name, s.state, s.due_at,
    s.opened_at, s.text, s.acted_by, ap.name AS acted_by_name, s.acting_for, s.acted_at, s.created_at
    FROM incoming_steps s JOIN people p ON p.person_id = s.person_id
    LEFT JOIN departments dep ON dep.department_id = s.department_id LEFT JOIN people ap ON ap.person_id = s.acted_by";

pub(in crate::incoming) async fn steps(db: &Db, id: IncomingId) -> DbResult<Vec<StepRow>> {
    db.fetch_all(
        &format!("{STEP_SELECT} WHERE s.incoming_id = $1 ORDER BY s.round, s.stage DESC, s.seq, s.step_id"),
        args![id],
    )
    .await
}

pub(in crate::incoming) async fn steps_tx(tx: &mut Tx, id: IncomingId) -> DbResult<Vec<StepRow>> {
    tx.fetch_all(
        &format!("{STEP_SELECT} WHERE s.incoming_id = $1 ORDER BY s.round, s.stage DESC, s.seq, s.step_id"),
        args![id],
    )
    .await
}

/// (document, person) pairs for everyone on the routes of these documents.
pub(in crate::incoming) async fn route_people(db: &Db, ids: &[i64]) -> DbResult<Vec<(i64, i64)>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT incoming_id, person_id FROM incoming_steps WHERE state IN ('open', 'done', 'returned') AND incoming_id IN ({0})
         UNION SELECT incoming_id, acted_by FROM incoming_steps WHERE acted_by IS NOT NULL AND incoming_id IN ({0})",
        marks.join(", ")
    );
    db.fetch_all(&sql, ids.iter().map(|i| crate::db::Arg::from(*i)).collect()).await
}

pub(in crate::incoming) async fn insert_step(
    tx: &mut Tx,
    id: IncomingId,
    s: &NewStep,
    due: Option<Timestamp>,
    by: PersonId,
    now: Timestamp,
) -> DbResult<IncomingStepId> {
    let opened = (s.state == StepState::Open).then_some(now);
    tx.insert_returning_id(
        "INSERT INTO incoming_steps (incoming_id, stage, mode, round, seq, parallel, lead, person_id, department_id, state, due_at,
            opened_at, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING step_id",
        args![id, s.stage.code(), s.mode.code(), s.round, s.seq, s.parallel, s.lead, s.person, s.department, s.state.code(), due, opened, by, now],
    )
    .await
    .map(IncomingStepId)
}

/// Records an act on an open step; fails if someone else got there first.
pub(in crate::incoming) async fn act_step(
    tx: &mut Tx,
    step: IncomingStepId,
    text: &str,
    by: PersonId,
    acting_for: Option<PersonId>,
    at: Timestamp,
) -> ServiceResult<()> {
    let n = tx
        .execute(
            "UPDATE incoming_steps SET state = 'done', text = $1, acted_by = $2, acting_for = $3, acted_at = $4 WHERE step_id = $5 AND state = 'open'",
            args![text, by, acting_for, at, step],
        )
        .await?;
    if n == 0 { Err(changed()) } else { Ok(()) }
}

pub(in crate::incoming) async fn open_step(
    tx: &mut Tx,
    step: IncomingStepId,
    due: Option<Timestamp>,
    now: Timestamp,
) -> ServiceResult<()> {
    let n = tx
        .execute("UPDATE incoming_steps SET state = 'open', opened_at = $1, due_at = $2 WHERE step_id = $3 AND state = 'waiting'", args![now, due, step])
        .await?;
    if n == 0 { Err(changed()) } else { Ok(()) }
}

/// Ends a step that was not acted on: recalled, returned (with the reason) or cancelled.
pub(in crate::incoming) async fn end_step(
    tx: &mut Tx,
    step: IncomingStepId,
    end: StepState,
    reason: &str,
    by: PersonId,
    now: Timestamp,
) -> ServiceResult<()> {
    let text = (!reason.is_empty()).then_some(reason);
    let n = tx
        .execute(
            "UPDATE incoming_steps SET state = $1, text = $2, acted_by = $3, acted_at = $4 WHERE step_id = $5 AND state IN ('open', 'waiting')",
            args![end.code(), text, by, now, step],
        )
        .await?;
    if n == 0 { Err(changed()) } else { Ok(()) }
}

/// The departments handling each document (承办部门), the lead (主办) one first.
pub(in crate::incoming) async fn departments_of(db: &Db, ids: &[i64]) -> DbResult<Vec<(i64, String)>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT s.incoming_id, d.name FROM incoming_steps s JOIN departments d ON d.department_id = s.department_id
         WHERE s.stage = 'department' AND s.state NOT IN ('recalled', 'cancelled') AND s.incoming_id IN ({})
         ORDER BY s.incoming_id, s.round, s.lead DESC, s.step_id",
        marks.join(", ")
    );
    db.fetch_all(&sql, ids.iter().map(|i| crate::db::Arg::from(*i)).collect()).await
}
