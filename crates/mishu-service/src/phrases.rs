//! Saved phrases (常用意见): the organ's defaults and each person's own, offered one click
//! away where leaders write instructions and the office writes proposals.

use crate::audit::{self, Origin};
use crate::{ServiceError, ServiceResult, Services, args};
use mishu_domain::PersonId;
use mishu_domain::access::Actor;
use mishu_domain::audit::AuditEvent;
use serde::Serialize;
use serde_json::json;

pub const MAX_CHARS: usize = 200;
pub const MAX_PER_PERSON: i64 = 50;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PhraseRow {
    pub phrase_id: i64,
    /// `None` for the organ's defaults.
    pub person_id: Option<i64>,
    pub text: String,
}

/// The organ's defaults first, then the person's own in the order they were saved.
pub async fn list(s: &Services, person: PersonId) -> ServiceResult<Vec<PhraseRow>> {
    Ok(s.db
        .fetch_all(
            "SELECT phrase_id, person_id, text FROM saved_phrases WHERE person_id IS NULL OR person_id = $1
             ORDER BY CASE WHEN person_id IS NULL THEN 0 ELSE 1 END, phrase_id",
            args![person],
        )
        .await?)
}

/// Saves a phrase for the actor (the person they act for, when acting for a leader).
pub async fn add(s: &Services, actor: &Actor, text: &str, source_ip: &str) -> ServiceResult<i64> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_CHARS {
        return Err(ServiceError::invalid("text", format!("1 to {MAX_CHARS} characters")));
    }
    let owner = actor.acting_for.unwrap_or(actor.person_id);
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let (n,): (i64,) = tx.fetch_one("SELECT COUNT(*) FROM saved_phrases WHERE person_id = $1", args![owner]).await?;
    if n >= MAX_PER_PERSON {
        return Err(ServiceError::invalid("text", format!("at most {MAX_PER_PERSON} phrases; delete one first")));
    }
    let id = tx
        .insert_returning_id(
            "INSERT INTO saved_phrases (person_id, text, created_at) VALUES ($1, $2, $3) RETURNING phrase_id",
            args![owner, text, now],
        )
        .await?;
    let event = AuditEvent::new("phrase.added", "phrase", Some(id.to_string()), json!({"text": text}));
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &event).await?;
    tx.commit().await?;
    Ok(id)
}

/// Deletes one of the actor's own phrases; the organ's defaults and other people's are not theirs.
pub async fn delete(s: &Services, actor: &Actor, phrase_id: i64, source_ip: &str) -> ServiceResult<()> {
    let owner = actor.acting_for.unwrap_or(actor.person_id);
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let n = tx
        .execute("DELETE FROM saved_phrases WHERE phrase_id = $1 AND person_id = $2", args![phrase_id, owner])
        .await?;
    if n == 0 {
        return Err(ServiceError::NotFound);
    }
    let event = AuditEvent::new("phrase.deleted", "phrase", Some(phrase_id.to_string()), json!({}));
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &event).await?;
    tx.commit().await?;
    Ok(())
}
