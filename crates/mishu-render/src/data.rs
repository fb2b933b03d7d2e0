//! The document turned into the plain dictionary the typst template reads as
//! `sys.inputs`. Text travels as string values, never as markup, which is what makes
//! the renderer escape-proof.

use chrono::{Datelike, NaiveDate};
use typst::foundations::{Array, Dict, IntoValue, Value};

use crate::model::{Block, Format, OfficialDocument};

/// "2026年11月27日": Arabic numerals, full year, no zero padding (N29, N37).
pub fn chinese_date(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// A string value (text as data, never markup).
pub(crate) fn text(s: &str) -> Value {
    Value::Str(s.into())
}

fn opt(value: &Option<String>) -> Value {
    match value.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => text(s),
        _ => Value::None,
    }
}

fn strings(list: &[String]) -> Value {
    list.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).map(text).collect::<Array>().into_value()
}

/// A heading that runs on into text ("（一）加强领导。各单位要……") is split after its
/// first full stop so only the heading part takes the heading face.
fn heading_parts(text: &str) -> (&str, &str) {
    match text.find('。') {
        Some(i) if i + '。'.len_utf8() < text.len() => text.split_at(i + '。'.len_utf8()),
        _ => (text, ""),
    }
}

fn blocks(list: &[Block]) -> Value {
    list.iter()
        .map(|b| {
            let mut d = Dict::new();
            match b {
                Block::Heading { level, text: t } => {
                    let (lead, rest) = heading_parts(t);
                    d.insert("kind".into(), text("heading"));
                    d.insert("level".into(), i64::from((*level).clamp(1, 4)).into_value());
                    d.insert("lead".into(), text(lead));
                    d.insert("rest".into(), text(rest));
                }
                Block::Paragraph { text: t } => {
                    d.insert("kind".into(), text("paragraph"));
                    d.insert("text".into(), text(t));
                }
            }
            d.into_value()
        })
        .collect::<Array>()
        .into_value()
}

/// The impression as `(svg: str, diameter: int mm)`, or none. The SVG travels as a string and
/// the template reads it with `bytes(…)` as an image, never as markup.
fn seal(doc: &OfficialDocument) -> Value {
    match &doc.seal {
        Some(s) if !s.svg.trim().is_empty() => {
            let mut d = Dict::new();
            d.insert("svg".into(), text(&s.svg));
            d.insert("diameter".into(), i64::from(s.diameter_mm.clamp(10, 60)).into_value());
            d.into_value()
        }
        _ => Value::None,
    }
}

pub fn document(doc: &OfficialDocument, fonts: &Dict) -> Dict {
    let format = match doc.format {
        Format::File => "file",
        Format::Letter => "letter",
        Format::Minutes => "minutes",
    };
    let attachments: Array = doc
        .attachments
        .iter()
        .map(|a| {
            let mut d = Dict::new();
            d.insert("title".into(), text(a.title.trim()));
            d.insert("body".into(), blocks(&a.body));
            d.into_value()
        })
        .collect();
    let mut d = Dict::new();
    let mut put = |k: &str, v: Value| {
        d.insert(k.into(), v);
    };
    put("fonts", fonts.clone().into_value());
    put("format", text(format));
    put("copy_number", opt(&doc.copy_number));
    put("classification", opt(&doc.classification));
    put("urgency", opt(&doc.urgency));
    put("issuer_mark", text(doc.issuer_mark.trim()));
    put("doc_number", opt(&doc.doc_number));
    put("signers", strings(&doc.signers));
    put("title", text(doc.title.trim()));
    put("main_recipients", strings(&doc.main_recipients));
    put("body", blocks(&doc.body));
    put("attachment_titles", strings(&doc.attachment_titles));
    put("signature", strings(&doc.signature));
    put("date", opt(&doc.date.map(chinese_date)));
    put("note", opt(&doc.note));
    put("attachments", attachments.into_value());
    put("copied_to", strings(&doc.copied_to));
    put("printed_by", text(doc.printed_by.trim()));
    put("printed_on", opt(&doc.printed_on.map(chinese_date)));
    put("present", strings(&doc.present));
    put("attending", strings(&doc.attending));
    put("seal", seal(doc));
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_arabic_without_padding() {
        let date = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        assert_eq!(chinese_date(date), "2026年3月5日");
    }

    #[test]
    fn a_run_on_heading_splits_after_its_first_full_stop() {
        assert_eq!(heading_parts("（一）加强领导。各单位要落实。"), ("（一）加强领导。", "各单位要落实。"));
        assert_eq!(heading_parts("一、总体要求"), ("一、总体要求", ""));
        assert_eq!(heading_parts("一、总体要求。"), ("一、总体要求。", ""));
    }
}
