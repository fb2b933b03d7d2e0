//! The 档号 (DA/T 22-2015 with DA/T 13): `全宗号-WS·年度-保管期限代码-机构(问题)代码-件号`,
//! e.g. `0194-WS·2026-Y-BGS-0001`. The 全宗号 prefix and the 机构 level are optional
//! (standards.md §3.1: configurable prefix; two-level schemes omit the class). Built and
//! parsed here only, so every 档号 in the system has one shape.

use super::{ArchiveError, Retention, invalid, validate_class_code};
use serde::{Deserialize, Serialize};

/// 档案门类代码 for 文书 (document records).
pub const CATEGORY: &str = "WS";
/// The highest 件号 four digits can carry.
pub const MAX_ITEM_NO: u32 = 9999;

/// A 全宗号: four capital letters or digits (DA/T 13).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FondsCode(String);

impl FondsCode {
    pub fn parse(raw: &str) -> Result<FondsCode, ArchiveError> {
        let s = raw.trim();
        if s.len() == 4 && s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) {
            Ok(FondsCode(s.to_string()))
        } else {
            Err(invalid("fonds", "four capital letters or digits, e.g. 0194"))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The parts of one 档号.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchiveCode {
    pub fonds: Option<FondsCode>,
    pub year: i32,
    pub retention: Retention,
    /// 机构(问题)代码; `None` in a two-level (年度-保管期限) scheme.
    pub class_code: Option<String>,
    /// 件号, 1..=9999, sequential within year + retention + class.
    pub item_no: u32,
}

impl ArchiveCode {
    /// Checks the parts: a four-digit year, a valid class code, a 件号 in 1..=9999.
    pub fn new(
        fonds: Option<FondsCode>,
        year: i32,
        retention: Retention,
        class_code: Option<&str>,
        item_no: u32,
    ) -> Result<ArchiveCode, ArchiveError> {
        if !(1000..=9999).contains(&year) {
            return Err(invalid("year", "four digits"));
        }
        if !(1..=MAX_ITEM_NO).contains(&item_no) {
            return Err(invalid("item_no", format!("1 to {MAX_ITEM_NO}: this class is full")));
        }
        let class_code = class_code.map(validate_class_code).transpose()?;
        Ok(ArchiveCode { fonds, year, retention, class_code, item_no })
    }

    /// The 档号 as printed.
    pub fn render(&self) -> String {
        let mut s = String::new();
        if let Some(f) = &self.fonds {
            s.push_str(f.as_str());
            s.push('-');
        }
        s.push_str(&format!("{CATEGORY}·{}-{}", self.year, self.retention.code()));
        if let Some(c) = &self.class_code {
            s.push('-');
            s.push_str(c);
        }
        s.push_str(&format!("-{:04}", self.item_no));
        s
    }

    /// Reads a 档号 back (the regex of standards.md §3.1). Accepts `.` or the middle dot.
    pub fn parse(raw: &str) -> Result<ArchiveCode, ArchiveError> {
        let bad = || invalid("archive_code", format!("`{}` is not a 档号 like 0194-WS·2026-Y-BGS-0001", raw.trim()));
        let s = raw.trim().replace('.', "·");
        let (fonds, rest) = match s.split_once('-') {
            Some((head, rest)) if !head.contains('·') => (Some(FondsCode::parse(head).map_err(|_| bad())?), rest),
            _ => (None, s.as_str()),
        };
        let rest = rest.strip_prefix(&format!("{CATEGORY}·")).ok_or_else(bad)?;
        let parts: Vec<&str> = rest.split('-').collect();
        let (year, retention, class, item) = match parts.as_slice() {
            [y, r, i] => (y, r, None, i),
            [y, r, c, i] => (y, r, Some(*c), i),
            _ => return Err(bad()),
        };
        if year.len() != 4 || item.len() != 4 || !item.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let year: i32 = year.parse().map_err(|_| bad())?;
        let retention = Retention::ALL.into_iter().find(|r| r.code() == *retention).ok_or_else(bad)?;
        let item_no: u32 = item.parse().map_err(|_| bad())?;
        ArchiveCode::new(fonds, year, retention, class, item_no).map_err(|_| bad())
    }

    /// The name of the counter that hands out 件号 in this code's lowest class.
    pub fn counter_name(year: i32, retention: Retention, class_code: Option<&str>) -> String {
        format!("archive:{year}:{}:{}", retention.code(), class_code.unwrap_or("-"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonds() -> Option<FondsCode> {
        Some(FondsCode::parse("0194").unwrap())
    }

    /// (全宗号, year, retention, class, 件号, the 档号 expected).
    type Case = (Option<FondsCode>, i32, Retention, Option<&'static str>, u32, &'static str);

    #[test]
    fn builds_as_the_standard_says() {
        let cases: &[Case] = &[
            (fonds(), 2016, Retention::Years30, Some("BGS"), 1, "0194-WS·2016-D30-BGS-0001"),
            (fonds(), 2026, Retention::Permanent, Some("BGS"), 12, "0194-WS·2026-Y-BGS-0012"),
            (None, 2026, Retention::Years10, Some("JWC"), 345, "WS·2026-D10-JWC-0345"),
            (fonds(), 2026, Retention::Years10, None, 9999, "0194-WS·2026-D10-9999"),
        ];
        for (f, y, r, c, n, want) in cases {
            let code = ArchiveCode::new(f.clone(), *y, *r, *c, *n).unwrap();
            assert_eq!(code.render(), *want);
            assert_eq!(ArchiveCode::parse(want).unwrap(), code, "round trip {want}");
        }
    }

    #[test]
    fn parse_table() {
        let cases: &[(&str, bool)] = &[
            ("0194-WS·2016-D30-BGS-0001", true),
            ("0194-WS.2016-D30-BGS-0001", true),
            ("WS·2026-Y-0001", true),
            ("0194-WS·2016-D20-BGS-0001", false),
            ("0194-WS·2016-D30-BGS-1", false),
            ("0194-WS·2016-D30-bgs-0001", false),
            ("019-WS·2016-D30-BGS-0001", false),
            ("0194-DA·2016-D30-BGS-0001", false),
            ("0194-WS·16-D30-BGS-0001", false),
            ("0194-WS·2016-D30-BGS-0000", false),
            ("0194-WS·2016-D30-BGS-0001-0002", false),
            ("", false),
        ];
        for (raw, ok) in cases {
            assert_eq!(ArchiveCode::parse(raw).is_ok(), *ok, "{raw}");
        }
    }

    #[test]
    fn refuses_bad_parts() {
        assert!(ArchiveCode::new(None, 2026, Retention::Permanent, Some("BGS"), 0).is_err());
        assert!(ArchiveCode::new(None, 2026, Retention::Permanent, Some("BGS"), 10_000).is_err());
        assert!(ArchiveCode::new(None, 26, Retention::Permanent, Some("BGS"), 1).is_err());
        assert!(ArchiveCode::new(None, 2026, Retention::Permanent, Some("办公室"), 1).is_err());
        assert!(FondsCode::parse("01945").is_err());
        assert_eq!(ArchiveCode::counter_name(2026, Retention::Years10, Some("BGS")), "archive:2026:D10:BGS");
    }
}
