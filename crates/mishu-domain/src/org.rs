//! The organisation as the rules see it: roles, the three administrators, clearance,
//! and the validated values (login names, person and department names) that enter it.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Errors in organisation data, each naming the field at fault.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum OrgError {
    #[error("{field}: required")]
    Required { field: &'static str },
    #[error("{field}: too long (max {max} characters)")]
    TooLong { field: &'static str, max: usize },
    #[error("{field}: invalid value `{value}`")]
    Invalid { field: &'static str, value: String },
    #[error("login: `{0}` is already taken")]
    LoginTaken(String),
    #[error("department: `{0}` does not exist")]
    UnknownDepartment(String),
    #[error("department: a department cannot be placed under itself or its own sub-department")]
    DepartmentCycle,
    #[error("department: still has people or sub-departments")]
    DepartmentNotEmpty,
    #[error("administrators hold no business role")]
    AdminWithBusinessRole,
    #[error("not found")]
    NotFound,
}

/// Business roles from the glossary. A person may hold several, each scoped to a department.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Leader,
    OfficeHead,
    Secretary,
    DepartmentHead,
    Handler,
    SealKeeper,
    Archivist,
    Reception,
    PetitionStaff,
}

impl Role {
    pub const ALL: [Role; 9] = [
        Role::Leader,
        Role::OfficeHead,
        Role::Secretary,
        Role::DepartmentHead,
        Role::Handler,
        Role::SealKeeper,
        Role::Archivist,
        Role::Reception,
        Role::PetitionStaff,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Leader => "leader",
            Role::OfficeHead => "office_head",
            Role::Secretary => "secretary",
            Role::DepartmentHead => "department_head",
            Role::Handler => "handler",
            Role::SealKeeper => "seal_keeper",
            Role::Archivist => "archivist",
            Role::Reception => "reception",
            Role::PetitionStaff => "petition_staff",
        }
    }

    pub fn parse(s: &str) -> Result<Role, OrgError> {
        let s = s.trim();
        Role::ALL
            .into_iter()
            .find(|r| r.code() == s || role_label_zh(*r) == s)
            .ok_or_else(|| OrgError::Invalid { field: "role", value: s.to_string() })
    }
}

/// Chinese labels accepted in imports (spreadsheets are filled in by people, in Chinese).
fn role_label_zh(r: Role) -> &'static str {
    match r {
        Role::Leader => "领导",
        Role::OfficeHead => "办公室主任",
        Role::Secretary => "秘书",
        Role::DepartmentHead => "部门负责人",
        Role::Handler => "承办人",
        Role::SealKeeper => "印章管理员",
        Role::Archivist => "档案员",
        Role::Reception => "接待",
        Role::PetitionStaff => "信访",
    }
}

/// The three separate administrators (三权分立). None holds business rights.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdminKind {
    /// Users, departments, configuration.
    System,
    /// Roles, clearance, password policy, locks.
    Security,
    /// Reads and exports the audit log; nothing else.
    Audit,
}

impl AdminKind {
    pub fn code(self) -> &'static str {
        match self {
            AdminKind::System => "system",
            AdminKind::Security => "security",
            AdminKind::Audit => "audit",
        }
    }
    pub fn parse(s: &str) -> Result<AdminKind, OrgError> {
        match s.trim() {
            "system" => Ok(AdminKind::System),
            "security" => Ok(AdminKind::Security),
            "audit" => Ok(AdminKind::Audit),
            other => Err(OrgError::Invalid { field: "admin_kind", value: other.to_string() }),
        }
    }
}

/// The highest classification a person may read, and an object's classification (密级).
/// Ordered: `None < Secret < Confidential < TopSecret`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Clearance {
    #[default]
    None,
    /// 秘密
    Secret,
    /// 机密
    Confidential,
    /// 绝密
    TopSecret,
}

impl Clearance {
    pub const ALL: [Clearance; 4] = [Clearance::None, Clearance::Secret, Clearance::Confidential, Clearance::TopSecret];
    pub fn code(self) -> &'static str {
        match self {
            Clearance::None => "none",
            Clearance::Secret => "secret",
            Clearance::Confidential => "confidential",
            Clearance::TopSecret => "top_secret",
        }
    }
    pub fn parse(s: &str) -> Result<Clearance, OrgError> {
        match s.trim() {
            "" | "none" | "无" | "非密" => Ok(Clearance::None),
            "secret" | "秘密" => Ok(Clearance::Secret),
            "confidential" | "机密" => Ok(Clearance::Confidential),
            "top_secret" | "绝密" => Ok(Clearance::TopSecret),
            other => Err(OrgError::Invalid { field: "clearance", value: other.to_string() }),
        }
    }
}

