//! 核稿: the checks the office makes before a draft goes on (条例 art. 20; GB/T 9704 and the
//! 行文规则 of standards §2.3). Each finding is a stable code the web layer turns into a
//! plain message through i18n (`outgoing.lint.<code>`); errors block, warnings inform.

use super::{Direction, MAX_TITLE};
use crate::incoming::DocType;
use crate::org::Clearance;
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
}

/// What the lint reads. `doc_type` is the raw stored or typed value, so an unknown 文种 is
/// a finding rather than a panic.
#[derive(Clone, Debug, Default)]
pub struct LintInput<'a> {
    pub doc_type: &'a str,
    pub direction: Option<Direction>,
    pub title: &'a str,
    pub main_recipients: Vec<&'a str>,
    pub copied_to: Vec<&'a str>,
    pub signer: Option<&'a str>,
    pub body: &'a str,
    pub classification: Clearance,
    pub secrecy_period: &'a str,
    pub date: Option<NaiveDate>,
    /// True once the leader has signed: from then on a 成文日期 is required.
    pub signed: bool,
}

/// Asks in a report that make it a 请示 in disguise (rule 15(4): no 请示事项 in a 报告).
const ASKS: [&str; 8] = ["请批示", "请审批", "请批复", "请批准", "妥否", "请予批准", "请审定", "请核准"];
const END_PUNCT: [char; 12] = ['。', '，', '、', '；', '：', '！', '？', '.', ',', ';', ':', '!'];

pub fn lint(i: &LintInput) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut push = |code, severity| out.push(Finding { code, severity });
    use Severity::{Error, Warning};
    let doc_type = DocType::parse(i.doc_type).ok();
    if doc_type.is_none() {
        push("unknown_doc_type", Error);
    }
    let title = i.title.trim();
    if title.is_empty() {
        push("title_missing", Error);
    } else {
        if title.chars().count() > MAX_TITLE {
            push("title_too_long", Error);
        }
        if title.ends_with(END_PUNCT) {
            push("title_ends_in_punctuation", Error);
        }
        if let Some(t) = doc_type
            && !title.ends_with(&*type_name(t))
        {
            push("title_lacks_doc_type", Warning);
        }
    }
    let addressed = doc_type.is_none_or(|t| !super::draft::publishes(t));
    if addressed && i.main_recipients.is_empty() {
        push("no_main_recipient", Error);
    }
    if doc_type == Some(DocType::Request) && i.main_recipients.len() > 1 {
        push("request_several_main", Error);
    }
    let upward = i.direction.or(doc_type.map(Direction::usual)) == Some(Direction::Up);
    if upward && i.signer.is_none_or(|s| s.trim().is_empty()) {
        push("upward_without_signer", Error);
    }
    if doc_type == Some(DocType::Report) && ASKS.iter().any(|a| i.body.contains(a)) {
        push("request_inside_report", Error);
    }
    if i.main_recipients.iter().any(|m| i.copied_to.contains(m)) {
        push("recipient_main_and_copy", Warning);
    }
    if i.body.trim().is_empty() {
        push("body_missing", Error);
    }
    if i.classification > Clearance::None && i.secrecy_period.trim().is_empty() {
        push("secrecy_period_missing", Error);
    }
    if i.signed && i.date.is_none() {
        push("date_missing", Error);
    }
    out
}

