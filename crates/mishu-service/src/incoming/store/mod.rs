//! SQL for received documents and the yearly 收文编号 counter; the route's steps and the
//! people a route needs are in `steps` and `people`.

mod circulation;
mod files;
mod list;
mod people;
mod steps;

pub use circulation::{CirculationRow, TASK_DOMAIN};
pub(super) use circulation::{circulation, department_staff, insert_circulation, readers, staff_clearance, unread};
pub use files::FileRow;
pub(super) use files::{files, insert_file};
pub(super) use list::{count, list, page};

pub use people::DepartmentHeadRow;
pub(super) use people::{assignable, department_heads, leader_clearance};
pub use steps::StepRow;
pub(super) use steps::{act_step, departments_of, end_step, insert_step, open_step, route_people, steps, steps_tx};

use crate::db::{Db, DbResult, Tx};
use crate::{ServiceError, ServiceResult, args};
use mishu_domain::incoming::Registration;
use mishu_domain::labels::{Label, LabelKind};
use mishu_domain::{DepartmentId, IncomingId, PersonId, Timestamp};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct IncomingRow {
    pub incoming_id: i64,
    pub reg_year: i64,
    pub reg_seq: i64,
    pub sender_organ: String,
    pub sender_number: String,
    pub title: String,
    pub doc_type: String,
    pub classification: String,
    pub secrecy_period: String,
    pub copy_no: String,
    pub urgency: i64,
    pub copies: i64,
    pub pages: Option<i64>,
    pub received_at: i64,
    pub due_at: Option<i64>,
    pub handling_kind: String,
    pub submission_kind: Option<String>,
    pub proposal: Option<String>,
    pub proposed_by: Option<i64>,
    pub proposed_by_name: Option<String>,
    pub proposed_at: Option<i64>,
    pub state: String,
    pub round: i64,
    pub outcome: Option<String>,
    pub reply: Option<String>,
    pub promoted: bool,
    pub return_reason: Option<String>,
    pub closed_at: Option<i64>,
    pub closed_by: Option<i64>,
    pub closed_by_name: Option<String>,
    pub registered_by: i64,
    pub registered_by_name: String,
    pub created_at: i64,
    pub version: i64,
    /// The label's HMAC-SM3 (T18); checked, never shown.
    #[serde(skip)]
    pub label_mac: Option<String>,
}

impl IncomingRow {
    /// The security label as stored, for its MAC.
    pub fn label(&self) -> Label<'_> {
        Label {
            kind: LabelKind::Incoming,
            id: self.incoming_id,
            classification: &self.classification,
            secrecy_period: &self.secrecy_period,
            copy_no: &self.copy_no,
        }
    }

    /// 收文编号 as shown and printed: `2026-0012`.
    pub fn reg_no(&self) -> String {
        format!("{}-{:04}", self.reg_year, self.reg_seq)
    }
}

pub(super) const SELECT: &str = "SELECT d.incoming_id, d.reg_year, d.reg_seq, d.sender_organ, d.sender_number, d.title, d.doc_type,
    d.classification, d.secrecy_period, d.copy_no, d.urgency, d.copies, d.pages, d.received_at, d.due_at, d.handling_kind,
    d.submission_kind, d.proposal, d.proposed_by, pp.name AS proposed_by_name, d.proposed_at, d.state, d.round, d.outcome,
    d.reply, d.promoted, d.return_reason, d.closed_at, d.closed_by, cp.name AS closed_by_name, d.registered_by,
    rp.name AS registered_by_name, d.created_at, d.version, d.label_mac
    FROM incoming_documents d JOIN people rp ON rp.person_id = d.registered_by
    LEFT JOIN people pp ON pp.person_id = d.proposed_by LEFT JOIN people cp ON cp.person_id = d.closed_by";

/// Takes the next value of a named counter inside `tx`. The row is created on first use;
/// the UPDATE locks it until `tx` ends, so concurrent registrations queue and a rollback
/// returns the number: numbers never repeat and never skip.
pub(super) async fn next_number(tx: &mut Tx, name: &str) -> DbResult<i64> {
    tx.execute("INSERT INTO counters (name, value) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING", args![name]).await?;
    tx.fetch_one::<(i64,)>("UPDATE counters SET value = value + 1 WHERE name = $1 RETURNING value", args![name])
        .await
        .map(|r| r.0)
}

