//! Instants in UTC as milliseconds, and the office's local dates (China has one time zone).

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

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
        let next = date.succ_opt().unwrap_or(date);
        let start = office_offset()
            .from_local_datetime(&next.and_hms_opt(0, 0, 0).expect("midnight exists"))
            .single()
            .expect("fixed offsets are unambiguous");
        Timestamp(start.timestamp_millis() - 1)
    }

    /// `YYYY-MM-DD HH:MM` in office-local time, for pages and exports.
    pub fn local_display(self) -> String {
        self.to_datetime().with_timezone(&office_offset()).format("%Y-%m-%d %H:%M").to_string()
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
}
