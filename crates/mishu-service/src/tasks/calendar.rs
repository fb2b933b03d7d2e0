//! The office's working-day calendar, edited by the office (holidays and make-up days).

use crate::audit::{self, Origin};
use crate::{ServiceError, ServiceResult, Services, args};
use chrono::NaiveDate;
use mishu_domain::audit::AuditEvent;
use mishu_domain::calendar::{DayKind, WorkCalendar};
use serde::Serialize;
use serde_json::json;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CalendarDay {
    pub day: String,
    pub kind: String,
    pub note: String,
}

pub async fn calendar(s: &Services) -> ServiceResult<(WorkCalendar, Vec<CalendarDay>)> {
    let rows: Vec<CalendarDay> =
        s.db.fetch_all("SELECT day, kind, note FROM calendar_days ORDER BY day", args![]).await?;
    let mut cal = WorkCalendar::default();
    for r in &rows {
        if let (Ok(d), Some(k)) = (NaiveDate::parse_from_str(&r.day, "%Y-%m-%d"), DayKind::parse(&r.kind)) {
            cal.overrides.insert(d, k);
        }
    }
    Ok((cal, rows))
}

/// The end of the working day `n` working days after today, office time.
pub async fn add_working_days(s: &Services, n: u32) -> ServiceResult<mishu_domain::Timestamp> {
    let (cal, _) = calendar(s).await?;
    let today = s.clock.now().local_date();
    Ok(mishu_domain::Timestamp::end_of_local_day(cal.add_working_days(today, n)))
}

/// Marks a date as a holiday or a make-up working day; `None` returns it to the weekday rule.
pub async fn set_day(s: &Services, origin: &Origin, day: &str, kind: Option<DayKind>, note: &str) -> ServiceResult<()> {
    let date =
        mishu_domain::time::parse_date(day).ok_or_else(|| ServiceError::invalid("day", "expected YYYY-MM-DD"))?;
    let key = date.format("%Y-%m-%d").to_string();
    if note.chars().count() > 60 {
        return Err(ServiceError::invalid("note", "at most 60 characters"));
    }
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    tx.execute("DELETE FROM calendar_days WHERE day = $1", args![&key]).await?;
    if let Some(k) = kind {
        tx.execute(
            "INSERT INTO calendar_days (day, kind, note) VALUES ($1, $2, $3)",
            args![&key, k.code(), note.trim()],
        )
        .await?;
    }
    audit::append(
        &mut tx,
        &s.audit_key,
        origin,
        now,
        &AuditEvent::new(
            "calendar.day_set",
            "calendar_day",
            Some(key.clone()),
            json!({"kind": kind.map(|k| k.code()), "note": note.trim()}),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