/// Inserts the document and seals its label (T18) in the same transaction.
#[allow(clippy::too_many_arguments)]
pub(super) async fn insert(
    tx: &mut Tx,
    key: &[u8],
    r: &Registration,
    year: i64,
    seq: i64,
    due: Option<Timestamp>,
    by: PersonId,
    now: Timestamp,
) -> DbResult<IncomingId> {
    let number = r.sender_number.as_ref().map(ToString::to_string).unwrap_or_default();
    let id = tx.insert_returning_id(
        "INSERT INTO incoming_documents (reg_year, reg_seq, sender_organ, sender_number, title, doc_type, classification,
            secrecy_period, copy_no, urgency, copies, pages, received_at, due_at, handling_kind, state, registered_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'registered', $16, $17) RETURNING incoming_id",
        args![year, seq, &r.sender_organ, number, &r.title, r.doc_type.code(), r.classification.code(), &r.secrecy_period, &r.copy_no,
            r.urgency.rank(), r.copies, r.pages, r.received_at, due, r.handling.code(), by, now],
    )
    .await?;
    let label = Label {
        kind: LabelKind::Incoming,
        id,
        classification: r.classification.code(),
        secrecy_period: &r.secrecy_period,
        copy_no: &r.copy_no,
    };
    crate::labels::seal(tx, key, &label).await?;
    Ok(IncomingId(id))
}

pub(super) async fn get(db: &Db, id: IncomingId) -> DbResult<Option<IncomingRow>> {
    db.fetch_optional(&format!("{SELECT} WHERE d.incoming_id = $1"), args![id]).await
}

pub(super) async fn get_tx(tx: &mut Tx, id: IncomingId) -> DbResult<Option<IncomingRow>> {
    tx.fetch_optional(&format!("{SELECT} WHERE d.incoming_id = $1"), args![id]).await
}

/// Earlier registrations of the same sender and number (the duplicate warning).
pub(super) async fn same_number(
    tx: &mut Tx,
    organ: &str,
    number: &str,
    except: Option<IncomingId>,
) -> DbResult<Vec<IncomingRow>> {
    tx.fetch_all(
        &format!(
            "{SELECT} WHERE d.sender_organ = $1 AND d.sender_number = $2 AND d.incoming_id <> $3 ORDER BY d.incoming_id"
        ),
        args![organ, number, except.map_or(0, |i| i.0)],
    )
    .await
}

pub(super) async fn same_number_db(
    db: &Db,
    organ: &str,
    number: &str,
    except: IncomingId,
) -> DbResult<Vec<IncomingRow>> {
    db.fetch_all(
        &format!(
            "{SELECT} WHERE d.sender_organ = $1 AND d.sender_number = $2 AND d.incoming_id <> $3 ORDER BY d.incoming_id"
        ),
        args![organ, number, except],
    )
    .await
}

/// Filters of the register; every one optional.
#[derive(Debug, Clone, Default)]
pub struct IncomingFilter {
    pub state: Option<String>,
    pub organ: Option<String>,
    pub doc_type: Option<String>,
    pub year: Option<i64>,
    pub department: Option<DepartmentId>,
}

pub(super) fn changed() -> ServiceError {
    ServiceError::Conflict("this document changed meanwhile; reload".into())
}

pub(super) async fn set_state(tx: &mut Tx, id: IncomingId, state: &str, version: i64) -> ServiceResult<()> {
    let n = tx
        .execute(
            "UPDATE incoming_documents SET state = $1, version = version + 1 WHERE incoming_id = $2 AND version = $3",
            args![state, id, version],
        )
        .await?;
    if n == 0 { Err(changed()) } else { Ok(()) }
}

pub(super) async fn set_proposal(
    tx: &mut Tx,
    id: IncomingId,
    opinion: &str,
    submission: &str,
    round: i64,
    by: PersonId,
    now: Timestamp,
) -> DbResult<()> {
    tx.execute(
        "UPDATE incoming_documents SET proposal = $1, submission_kind = $2, round = $3, proposed_by = $4, proposed_at = $5 WHERE incoming_id = $6",
        args![opinion, submission, round, by, now, id],
    )
    .await
    .map(|_| ())
}

pub(super) async fn set_returned(
    tx: &mut Tx,
    id: IncomingId,
    reason: &str,
    by: PersonId,
    now: Timestamp,
) -> DbResult<()> {
    tx.execute(
        "UPDATE incoming_documents SET return_reason = $1, closed_by = $2, closed_at = $3 WHERE incoming_id = $4",
        args![reason, by, now, id],
    )
    .await
    .map(|_| ())
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn set_closed(
    tx: &mut Tx,
    id: IncomingId,
    outcome: &str,
    reply: &str,
    promoted: bool,
    by: PersonId,
    now: Timestamp,
) -> DbResult<()> {
    tx.execute(
        "UPDATE incoming_documents SET outcome = $1, reply = $2, promoted = $3, closed_by = $4, closed_at = $5 WHERE incoming_id = $6",
        args![outcome, reply, promoted, by, now, id],
    )
    .await
    .map(|_| ())
}
