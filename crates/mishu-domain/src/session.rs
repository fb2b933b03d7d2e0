//! The session policy: how long a signed-in session may sit idle (shorter for administrators)
//! and how long it may live at all. Defaults follow 等保 2.0 level 3 and ASVS L2 (30 minutes
//! idle, 15 for administrators, 12 hours absolute); the security administrator may edit them
//! within the ranges below.

use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SessionPolicyError {
    #[error("{field}: out of range ({min}–{max})")]
    OutOfRange { field: &'static str, min: i64, max: i64 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionPolicy {
    pub idle_minutes: i64,
    pub admin_idle_minutes: i64,
    pub absolute_hours: i64,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy { idle_minutes: 30, admin_idle_minutes: 15, absolute_hours: 12 }
    }
}

impl SessionPolicy {
    /// Ranges an organ may choose from: an idle session left open for hours on a shared office
    /// computer, or an administrator's for more than an hour, is not defensible.
    pub const RANGES: [(&'static str, i64, i64); 3] =
        [("idle_minutes", 5, 240), ("admin_idle_minutes", 5, 60), ("absolute_hours", 1, 24)];

    /// The values in the order of `RANGES`.
    pub fn values(&self) -> [i64; 3] {
        [self.idle_minutes, self.admin_idle_minutes, self.absolute_hours]
    }

    pub fn validate(&self) -> Result<(), SessionPolicyError> {
        for ((field, min, max), v) in Self::RANGES.into_iter().zip(self.values()) {
            if v < min || v > max {
                return Err(SessionPolicyError::OutOfRange { field, min, max });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_bounds_are_inclusive() {
        assert!(SessionPolicy::default().validate().is_ok());
        let edges = SessionPolicy { idle_minutes: 240, admin_idle_minutes: 5, absolute_hours: 24 };
        assert!(edges.validate().is_ok());
        let edges = SessionPolicy { idle_minutes: 5, admin_idle_minutes: 60, absolute_hours: 1 };
        assert!(edges.validate().is_ok());
    }

    #[test]
    fn each_field_out_of_range_is_named() {
        let base = SessionPolicy::default();
        let cases = [
            (SessionPolicy { idle_minutes: 4, ..base }, "idle_minutes"),
            (SessionPolicy { idle_minutes: 241, ..base }, "idle_minutes"),
            (SessionPolicy { admin_idle_minutes: 61, ..base }, "admin_idle_minutes"),
            (SessionPolicy { admin_idle_minutes: 0, ..base }, "admin_idle_minutes"),
            (SessionPolicy { absolute_hours: 0, ..base }, "absolute_hours"),
            (SessionPolicy { absolute_hours: 25, ..base }, "absolute_hours"),
        ];
        for (p, field) in cases {
            assert!(
                matches!(p.validate(), Err(SessionPolicyError::OutOfRange { field: f, .. }) if f == field),
                "{p:?}"
            );
        }
    }
}
