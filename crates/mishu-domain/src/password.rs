//! The password policy. The default profile follows 等保 2.0 level 3 (GB/T 22239-2019
//! 身份鉴别 a/b): ≥ 12 characters, 3 of 4 character classes, a common-password blocklist,
//! rotation every 90 days, 5 failures in 15 minutes lock the account for 30 minutes.
//! An organ may relax it (the security administrator edits it); the floor is enforced here.

use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PasswordError {
    #[error("password: at least {0} characters")]
    TooShort(usize),
    #[error("password: use at least {0} of: lower-case, upper-case, digits, symbols")]
    TooFewClasses(u8),
    #[error("password: too common")]
    Common,
    #[error("password: must not contain the login name")]
    ContainsLogin,
    #[error("{field}: out of range ({min}–{max})")]
    PolicyOutOfRange { field: &'static str, min: i64, max: i64 },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordPolicy {
    pub min_length: usize,
    pub min_classes: u8,
    /// 0 = never forced.
    pub max_age_days: i64,
    pub lockout_threshold: i64,
    pub lockout_window_minutes: i64,
    pub lockout_minutes: i64,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        PasswordPolicy {
            min_length: 12,
            min_classes: 3,
            max_age_days: 90,
            lockout_threshold: 5,
            lockout_window_minutes: 15,
            lockout_minutes: 30,
        }
    }
}

/// Passwords seen in every breach list and in Chinese ones in particular.
const BLOCKLIST: &[&str] = &[
    "123456",
    "12345678",
    "123456789",
    "1234567890",
    "password",
    "p@ssw0rd",
    "aa123456",
    "qwer1234",
    "qwerty",
    "woaini1314",
    "5201314",
    "abc123",
    "111111",
    "000000",
    "admin123",
    "admin@123",
    "1qaz2wsx",
    "1qaz@wsx",
    "zxcvbnm",
    "iloveyou",
    "asdf1234",
    "a1234567",
    "qq123456",
];

fn classes(pw: &str) -> u8 {
    let mut n = 0;
    n += u8::from(pw.chars().any(|c| c.is_ascii_lowercase()));
    n += u8::from(pw.chars().any(|c| c.is_ascii_uppercase()));
    n += u8::from(pw.chars().any(|c| c.is_ascii_digit()));
    n += u8::from(pw.chars().any(|c| !c.is_ascii_alphanumeric()));
    n
}

impl PasswordPolicy {
    /// Checks that an edited policy stays within what can be defended (an organ may relax, not remove).
    /// Each field with the range an organ may choose from, in the order forms show them.
    pub const RANGES: [(&'static str, i64, i64); 6] = [
        ("min_length", 8, 128),
        ("min_classes", 1, 4),
        ("max_age_days", 0, 3650),
        ("lockout_threshold", 3, 100),
        ("lockout_window_minutes", 1, 1440),
        ("lockout_minutes", 1, 1440),
    ];

    /// The values in the order of `RANGES`.
    pub fn values(&self) -> [i64; 6] {
        [
            i64::try_from(self.min_length).unwrap_or(i64::MAX),
            i64::from(self.min_classes),
            self.max_age_days,
            self.lockout_threshold,
            self.lockout_window_minutes,
            self.lockout_minutes,
        ]
    }

    pub fn validate(&self) -> Result<(), PasswordError> {
        for ((field, min, max), v) in Self::RANGES.into_iter().zip(self.values()) {
            if v < min || v > max {
                return Err(PasswordError::PolicyOutOfRange { field, min, max });
            }
        }
        Ok(())
    }

    pub fn check(&self, password: &str, login: &str) -> Result<(), PasswordError> {
        if password.chars().count() < self.min_length {
            return Err(PasswordError::TooShort(self.min_length));
        }
        let lower = password.to_lowercase();
        if BLOCKLIST.iter().any(|b| lower == *b || (lower.starts_with(b) && b.len() >= 8)) {
            return Err(PasswordError::Common);
        }
        if login.len() >= 3 && lower.contains(&login.to_lowercase()) {
            return Err(PasswordError::ContainsLogin);
        }
        if classes(password) < self.min_classes {
            return Err(PasswordError::TooFewClasses(self.min_classes));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_profile_follows_dengbao_level_3() {
        let p = PasswordPolicy::default();
        assert_eq!(p.check("Zh@ngSan2026!x", "ngsan"), Err(PasswordError::ContainsLogin));
        assert!(p.check("Zh@ngSan2026!x", "secretary").is_ok());
        assert_eq!(p.check("Ab1!Ab1!Ab1", "x"), Err(PasswordError::TooShort(12)));
        assert_eq!(p.check("abcdefghijkl1", "x"), Err(PasswordError::TooFewClasses(3)));
        assert_eq!(p.check("qwer1234qwer1234", "x"), Err(PasswordError::Common));
    }

    #[test]
    fn relaxed_policy_has_a_floor() {
        let mut p = PasswordPolicy { min_length: 8, min_classes: 2, ..Default::default() };
        assert!(p.validate().is_ok());
        assert!(p.check("abcd1234x", "y").is_ok());
        p.min_length = 4;
        assert!(matches!(p.validate(), Err(PasswordError::PolicyOutOfRange { field: "min_length", .. })));
    }

    #[test]
    fn every_policy_field_out_of_range_is_named() {
        let base = PasswordPolicy::default();
        let cases = [
            (PasswordPolicy { min_length: 129, ..base.clone() }, "min_length"),
            (PasswordPolicy { min_classes: 0, ..base.clone() }, "min_classes"),
            (PasswordPolicy { min_classes: 5, ..base.clone() }, "min_classes"),
            (PasswordPolicy { max_age_days: -1, ..base.clone() }, "max_age_days"),
            (PasswordPolicy { lockout_threshold: 2, ..base.clone() }, "lockout_threshold"),
            (PasswordPolicy { lockout_window_minutes: 0, ..base.clone() }, "lockout_window_minutes"),
            (PasswordPolicy { lockout_minutes: 1441, ..base.clone() }, "lockout_minutes"),
        ];
        for (p, field) in cases {
            let err = p.validate().unwrap_err();
            assert!(matches!(err, PasswordError::PolicyOutOfRange { field: f, .. } if f == field), "{p:?}");
            assert!(err.to_string().starts_with(field), "the message names the field first: {err}");
        }
        assert!(PasswordPolicy { max_age_days: 0, ..base }.validate().is_ok(), "0 = never forced");
    }
}
