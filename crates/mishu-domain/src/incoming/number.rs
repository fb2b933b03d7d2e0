//! The sender's document number (来文字号) as printed on a received document:
//! 机关代字 + 〔year〕 + sequence + 号, e.g. `教发〔2026〕3号`. Common typing variants of the
//! brackets are accepted and stored in the one normal form, so the duplicate check compares
//! like with like.

use super::IncomingError;
use serde::{Deserialize, Serialize};

/// A parsed, normalised 来文字号.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SenderDocNumber {
    pub prefix: String,
    pub year: i32,
    pub seq: u32,
}

/// Opening and closing brackets people type for 〔 〕: the right ones, square brackets
/// (ASCII and full-width), round brackets (ASCII and full-width) and 【 】.
const BRACKETS: &[(char, char)] = &[('〔', '〕'), ('[', ']'), ('［', '］'), ('(', ')'), ('（', '）'), ('【', '】')];

fn bad(message: &str) -> IncomingError {
    IncomingError::invalid("sender_number", message)
}

impl SenderDocNumber {
    /// Parses `代字〔YYYY〕N号`. Whitespace is dropped, bracket variants become 〔 〕 and a
    /// zero-padded sequence loses its zeros (GB/T 9704: numbers are not padded).
    pub fn parse(raw: &str) -> Result<SenderDocNumber, IncomingError> {
        let s: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if s.is_empty() {
            return Err(bad("required"));
        }
        let Some((open_at, open, close)) =
            s.char_indices().find_map(|(i, c)| BRACKETS.iter().find(|(o, _)| *o == c).map(|(o, cl)| (i, *o, *cl)))
        else {
            return Err(bad("expected 代字〔YYYY〕N号, e.g. 教发〔2026〕3号: the year in 〔 〕 is missing"));
        };
        let prefix = &s[..open_at];
        if prefix.is_empty() {
            return Err(bad("the issuing organ's code (代字) before 〔YYYY〕 is missing"));
        }
        if prefix.chars().count() > 40
            || prefix.chars().any(|c| c.is_control() || BRACKETS.iter().any(|(o, cl)| c == *o || c == *cl))
        {
            return Err(bad("the code (代字) before 〔YYYY〕 is not valid"));
        }
        let rest = &s[open_at + open.len_utf8()..];
        let Some(close_at) = rest.find(close) else {
            return Err(bad("the bracket around the year is not closed"));
        };
        let year_txt = &rest[..close_at];
        let year: i32 = match year_txt.parse() {
            Ok(y)
                if year_txt.len() == 4
                    && year_txt.chars().all(|c| c.is_ascii_digit())
                    && (1949..=2100).contains(&y) =>
            {
                y
            }
            _ => return Err(bad("the year in 〔 〕 must be four digits, e.g. 〔2026〕")),
        };
        let tail = &rest[close_at + close.len_utf8()..];
        let Some(digits) = tail.strip_suffix('号') else {
            return Err(bad("the number must end with 号, e.g. 〔2026〕3号"));
        };
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) || digits.len() > 9 {
            return Err(bad("the sequence between 〔YYYY〕 and 号 must be a number, e.g. 〔2026〕3号"));
        }
        let seq: u32 = digits.parse().map_err(|_| bad("the sequence is not a number"))?;
        if seq == 0 {
            return Err(bad("the sequence starts at 1"));
        }
        Ok(SenderDocNumber { prefix: prefix.to_string(), year, seq })
    }

    /// Parses an optional number: many letters (函) and minutes (纪要) carry none.
    pub fn parse_optional(raw: &str) -> Result<Option<SenderDocNumber>, IncomingError> {
        if raw.trim().is_empty() { Ok(None) } else { SenderDocNumber::parse(raw).map(Some) }
    }
}

impl std::fmt::Display for SenderDocNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}〔{}〕{}号", self.prefix, self.year, self.seq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_numbers_parse_and_normalise() {
        let cases = [
            ("某省教育厅〔2026〕12号", "某省教育厅〔2026〕12号"),
            ("教发〔2026〕3号", "教发〔2026〕3号"),
            (" 教发[2026]3号 ", "教发〔2026〕3号"),
            ("教发（2026）3号", "教发〔2026〕3号"),
            ("教发(2026)3号", "教发〔2026〕3号"),
            ("教发［2026］3号", "教发〔2026〕3号"),
            ("教发【2026】3号", "教发〔2026〕3号"),
            ("教发 〔2026〕 003号", "教发〔2026〕3号"),
            ("江北职院办函〔2025〕101号", "江北职院办函〔2025〕101号"),
        ];
        for (raw, want) in cases {
            assert_eq!(SenderDocNumber::parse(raw).unwrap().to_string(), want, "{raw}");
        }
        let n = SenderDocNumber::parse("教发〔2026〕3号").unwrap();
        assert_eq!((n.prefix.as_str(), n.year, n.seq), ("教发", 2026, 3));
    }

    #[test]
    fn bad_numbers_name_the_field_and_say_why() {
        let cases = [
            ("", "required"),
            ("教发2026年3号", "missing"),
            ("〔2026〕3号", "代字"),
            ("教发〔2026 3号", "not closed"),
            ("教发〔26〕3号", "four digits"),
            ("教发〔二〇二六〕3号", "four digits"),
            ("教发〔1900〕3号", "four digits"),
            ("教发〔2026〕3", "号"),
            ("教发〔2026〕号", "number"),
            ("教发〔2026〕三号", "number"),
            ("教发〔2026〕0号", "starts at 1"),
            ("教发〔2026〕3号附件", "号"),
            ("教发〔2026〕〔3〕号", "number"),
        ];
        for (raw, why) in cases {
            let e = SenderDocNumber::parse(raw).unwrap_err();
            let msg = e.to_string();
            assert!(msg.starts_with("sender_number:") && msg.contains(why), "{raw}: {msg}");
        }
    }

    #[test]
    fn a_missing_number_is_allowed_but_a_bad_one_is_not() {
        assert_eq!(SenderDocNumber::parse_optional("  ").unwrap(), None);
        assert!(SenderDocNumber::parse_optional("教发3号").is_err());
    }
}
