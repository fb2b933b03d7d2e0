//! What can be filed: `FilingSource`, one variant and one loader per domain. A loader reads
//! the finished item inside the filing transaction and returns its catalogue fields, its
//! files and its whole route (the domain's own steps plus its audit records) as a snapshot.
//!
//! Adding a domain = one more variant here, its loader, and its `SourceKind` in
//! `mishu_domain::archives` (see ARCHITECTURE.md "Archives"). A source with slow work (the
//! issued outgoing document's PDF) does it in `prepare`, before the transaction.

use super::outgoing_source;
use crate::db::Tx;
use crate::outgoing::IssuedCopy;
use crate::{ServiceError, ServiceResult, Services, args};
use chrono::NaiveDate;
use mishu_domain::access::Actor;
use mishu_domain::archives::SourceKind;
use mishu_domain::{IncomingId, LeaderTaskId, MeetingId, OutgoingId, SealApplicationId, Timestamp};
use serde_json::{Value, json};

/// A finished item to file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilingSource {
    /// A closed received document (收文).
    Incoming(IncomingId),
    /// A meeting whose minutes are recorded.
    Meeting(MeetingId),
    /// A stamped seal-use application (用印登记).
    SealApplication(SealApplicationId),
    /// A closed leader-assigned task (领导交办).
    LeaderTask(LeaderTaskId),
    /// An issued (distributed) outgoing document (发文).
    Outgoing(OutgoingId),
}

/// What a source's `prepare` made before the transaction.
#[derive(Debug)]
pub(super) enum Prepared {
    Nothing,
    Outgoing(Box<IssuedCopy>),
}

/// A file of the source to copy into the archive: stored bytes or a text made at filing.
#[derive(Debug, Clone)]
pub enum SourceFile {
    Stored {
        key: String,
        filename: String,
        kind: String,
    },
    Text {
        filename: String,
        text: String,
    },
    /// Bytes made at filing (the rendered 正本).
    Bytes {
        filename: String,
        kind: String,
        bytes: Vec<u8>,
    },
}

/// The finished item as the catalogue needs it (GB/T 33480 core fields we hold).
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub title: String,
    pub doc_number: String,
    pub responsible: String,
    pub date: NaiveDate,
    pub doc_type: String,
    pub classification: String,
    pub pages: i64,
    pub department_id: Option<i64>,
    pub files: Vec<SourceFile>,
    pub route: Value,
}

impl FilingSource {
    pub fn kind(self) -> SourceKind {
        match self {
            FilingSource::Incoming(_) => SourceKind::Incoming,
            FilingSource::Meeting(_) => SourceKind::Meeting,
            FilingSource::SealApplication(_) => SourceKind::SealApplication,
            FilingSource::LeaderTask(_) => SourceKind::LeaderTask,
            FilingSource::Outgoing(_) => SourceKind::Outgoing,
        }
    }

    pub fn id(self) -> i64 {
        match self {
            FilingSource::Incoming(i) => i.0,
            FilingSource::Meeting(i) => i.0,
            FilingSource::SealApplication(i) => i.0,
            FilingSource::LeaderTask(i) => i.0,
            FilingSource::Outgoing(i) => i.0,
        }
    }

    /// From a form or the API: `kind` as `SourceKind::code`, and the id.
    pub fn parse(kind: &str, id: i64) -> ServiceResult<FilingSource> {
        Ok(match SourceKind::parse(kind)? {
            SourceKind::Incoming => FilingSource::Incoming(IncomingId(id)),
            SourceKind::Meeting => FilingSource::Meeting(MeetingId(id)),
            SourceKind::SealApplication => FilingSource::SealApplication(SealApplicationId(id)),
            SourceKind::LeaderTask => FilingSource::LeaderTask(LeaderTaskId(id)),
            SourceKind::Outgoing => FilingSource::Outgoing(OutgoingId(id)),
        })
    }

    /// The kind of label the source carries, for the sources that have a 密级 of their own.
    pub(super) fn label_kind(self) -> Option<crate::labels::LabelKind> {
        match self {
            FilingSource::Incoming(_) => Some(crate::labels::LabelKind::Incoming),
            FilingSource::Outgoing(_) => Some(crate::labels::LabelKind::Outgoing),
            FilingSource::Meeting(_) | FilingSource::SealApplication(_) | FilingSource::LeaderTask(_) => None,
        }
    }

