//! The system administrator's work on business people (staff): edit their details, disable
//! and enable them, give a temporary password, lift a lockout. Administrator accounts are
//! refused here: letting one administrator reset or disable another would undo the
//! three-way split (三权分立). Roles and clearance belong to the security administrator.

use super::{check_department, store};
use crate::audit::{self, Origin};
use crate::{ServiceError, ServiceResult, Services, auth, settings};
use mishu_domain::DepartmentId;
use mishu_domain::PersonId;
use mishu_domain::audit::AuditEvent;
use mishu_domain::org::PersonName;
use mishu_domain::password::PasswordPolicy;
use rand::Rng;
use serde_json::json;

/// A person's editable details, validated.
#[derive(Debug, Clone)]
pub struct PersonUpdate {
    pub name: PersonName,
    pub department_id: Option<DepartmentId>,
    pub position: Option<String>,
    pub phone: String,
    pub sort_order: i64,
}

/// The person, if they are a business user; administrators are `Forbidden` here.
pub async fn member(s: &Services, id: PersonId) -> ServiceResult<super::PersonRow> {
    let p = store::person(&s.db, id).await?.ok_or(ServiceError::NotFound)?;
    if p.admin_kind.is_some() {
        return Err(ServiceError::Forbidden);
    }
    Ok(p)
}

pub async fn update(s: &Services, origin: &Origin, id: PersonId, u: PersonUpdate) -> ServiceResult<()> {
    let before = member(s, id).await?;
    if u.department_id.map(|d| d.0) != before.department_id {
        check_department(s, u.department_id).await?;
    }
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    store::update_person(&mut tx, id, &u).await?;
    let detail = json!({
        "name": u.name.as_str(),
        "department_id": u.department_id,
        "position": u.position,
        "phone": u.phone,
        "sort_order": u.sort_order,
    });
    audit::append(
        &mut tx,
        &s.audit_key,
        origin,
        now,
        &AuditEvent::new("org.person_updated", "person", Some(id.to_string()), detail),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Disables (sessions end, sign-in refused) or re-enables a person.
pub async fn set_active(s: &Services, origin: &Origin, id: PersonId, active: bool) -> ServiceResult<()> {
    let p = member(s, id).await?;
    if active {
        check_department(s, p.department_id.map(DepartmentId)).await?;
    }
    super::set_active(s, origin, id, active).await
}

/// Gives the person a fresh random password they must change at next sign-in, and returns it
/// to be shown once. It is never stored in clear or written to the audit log.
pub async fn reset_password(s: &Services, origin: &Origin, id: PersonId) -> ServiceResult<String> {
    let p = member(s, id).await?;
    let policy = settings::password_policy(&s.db).await?;
    let password = temporary_password(&policy, &p.login);
    auth::set_password(s, origin, id, &password, true).await?;
    Ok(password)
}

pub async fn unlock(s: &Services, origin: &Origin, id: PersonId) -> ServiceResult<()> {
    member(s, id).await?;
    auth::unlock(s, origin, id).await
}

/// Letters and digits that cannot be mistaken for each other when read aloud or copied from
/// a screen (no 0/O, 1/l/I), plus symbols that survive any keyboard layout.
const LOWER: &[u8] = b"abcdefghijkmnpqrstuvwxyz";
const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS: &[u8] = b"23456789";
const SYMBOLS: &[u8] = b"@#%+=?!";

/// A random password that satisfies `policy`: every character class, at least 16 characters.
pub fn temporary_password(policy: &PasswordPolicy, login: &str) -> String {
    let mut rng = rand::thread_rng();
    let len = policy.min_length.max(16);
    loop {
        let mut chars: Vec<u8> =
            [LOWER, UPPER, DIGITS, SYMBOLS].iter().map(|set| set[rng.gen_range(0..set.len())]).collect();
        let all: Vec<u8> = [LOWER, UPPER, DIGITS, SYMBOLS].concat();
        while chars.len() < len {
            chars.push(all[rng.gen_range(0..all.len())]);
        }
        // Shuffle so the guaranteed classes are not always in front.
        for i in (1..chars.len()).rev() {
            chars.swap(i, rng.gen_range(0..=i));
        }
        let candidate = String::from_utf8(chars).unwrap_or_default();
        if policy.check(&candidate, login).is_ok() {
            return candidate;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_passwords_pass_the_policy_and_differ() {
        let strict = PasswordPolicy { min_length: 20, min_classes: 4, ..Default::default() };
        let a = temporary_password(&strict, "zhang.wei");
        let b = temporary_password(&strict, "zhang.wei");
        assert!(strict.check(&a, "zhang.wei").is_ok(), "{a}");
        assert_eq!(a.chars().count(), 20);
        assert_ne!(a, b);
        assert!(!a.contains(['0', 'O', '1', 'l', 'I']), "{a}");
        let default = temporary_password(&PasswordPolicy::default(), "abc");
        assert_eq!(default.chars().count(), 16);
    }
}
