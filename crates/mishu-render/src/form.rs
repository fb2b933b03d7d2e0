//! Printable forms (处理单, 稿纸): a title over a ruled grid of label/value rows, with
//! tall cells for handwritten or recorded opinions (拟办意见, 领导批示). Generic on
//! purpose: the 收文处理单 and the 发文稿纸 are both just rows.

use serde::{Deserialize, Serialize};
use typst::foundations::{Array, Dict, IntoValue, Value};

/// One form, e.g. "江北职业技术学院收文处理单".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormSheet {
    pub title: String,
    /// A line above the grid, right-aligned, e.g. "收文编号：2026-0123".
    pub reference: Option<String>,
    pub rows: Vec<FormRow>,
    /// A line under the grid, e.g. "打印时间：2026年11月27日".
    pub footer: Option<String>,
    /// A4 landscape (the weekly arrangement's columns of a week) instead of portrait.
    #[serde(default)]
    pub landscape: bool,
}

/// One ruled row: one cell spanning the width, or two side by side. `min_lines` gives an
/// opinion cell its height (in body lines) so there is room to write by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormRow {
    pub cells: Vec<FormCell>,
    #[serde(default)]
    pub min_lines: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormCell {
    pub label: String,
    /// Multi-line text keeps its line breaks (one opinion per line, say).
    pub value: String,
}

impl FormRow {
    pub fn one(label: &str, value: &str) -> Self {
        FormRow { cells: vec![FormCell { label: label.into(), value: value.into() }], min_lines: 0 }
    }
    pub fn two(l1: &str, v1: &str, l2: &str, v2: &str) -> Self {
        FormRow {
            cells: vec![
                FormCell { label: l1.into(), value: v1.into() },
                FormCell { label: l2.into(), value: v2.into() },
            ],
            min_lines: 0,
        }
    }
    pub fn opinion(label: &str, value: &str, min_lines: u8) -> Self {
        FormRow { cells: vec![FormCell { label: label.into(), value: value.into() }], min_lines }
    }
}

fn text(s: &str) -> Value {
    crate::data::text(s.trim())
}

pub(crate) fn data(form: &FormSheet, fonts: &Dict) -> Dict {
    // More than two cells in a row are laid out two by two.
    let rows: Array = form
        .rows
        .iter()
        .flat_map(|row| {
            row.cells
                .chunks(2)
                .map(|cells| {
                    let mut d = Dict::new();
                    let cells: Array = cells
                        .iter()
                        .map(|c| {
                            let mut cd = Dict::new();
                            cd.insert("label".into(), text(&c.label));
                            cd.insert("lines".into(), c.value.lines().map(text).collect::<Array>().into_value());
                            cd.into_value()
                        })
                        .collect();
                    d.insert("cells".into(), cells.into_value());
                    d.insert("min_lines".into(), i64::from(row.min_lines.min(20)).into_value());
                    d.into_value()
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let opt = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map_or(Value::None, text);
    let mut d = Dict::new();
    d.insert("fonts".into(), fonts.clone().into_value());
    d.insert("title".into(), text(&form.title));
    d.insert("reference".into(), opt(&form.reference));
    d.insert("footer".into(), opt(&form.footer));
    d.insert("rows".into(), rows.into_value());
    d.insert("landscape".into(), form.landscape.into_value());
    d
}
