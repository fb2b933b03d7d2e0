//! API tokens for integrations: shown once, stored as an SM3 digest, revocable, optional expiry.

use super::{digest_token, new_secret};
use crate::audit::{self, Origin};
use crate::{ServiceError, ServiceResult, Services, args};
use mishu_domain::audit::AuditEvent;
use mishu_domain::{ApiTokenId, PersonId, Timestamp};
use serde::Serialize;
use serde_json::json;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ApiTokenView {
    pub token_id: i64,
    pub name: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// Creates a token for `person`; returns it in clear once.
pub async fn create(
    s: &Services,
    origin: &Origin,
    person: PersonId,
    name: &str,
    expires_at: Option<Timestamp>,
) -> ServiceResult<(ApiTokenId, String)> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(ServiceError::invalid("name", "1–60 characters"));
    }
    let now = s.clock.now();
    if expires_at.is_some_and(|e| e <= now) {
        return Err(ServiceError::invalid("expires_at", "must be in the future"));
    }
    let (raw, _) = new_secret();
    let token = format!("mishu_{raw}");
    let hash = digest_token(&token);
    let mut tx = s.db.begin().await?;
    let id = tx
        .insert_returning_id(
            "INSERT INTO api_tokens (person_id, name, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING token_id",
            args![person, name, &hash, now, expires_at],
        )
        .await?;
    audit::append(
        &mut tx,
        &s.audit_key,
        origin,
        now,
        &AuditEvent::new(
            "api_token.created",
            "api_token",
            Some(id.to_string()),
            json!({"name": name, "person_id": person.0}),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok((ApiTokenId(id), token))
}

pub async fn list(s: &Services, person: PersonId) -> ServiceResult<Vec<ApiTokenView>> {
    Ok(s.db
        .fetch_all(
            "SELECT token_id, name, created_at, expires_at, last_used_at, revoked_at FROM api_tokens WHERE person_id = $1 ORDER BY token_id DESC",
            args![person],
        )
        .await?)
}

pub async fn revoke(s: &Services, origin: &Origin, person: PersonId, id: ApiTokenId) -> ServiceResult<()> {
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let n = tx
        .execute(
            "UPDATE api_tokens SET revoked_at = $1 WHERE token_id = $2 AND person_id = $3 AND revoked_at IS NULL",
            args![now, id, person],
        )
        .await?;
    if n == 0 {
        return Err(ServiceError::NotFound);
    }
    audit::append(
        &mut tx,
        &s.audit_key,
        origin,
        now,
        &AuditEvent::new("api_token.revoked", "api_token", Some(id.to_string()), json!({})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The person a bearer token stands for, if it is live.
pub async fn authenticate(s: &Services, token: &str) -> ServiceResult<Option<PersonId>> {
    let now = s.clock.now();
    let row: Option<(i64, i64)> = s
        .db
        .fetch_optional(
            "SELECT t.token_id, t.person_id FROM api_tokens t JOIN people p ON p.person_id = t.person_id
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2) AND p.active",
            args![digest_token(token), now],
        )
        .await?;
    if let Some((id, _)) = row {
        // Bookkeeping, at most once a minute: not a write per API call, and a full disk must
        // not turn every read into an error (T3); the business writes still fail with 507.
        let touched = s
            .db
            .execute(
                "UPDATE api_tokens SET last_used_at = $1 WHERE token_id = $2 AND (last_used_at IS NULL OR last_used_at < $3)",
                args![now, id, now.0 - 60_000],
            )
            .await;
        match touched {
            Err(e) if e.is_storage_full() => tracing::warn!(error = %e, "storage full: token use not recorded"),
            other => {
                other?;
            }
        }
    }
    Ok(row.map(|(_, p)| PersonId(p)))
}
