//! A published version on paper: an A4 landscape PDF through the form renderer (a row per
//! day, then a row per leader, as the office pins it up) and an XLSX with the same two views
//! as sheets. Words come from the reader's catalogue.

use super::{by_leader, store};
use crate::forms::{self, Labels, time};
use crate::{ServiceError, ServiceResult, Services, org};
use chrono::{Datelike, Duration};
use mishu_domain::Timestamp;
use mishu_domain::access::Actor;
use mishu_domain::meetings::arrangement::Entry;
use mishu_render::{FormRow, FormSheet};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn clock(ms: i64) -> String {
    Timestamp(ms).local_display()[11..].to_string()
}

fn day_label(e: &Entry, l: &dyn Labels) -> String {
    let d = Timestamp(e.starts_at).local_date();
    format!("{} {}", l.tk("meetings.weekday", WEEKDAYS[d.weekday().num_days_from_monday() as usize]), d.format("%m-%d"))
}

/// "09:00–11:00 院长办公会 · 第二会议室 · 主持：院长 · 参加：…".
fn line(e: &Entry, l: &dyn Labels) -> String {
    let mut s = format!("{}–{} {}", clock(e.starts_at), clock(e.ends_at), e.title);
    if !e.place.is_empty() {
        s.push_str(&format!(" · {}", e.place));
    }
    if !e.chair.is_empty() {
        s.push_str(&format!(" · {}：{}", l.t("meetings.chair"), e.chair));
    }
    if !e.attendee_names.is_empty() && e.source != "activity" {
        s.push_str(&format!(" · {}：{}", l.t("meetings.week.attendees"), e.attendee_names));
    }
    s
}

struct Loaded {
    v: store::VersionRow,
    entries: Vec<Entry>,
    range: String,
}

async fn load(s: &Services, actor: &Actor, id: i64) -> ServiceResult<Loaded> {
    if !actor.is_business_user() {
        return Err(ServiceError::NotFound);
    }
    let v = store::version(&s.db, id).await?.ok_or(ServiceError::NotFound)?;
    let monday = Timestamp(v.week_start).local_date();
    let range = format!("{} – {}", monday.format("%Y-%m-%d"), (monday + Duration::days(6)).format("%Y-%m-%d"));
    Ok(Loaded { entries: store::entries(&s.db, id).await?, v, range })
}

/// The version as a landscape form sheet.
pub fn sheet(entries: &[Entry], v: &store::VersionRow, range: &str, organ: &str, l: &dyn Labels) -> FormSheet {
    let mut rows: Vec<FormRow> = Vec::new();
    for e in entries {
        let label = day_label(e, l);
        match rows.last_mut() {
            Some(r) if r.cells[0].label == label => r.cells[0].value.push_str(&format!("\n{}", line(e, l))),
            _ => rows.push(FormRow::one(&label, &line(e, l))),
        }
    }
    if rows.is_empty() {
        rows.push(FormRow::one(&l.t("meetings.week.by_day"), &l.t("meetings.nothing_this_week")));
    }
    for c in by_leader(entries) {
        let lines: Vec<String> = c.entries.iter().map(|e| format!("{} {}", day_label(e, l), line(e, l))).collect();
        rows.push(FormRow::one(&c.name, &lines.join("\n")));
    }
    let number = l.tf("meetings.week.version_n", &[("n", &v.number.to_string())]);
    let published =
        l.tf("meetings.week.published_by", &[("name", &v.publisher_name), ("t", &time(Some(v.published_at)))]);
    FormSheet {
        title: format!("{organ}{}", l.t("meetings.arrangement")),
        reference: Some(format!("{range}\u{3000}{number}")),
        rows,
        footer: Some(published),
        landscape: true,
    }
}

/// The version as an A4 landscape PDF, with a file name ("每周工作安排-2026-11-30-第1版").
pub async fn pdf(s: &Services, actor: &Actor, id: i64, l: &dyn Labels) -> ServiceResult<(String, Vec<u8>)> {
    let d = load(s, actor, id).await?;
    let organ = org::organ(s).await?.map_or_else(String::new, |o| o.name);
    let sheet = sheet(&d.entries, &d.v, &d.range, &organ, l);
    let pdf = forms::render(s, sheet).await?;
    Ok((file_name(&d.v, l), pdf))
}

fn file_name(v: &store::VersionRow, l: &dyn Labels) -> String {
    let monday = Timestamp(v.week_start).local_date();
    format!(
        "{}-{monday}-{}",
        l.t("meetings.arrangement"),
        l.tf("meetings.week.version_n", &[("n", &v.number.to_string())])
    )
}

fn xlsx_err(e: XlsxError) -> ServiceError {
    ServiceError::Conflict(format!("could not write the workbook: {e}"))
}

/// The version as XLSX: a sheet by day and a sheet by leader.
pub async fn xlsx(s: &Services, actor: &Actor, id: i64, l: &dyn Labels) -> ServiceResult<(String, Vec<u8>)> {
    let d = load(s, actor, id).await?;
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let heads = [
        "meetings.day",
        "meetings.time",
        "meetings.title_label",
        "meetings.location",
        "meetings.chair",
        "meetings.week.attendees",
    ];
    let row_of = |e: &Entry| {
        [
            day_label(e, l),
            format!("{}–{}", clock(e.starts_at), clock(e.ends_at)),
            e.title.clone(),
            e.place.clone(),
            e.chair.clone(),
            e.attendee_names.clone(),
        ]
    };
    let by_day = book.add_worksheet();
    by_day.set_name(l.t("meetings.week.by_day")).map_err(xlsx_err)?;
    by_day
        .write_string(
            0,
            0,
            format!("{}\u{3000}{}", d.range, l.tf("meetings.week.version_n", &[("n", &d.v.number.to_string())])),
        )
        .map_err(xlsx_err)?;
    for (c, key) in heads.iter().enumerate() {
        by_day.write_string_with_format(1, c as u16, l.t(key), &bold).map_err(xlsx_err)?;
        by_day.set_column_width(c as u16, if c == 2 || c == 5 { 40.0 } else { 14.0 }).map_err(xlsx_err)?;
    }
    for (i, e) in d.entries.iter().enumerate() {
        for (c, v) in row_of(e).iter().enumerate() {
            by_day.write_string(i as u32 + 2, c as u16, v).map_err(xlsx_err)?;
        }
    }
    let leaders = book.add_worksheet();
    leaders.set_name(l.t("meetings.week.by_leader")).map_err(xlsx_err)?;
    leaders.write_string_with_format(0, 0, l.t("meetings.week.leader"), &bold).map_err(xlsx_err)?;
    for (c, key) in heads.iter().enumerate() {
        leaders.write_string_with_format(0, c as u16 + 1, l.t(key), &bold).map_err(xlsx_err)?;
        leaders.set_column_width(c as u16 + 1, if c == 2 || c == 5 { 40.0 } else { 14.0 }).map_err(xlsx_err)?;
    }
    let mut row = 1;
    for col in by_leader(&d.entries) {
        for e in &col.entries {
            leaders.write_string(row, 0, &col.name).map_err(xlsx_err)?;
            for (c, v) in row_of(e).iter().enumerate() {
                leaders.write_string(row, c as u16 + 1, v).map_err(xlsx_err)?;
            }
            row += 1;
        }
    }
    let bytes = book.save_to_buffer().map_err(xlsx_err)?;
    Ok((file_name(&d.v, l), bytes))
}
