//! Departments in and out of use: one that still holds active people or active
//! sub-departments cannot be disabled, and nobody is placed in a disabled or missing one.

use super::{DepartmentRow, store};
use crate::audit::{self, Origin};
use crate::{ServiceError, ServiceResult, Services};
use mishu_domain::DepartmentId;
use mishu_domain::audit::AuditEvent;
use mishu_domain::org::OrgError;
use serde_json::json;

pub async fn department(s: &Services, id: DepartmentId) -> ServiceResult<DepartmentRow> {
    store::department(&s.db, id).await?.ok_or(ServiceError::NotFound)
}

/// A department someone or something is being placed in must exist and be in use.
pub(crate) async fn check_department(s: &Services, id: Option<DepartmentId>) -> ServiceResult<()> {
    let Some(id) = id else { return Ok(()) };
    match store::department(&s.db, id).await? {
        Some(d) if d.active => Ok(()),
        Some(d) => Err(ServiceError::invalid("department", format!("`{}` is disabled", d.name))),
        None => Err(OrgError::UnknownDepartment(id.to_string()).into()),
    }
}

/// Disables or re-enables a department. Disabling one that still has active people or
/// sub-departments would leave them in a unit that no longer exists: `DepartmentNotEmpty`.
/// Re-enabling needs the parent to be in use.
pub async fn set_department_active(s: &Services, origin: &Origin, id: DepartmentId, active: bool) -> ServiceResult<()> {
    let d = department(s, id).await?;
    if active {
        check_department(s, d.parent_id.map(DepartmentId)).await?;
    }
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    if !active && store::active_members(&mut tx, id).await? > 0 {
        return Err(OrgError::DepartmentNotEmpty.into());
    }
    store::set_department_active(&mut tx, id, active).await?;
    let action = if active { "org.department_enabled" } else { "org.department_disabled" };
    let event = AuditEvent::new(action, "department", Some(id.to_string()), json!({"name": d.name}));
    audit::append(&mut tx, &s.audit_key, origin, now, &event).await?;
    tx.commit().await?;
    Ok(())
}

/// Supervised departments and areas without repeats; every department must exist and each
/// area be a short single line.
pub(super) async fn clean_supervision(
    s: &Services,
    departments: &[DepartmentId],
    areas: &[String],
) -> ServiceResult<(Vec<DepartmentId>, Vec<String>)> {
    let known = store::departments(&s.db).await?;
    if let Some(d) = departments.iter().find(|d| !known.iter().any(|k| k.department_id == d.0)) {
        return Err(OrgError::UnknownDepartment(d.to_string()).into());
    }
    let mut depts = departments.to_vec();
    depts.sort_by_key(|d| d.0);
    depts.dedup();
    let mut clean: Vec<String> = Vec::new();
    for a in areas.iter().map(|a| a.trim()).filter(|a| !a.is_empty()) {
        if a.chars().count() > 60 || a.chars().any(char::is_control) {
            let msg = format!("`{a}` is not a usable area (at most 60 characters, one per line)");
            return Err(ServiceError::invalid("areas", msg));
        }
        if !clean.iter().any(|c| c == a) {
            clean.push(a.to_string());
        }
    }
    Ok((depts, clean))
}
