//! The materials library (R8.3, R2.2 step 2): reference material a drafter lists, ranks and
//! keeps. Titles, tags (split on commas, 、 or spaces), a source and an optional web link.

use super::{ArchiveError, invalid, line, text};
use serde::{Deserialize, Serialize};

pub const MAX_TAGS: usize = 10;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaterialInput {
    pub title: String,
    pub tags: Vec<String>,
    pub source: String,
    pub link: String,
    pub summary: String,
}

/// Splits and checks tags: at most ten, each 1..=20 characters, duplicates dropped.
pub fn parse_tags(raw: &str) -> Result<Vec<String>, ArchiveError> {
    let mut tags: Vec<String> = Vec::new();
    for t in raw.split([',', '，', '、', ' ', '　', ';', '；']).map(str::trim).filter(|t| !t.is_empty()) {
        if t.chars().count() > 20 || t.chars().any(char::is_control) {
            return Err(invalid("tags", "each tag at most 20 characters"));
        }
        if !tags.iter().any(|x| x == t) {
            tags.push(t.to_string());
        }
    }
    if tags.len() > MAX_TAGS {
        return Err(invalid("tags", format!("at most {MAX_TAGS} tags")));
    }
    Ok(tags)
}

pub fn validate(
    title: &str,
    tags: &str,
    source: &str,
    link: &str,
    summary: &str,
) -> Result<MaterialInput, ArchiveError> {
    let link = text(link, "link", 500)?;
    let web = link.starts_with("https://") || link.starts_with("http://");
    if (!link.is_empty() && !web) || link.contains(' ') {
        return Err(invalid("link", "an http:// or https:// address"));
    }
    Ok(MaterialInput {
        title: line(title, "title", 200)?,
        tags: parse_tags(tags)?,
        source: text(source, "source", 200)?,
        link,
        summary: text(summary, "summary", 4000)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_table() {
        assert_eq!(parse_tags("安全生产，招生、 安全生产").unwrap(), vec!["安全生产", "招生"]);
        assert!(parse_tags("").unwrap().is_empty());
        assert!(parse_tags(&"长".repeat(21)).is_err());
        assert!(parse_tags("a b c d e f g h i j k").is_err());
    }

    #[test]
    fn validate_table() {
        assert!(validate("省教育厅年度工作要点", "招生", "某省教育厅", "https://example.org/a", "").is_ok());
        assert!(validate("", "", "", "", "").is_err());
        assert!(validate("t", "", "", "javascript:alert(1)", "").is_err());
        assert!(validate("t", "", "", "ftp://x", "").is_err());
    }
}
