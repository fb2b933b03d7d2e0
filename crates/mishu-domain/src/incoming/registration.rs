//! Registration (签收, 登记): the facts of a received document, checked once at the edge so
//! everything after works with valid values. Each error names the form field at fault.

use super::{DocType, HandlingKind, IncomingError, SenderDocNumber};
use crate::org::Clearance;
use crate::tasks::Urgency;
use crate::time::Timestamp;
use serde::Serialize;

/// What the registration form or the API sends, as typed.
#[derive(Clone, Debug)]
pub struct RegistrationInput {
    pub sender_organ: String,
    pub sender_number: String,
    pub title: String,
    pub doc_type: String,
    pub classification: String,
    /// 保密期限, e.g. "10年"; required for classified documents.
    pub secrecy_period: String,
    /// 份号 of this copy; required for classified documents.
    pub copy_no: String,
    pub urgency: String,
    pub handling: String,
    pub copies: i64,
    pub pages: Option<i64>,
    pub received_at: Timestamp,
    pub due_at: Option<Timestamp>,
}

/// A registration that passed every check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Registration {
    pub sender_organ: String,
    pub sender_number: Option<SenderDocNumber>,
    pub title: String,
    pub doc_type: DocType,
    pub classification: Clearance,
    pub secrecy_period: String,
    pub copy_no: String,
    pub urgency: Urgency,
    pub handling: HandlingKind,
    pub copies: i64,
    pub pages: Option<i64>,
    pub received_at: Timestamp,
    pub due_at: Option<Timestamp>,
}

/// A received time may run a little ahead of the server clock (a wall clock in the
/// registry room), never more.
const RECEIVED_SLACK_MINUTES: i64 = 10;
/// 1949-10-01 00:00 +08:00: no document of the organ's record predates it, and the year of
/// a 来文字号 is bounded the same way; anything earlier is a typing or a parsing slip.
const EARLIEST_RECEIVED: Timestamp = Timestamp(-639_129_600_000);

fn line(field: &'static str, raw: &str, max: usize) -> Result<String, IncomingError> {
    let v = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if v.is_empty() {
        return Err(IncomingError::invalid(field, "required"));
    }
    if v.chars().count() > max {
        return Err(IncomingError::invalid(field, format!("at most {max} characters")));
    }
    if v.chars().any(char::is_control) {
        return Err(IncomingError::invalid(field, "contains control characters"));
    }
    Ok(v)
}

impl Registration {
    pub fn validate(i: &RegistrationInput, now: Timestamp) -> Result<Registration, IncomingError> {
        let sender_organ = line("sender_organ", &i.sender_organ, 100)?;
        let sender_number = SenderDocNumber::parse_optional(&i.sender_number)?;
        let title = line("title", &i.title, 200)?;
        let doc_type = DocType::parse(&i.doc_type)?;
        let classification = Clearance::parse(&i.classification).map_err(|_| {
            IncomingError::invalid("classification", "none, secret (秘密), confidential (机密) or top_secret (绝密)")
        })?;
        let (secrecy_period, copy_no) = if classification > Clearance::None {
            (line("secrecy_period", &i.secrecy_period, 20)?, line("copy_no", &i.copy_no, 20)?)
        } else {
            (String::new(), String::new())
        };
        let urgency = Urgency::parse(i.urgency.trim())
            .ok_or_else(|| IncomingError::invalid("urgency", "normal, urgent (加急) or very_urgent (特急)"))?;
        let handling = HandlingKind::parse(&i.handling)?;
        if !(1..=999).contains(&i.copies) {
            return Err(IncomingError::invalid("copies", "between 1 and 999"));
        }
        if i.pages.is_some_and(|p| !(1..=9999).contains(&p)) {
            return Err(IncomingError::invalid("pages", "between 1 and 9999"));
        }
        if i.received_at > now.plus_minutes(RECEIVED_SLACK_MINUTES) {
            return Err(IncomingError::invalid("received_at", "cannot be in the future"));
        }
        if i.received_at < EARLIEST_RECEIVED {
            return Err(IncomingError::invalid("received_at", "cannot be before 1949-10-01"));
        }
        if i.due_at.is_some_and(|d| d <= now) {
            return Err(IncomingError::invalid("due_at", "the deadline must be in the future"));
        }
        Ok(Registration {
            sender_organ,
            sender_number,
            title,
            doc_type,
            classification,
            secrecy_period,
            copy_no,
            urgency,
            handling,
            copies: i.copies,
            pages: i.pages,
            received_at: i.received_at,
            due_at: i.due_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> RegistrationInput {
        RegistrationInput {
            sender_organ: " 某省 教育厅 ".into(),
            sender_number: "教发[2026]3号".into(),
            title: "关于做好2027年招生工作的通知".into(),
            doc_type: "通知".into(),
            classification: "".into(),
            urgency: "".into(),
            handling: "".into(),
            secrecy_period: "".into(),
            copy_no: "".into(),
            copies: 1,
            pages: None,
            received_at: Timestamp(1000),
            due_at: None,
        }
    }

    #[test]
    fn a_good_registration_is_normalised() {
        let r = Registration::validate(&good(), Timestamp(1000)).unwrap();
        assert_eq!(r.sender_organ, "某省 教育厅");
        assert_eq!(r.sender_number.unwrap().to_string(), "教发〔2026〕3号");
        assert_eq!(r.doc_type, DocType::Notice);
        assert_eq!(r.handling, HandlingKind::ToHandle);
        assert_eq!(r.classification, Clearance::None);
    }

    #[test]
    fn each_bad_field_is_named() {
        let now = Timestamp(10_000_000);
        type Edit = fn(&mut RegistrationInput);
        let cases: &[(Edit, &str)] = &[
            (|i| i.sender_organ = " ".into(), "sender_organ"),
            (|i| i.sender_number = "教发2026-3".into(), "sender_number"),
            (|i| i.title = "".into(), "title"),
            (|i| i.title = "长".repeat(201), "title"),
            (|i| i.doc_type = "方案".into(), "doc_type"),
            (|i| i.classification = "内部".into(), "classification"),
            (|i| i.classification = "机密".into(), "secrecy_period"),
            (
                |i| {
                    i.classification = "机密".into();
                    i.secrecy_period = "10年".into();
                },
                "copy_no",
            ),
            (|i| i.urgency = "急".into(), "urgency"),
            (|i| i.handling = "办".into(), "handling"),
            (|i| i.copies = 0, "copies"),
            (|i| i.pages = Some(0), "pages"),
            (|i| i.received_at = Timestamp(10_000_000 + 3_600_000), "received_at"),
            (|i| i.received_at = Timestamp(-62_167_219_200_000), "received_at"),
            (|i| i.due_at = Some(Timestamp(10_000_000)), "due_at"),
        ];
        for (edit, field) in cases {
            let mut i = good();
            edit(&mut i);
            match Registration::validate(&i, now) {
                Err(IncomingError::Invalid { field: f, .. }) => assert_eq!(f, *field),
                other => panic!("{field}: {other:?}"),
            }
        }
    }

    #[test]
    fn classified_documents_keep_period_and_copy_number() {
        let mut i = good();
        i.classification = "秘密".into();
        i.secrecy_period = "5年".into();
        i.copy_no = "000012".into();
        let r = Registration::validate(&i, Timestamp(1000)).unwrap();
        assert_eq!(
            (r.classification, r.secrecy_period.as_str(), r.copy_no.as_str()),
            (Clearance::Secret, "5年", "000012")
        );
    }
}
