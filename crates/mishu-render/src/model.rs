//! The document as the renderer sees it: every element of GB/T 9704-2012 (版头, 主体,
//! 版记) as already-validated text. Services fill it from their records; the renderer
//! decides only the layout.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The three layouts of GB/T 9704-2012.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// 文件格式: red 发文机关标志 ("…文件") and red separator line.
    File,
    /// 信函格式: masthead at 30 mm, double red lines, no page number on the first page.
    Letter,
    /// 纪要格式: "…纪要" masthead, 出席/列席 lists instead of 主送 and 署名.
    Minutes,
}

/// One block of the body. Headings follow the four levels of the standard:
/// 1 "一、" (黑体), 2 "（一）" (楷体), 3 "1." and 4 "（1）" (仿宋). The text includes its
/// own ordinal ("一、总体要求"); the renderer only chooses the face.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    Heading { level: u8, text: String },
    Paragraph { text: String },
}

/// An attachment printed after the main text, each starting on a new page, with
/// "附件1" at the top left in 黑体 and its title centred.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub title: String,
    pub body: Vec<Block>,
}

/// Everything printed on an official document. Empty strings and empty lists mean "not
/// printed"; the renderer never invents text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficialDocument {
    pub format: Format,
    /// 份号: six digits, only for classified documents (one per printed copy).
    pub copy_number: Option<String>,
    /// 密级和保密期限 as printed, e.g. "秘密★1年".
    pub classification: Option<String>,
    /// 紧急程度 as printed: "特急" or "加急".
    pub urgency: Option<String>,
    /// 发文机关标志, e.g. "江南职业技术学院文件" (文件格式) or "江南职业技术学院" (信函格式).
    pub issuer_mark: String,
    /// 发文字号, e.g. "江职院〔2026〕12号"; absent on a draft.
    pub doc_number: Option<String>,
    /// 签发人 names, printed for upward documents (上行文) only.
    pub signers: Vec<String>,
    pub title: String,
    /// 主送机关, printed joined with "、" and ending in "：".
    pub main_recipients: Vec<String>,
    pub body: Vec<Block>,
    /// 附件说明: the attachments' titles in order ("附件：1. …").
    pub attachment_titles: Vec<String>,
    /// 署名: the issuing organs, one line each.
    pub signature: Vec<String>,
    /// 成文日期, printed in Arabic numerals ("2026年11月27日").
    pub date: Option<NaiveDate>,
    /// 附注, e.g. "（联系人：张敏，电话：0510-8888 1234）".
    pub note: Option<String>,
    pub attachments: Vec<Attachment>,
    /// 抄送机关.
    pub copied_to: Vec<String>,
    /// 印发机关 and 印发日期 (版记).
    pub printed_by: String,
    pub printed_on: Option<NaiveDate>,
    /// 纪要格式 only: 出席 and 列席 lists.
    pub present: Vec<String>,
    pub attending: Vec<String>,
    /// The seal pressed over the 署名 and 成文日期 (GB/T 9704-2012 7.3.5.1), on a sealed
    /// document only; absent, the unsealed layout (7.3.5.2) is used.
    #[serde(default)]
    pub seal: Option<SealImpression>,
}

/// A seal's impression (印模) as printed on a sealed document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealImpression {
    /// The impression drawn as SVG, red on a transparent ground.
    pub svg: String,
    /// The seal's diameter in millimetres; the impression prints at this size.
    pub diameter_mm: u32,
}

/// The four heading ordinals of GB/T 9704-2012 7.3.3 (N27), tried in order on the start
/// of a line: 1 "一、", 2 "（一）", 3 "1." and 4 "（1）". Half-width parentheses and the
/// full-width "．" are accepted as typed by hand.
fn heading_level(line: &str) -> Option<u8> {
    const CN_DIGITS: &str = "一二三四五六七八九十百零〇";
    let is_cn = |c: char| CN_DIGITS.contains(c);
    let mut chars = line.chars().peekable();
    match chars.peek().copied() {
        Some(c) if is_cn(c) => {
            let rest: String = chars.skip_while(|c| is_cn(*c)).collect();
            rest.starts_with('、').then_some(1)
        }
        Some('（' | '(') => {
            chars.next();
            let inner: String = chars.clone().take_while(|c| *c != '）' && *c != ')').collect();
            let closed = chars.nth(inner.chars().count()).is_some();
            if !closed || inner.is_empty() {
                None
            } else if inner.chars().all(is_cn) {
                Some(2)
            } else if inner.chars().all(|c| c.is_ascii_digit()) {
                Some(4)
            } else {
                None
            }
        }
        Some(c) if c.is_ascii_digit() => {
            let digits = chars.by_ref().take_while(|c| c.is_ascii_digit()).count();
            // `take_while` consumed the character after the digits; look at it again.
            let after = line.chars().nth(digits);
            let next = line.chars().nth(digits + 1);
            // "1.5亿元" is a number, not an ordinal: the dot must not sit between digits.
            let ordinal = matches!(after, Some('.' | '．')) && !next.is_some_and(|c| c.is_ascii_digit());
            ordinal.then_some(3)
        }
        _ => None,
    }
}

impl Block {
    /// Splits a plain-text draft into blocks: one block per non-empty line, a line that
    /// starts with one of the four ordinals (一、/（一）/1./（1）) becoming a heading of
    /// that level. Leading full- and half-width spaces (hand-typed indents) are dropped;
    /// the renderer indents by itself.
    pub fn parse_body(text: &str) -> Vec<Block> {
        text.lines()
            .map(|l| l.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}'))
            .filter(|l| !l.is_empty())
            .map(|l| match heading_level(l) {
                Some(level) => Block::Heading { level, text: l.to_string() },
                None => Block::Paragraph { text: l.to_string() },
            })
            .collect()
    }

    /// The block's text as typed, ordinal included.
    pub fn text(&self) -> &str {
        match self {
            Block::Heading { text, .. } | Block::Paragraph { text } => text,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(text: &str) -> Vec<Option<u8>> {
        Block::parse_body(text)
            .iter()
            .map(|b| match b {
                Block::Heading { level, .. } => Some(*level),
                Block::Paragraph { .. } => None,
            })
            .collect()
    }

    #[test]
    fn the_four_heading_levels_are_recognised() {
        let draft =
            "一、总体要求\n（一）指导思想\n1.坚持问题导向\n（1）摸清底数\n十二、其他\n(二)半角括号\n2．全角点\n(3)半角";
        assert_eq!(levels(draft), vec![Some(1), Some(2), Some(3), Some(4), Some(1), Some(2), Some(3), Some(4)]);
    }

    #[test]
    fn ordinary_lines_stay_paragraphs() {
        let draft =
            "  　各二级学院要高度重视。\n\n1.5亿元的预算已下达。\n（注：以上为初稿）\n一是加强领导\n2026年工作要点";
        assert_eq!(levels(draft), vec![None, None, None, None, None]);
        let blocks = Block::parse_body(draft);
        assert_eq!(blocks[0].text(), "各二级学院要高度重视。", "hand-typed indent dropped");
    }
}
