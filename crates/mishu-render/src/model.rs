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
}
