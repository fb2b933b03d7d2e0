//! Printable lists (归档文件目录, 大事记): a title over a ruled table whose heading row
//! repeats on every page. Generic like the forms: columns with their relative widths, and
//! rows of plain texts. Like every template, the texts travel as string values, never markup.

use serde::{Deserialize, Serialize};
use typst::foundations::{Array, Dict, IntoValue, Value};

/// One list, e.g. "2026年归档文件目录".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableSheet {
    pub title: String,
    /// A line above the table, right-aligned, e.g. "全宗号：0194".
    pub reference: Option<String>,
    pub columns: Vec<TableColumn>,
    /// One text per column; a short row is filled with empty cells, a long one cut.
    pub rows: Vec<Vec<String>>,
    /// A line under the table, e.g. "打印时间：2026-11-27 09:30".
    pub footer: Option<String>,
    /// A4 landscape (a catalogue's nine columns) instead of portrait.
    #[serde(default)]
    pub landscape: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableColumn {
    pub heading: String,
    /// The column's share of the width (1 = one part).
    pub width: u8,
    /// Short values (序号, 日期, 页数) are centred; texts are left-aligned.
    #[serde(default)]
    pub centre: bool,
}

impl TableColumn {
    pub fn new(heading: &str, width: u8, centre: bool) -> Self {
        TableColumn { heading: heading.into(), width, centre }
    }
}

fn text(s: &str) -> Value {
    crate::data::text(s.trim())
}

pub(crate) fn data(sheet: &TableSheet, fonts: &Dict) -> Dict {
    let columns: Array = sheet
        .columns
        .iter()
        .map(|c| {
            let mut d = Dict::new();
            d.insert("heading".into(), text(&c.heading));
            d.insert("width".into(), i64::from(c.width.clamp(1, 50)).into_value());
            d.insert("centre".into(), c.centre.into_value());
            d.into_value()
        })
        .collect();
    let n = sheet.columns.len();
    let cells: Array =
        sheet.rows.iter().flat_map(|row| (0..n).map(move |i| text(row.get(i).map_or("", String::as_str)))).collect();
    let opt = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map_or(Value::None, text);
    let mut d = Dict::new();
    d.insert("fonts".into(), fonts.clone().into_value());
    d.insert("title".into(), text(&sheet.title));
    d.insert("reference".into(), opt(&sheet.reference));
    d.insert("footer".into(), opt(&sheet.footer));
    d.insert("columns".into(), columns.into_value());
    d.insert("cells".into(), cells.into_value());
    d.insert("landscape".into(), sheet.landscape.into_value());
    d
}
