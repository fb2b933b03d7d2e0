//! Instants in UTC as milliseconds, and the office's local dates (China has one time zone).

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// The years a form date may have: four digits, as `YYYY-MM-DD` says. chrono itself reads
/// years up to ±262,142, where a date ± a few days leaves its range and panics (T11).
pub const FORM_YEARS: std::ops::RangeInclusive<i32> = 1000..=9999;

/// A date as forms, query strings and the CLI send it: `YYYY-MM-DD` with a four-digit year.
pub fn parse_date(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok().filter(|d| FORM_YEARS.contains(&d.year()))
}

/// An instant, stored as Unix milliseconds UTC in both databases.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

/// China Standard Time; the office thinks in local dates and working hours.
pub fn office_offset() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("+08:00 is a valid offset")
}

impl Timestamp {
    pub fn from_datetime(dt: DateTime<Utc>) -> Self {
        Timestamp(dt.timestamp_millis())
    }

    pub fn to_datetime(self) -> DateTime<Utc> {
        Utc.timestamp_millis_opt(self.0).single().unwrap_or_default()
    }

    pub fn plus_minutes(self, minutes: i64) -> Self {
        Timestamp(self.0 + minutes * 60_000)
    }

    pub fn plus_hours(self, hours: i64) -> Self {
        self.plus_minutes(hours * 60)
    }

    /// The office-local calendar date of this instant.
    pub fn local_date(self) -> NaiveDate {
        self.to_datetime().with_timezone(&office_offset()).date_naive()
    }

    /// The end of a local date (23:59:59.999 +08:00): deadlines given as a date mean "by the end of that day".
    pub fn end_of_local_day(date: NaiveDate) -> Self {
        // The day's own last millisecond, not "next midnight − 1": chrono's last date has no
        // next day, and its deadline then ended a day early, before the day began (T11).
        let last = date.and_hms_milli_opt(23, 59, 59, 999).expect("23:59:59.999 exists");
        let end = office_offset().from_local_datetime(&last).single().expect("fixed offsets are unambiguous");
        Timestamp(end.timestamp_millis())
    }

    /// `YYYY-MM-DD HH:MM` in office-local time, for pages and exports.
    pub fn local_display(self) -> String {
        self.to_datetime().with_timezone(&office_offset()).format("%Y-%m-%d %H:%M").to_string()
    }

    /// What a form sends: `YYYY-MM-DD` (the start of that day, or its end with `end_of_day`)
    /// or `YYYY-MM-DDTHH:MM` (`<input type=datetime-local>`), office time. `None` for
    /// anything else. Fuzzed by T11 (`fuzz/fuzz_targets/dates.rs`).
    pub fn parse_local(raw: &str, end_of_day: bool) -> Option<Timestamp> {
        let raw = raw.trim();
        let dt = match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
            Ok(d) if !FORM_YEARS.contains(&d.year()) => return None,
            Ok(d) if end_of_day => return Some(Timestamp::end_of_local_day(d)),
            Ok(d) => d.and_hms_opt(0, 0, 0)?,
            Err(_) => {
                NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M").ok().filter(|t| FORM_YEARS.contains(&t.year()))?
            }
        };
        Some(Timestamp(dt.and_local_timezone(office_offset()).single()?.timestamp_millis()))
    }

    /// RFC 3339 in UTC, for the API.
    pub fn rfc3339(self) -> String {
        self.to_datetime().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn end_of_local_day_is_last_millisecond_in_beijing() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let t = Timestamp::end_of_local_day(d);
        assert_eq!(t.local_date(), d);
        assert_eq!(Timestamp(t.0 + 1).local_date(), d.succ_opt().unwrap());
        assert_eq!(t.local_display(), "2026-11-27 23:59");
    }

    /// Found by T11 (`fuzz/fuzz_targets/dates.rs`, input `+262142-12-31`): on chrono's last
    /// date the end of the day came before its start.
    #[test]
    fn the_last_date_ends_after_it_begins() {
        for d in [NaiveDate::MAX, NaiveDate::MIN, NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()] {
            let end = Timestamp::end_of_local_day(d);
            assert_eq!(end.local_date(), d, "{d}");
            if let Some(start) = Timestamp::parse_local(&d.format("%Y-%m-%d").to_string(), false) {
                assert!(start < end, "{d}");
            }
        }
        for far in ["+262142-12-31", "-262143-01-01", "+10000-01-01", "0999-12-31T23:59"] {
            assert_eq!(Timestamp::parse_local(far, true), None, "{far}");
            assert_eq!(parse_date(far), None, "{far}");
        }
        assert_eq!(parse_date(" 2026-8-1 "), NaiveDate::from_ymd_opt(2026, 8, 1));
    }
}
