//! A new draft as the drafter files it: raw input validated into a `Draft` that cannot be
//! wrong (a known 文种, a title of sane length, recipients, a signer, a 机关代字).

use super::{DocPrefix, MAX_TEXT, MAX_TITLE, OutgoingError, required_text};
use crate::ids::{DepartmentId, PersonId};
use crate::incoming::DocType;
use crate::org::Clearance;
use crate::tasks::Urgency;
use serde::{Deserialize, Serialize};

/// 行文方向: decides whether 签发人 is printed and which 行文规则 apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// 上行文: to a superior organ.
    Up,
    /// 下行文: to subordinate organs.
    Down,
    /// 平行文: to organs not in a subordinate relationship.
    Lateral,
}

impl Direction {
    pub fn code(self) -> &'static str {
        match self {
            Direction::Up => "up",
            Direction::Down => "down",
            Direction::Lateral => "lateral",
        }
    }
    /// The usual direction of a 文种 (standards §2.1), used when the drafter names none.
    pub fn usual(t: DocType) -> Direction {
        match t {
            DocType::Report | DocType::Request | DocType::Motion => Direction::Up,
            DocType::Letter => Direction::Lateral,
            _ => Direction::Down,
        }
    }
    pub fn parse(raw: &str, t: DocType) -> Result<Direction, OutgoingError> {
        match raw.trim() {
            "" => Ok(Direction::usual(t)),
            "up" | "上行文" => Ok(Direction::Up),
            "down" | "下行文" => Ok(Direction::Down),
            "lateral" | "平行文" => Ok(Direction::Lateral),
            other => Err(OutgoingError::invalid("direction", format!("`{other}`: expected up, down or lateral"))),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecipientRole {
    /// 主送.
    Main,
    /// 抄送.
    Copy,
}

impl RecipientRole {
    pub fn code(self) -> &'static str {
        match self {
            RecipientRole::Main => "main",
            RecipientRole::Copy => "copy",
        }
    }
    pub fn parse(s: &str) -> Option<RecipientRole> {
        match s.trim() {
            "main" | "主送" => Some(RecipientRole::Main),
            "copy" | "抄送" => Some(RecipientRole::Copy),
            _ => None,
        }
    }
}

/// Who receives a copy: inside the organ (a department or a person, who sign for it on the
/// spine) or an external organ by name (the secretary records its receipt).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RecipientKind {
    Department { id: DepartmentId },
    Person { id: PersonId },
    External { organ: String },
}

impl RecipientKind {
    pub fn code(&self) -> &'static str {
        match self {
            RecipientKind::Department { .. } => "department",
            RecipientKind::Person { .. } => "person",
            RecipientKind::External { .. } => "external",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    pub role: RecipientRole,
    pub kind: RecipientKind,
}

/// One recipient as typed: `kind` is department, person or external; `value` the id or name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct RecipientInput {
    pub role: String,
    pub kind: String,
    pub value: String,
}

impl RecipientInput {
    pub fn new(role: &str, kind: &str, value: impl ToString) -> Self {
        RecipientInput { role: role.into(), kind: kind.into(), value: value.to_string() }
    }

    pub fn validate(&self) -> Result<Recipient, OutgoingError> {
        let role = RecipientRole::parse(&self.role)
            .ok_or_else(|| OutgoingError::invalid("recipients", format!("`{}`: expected main or copy", self.role)))?;
        let v = self.value.trim();
        let bad_id = || OutgoingError::invalid("recipients", format!("`{v}` is not an id"));
        let kind = match self.kind.trim() {
            "department" => RecipientKind::Department { id: v.parse().map_err(|_| bad_id())? },
            "person" => RecipientKind::Person { id: v.parse().map_err(|_| bad_id())? },
            "external" | "" => {
                let organ = required_text("recipients", v, 100)?;
                RecipientKind::External { organ }
            }
            other => {
                return Err(OutgoingError::invalid(
                    "recipients",
                    format!("`{other}`: expected department, person or external"),
                ));
            }
        };
        Ok(Recipient { role, kind })
    }
}

/// A new draft as typed (form or API).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct DraftInput {
    pub title: String,
    pub doc_type: String,
    #[serde(default)]
    pub direction: String,
    #[serde(default)]
    pub classification: String,
    #[serde(default)]
    pub secrecy_period: String,
    #[serde(default)]
    pub urgency: String,
    /// 机关代字, e.g. 江职院.
    pub prefix: String,
    /// The leader's intent (R2.2 step 1).
    #[serde(default)]
    pub intent: String,
    pub signer: Option<PersonId>,
    #[serde(default)]
    pub countersigners: Vec<PersonId>,
    #[serde(default)]
    pub countersign_parallel: bool,
    #[serde(default)]
    pub recipients: Vec<RecipientInput>,
    #[serde(default)]
    pub copies: Option<i64>,
}

/// A validated draft.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Draft {
    pub title: String,
    pub doc_type: DocType,
    pub direction: Direction,
    pub classification: Clearance,
    pub secrecy_period: String,
    pub urgency: Urgency,
    pub prefix: DocPrefix,
    pub intent: String,
    pub signer: PersonId,
    pub countersigners: Vec<PersonId>,
    pub countersign_parallel: bool,
    pub recipients: Vec<Recipient>,
    pub copies: i64,
}

