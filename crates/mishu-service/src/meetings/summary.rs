//! The minutes circulated as a 纪要 (R3.3): whoever runs the meeting turns its recorded
//! minutes into an outgoing draft in the 纪要格式 — the title, the text from the minutes and
//! the decisions with their owners and deadlines, the chair as signer, the attendees'
//! departments as recipients — which then goes the outgoing route (check, sign-off, number,
//! distribution with receipts). One 纪要 per meeting.

use super::MEETING_DOMAIN;
use super::meeting_store as store;
use crate::audit::{self, Origin};
use crate::{ServiceError, ServiceResult, Services, args, outgoing};
use mishu_domain::access::Actor;
use mishu_domain::audit::AuditEvent;
use mishu_domain::incoming::DocType;
use mishu_domain::meetings::{MeetingError, SummaryDecision, summary_body, summary_title};
use mishu_domain::outgoing::{DraftInput, RecipientInput};
use mishu_domain::{MeetingId, OutgoingId, PersonId, Timestamp};
use serde_json::json;

/// The 纪要 drafted from the meeting's minutes, if one was.
pub async fn summary_of(s: &Services, id: MeetingId) -> ServiceResult<Option<OutgoingId>> {
    let row: Option<(i64,)> =
        s.db.fetch_optional("SELECT outgoing_id FROM meeting_summaries WHERE meeting_id = $1", args![id]).await?;
    Ok(row.map(|r| OutgoingId(r.0)))
}

/// The 机关代字 the office last used for a 纪要, offered when drafting the next one.
pub async fn usual_prefix(s: &Services) -> ServiceResult<Option<String>> {
    outgoing::last_prefix(s, DocType::Minutes).await
}

/// Drafts the 纪要 of a meeting whose minutes are recorded; answers the draft (the one made
/// before, if any). The actor becomes its drafter.
pub async fn draft_summary(
    s: &Services,
    actor: &Actor,
    id: MeetingId,
    prefix: &str,
    source_ip: &str,
) -> ServiceResult<OutgoingId> {
    let m = store::get(&s.db, id).await?.ok_or(ServiceError::NotFound)?;
    if !super::meeting::runs(actor, &m) {
        return Err(ServiceError::Forbidden);
    }
    if let Some(done) = summary_of(s, id).await? {
        return Ok(done);
    }
    let Some(minutes) = m.minutes.as_deref() else {
        return Err(MeetingError::MinutesRequired.into());
    };
    let title = summary_title(&m.title)
        .ok_or_else(|| ServiceError::invalid("title", "the meeting's name is too long for a 纪要 title"))?;
    let prefix = match prefix.trim() {
        "" => usual_prefix(s).await?.ok_or_else(|| ServiceError::invalid("prefix", "required (机关代字)"))?,
        p => p.to_string(),
    };
    let decisions: Vec<SummaryDecision> = store::decisions(&s.db, id)
        .await?
        .into_iter()
        .map(|d| SummaryDecision { text: d.text, owner: d.owner_name, due: Timestamp(d.due_at).local_date() })
        .collect();
    let departments: Vec<(i64,)> =
        s.db.fetch_all(
            "SELECT DISTINCT p.department_id FROM meeting_attendees a JOIN people p ON p.person_id = a.person_id
             JOIN departments d ON d.department_id = p.department_id
             WHERE a.meeting_id = $1 AND d.active ORDER BY p.department_id",
            args![id],
        )
        .await?;
    let input = DraftInput {
        title,
        doc_type: "纪要".into(),
        prefix,
        intent: format!("据{}的会议记录整理", m.title),
        signer: Some(PersonId(m.chair_id)),
        recipients: departments.iter().map(|(d,)| RecipientInput::new("main", "department", d)).collect(),
        ..DraftInput::default()
    };
    let draft = outgoing::create(s, actor, input, source_ip).await?;
    outgoing::add_version(s, actor, draft, &summary_body(minutes, &decisions), "据会议记录起草", source_ip).await?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let linked = tx
        .execute(
            "INSERT INTO meeting_summaries (meeting_id, outgoing_id, drafted_by, drafted_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (meeting_id) DO NOTHING",
            args![id, draft, actor.person_id, now],
        )
        .await?;
    if linked == 0 {
        // Two clicks at once: the first draft is the meeting's; this one stays in the
        // drafter's box as an ordinary draft.
        drop(tx);
        return Ok(summary_of(s, id).await?.unwrap_or(draft));
    }
    let detail = json!({"outgoing_id": draft.0});
    let ev = AuditEvent::new("meeting.summary_drafted", MEETING_DOMAIN, Some(id.to_string()), detail);
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &ev).await?;
    tx.commit().await?;
    Ok(draft)
}
