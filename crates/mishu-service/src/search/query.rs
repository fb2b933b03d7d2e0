//! A search request validated at the edge: the words (bounded, no control characters), the
//! filters (domain, document type, year, department, state) and the page.

use super::Domain;
pub use mishu_domain::search::MAX_QUERY_CHARS;
pub const PAGE_SIZE: usize = 20;
const MAX_PAGE: usize = 100;
/// Deep pages cost the index a sort of everything before them; nobody reads page 500.
const MAX_OFFSET: usize = 10_000;

/// The request as it arrived (query string or API), every value still text.
#[derive(Clone, Debug, Default)]
pub struct RawSearch {
    pub q: Option<String>,
    pub domain: Option<String>,
    pub doc_type: Option<String>,
    pub year: Option<String>,
    pub department: Option<String>,
    pub state: Option<String>,
    pub offset: Option<String>,
    pub limit: Option<String>,
}

/// A refused request: which field, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError {
    pub field: &'static str,
    pub message: String,
}

fn bad(field: &'static str, message: impl Into<String>) -> QueryError {
    QueryError { field, message: message.into() }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchQuery {
    /// The query as typed, trimmed.
    pub text: String,
    /// Its runs of letters and digits; each must occur in a hit. Empty: nothing to search.
    pub words: Vec<String>,
    pub domain: Option<Domain>,
    pub doc_type: Option<String>,
    pub year: Option<i64>,
    pub department: Option<i64>,
    pub state: Option<String>,
    pub offset: usize,
    pub limit: usize,
}

fn blank(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn code(field: &'static str, v: &Option<String>) -> Result<Option<String>, QueryError> {
    match blank(v) {
        None => Ok(None),
        Some(c) if c.len() <= 32 && c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_') => Ok(Some(c.into())),
        Some(_) => Err(bad(field, "an unknown value")),
    }
}

fn number(
    field: &'static str,
    v: &Option<String>,
    range: std::ops::RangeInclusive<i64>,
) -> Result<Option<i64>, QueryError> {
    match blank(v) {
        None => Ok(None),
        Some(n) => match n.parse::<i64>() {
            Ok(n) if range.contains(&n) => Ok(Some(n)),
            _ => Err(bad(field, format!("a whole number from {} to {}", range.start(), range.end()))),
        },
    }
}

impl SearchQuery {
    pub fn parse(raw: &RawSearch) -> Result<SearchQuery, QueryError> {
        let (text, words) = mishu_domain::search::words(raw.q.as_deref().unwrap_or("")).map_err(|m| bad("q", m))?;
        let domain = match blank(&raw.domain) {
            None => None,
            Some(d) => Some(Domain::parse(d).ok_or_else(|| bad("domain", "an unknown domain"))?),
        };
        let offset = number("offset", &raw.offset, 0..=MAX_OFFSET as i64)?.unwrap_or(0) as usize;
        let limit = number("limit", &raw.limit, 1..=MAX_PAGE as i64)?.map_or(PAGE_SIZE, |l| l as usize);
        Ok(SearchQuery {
            text,
            words,
            domain,
            doc_type: code("doc_type", &raw.doc_type)?,
            year: number("year", &raw.year, 1949..=9999)?,
            department: number("department", &raw.department, 1..=i64::MAX)?,
            state: code("state", &raw.state)?,
            offset,
            limit,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Result<SearchQuery, QueryError> {
        SearchQuery::parse(&RawSearch { q: Some(text.into()), ..RawSearch::default() })
    }

    #[test]
    fn the_edge_refuses_what_cannot_be_a_search() {
        assert_eq!(q(&"通".repeat(10_000)).unwrap_err().field, "q");
        assert_eq!(q("通知\u{0}").unwrap_err().field, "q");
        assert_eq!(q("通知\n会议").unwrap_err().field, "q");
        assert_eq!(q(&"通".repeat(MAX_QUERY_CHARS)).unwrap().words.len(), 1);
        assert_eq!(q(" 安全生产，通知 2026 ").unwrap().words, ["安全生产", "通知", "2026"]);
        assert!(q("").unwrap().words.is_empty());
        let bad_domain = RawSearch { q: Some("x".into()), domain: Some("nuclear".into()), ..RawSearch::default() };
        assert_eq!(SearchQuery::parse(&bad_domain).unwrap_err().field, "domain");
        let bad_year = RawSearch { year: Some("20x6".into()), ..RawSearch::default() };
        assert_eq!(SearchQuery::parse(&bad_year).unwrap_err().field, "year");
        let bad_offset = RawSearch { offset: Some("-1".into()), ..RawSearch::default() };
        assert_eq!(SearchQuery::parse(&bad_offset).unwrap_err().field, "offset");
    }
}
