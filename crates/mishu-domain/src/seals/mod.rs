//! Seals (印章, R7): the registry of seals with their kind, size, issuer and keeper, the
//! rules for taking a seal out of use (缴销, R7.3), and the seal-use application
//! (用印申请, R7.4) in `application`.

pub mod application;
#[cfg(test)]
mod decide_tests;
pub mod department_rules;
pub mod impression;
pub mod report;

use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use application::{ApplicationAction, ApplicationEvent, ApplicationFacts, ApplicationState, decide};

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SealError {
    #[error("{field}: {message}")]
    Invalid { field: &'static str, message: &'static str },
    #[error("seal: decommissioned, it can never be used again")]
    Decommissioned,
    #[error("seal: suspended, it cannot be used until the office resumes it")]
    Suspended,
    #[error("not allowed in state {0}")]
    WrongState(&'static str),
    #[error("only the applicant's department head may sign first")]
    NotDepartmentHead,
    #[error("only the department's supervising leader may approve")]
    NotSupervisingLeader,
    #[error("only this seal's keeper may stamp with it")]
    NotKeeper,
    #[error("only the applicant may withdraw")]
    NotApplicant,
}

fn invalid(field: &'static str, message: &'static str) -> SealError {
    SealError::Invalid { field, message }
}

/// What a seal stands for (R7.1, R7.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SealKind {
    /// 党委印章, issued by the higher authority.
    PartyCommittee,
    /// 行政印章 (the organ's seal), issued by the higher authority.
    Administration,
    /// A division's (处室) seal, 4.0 cm, issued by the general office.
    Division,
    /// A section's (科室) seal, 3.8 cm, issued by the general office.
    Section,
    /// A department party branch's seal.
    PartyBranch,
    /// A leader's name seal (名章).
    NameSeal,
    /// A special-purpose seal (e.g. contracts, finance).
    Special,
}

impl SealKind {
    pub const ALL: [SealKind; 7] = [
        SealKind::PartyCommittee,
        SealKind::Administration,
        SealKind::Division,
        SealKind::Section,
        SealKind::PartyBranch,
        SealKind::NameSeal,
        SealKind::Special,
    ];
    pub fn code(self) -> &'static str {
        match self {
            SealKind::PartyCommittee => "party_committee",
            SealKind::Administration => "administration",
            SealKind::Division => "division",
            SealKind::Section => "section",
            SealKind::PartyBranch => "party_branch",
            SealKind::NameSeal => "name_seal",
            SealKind::Special => "special",
        }
    }
    pub fn parse(s: &str) -> Option<SealKind> {
        Self::ALL.into_iter().find(|k| k.code() == s.trim())
    }
    /// R7.1's default diameter in millimetres: divisions 40, sections 38; the organ's own
    /// seals follow the higher authority (4.2 cm is usual for a college); name seals are small.
    pub fn default_diameter_mm(self) -> i64 {
        match self {
            SealKind::Division | SealKind::PartyBranch => 40,
            SealKind::Section => 38,
            SealKind::PartyCommittee | SealKind::Administration => 42,
            SealKind::NameSeal => 20,
            SealKind::Special => 40,
        }
    }
}

/// A seal is in use, suspended for a while (停用: lost and being searched for, under
/// investigation, the keeper away without a deputy), or, once decommissioned, never again (R7.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SealState {
    Active,
    Suspended,
    Decommissioned,
}

impl SealState {
    pub fn code(self) -> &'static str {
        match self {
            SealState::Active => "active",
            SealState::Suspended => "suspended",
            SealState::Decommissioned => "decommissioned",
        }
    }
    pub fn parse(s: &str) -> SealState {
        match s {
            "decommissioned" => SealState::Decommissioned,
            "suspended" => SealState::Suspended,
            _ => SealState::Active,
        }
    }
}

/// Suspending needs an active seal and a reason; resuming needs a suspended seal.
pub fn validate_suspension(state: SealState, suspend: bool, reason: &str) -> Result<Option<String>, SealError> {
    match (state, suspend) {
        (SealState::Decommissioned, _) => Err(SealError::Decommissioned),
        (SealState::Active, true) => text(reason, "reason", 500).map(Some),
        (SealState::Suspended, false) => Ok(None),
        (SealState::Active, false) => Err(SealError::WrongState("active")),
        (SealState::Suspended, true) => Err(SealError::WrongState("suspended")),
    }
}

/// What the issuer did with a returned seal (缴回封存或销毁, R7.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Disposal {
    SealedUp,
    Destroyed,
}

impl Disposal {
    pub fn code(self) -> &'static str {
        match self {
            Disposal::SealedUp => "sealed_up",
            Disposal::Destroyed => "destroyed",
        }
    }
    pub fn parse(s: &str) -> Option<Disposal> {
        [Disposal::SealedUp, Disposal::Destroyed].into_iter().find(|d| d.code() == s.trim())
    }
}

/// A seal to register, as typed in.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct SealInput {
    pub name: String,
    pub kind: String,
    /// Millimetres; empty takes the kind's default.
    pub diameter_mm: String,
    pub issuer: String,
}

/// A validated seal: name, kind, diameter and issuer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidSeal {
    pub name: String,
    pub kind: SealKind,
    pub diameter_mm: i64,
    pub issuer: String,
}

fn text(value: &str, field: &'static str, max: usize) -> Result<String, SealError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(invalid(field, "required"));
    }
    if v.chars().count() > max || v.chars().any(char::is_control) {
        return Err(invalid(field, "too long or contains control characters"));
    }
    Ok(v.to_string())
}

pub fn validate_seal(i: &SealInput) -> Result<ValidSeal, SealError> {
    let name = text(&i.name, "name", 100)?;
    let kind = SealKind::parse(&i.kind).ok_or_else(|| invalid("kind", "unknown kind"))?;
    let diameter_mm = match i.diameter_mm.trim() {
        "" => kind.default_diameter_mm(),
        d => match d.parse::<i64>() {
            Ok(v) if (10..=60).contains(&v) => v,
            _ => return Err(invalid("diameter_mm", "a whole number of millimetres, 10–60")),
        },
    };
    let issuer = text(&i.issuer, "issuer", 100)?;
    Ok(ValidSeal { name, kind, diameter_mm, issuer })
}

/// A decommissioning (缴销) as typed in: why, which authority received it back, and what it did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidDecommission {
    pub reason: String,
    pub authority: String,
    pub disposal: Disposal,
}

pub fn validate_decommission(
    state: SealState,
    reason: &str,
    authority: &str,
    disposal: &str,
) -> Result<ValidDecommission, SealError> {
    if state == SealState::Decommissioned {
        return Err(SealError::Decommissioned);
    }
    let reason = text(reason, "reason", 500)?;
    let authority = text(authority, "authority", 100)?;
    let disposal = Disposal::parse(disposal).ok_or_else(|| invalid("disposal", "sealed up or destroyed"))?;
    Ok(ValidDecommission { reason, authority, disposal })
}
