//! The minutes circulated as a 纪要 (R3.3, GB/T 9704 纪要格式): its title and its text, made
//! from what the meeting recorded — the minutes, then the decisions (会议议定事项), each with
//! its owner and deadline, so the 纪要 and the tracked items say the same thing.

use crate::outgoing::MAX_TITLE;
use chrono::{Datelike, NaiveDate};

/// One decision as the 纪要 states it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SummaryDecision {
    pub text: String,
    pub owner: String,
    pub due: NaiveDate,
}

/// The 纪要's title: the meeting's name with 纪要 (a title already ending in 纪要 is kept);
/// `None` when it would be longer than an outgoing title may be.
pub fn summary_title(meeting_title: &str) -> Option<String> {
    let t = meeting_title.trim();
    let title = if t.ends_with("纪要") { t.to_string() } else { format!("{t}纪要") };
    (title.chars().count() <= MAX_TITLE).then_some(title)
}

const NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

/// 一 … 九十九, the first-level ordinals of an official text.
fn ordinal(n: usize) -> String {
    match n {
        1..=10 => NUMERALS[n - 1].to_string(),
        11..=19 => format!("十{}", NUMERALS[n - 11]),
        20..=99 => {
            let (tens, ones) = (n / 10, n % 10);
            let ones = if ones == 0 { "" } else { NUMERALS[ones - 1] };
            format!("{}十{ones}", NUMERALS[tens - 1])
        }
        _ => n.to_string(),
    }
}

/// The text: the minutes as recorded, then "会议议定：" and one numbered line per decision.
pub fn summary_body(minutes: &str, decisions: &[SummaryDecision]) -> String {
    let mut out = minutes.trim().to_string();
    if !decisions.is_empty() {
        out.push_str("\n会议议定：");
        for (i, d) in decisions.iter().enumerate() {
            let text = d.text.trim().trim_end_matches(['。', '；', '.', ';']);
            let due = format!("{}年{}月{}日", d.due.year(), d.due.month(), d.due.day());
            out.push_str(&format!("\n{}、{text}，由{}负责，{due}前完成。", ordinal(i + 1), d.owner));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_names_the_meeting() {
        assert_eq!(summary_title("院长办公会议").as_deref(), Some("院长办公会议纪要"));
        assert_eq!(summary_title(" 专题会议纪要 ").as_deref(), Some("专题会议纪要"));
        assert_eq!(summary_title(&"会".repeat(MAX_TITLE - 1)).map(|t| t.chars().count()), None);
        assert_eq!(summary_title(&"会".repeat(MAX_TITLE - 2)).map(|t| t.chars().count()), Some(MAX_TITLE));
    }

    #[test]
    fn ordinals_read_as_written() {
        let got: Vec<String> = [1, 9, 10, 11, 19, 20, 21, 99, 100].into_iter().map(ordinal).collect();
        assert_eq!(got, ["一", "九", "十", "十一", "十九", "二十", "二十一", "九十九", "100"]);
    }

    #[test]
    fn the_text_carries_the_minutes_and_each_decision_with_owner_and_deadline() {
        let d = |text: &str, owner: &str, m, day| SummaryDecision {
            text: text.into(),
            owner: owner.into(),
            due: NaiveDate::from_ymd_opt(2026, m, day).unwrap(),
        };
        let body = summary_body(
            "  会议听取了教务处关于期末考试安排的汇报。\n",
            &[d("完善期末考试巡考方案。", "曹丽娟", 12, 5), d("落实考场空调检修", "李建军", 12, 10)],
        );
        assert_eq!(
            body,
            "会议听取了教务处关于期末考试安排的汇报。\n会议议定：\n一、完善期末考试巡考方案，由曹丽娟负责，2026年12月5日前完成。\n二、落实考场空调检修，由李建军负责，2026年12月10日前完成。"
        );
        assert_eq!(summary_body("只有记录。", &[]), "只有记录。");
    }
}
