//! 发文字号 (GB/T 9704 7.2.5): 机关代字 + 〔year〕 + sequence + 号, no zero padding, no 第.
//! The ledger per prefix and year never skips and never repeats; a void keeps its line with
//! its reason, and the gap report explains every number that was not issued.

use super::OutgoingError;
use serde::Serialize;

/// 机关代字: 1–12 Han characters or Latin letters (e.g. 江职院, 江职院办).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct DocPrefix(String);

impl DocPrefix {
    pub fn parse(raw: &str) -> Result<DocPrefix, OutgoingError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(OutgoingError::invalid("prefix", "required"));
        }
        let n = s.chars().count();
        let ok = s.chars().all(|c| c.is_ascii_alphabetic() || is_han(c));
        if !ok || n > 12 {
            return Err(OutgoingError::invalid("prefix", "1 to 12 Chinese characters or letters, e.g. 江职院"));
        }
        Ok(DocPrefix(s.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}')
}

/// A 发文字号.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocNumber {
    pub prefix: String,
    pub year: i64,
    pub seq: i64,
}

impl std::fmt::Display for DocNumber {
    /// `江职院〔2026〕12号`: 六角括号 (U+3014/U+3015), no padding.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}〔{}〕{}号", self.prefix, self.year, self.seq)
    }
}

/// One line of the ledger as the gap report reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerEntry {
    pub seq: i64,
    /// Set when the number was voided; the reason is mandatory.
    pub void_reason: Option<String>,
}

/// A number that was not issued to a document that still holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GapLine {
    pub seq: i64,
    /// The void's reason, or `None` when the ledger has no line at all (which the database
    /// design rules out; reported so that tampering shows).
    pub void_reason: Option<String>,
}

/// Every number from 1 to `last_issued` that is voided or missing, in order.
pub fn gap_report(entries: &[LedgerEntry], last_issued: i64) -> Vec<GapLine> {
    (1..=last_issued)
        .filter_map(|seq| match entries.iter().find(|e| e.seq == seq) {
            None => Some(GapLine { seq, void_reason: None }),
            Some(e) => e.void_reason.as_ref().map(|r| GapLine { seq, void_reason: Some(r.clone()) }),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_the_standard_says() {
        let n = DocNumber { prefix: "国办发".into(), year: 2026, seq: 3 };
        assert_eq!(n.to_string(), "国办发〔2026〕3号");
    }

    #[test]
    fn prefixes() {
        for ok in ["江职院", "江职院办", "JZY"] {
            assert!(DocPrefix::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "江职院〔", "江职 院", "12", "江职院江职院江职院江职院江"] {
            assert!(DocPrefix::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn gap_report_table() {
        let e = |seq, r: Option<&str>| LedgerEntry { seq, void_reason: r.map(String::from) };
        type Want<'a> = Vec<(i64, Option<&'a str>)>;
        let cases: Vec<(Vec<LedgerEntry>, i64, Want)> = vec![
            (vec![], 0, vec![]),
            (vec![e(1, None), e(2, None)], 2, vec![]),
            (vec![e(1, None), e(2, Some("标题有误，重新编号"))], 2, vec![(2, Some("标题有误，重新编号"))]),
            (vec![e(1, None), e(3, None)], 3, vec![(2, None)]),
        ];
        for (entries, last, want) in cases {
            let got: Vec<(i64, Option<String>)> =
                gap_report(&entries, last).into_iter().map(|g| (g.seq, g.void_reason)).collect();
            let want: Vec<(i64, Option<String>)> = want.into_iter().map(|(s, r)| (s, r.map(String::from))).collect();
            assert_eq!(got, want);
        }
    }
}