    /// The audit log's subject type for this source.
    fn audit_subject(self) -> &'static str {
        match self {
            FilingSource::Incoming(_) => crate::incoming::DOMAIN,
            FilingSource::Meeting(_) => crate::meetings::MEETING_DOMAIN,
            FilingSource::SealApplication(_) => crate::seals::APPLICATION_AUDIT,
            FilingSource::LeaderTask(_) => crate::leader_tasks::DOMAIN,
            FilingSource::Outgoing(_) => crate::outgoing::DOMAIN,
        }
    }

    /// The slow part of loading, before the filing transaction (rendering a PDF); refuses
    /// early what cannot be filed.
    pub(super) async fn prepare(self, s: &Services, actor: &Actor) -> ServiceResult<Prepared> {
        Ok(match self {
            FilingSource::Outgoing(id) => Prepared::Outgoing(Box::new(outgoing_source::prepare(s, actor, id).await?)),
            _ => Prepared::Nothing,
        })
    }

    /// Loads the finished item; an unfinished one is refused naming `source`.
    pub(super) async fn load(self, tx: &mut Tx, prepared: Prepared) -> ServiceResult<Snapshot> {
        let mut snap = match (self, prepared) {
            (FilingSource::Incoming(id), _) => load_incoming(tx, id).await?,
            (FilingSource::Meeting(id), _) => load_meeting(tx, id).await?,
            (FilingSource::SealApplication(id), _) => load_seal_application(tx, id).await?,
            (FilingSource::LeaderTask(id), _) => load_leader_task(tx, id).await?,
            (FilingSource::Outgoing(id), Prepared::Outgoing(copy)) => outgoing_source::load(tx, id, *copy).await?,
            (FilingSource::Outgoing(_), Prepared::Nothing) => {
                return Err(ServiceError::Conflict("the document was not prepared for filing".into()));
            }
        };
        snap.route["audit"] = audit_trail(tx, self.audit_subject(), self.id()).await?;
        Ok(snap)
    }
}

fn unfinished() -> ServiceError {
    ServiceError::invalid("source", "not finished: only closed items are filed")
}

fn day(ms: i64) -> NaiveDate {
    Timestamp(ms).local_date()
}

/// Every audit record of the subject, oldest first: the item's history as it happened.
async fn audit_trail(tx: &mut Tx, subject: &str, id: i64) -> ServiceResult<Value> {
    let rows: Vec<(i64, i64, Option<String>, String, String)> = tx
        .fetch_all(
            "SELECT a.seq, a.at, p.name, a.action, a.detail FROM audit_log a
             LEFT JOIN people p ON p.person_id = a.actor_id
             WHERE a.subject_type = $1 AND a.subject_id = $2 ORDER BY a.seq",
            args![subject, id.to_string()],
        )
        .await?;
    Ok(Value::Array(
        rows.into_iter()
            .map(|(seq, at, who, action, detail)| {
                let detail: Value = serde_json::from_str(&detail).unwrap_or(Value::Null);
                json!({"seq": seq, "at": Timestamp(at).rfc3339(), "by": who, "action": action, "detail": detail})
            })
            .collect(),
    ))
}

/// Row shapes read by the loaders (plain tuples decode the same on both backends).
type StepLine = (String, String, String, Option<String>, Option<i64>, Option<String>);
type MeetingHead = (String, String, i64, Option<String>, String, Option<i64>);
type TaskHead = (String, String, String, String, Option<String>, Option<i64>, Option<i64>);
type IncomingHead = (String, String, String, i64, String, String, Option<i64>, String, Option<String>, Option<String>);

async fn load_incoming(tx: &mut Tx, id: IncomingId) -> ServiceResult<Snapshot> {
    let d: Option<IncomingHead> = tx
        .fetch_optional(
            "SELECT title, sender_number, sender_organ, received_at, doc_type, classification, pages, state,
             outcome, reply FROM incoming_documents WHERE incoming_id = $1",
            args![id],
        )
        .await?;
    let (title, number, organ, received_at, doc_type, classification, pages, state, outcome, reply) =
        d.ok_or(ServiceError::NotFound)?;
    if state != "closed" {
        return Err(unfinished());
    }
    let steps: Vec<StepLine> = tx
        .fetch_all(
            "SELECT s.stage, p.name, s.state, s.text, s.acted_at, d.name FROM incoming_steps s
             JOIN people p ON p.person_id = s.person_id LEFT JOIN departments d ON d.department_id = s.department_id
             WHERE s.incoming_id = $1 ORDER BY s.step_id",
            args![id],
        )
        .await?;
    let lead: Option<(Option<i64>,)> = tx
        .fetch_optional(
            "SELECT department_id FROM incoming_steps WHERE incoming_id = $1 AND department_id IS NOT NULL
             ORDER BY lead DESC, step_id LIMIT 1",
            args![id],
        )
        .await?;
    let files: Vec<(String, String, String)> = tx
        .fetch_all(
            "SELECT storage_key, filename, kind FROM incoming_files WHERE incoming_id = $1 ORDER BY file_id",
            args![id],
        )
        .await?;
    let steps: Vec<Value> = steps
        .into_iter()
        .map(|(stage, who, state, text, at, dept)| {
            json!({"stage": stage, "person": who, "department": dept, "state": state, "text": text,
                   "at": at.map(|t| Timestamp(t).rfc3339())})
        })
        .collect();
    Ok(Snapshot {
        title,
        doc_number: number,
        responsible: organ,
        date: day(received_at),
        doc_type,
        classification,
        pages: pages.unwrap_or(0),
        department_id: lead.and_then(|(d,)| d),
        files: files.into_iter().map(|(key, filename, kind)| SourceFile::Stored { key, filename, kind }).collect(),
        route: json!({"steps": steps, "outcome": outcome, "reply": reply}),
    })
}

