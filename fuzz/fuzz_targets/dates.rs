//! T11: the dates and date-times that forms send. `Timestamp::parse_local` (every
//! `<input type=date|datetime-local>` of the web forms) and the seal report's period
//! (`seals::report::validate_period`); then the instant's own conversions. Input: lines
//! `value / from / to / days`. Never panics; only four-digit years are accepted; what the form shows back (`local_display`
//! with a `T`) parses to the same instant; a deadline date ends on that local date.
#![no_main]

use chrono::{Datelike, NaiveDate};
use libfuzzer_sys::fuzz_target;
use mishu_domain::Timestamp;
use mishu_domain::seals::report::validate_period;
use mishu_domain::time::{FORM_YEARS, parse_date};

/// The conversions every page and export uses; a form's own value must come back.
fn instant(t: Timestamp, from_a_form: bool) {
    let _ = (t.local_date(), t.rfc3339());
    let shown = t.local_display().replace(' ', "T");
    if from_a_form {
        let minute = Timestamp(t.0.div_euclid(60_000) * 60_000);
        assert_eq!(Timestamp::parse_local(&shown, false), Some(minute), "{t:?} shown as {shown:?}");
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut lines = text.split('\n');
    let value = lines.next().unwrap_or("");
    let (from, to, days) = (lines.next().unwrap_or(""), lines.next().unwrap_or(""), lines.next().unwrap_or(""));

    let start = Timestamp::parse_local(value, false);
    let end = Timestamp::parse_local(value, true);
    if let Some(t) = start {
        instant(t, true);
    }
    for t in [start, end].into_iter().flatten() {
        assert!(FORM_YEARS.contains(&t.local_date().year()), "{value:?} → {t:?}: a four-digit year");
    }
    if let Some(d) = parse_date(value) {
        let e = end.expect("every date has an end");
        assert!(start.is_none_or(|s| s < e), "{value:?}: {start:?} !< {e:?}");
        assert_eq!(e.local_date(), d, "{value:?}: the deadline ends on its own date");
        if d < NaiveDate::MAX {
            assert_eq!(Timestamp(e.0 + 1).local_date().pred_opt(), Some(d), "{value:?}: then the next day begins");
        }
    } else if NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").is_ok() {
        assert_eq!((start, end), (None, None), "{value:?}: a date outside four-digit years");
    } else {
        assert_eq!(start, end, "{value:?}: a date-time ignores end_of_day");
    }

    let today = NaiveDate::from_ymd_opt(2026, 11, 27).expect("a date");
    if let Ok((f, t, n)) = validate_period(from, to, days, today) {
        assert!(f <= t && (1..=366).contains(&n), "{from:?} {to:?} {days:?}");
    }
    // Raw instants, as stored: any i64 converts without a panic.
    if let Some(raw) = data.first_chunk::<8>() {
        instant(Timestamp(i64::from_le_bytes(*raw)), false);
    }
});