/// True when any finding blocks the draft.
pub fn blocking(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

fn type_name(t: DocType) -> String {
    match t {
        DocType::Resolution => "决议",
        DocType::Decision => "决定",
        DocType::Order => "令",
        DocType::Communique => "公报",
        DocType::Announcement => "公告",
        DocType::PublicNotice => "通告",
        DocType::Opinion => "意见",
        DocType::Notice => "通知",
        DocType::Circular => "通报",
        DocType::Report => "报告",
        DocType::Request => "请示",
        DocType::Reply => "批复",
        DocType::Motion => "议案",
        DocType::Letter => "函",
        DocType::Minutes => "纪要",
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> LintInput<'static> {
        LintInput {
            doc_type: "通知",
            title: "关于做好2027年元旦春节期间有关工作的通知",
            main_recipients: vec!["各二级学院", "各部门"],
            body: "一、总体要求\n各部门要高度重视。",
            ..LintInput::default()
        }
    }

    fn codes(i: &LintInput) -> Vec<&'static str> {
        lint(i).into_iter().map(|f| f.code).collect()
    }

    #[test]
    fn lint_table() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 27);
        type Edit = Box<dyn Fn(&mut LintInput<'static>)>;
        let cases: Vec<(&str, Edit, Vec<&str>)> = vec![
            ("clean", Box::new(|_| {}), vec![]),
            ("unknown type", Box::new(|i| i.doc_type = "方案"), vec!["unknown_doc_type"]),
            (
                "title punct",
                Box::new(|i| i.title = "关于做好元旦期间有关工作的通知。"),
                vec!["title_ends_in_punctuation", "title_lacks_doc_type"],
            ),
            (
                "title long",
                Box::new(
                    |i| i.title = "关于关于关于关于关于关于关于关于关于关于关于关于关于关于关于关于关于关于关于关于关于关于关于关于关于的通知",
                ),
                vec!["title_too_long"],
            ),
            ("title empty", Box::new(|i| i.title = " "), vec!["title_missing"]),
            ("title type", Box::new(|i| i.title = "关于做好元旦期间有关工作的安排"), vec!["title_lacks_doc_type"]),
            ("no recipients", Box::new(|i| i.main_recipients.clear()), vec!["no_main_recipient"]),
            (
                "公告 needs none",
                Box::new(|i| {
                    i.doc_type = "公告";
                    i.title = "关于招聘的公告";
                    i.main_recipients.clear()
                }),
                vec![],
            ),
            (
                "请示 two main, no signer",
                Box::new(|i| {
                    i.doc_type = "请示";
                    i.title = "关于增设实训室的请示"
                }),
                vec!["request_several_main", "upward_without_signer"],
            ),
            (
                "请示 ok",
                Box::new(|i| {
                    i.doc_type = "请示";
                    i.title = "关于增设实训室的请示";
                    i.main_recipients = vec!["市教育局"];
                    i.signer = Some("王建国")
                }),
                vec![],
            ),
            (
                "报告 asks",
                Box::new(|i| {
                    i.doc_type = "报告";
                    i.title = "关于实训室建设情况的报告";
                    i.signer = Some("王建国");
                    i.body = "以上报告妥否，请批示。"
                }),
                vec!["request_inside_report"],
            ),
            ("upward 通知 by choice", Box::new(|i| i.direction = Some(Direction::Up)), vec!["upward_without_signer"]),
            ("main and copy", Box::new(|i| i.copied_to = vec!["各部门"]), vec!["recipient_main_and_copy"]),
            ("no body", Box::new(|i| i.body = ""), vec!["body_missing"]),
            ("classified", Box::new(|i| i.classification = Clearance::Secret), vec!["secrecy_period_missing"]),
            (
                "classified ok",
                Box::new(|i| {
                    i.classification = Clearance::Secret;
                    i.secrecy_period = "1年"
                }),
                vec![],
            ),
            ("signed no date", Box::new(|i| i.signed = true), vec!["date_missing"]),
            (
                "signed dated",
                Box::new(move |i| {
                    i.signed = true;
                    i.date = d
                }),
                vec![],
            ),
        ];
        for (name, change, want) in cases {
            let mut i = good();
            change(&mut i);
            assert_eq!(codes(&i), want, "{name}");
        }
    }

    #[test]
    fn only_errors_block() {
        let mut i = good();
        i.copied_to = vec!["各部门"];
        assert!(!blocking(&lint(&i)));
        i.body = "";
        assert!(blocking(&lint(&i)));
    }
}