async fn load_meeting(tx: &mut Tx, id: MeetingId) -> ServiceResult<Snapshot> {
    let m: Option<MeetingHead> = tx
        .fetch_optional(
            "SELECT m.title, p.name, m.starts_at, m.minutes, m.location, p.department_id FROM meetings m
             JOIN people p ON p.person_id = m.chair_id WHERE m.meeting_id = $1",
            args![id],
        )
        .await?;
    let (title, chair, starts_at, minutes, location, department) = m.ok_or(ServiceError::NotFound)?;
    let minutes = minutes.filter(|t| !t.trim().is_empty()).ok_or_else(unfinished)?;
    let attendees: Vec<(String, String)> = tx
        .fetch_all(
            "SELECT p.name, a.rsvp FROM meeting_attendees a JOIN people p ON p.person_id = a.person_id
             WHERE a.meeting_id = $1 ORDER BY p.sort_order, p.person_id",
            args![id],
        )
        .await?;
    let decisions: Vec<(String, String, String, Option<String>)> = tx
        .fetch_all(
            "SELECT d.text, p.name, d.state, d.answer FROM meeting_decisions d JOIN people p ON p.person_id = d.owner_id
             WHERE d.meeting_id = $1 ORDER BY d.decision_id",
            args![id],
        )
        .await?;
    let text = format!("{title}\n\n{minutes}\n");
    Ok(Snapshot {
        title: format!("{title}纪要"),
        doc_number: String::new(),
        responsible: chair,
        date: day(starts_at),
        doc_type: "minutes".into(),
        classification: "none".into(),
        pages: 0,
        department_id: department,
        files: vec![SourceFile::Text { filename: "纪要.txt".into(), text }],
        route: json!({
            "location": location,
            "attendees": attendees.into_iter().map(|(n, r)| json!({"name": n, "rsvp": r})).collect::<Vec<_>>(),
            "decisions": decisions.into_iter().map(|(t, o, s, a)| json!({"text": t, "owner": o, "state": s, "answer": a}))
                .collect::<Vec<_>>(),
        }),
    })
}

async fn load_seal_application(tx: &mut Tx, id: SealApplicationId) -> ServiceResult<Snapshot> {
    let a: Option<(String, String, i64, String, String, i64, i64)> = tx
        .fetch_optional(
            "SELECT a.document_title, a.purpose, a.copies, s.name, d.name, a.department_id, a.created_at
             FROM seal_applications a JOIN seals s ON s.seal_id = a.seal_id
             JOIN departments d ON d.department_id = a.department_id WHERE a.application_id = $1",
            args![id],
        )
        .await?;
    let (doc_title, purpose, copies, seal, department, department_id, _) = a.ok_or(ServiceError::NotFound)?;
    let used: Option<(i64, String)> = tx
        .fetch_optional(
            "SELECT u.used_at, p.name FROM seal_uses u JOIN people p ON p.person_id = u.keeper_id
             WHERE u.application_id = $1",
            args![id],
        )
        .await?;
    let (used_at, keeper) = used.ok_or_else(unfinished)?;
    Ok(Snapshot {
        title: format!("{department}关于《{doc_title}》的用印申请"),
        doc_number: String::new(),
        responsible: department,
        date: day(used_at),
        doc_type: "seal_register".into(),
        classification: "none".into(),
        pages: 0,
        department_id: Some(department_id),
        files: vec![],
        route: json!({"seal": seal, "purpose": purpose, "copies": copies, "keeper": keeper}),
    })
}

async fn load_leader_task(tx: &mut Tx, id: LeaderTaskId) -> ServiceResult<Snapshot> {
    let t: Option<TaskHead> = tx
        .fetch_optional(
            "SELECT t.title, t.body, l.name, t.state, t.answer, t.closed_at, o.department_id FROM leader_tasks t
             JOIN people l ON l.person_id = t.leader_id JOIN people o ON o.person_id = t.owner_id
             WHERE t.leader_task_id = $1",
            args![id],
        )
        .await?;
    let (title, body, leader, state, answer, closed_at, department) = t.ok_or(ServiceError::NotFound)?;
    let closed_at = closed_at.filter(|_| state == "closed").ok_or_else(unfinished)?;
    let answer = answer.unwrap_or_default();
    Ok(Snapshot {
        title: format!("关于“{title}”的办理情况"),
        doc_number: String::new(),
        responsible: leader,
        date: day(closed_at),
        doc_type: "leader_task".into(),
        classification: "none".into(),
        pages: 0,
        department_id: department,
        files: vec![SourceFile::Text {
            filename: "办理情况.txt".into(),
            text: format!("{title}\n\n{body}\n\n{answer}\n"),
        }],
        route: json!({"body": body, "answer": answer}),
    })
}
