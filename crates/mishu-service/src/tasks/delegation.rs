//! Delegation: a person lets another act for them for a bounded time. The delegate sees the
//! principal's inbox while acting for them, and every record says "X acting for Y".

use crate::audit::{self, Origin};
use crate::db::Db;
use crate::{ServiceError, ServiceResult, Services, args};
use mishu_domain::access::Actor;
use mishu_domain::audit::AuditEvent;
use mishu_domain::{DelegationId, PersonId, Timestamp};
use serde::Serialize;
use serde_json::json;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DelegationView {
    pub delegation_id: i64,
    pub principal_id: i64,
    pub principal_name: String,
    pub delegate_id: i64,
    pub delegate_name: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub reason: String,
    pub revoked_at: Option<i64>,
}

/// At most 90 days: a delegation is for an absence, not a standing transfer of office.
const MAX_DAYS: i64 = 90;

pub async fn create_delegation(
    s: &Services,
    actor: &Actor,
    delegate: PersonId,
    starts_at: Timestamp,
    ends_at: Timestamp,
    reason: &str,
    source_ip: &str,
) -> ServiceResult<DelegationId> {
    let now = s.clock.now();
    if delegate == actor.person_id {
        return Err(ServiceError::invalid("delegate", "cannot delegate to yourself"));
    }
    if ends_at <= starts_at || ends_at <= now {
        return Err(ServiceError::invalid("ends_at", "must be after the start and in the future"));
    }
    if ends_at.0 - starts_at.0 > MAX_DAYS * 86_400_000 {
        return Err(ServiceError::invalid("ends_at", format!("at most {MAX_DAYS} days")));
    }
    let target: Option<(bool, Option<String>)> =
        s.db.fetch_optional("SELECT active, admin_kind FROM people WHERE person_id = $1", args![delegate]).await?;
    match target {
        Some((true, None)) => {}
        _ => return Err(ServiceError::invalid("delegate", "no such active staff member")),
    }
    let mut tx = s.db.begin().await?;
    let id = tx
        .insert_returning_id(
            "INSERT INTO delegations (principal_id, delegate_id, starts_at, ends_at, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING delegation_id",
            args![actor.person_id, delegate, starts_at, ends_at, reason.trim(), now],
        )
        .await?;
    audit::append(
        &mut tx,
        &s.audit_key,
        &Origin::of(actor, source_ip),
        now,
        &AuditEvent::new(
            "delegation.created",
            "delegation",
            Some(id.to_string()),
            json!({"delegate_id": delegate.0, "starts_at": starts_at.0, "ends_at": ends_at.0}),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(DelegationId(id))
}

pub async fn revoke_delegation(s: &Services, actor: &Actor, id: DelegationId, source_ip: &str) -> ServiceResult<()> {
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let n = tx
        .execute("UPDATE delegations SET revoked_at = $1 WHERE delegation_id = $2 AND principal_id = $3 AND revoked_at IS NULL", args![now, id, actor.person_id])
        .await?;
    if n == 0 {
        return Err(ServiceError::NotFound);
    }
    tx.execute("UPDATE sessions SET acting_for = NULL WHERE acting_for = $1", args![actor.person_id]).await?;
    audit::append(
        &mut tx,
        &s.audit_key,
        &Origin::of(actor, source_ip),
        now,
        &AuditEvent::new("delegation.revoked", "delegation", Some(id.to_string()), json!({})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Delegations given by or to a person, newest first.
pub async fn delegations_for(s: &Services, person: PersonId) -> ServiceResult<Vec<DelegationView>> {
    Ok(s.db
        .fetch_all(
            "SELECT d.delegation_id, d.principal_id, p.name AS principal_name, d.delegate_id, q.name AS delegate_name,
                    d.starts_at, d.ends_at, d.reason, d.revoked_at
             FROM delegations d JOIN people p ON p.person_id = d.principal_id JOIN people q ON q.person_id = d.delegate_id
             WHERE d.principal_id = $1 OR d.delegate_id = $1 ORDER BY d.delegation_id DESC LIMIT 100",
            args![person],
        )
        .await?)
}

pub async fn delegation_active(
    db: &Db,
    principal: PersonId,
    delegate: PersonId,
    now: Timestamp,
) -> ServiceResult<bool> {
    let row: Option<(i64,)> = db
        .fetch_optional(
            "SELECT delegation_id FROM delegations WHERE principal_id = $1 AND delegate_id = $2 AND revoked_at IS NULL AND starts_at <= $3 AND ends_at > $3 LIMIT 1",
            args![principal, delegate, now],
        )
        .await?;
    Ok(row.is_some())
}
