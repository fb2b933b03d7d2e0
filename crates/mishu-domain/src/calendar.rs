//! The working-day calendar: weekends off, plus the office's own list of holidays and
//! make-up working days (调休). Deadlines given in working days are computed here.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A day off although it is a weekday (e.g. 国庆节).
    Holiday,
    /// A working day although it falls on a weekend (调休上班).
    Workday,
}

impl DayKind {
    pub fn code(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Workday => "workday",
        }
    }
    pub fn parse(s: &str) -> Option<DayKind> {
        match s {
            "holiday" => Some(DayKind::Holiday),
            "workday" => Some(DayKind::Workday),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    pub overrides: BTreeMap<NaiveDate, DayKind>,
}

impl WorkCalendar {
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        match self.overrides.get(&d) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !matches!(d.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The date `n` working days after `from` (not counting `from` itself). `n = 0` gives
    /// the first working day on or after `from`.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut d = from;
        if n == 0 {
            while !self.is_working_day(d) {
                d = d.succ_opt().expect("date in range");
            }
            return d;
        }
        let mut left = n;
        while left > 0 {
            d = d.succ_opt().expect("date in range");
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// Working days from `from` (exclusive) to `to` (inclusive); negative when `to` is earlier.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let (a, b, sign) = if to >= from { (from, to, 1) } else { (to, from, -1) };
        let mut n = 0;
        let mut d = a;
        while d < b {
            d = d.succ_opt().expect("date in range");
            if self.is_working_day(d) {
                n += 1;
            }
        }
        sign * n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn working_days_skip_weekends_holidays_and_count_makeup_days() {
        let mut cal = WorkCalendar::default();
        // Friday 2026-11-27 + 1 working day = Monday 11-30.
        assert_eq!(cal.add_working_days(d(2026, 11, 27), 1), d(2026, 11, 30));
        assert_eq!(cal.add_working_days(d(2026, 11, 27), 10), d(2026, 12, 11));
        cal.overrides.insert(d(2026, 11, 30), DayKind::Holiday);
        assert_eq!(cal.add_working_days(d(2026, 11, 27), 1), d(2026, 12, 1));
        cal.overrides.insert(d(2026, 11, 28), DayKind::Workday);
        assert_eq!(cal.add_working_days(d(2026, 11, 27), 1), d(2026, 11, 28));
        assert_eq!(cal.add_working_days(d(2026, 11, 29), 0), d(2026, 12, 1));
        assert_eq!(cal.working_days_between(d(2026, 11, 27), d(2026, 12, 1)), 2);
        assert_eq!(cal.working_days_between(d(2026, 12, 1), d(2026, 11, 27)), -2);
    }
}
