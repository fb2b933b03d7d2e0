//! Leaders' activities (调研, 出差, 接待, 外出开会…) that are not room bookings: the office
//! enters them so the weekly arrangement shows each leader's whole week (R5.4).

use super::store::{self, ActivityFields};
use crate::audit::{self, Origin};
use crate::db::Tx;
use crate::{ServiceError, ServiceResult, Services, args};
use mishu_domain::access::Actor;
use mishu_domain::audit::AuditEvent;
use mishu_domain::org::Role;
use mishu_domain::{PersonId, Timestamp};
use serde_json::json;

const DOMAIN: &str = "leader_activity";

#[derive(Debug, Clone)]
pub struct NewActivity {
    pub leader_id: PersonId,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub place: String,
    pub what: String,
}

/// The office (head and secretaries) keeps the arrangement.
pub(super) fn is_office(actor: &Actor) -> bool {
    actor.is_business_user() && (actor.has_role(Role::OfficeHead) || actor.has_role(Role::Secretary))
}

async fn checked<'a>(tx: &mut Tx, n: &'a NewActivity) -> ServiceResult<ActivityFields<'a>> {
    let (what, place) = (n.what.trim(), n.place.trim());
    if what.is_empty() || what.chars().count() > 200 || what.contains('\0') {
        return Err(ServiceError::invalid("what", "required, at most 200 characters"));
    }
    if place.chars().count() > 100 || place.contains('\0') {
        return Err(ServiceError::invalid("place", "at most 100 characters"));
    }
    if n.ends_at <= n.starts_at {
        return Err(ServiceError::invalid("ends_at", "must be after the start"));
    }
    if n.ends_at.0 - n.starts_at.0 > 14 * 86_400_000 {
        return Err(ServiceError::invalid("ends_at", "at most 14 days after the start"));
    }
    let leader: Option<(i64,)> = tx
        .fetch_optional(
            "SELECT p.person_id FROM people p JOIN person_roles r ON r.person_id = p.person_id
             WHERE p.person_id = $1 AND p.active AND r.role = 'leader'",
            args![n.leader_id],
        )
        .await?;
    if leader.is_none() {
        return Err(ServiceError::invalid("leader_id", "not a leader of the organ"));
    }
    Ok(ActivityFields { leader: n.leader_id, from: n.starts_at, to: n.ends_at, place, what })
}

fn detail(f: &ActivityFields<'_>) -> serde_json::Value {
    json!({"leader_id": f.leader.0, "starts_at": f.from.0, "ends_at": f.to.0, "place": f.place, "what": f.what})
}

pub async fn add_activity(s: &Services, actor: &Actor, n: NewActivity, source_ip: &str) -> ServiceResult<i64> {
    if !is_office(actor) {
        return Err(ServiceError::Forbidden);
    }
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let f = checked(&mut tx, &n).await?;
    let id = store::insert_activity(&mut tx, &f, actor.person_id, now).await?;
    let ev = AuditEvent::new("leader_activity.added", DOMAIN, Some(id.to_string()), detail(&f));
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &ev).await?;
    tx.commit().await?;
    Ok(id)
}

/// Moves or rewrites an activity; the old values go into the audit event.
pub async fn update_activity(
    s: &Services,
    actor: &Actor,
    id: i64,
    n: NewActivity,
    source_ip: &str,
) -> ServiceResult<()> {
    if !is_office(actor) {
        return Err(ServiceError::Forbidden);
    }
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let old = store::activity_tx(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    let f = checked(&mut tx, &n).await?;
    if old.state != "active" || !store::update_activity(&mut tx, id, &f, old.version, now).await? {
        return Err(ServiceError::Conflict("this activity changed meanwhile or was cancelled; reload".into()));
    }
    let mut d = detail(&f);
    d["before"] = serde_json::to_value(&old).unwrap_or_default();
    let ev = AuditEvent::new("leader_activity.changed", DOMAIN, Some(id.to_string()), d);
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &ev).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn cancel_activity(s: &Services, actor: &Actor, id: i64, source_ip: &str) -> ServiceResult<()> {
    if !is_office(actor) {
        return Err(ServiceError::Forbidden);
    }
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let old = store::activity_tx(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    if old.state != "active" || !store::cancel_activity(&mut tx, id, old.version, now).await? {
        return Err(ServiceError::Conflict("this activity is already cancelled".into()));
    }
    let ev = AuditEvent::new("leader_activity.cancelled", DOMAIN, Some(id.to_string()), json!({"what": old.what}));
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &ev).await?;
    tx.commit().await?;
    Ok(())
}
