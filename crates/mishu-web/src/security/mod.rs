//! The security administrator's pages (people's roles and clearance, the password and session
//! policies, second-factor resets) and every person's own security: the second factor (TOTP) at
//! sign-in and on the account page, and API tokens.

mod account;
mod people;
mod policies;
mod tokens;
mod totp;

use crate::error::{AppError, AppResult};
use crate::routes::Routes;

pub(crate) use account::qr_data_url;
pub use account::{AccountSecurity, account_section};

pub fn routes(r: Routes) -> Routes {
    r.get("/admin/security", people::list)
        .get("/admin/security/people/{id}", people::edit)
        .post("/admin/security/people/{id}", people::save)
        .post("/admin/security/people/{id}/reset-totp", people::reset_totp)
        .get("/admin/security/policies", policies::page)
        .post("/admin/security/password-policy", policies::save_password)
        .post("/admin/security/session-policy", policies::save_session)
        .get("/login/totp", totp::page)
        .post("/login/totp", totp::submit)
        .post("/account/totp/begin", totp::begin)
        .post("/account/totp/confirm", totp::confirm)
        .post("/account/totp/disable", totp::disable)
        .post("/account/tokens", tokens::create)
        .post("/account/tokens/{id}/revoke", tokens::revoke)
}

/// A whole number typed into a form field; a 400 naming the field otherwise.
fn whole_number(field: &'static str, raw: Option<&String>) -> AppResult<i64> {
    raw.map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .ok_or(AppError::BadRequest { field, message: "required".into() })?
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest { field, message: "a whole number".into() })
}

/// One numeric field of a policy form, with the range the rules allow.
pub struct PolicyField {
    pub name: &'static str,
    pub value: i64,
    pub min: i64,
    pub max: i64,
}

fn policy_fields<const N: usize>(ranges: [(&'static str, i64, i64); N], values: [i64; N]) -> Vec<PolicyField> {
    ranges.into_iter().zip(values).map(|((name, min, max), value)| PolicyField { name, value, min, max }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_name_their_field() {
        assert_eq!(whole_number("x", Some(&" 12 ".to_string())).unwrap(), 12);
        for bad in [None, Some(""), Some("1.5"), Some("abc"), Some("99999999999999999999")] {
            let owned = bad.map(str::to_string);
            assert!(
                matches!(
                    whole_number("idle_minutes", owned.as_ref()),
                    Err(AppError::BadRequest { field: "idle_minutes", .. })
                ),
                "{bad:?}"
            );
        }
    }
}
