//! What follows an outgoing document's body: its attachments (附件, named in order in the
//! 附件说明 and each printed from a new page, GB/T 9704 7.3.5 and 8) and its 附注 (7.3.7).
//! Validated here once so the renderer and the page never see a bad one.

use super::OutgoingError;

/// More attachments than this is a volume, not a document: the office binds it separately.
pub const MAX_ATTACHMENTS: usize = 20;
/// An attachment's name fits on two lines of the 附件说明.
pub const MAX_ATTACHMENT_TITLE: usize = 60;
/// An attachment's text, like a version of the body.
pub const MAX_ATTACHMENT_BODY: usize = super::MAX_BODY;
/// A 附注 is one short line (a contact person and telephone, the print run).
pub const MAX_ANNOTATION: usize = 100;

/// Punctuation that must not end an attachment's name ("附件名称后不加标点符号", 7.3.5).
const CLOSING_PUNCTUATION: &[char] = &['。', '，', '、', '；', '：', '！', '？', '.', ',', ';', ':', '!', '?'];

/// One attachment as the drafter types it: a name and, when the attachment is printed with
/// the document, its text. An empty text means it travels separately (a form, a drawing):
/// it is named in the 附件说明 but has no page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttachmentText {
    pub title: String,
    pub body: String,
}

impl AttachmentText {
    pub fn validate(title: &str, body: &str) -> Result<AttachmentText, OutgoingError> {
        let title = title.trim();
        if title.is_empty() {
            return Err(OutgoingError::invalid("title", "required"));
        }
        if title.chars().count() > MAX_ATTACHMENT_TITLE {
            return Err(OutgoingError::invalid("title", format!("at most {MAX_ATTACHMENT_TITLE} characters")));
        }
        if title.chars().any(char::is_control) {
            return Err(OutgoingError::invalid("title", "one line, no control characters"));
        }
        if title.ends_with(CLOSING_PUNCTUATION) {
            return Err(OutgoingError::invalid("title", "no punctuation after an attachment's name (GB/T 9704 7.3.5)"));
        }
        // "附件：1. 名称" is printed by the renderer; a typed prefix would print twice.
        if title.starts_with("附件") {
            return Err(OutgoingError::invalid("title", "the name only: 附件 and its number are printed for you"));
        }
        let body = body.trim_end();
        if body.chars().count() > MAX_ATTACHMENT_BODY {
            return Err(OutgoingError::invalid("body", format!("at most {MAX_ATTACHMENT_BODY} characters")));
        }
        crate::text::check_multiline(body).map_err(|m| OutgoingError::invalid("body", m))?;
        Ok(AttachmentText { title: title.to_string(), body: body.to_string() })
    }
}

/// Whether one more attachment may be added to a document that has `existing`.
pub fn room_for_attachment(existing: usize) -> Result<(), OutgoingError> {
    if existing >= MAX_ATTACHMENTS {
        return Err(OutgoingError::invalid("title", format!("at most {MAX_ATTACHMENTS} attachments")));
    }
    Ok(())
}

/// The 附注 as stored: one line without the parentheses the renderer adds; empty for none.
pub fn annotation(raw: &str) -> Result<String, OutgoingError> {
    let t = raw.trim();
    let t = t.strip_prefix(['（', '(']).map_or(t, |x| x.strip_suffix(['）', ')']).unwrap_or(x)).trim();
    if t.chars().count() > MAX_ANNOTATION {
        return Err(OutgoingError::invalid("annotation", format!("at most {MAX_ANNOTATION} characters")));
    }
    if t.chars().any(char::is_control) {
        return Err(OutgoingError::invalid("annotation", "one line, no control characters"));
    }
    Ok(t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(e: OutgoingError) -> &'static str {
        match e {
            OutgoingError::Invalid { field, .. } => field,
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn attachment_names_follow_the_standard() {
        let ok = AttachmentText::validate(" 2026年秋季学期教学检查安排表 ", "一、检查时间\n").unwrap();
        assert_eq!(ok.title, "2026年秋季学期教学检查安排表");
        assert_eq!(ok.body, "一、检查时间");
        assert!(AttachmentText::validate("报名表", "").unwrap().body.is_empty(), "a separate attachment");
        let cases = [
            ("", "title"),
            ("安排表。", "title"),
            ("安排表；", "title"),
            ("附件1：安排表", "title"),
            ("第一行\n第二行", "title"),
        ];
        for (title, f) in cases {
            assert_eq!(field(AttachmentText::validate(title, "").unwrap_err()), f, "{title:?}");
        }
        let long = "表".repeat(MAX_ATTACHMENT_TITLE + 1);
        assert_eq!(field(AttachmentText::validate(&long, "").unwrap_err()), "title");
        let body = "字".repeat(MAX_ATTACHMENT_BODY + 1);
        assert_eq!(field(AttachmentText::validate("表", &body).unwrap_err()), "body");
        assert!(AttachmentText::validate(&"表".repeat(MAX_ATTACHMENT_TITLE), "").is_ok());
    }

    #[test]
    fn at_most_twenty_attachments() {
        assert!(room_for_attachment(MAX_ATTACHMENTS - 1).is_ok());
        assert_eq!(field(room_for_attachment(MAX_ATTACHMENTS).unwrap_err()), "title");
    }

    #[test]
    fn the_annotation_is_one_line_without_its_parentheses() {
        assert_eq!(annotation("（联系人：张敏，电话：0510-88881234）").unwrap(), "联系人：张敏，电话：0510-88881234");
        assert_eq!(annotation("(此件公开发布)").unwrap(), "此件公开发布");
        assert_eq!(annotation("  ").unwrap(), "");
        assert_eq!(field(annotation("一\n二").unwrap_err()), "annotation");
        assert_eq!(field(annotation(&"字".repeat(MAX_ANNOTATION + 1)).unwrap_err()), "annotation");
    }
}