fn bounded(field: &'static str, raw: &str, max: usize) -> Result<String, OrgError> {
    let v = raw.trim();
    if v.is_empty() {
        return Err(OrgError::Required { field });
    }
    if v.chars().count() > max {
        return Err(OrgError::TooLong { field, max });
    }
    if v.chars().any(char::is_control) {
        return Err(OrgError::Invalid { field, value: v.to_string() });
    }
    Ok(v.to_string())
}

/// A sign-in name: 2–32 of ASCII letters, digits, `.`, `_`, `-`; stored lower-case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginName(String);

impl LoginName {
    pub fn parse(raw: &str) -> Result<Self, OrgError> {
        let v = raw.trim().to_ascii_lowercase();
        if v.is_empty() {
            return Err(OrgError::Required { field: "login" });
        }
        let ok_chars = v.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if !ok_chars || v.len() < 2 || v.len() > 32 {
            return Err(OrgError::Invalid { field: "login", value: raw.trim().to_string() });
        }
        Ok(LoginName(v))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person's name as shown everywhere (1–40 characters).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(raw: &str) -> Result<Self, OrgError> {
        bounded("name", raw, 40).map(PersonName)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A department's name (1–60 characters).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentName(String);

impl DepartmentName {
    pub fn parse(raw: &str) -> Result<Self, OrgError> {
        bounded("department", raw, 60).map(DepartmentName)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A position title such as 秘书科科长 (optional, up to 40 characters).
pub fn parse_position(raw: &str) -> Result<Option<String>, OrgError> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    bounded("position", raw, 40).map(Some)
}

/// A telephone number as written in an organ's directory (optional, up to 40 characters):
/// digits and the marks people use around them, such as `0571-8888 1234转8012` or `+86 138…`.
pub fn parse_phone(raw: &str) -> Result<String, OrgError> {
    let v = raw.trim();
    if v.is_empty() {
        return Ok(String::new());
    }
    if v.chars().count() > 40 {
        return Err(OrgError::TooLong { field: "phone", max: 40 });
    }
    let ok = v.chars().any(|c| c.is_ascii_digit())
        && v.chars().all(|c| c.is_ascii_digit() || " +-()（）,，;；/转#*".contains(c));
    if !ok {
        return Err(OrgError::Invalid { field: "phone", value: v.to_string() });
    }
    Ok(v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_names_are_normalised_and_checked() {
        assert_eq!(LoginName::parse(" Zhang.Wei ").unwrap().as_str(), "zhang.wei");
        assert!(matches!(LoginName::parse(""), Err(OrgError::Required { field: "login" })));
        assert!(LoginName::parse("张伟").is_err());
        assert!(LoginName::parse("a").is_err());
        assert!(LoginName::parse("a b").is_err());
    }

    #[test]
    fn clearance_orders_and_parses_chinese() {
        assert!(Clearance::Confidential > Clearance::Secret);
        assert_eq!(Clearance::parse("机密").unwrap(), Clearance::Confidential);
        assert!(Clearance::parse("高").is_err());
    }

    #[test]
    fn roles_parse_from_code_or_chinese() {
        assert_eq!(Role::parse("秘书").unwrap(), Role::Secretary);
        assert_eq!(Role::parse("seal_keeper").unwrap(), Role::SealKeeper);
        assert!(Role::parse("boss").is_err());
    }

    #[test]
    fn phones_allow_directory_marks_only() {
        assert_eq!(parse_phone(" 0571-8888 1234转8012 ").unwrap(), "0571-8888 1234转8012");
        assert_eq!(parse_phone("").unwrap(), "");
        assert!(matches!(parse_phone("call me"), Err(OrgError::Invalid { field: "phone", .. })));
        assert!(parse_phone("--").is_err(), "needs a digit");
        assert!(matches!(parse_phone(&"1".repeat(41)), Err(OrgError::TooLong { field: "phone", .. })));
    }

    #[test]
    fn names_reject_blank_long_and_control() {
        assert!(PersonName::parse("  ").is_err());
        assert!(PersonName::parse(&"王".repeat(41)).is_err());
        assert!(PersonName::parse("王\u{7}").is_err());
        assert_eq!(PersonName::parse(" 王小明 ").unwrap().as_str(), "王小明");
    }
}
