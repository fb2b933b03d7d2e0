//! iCalendar text (RFC 5545) for meetings: one VCALENDAR of VEVENTs, times in UTC (so no
//! VTIMEZONE is needed and every client shows them in its own zone), TEXT values escaped
//! (§3.3.11) and content lines folded at 75 octets (§3.1) without splitting a character.
//! Pure: the service gathers the events, this only writes them.

use crate::Timestamp;

/// What a calendar client needs of one meeting or booking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Stable for the meeting's whole life, so an update replaces the entry instead of adding one.
    pub uid: String,
    /// Grows whenever the meeting changes (its time, its cancellation): clients keep the
    /// highest, so a moved meeting moves in their calendar too (§3.8.7.4).
    pub sequence: i64,
    /// When this text was produced.
    pub stamp: Timestamp,
    pub start: Timestamp,
    pub end: Timestamp,
    pub summary: String,
    pub location: String,
    pub description: String,
    pub status: Status,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Confirmed,
    /// A booking still waiting for its approvals.
    Tentative,
    Cancelled,
}

impl Status {
    fn code(self) -> &'static str {
        match self {
            Status::Confirmed => "CONFIRMED",
            Status::Tentative => "TENTATIVE",
            Status::Cancelled => "CANCELLED",
        }
    }
}

/// A whole calendar; `name` is what a subscribing client calls it.
pub fn calendar(name: &str, events: &[Event]) -> String {
    let mut out = String::new();
    let mut line = |l: String| {
        out.push_str(&fold(&l));
        out.push_str("\r\n");
    };
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//Mishu//Mishu office automation//ZH".into());
    line("CALSCALE:GREGORIAN".into());
    line("METHOD:PUBLISH".into());
    line(format!("X-WR-CALNAME:{}", escape(name)));
    for e in events {
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}", escape(&e.uid)));
        line(format!("SEQUENCE:{}", e.sequence.max(0)));
        line(format!("DTSTAMP:{}", utc(e.stamp)));
        line(format!("DTSTART:{}", utc(e.start)));
        line(format!("DTEND:{}", utc(e.end)));
        line(format!("SUMMARY:{}", escape(&e.summary)));
        if !e.location.trim().is_empty() {
            line(format!("LOCATION:{}", escape(&e.location)));
        }
        if !e.description.trim().is_empty() {
            line(format!("DESCRIPTION:{}", escape(&e.description)));
        }
        line(format!("STATUS:{}", e.status.code()));
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

/// `YYYYMMDDTHHMMSSZ` (form #2, UTC).
pub fn utc(t: Timestamp) -> String {
    t.to_datetime().format("%Y%m%dT%H%M%SZ").to_string()
}

/// A TEXT value: backslash, semicolon and comma escaped, every kind of line break as `\n`,
/// other control characters dropped (TEXT may not carry them).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds one content line: no physical line longer than 75 octets, continuation lines begin
/// with one space (which counts), and a multi-byte character is never cut (§3.1).
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3);
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> Event {
        Event {
            uid: "meeting-7@mishu".into(),
            sequence: 2,
            stamp: Timestamp(1_764_205_200_000), // 2025-11-27 01:00 UTC
            start: Timestamp(1_764_464_400_000), // 2025-11-30 01:00 UTC = 09:00 +08:00
            end: Timestamp(1_764_471_600_000),   // 03:00 UTC
            summary: "教学工作例会; 第一次, 期末\\安排".into(),
            location: "第一会议室".into(),
            description: "议程：\n一、期末\r\n二、安排".into(),
            status: Status::Confirmed,
        }
    }

    #[test]
    fn escapes_the_four_specials_and_every_line_break() {
        assert_eq!(escape("a,b;c\\d"), "a\\,b\\;c\\\\d");
        assert_eq!(escape("一\n二\r\n三\r四"), "一\\n二\\n三\\n四");
        assert_eq!(escape("x\u{7}y\tz"), "xy z");
        // An escaped backslash before an n stays a backslash and a letter, not a line break.
        assert_eq!(escape("C:\\new"), "C:\\\\new");
    }

    #[test]
    fn folds_at_75_octets_without_cutting_a_character() {
        let short = "SUMMARY:short";
        assert_eq!(fold(short), short);
        let long = format!("SUMMARY:{}", "会".repeat(60));
        let folded = fold(&long);
        for l in folded.split("\r\n") {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let physical: Vec<&str> = folded.split("\r\n").collect();
        assert!(physical.len() > 2, "{folded}");
        assert!(physical[1..].iter().all(|l| l.starts_with(' ')));
        // Unfolding (drop CRLF + one space) gives the line back.
        assert_eq!(folded.replace("\r\n ", ""), long);
        // Exactly 75 octets is not folded; 76 is.
        let ascii75 = "X".repeat(75);
        assert_eq!(fold(&ascii75), ascii75);
        assert_eq!(fold(&"X".repeat(76)), format!("{}\r\n X", "X".repeat(75)));
    }

    #[test]
    fn a_calendar_has_the_required_properties_in_utc_with_crlf() {
        let text = calendar("我的日程", &[event()]);
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"), "{text}");
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'), "bare LF: {text:?}");
        for want in [
            "UID:meeting-7@mishu",
            "SEQUENCE:2",
            "DTSTAMP:20251127T010000Z",
            "DTSTART:20251130T010000Z",
            "DTEND:20251130T030000Z",
            "LOCATION:第一会议室",
            "STATUS:CONFIRMED",
        ] {
            assert!(text.contains(&format!("\r\n{want}\r\n")), "{want} in {text}");
        }
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains("SUMMARY:教学工作例会\\; 第一次\\, 期末\\\\安排\r\n"), "{unfolded}");
        assert!(unfolded.contains("DESCRIPTION:议程：\\n一、期末\\n二、安排\r\n"), "{unfolded}");
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 1);
        for l in text.split("\r\n") {
            assert!(l.len() <= 75, "{l}");
        }
    }

    #[test]
    fn a_cancelled_event_says_so_and_empty_fields_are_left_out() {
        let mut e = event();
        e.status = Status::Cancelled;
        e.location = " ".into();
        e.description = String::new();
        let text = calendar("x", &[e]);
        assert!(text.contains("\r\nSTATUS:CANCELLED\r\n"));
        assert!(!text.contains("LOCATION") && !text.contains("DESCRIPTION"), "{text}");
        let empty = calendar("x", &[]);
        assert!(!empty.contains("VEVENT"));
    }
}