/// Checks a title: required, not too long (a title is printed in 22 pt on at most three
/// lines; longer ones are almost always a 事由 that belongs in the body).
pub fn title(raw: &str) -> Result<String, OutgoingError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(OutgoingError::invalid("title", "required"));
    }
    let n = t.chars().count();
    if n > MAX_TITLE {
        return Err(OutgoingError::invalid("title", format!("{n} characters; at most {MAX_TITLE}")));
    }
    if t.chars().any(char::is_control) {
        return Err(OutgoingError::invalid("title", "one line, no control characters"));
    }
    Ok(t.to_string())
}

impl Draft {
    pub fn validate(i: &DraftInput) -> Result<Draft, OutgoingError> {
        let title = title(&i.title)?;
        let doc_type = DocType::parse(&i.doc_type).map_err(|e| match e {
            crate::incoming::IncomingError::Invalid { message, .. } => OutgoingError::invalid("doc_type", message),
            other => OutgoingError::invalid("doc_type", other.to_string()),
        })?;
        let direction = Direction::parse(&i.direction, doc_type)?;
        let classification = Clearance::parse(&i.classification).map_err(|_| {
            OutgoingError::invalid("classification", "expected none, secret, confidential or top_secret")
        })?;
        let secrecy_period = i.secrecy_period.trim().to_string();
        if secrecy_period.chars().count() > 20 {
            return Err(OutgoingError::invalid("secrecy_period", "at most 20 characters"));
        }
        let urgency = Urgency::parse(i.urgency.trim())
            .ok_or_else(|| OutgoingError::invalid("urgency", "expected normal, urgent (加急) or very_urgent (特急)"))?;
        let prefix = DocPrefix::parse(&i.prefix)?;
        let intent = i.intent.trim().to_string();
        if intent.chars().count() > MAX_TEXT {
            return Err(OutgoingError::invalid("intent", format!("at most {MAX_TEXT} characters")));
        }
        crate::text::check_multiline(&intent).map_err(|m| OutgoingError::invalid("intent", m))?;
        let signer = i.signer.ok_or_else(|| OutgoingError::invalid("signer", "required"))?;
        let mut countersigners: Vec<PersonId> = Vec::new();
        for p in &i.countersigners {
            if !countersigners.contains(p) {
                countersigners.push(*p);
            }
        }
        let recipients = i.recipients.iter().map(RecipientInput::validate).collect::<Result<Vec<_>, _>>()?;
        if !recipients.iter().any(|r| r.role == RecipientRole::Main) && !publishes(doc_type) {
            return Err(OutgoingError::invalid("recipients", "at least one main recipient (主送) is required"));
        }
        let copies = i.copies.unwrap_or(1);
        if !(1..=9999).contains(&copies) {
            return Err(OutgoingError::invalid("copies", "between 1 and 9999"));
        }
        Ok(Draft {
            title,
            doc_type,
            direction,
            classification,
            secrecy_period,
            urgency,
            prefix,
            intent,
            signer,
            countersigners,
            countersign_parallel: i.countersign_parallel,
            recipients,
            copies,
        })
    }
}

/// 公报, 公告, 通告 and 纪要 are published or recorded, not addressed: no 主送 needed.
pub fn publishes(t: DocType) -> bool {
    matches!(t, DocType::Communique | DocType::Announcement | DocType::PublicNotice | DocType::Minutes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> DraftInput {
        DraftInput {
            title: "关于做好2027年元旦春节期间有关工作的通知".into(),
            doc_type: "通知".into(),
            prefix: "江职院".into(),
            signer: Some(PersonId(7)),
            recipients: vec![
                RecipientInput::new("main", "department", 3),
                RecipientInput::new("copy", "external", "市教育局"),
            ],
            ..DraftInput::default()
        }
    }

    #[test]
    fn bad_input_names_the_field() {
        type Edit = Box<dyn Fn(&mut DraftInput)>;
        let cases: Vec<(&str, Edit)> = vec![
            ("doc_type", Box::new(|i| i.doc_type = "方案".into())),
            ("title", Box::new(|i| i.title = "关".repeat(MAX_TITLE + 1))),
            ("title", Box::new(|i| i.title = "  ".into())),
            ("recipients", Box::new(|i| i.recipients.retain(|r| r.role != "main"))),
            ("recipients", Box::new(|i| i.recipients.push(RecipientInput::new("cc", "external", "x")))),
            ("recipients", Box::new(|i| i.recipients.push(RecipientInput::new("main", "department", "x")))),
            ("signer", Box::new(|i| i.signer = None)),
            ("prefix", Box::new(|i| i.prefix = "江职院〔".into())),
            ("urgency", Box::new(|i| i.urgency = "asap".into())),
            ("classification", Box::new(|i| i.classification = "very".into())),
            ("copies", Box::new(|i| i.copies = Some(0))),
        ];
        for (field, change) in cases {
            let mut i = input();
            change(&mut i);
            match Draft::validate(&i) {
                Err(OutgoingError::Invalid { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{field}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_good_draft_takes_its_usual_direction() {
        let d = Draft::validate(&input()).unwrap();
        assert_eq!(d.direction, Direction::Down);
        assert_eq!(d.recipients.len(), 2);
        let mut i = input();
        i.doc_type = "请示".into();
        assert_eq!(Draft::validate(&i).unwrap().direction, Direction::Up);
        i.doc_type = "公告".into();
        i.recipients.clear();
        assert!(Draft::validate(&i).is_ok(), "a 公告 is published, not addressed");
    }
}
