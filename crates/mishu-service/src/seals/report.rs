//! The seal-usage report (用印情况, R7.6) for the office head: the uses of each seal in a
//! period with the copies stamped, and every inconsistency between the keeper's log, the
//! applications and the registry (the rules are `mishu_domain::seals::report`).

use super::require_manager;
use super::store::{self, report as sql};
use crate::{ServiceResult, Services};
use chrono::NaiveDate;
use mishu_domain::Timestamp;
use mishu_domain::access::Actor;
use mishu_domain::seals::report::{self as rules, ApplicationOnRecord, Inconsistency, SealHistory, UseFact};
use mishu_domain::seals::{ApplicationState, SealState};
use serde::Serialize;
use std::collections::HashMap;

pub use sql::{ReportUseRow, WaitingRow};

/// One seal's line: how often and how many copies in the period.
#[derive(Debug, Clone, Serialize)]
pub struct SealUsage {
    pub seal_id: i64,
    pub name: String,
    pub state: String,
    pub keeper_name: String,
    pub uses: i64,
    pub copies: i64,
}

/// One inconsistency, with the application and seal it concerns.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// `use_not_approved`, `use_on_decommissioned`, `use_on_suspended`, `copies_exceeded`,
    /// `approved_never_used`.
    pub code: &'static str,
    pub seal_name: String,
    pub application_id: i64,
    pub document_title: String,
    /// When the seal was used, or for `approved_never_used` when it was approved.
    pub at: Option<i64>,
    pub copies: i64,
    pub approved_copies: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UsageReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: i64,
    pub seals: Vec<SealUsage>,
    pub uses: Vec<ReportUseRow>,
    pub findings: Vec<Finding>,
    pub total_uses: i64,
    pub total_copies: i64,
}

/// The report for local dates `from`..=`to` (empty: the last 30 days) listing approved
/// applications unused after `days` days (empty: 30). Office head only (ManageSeals).
pub async fn usage_report(s: &Services, actor: &Actor, from: &str, to: &str, days: &str) -> ServiceResult<UsageReport> {
    require_manager(actor)?;
    let now = s.clock.now();
    let (from, to, days) = rules::validate_period(from, to, days, now.local_date())?;
    let start = Timestamp(Timestamp::end_of_local_day(from.pred_opt().unwrap_or(from)).0 + 1);
    let end = Timestamp::end_of_local_day(to);
    let registry = store::list(&s.db).await?;
    let uses = sql::uses_between(&s.db, start, end).await?;
    let events = sql::suspension_events(&s.db).await?;
    let histories: HashMap<i64, SealHistory> = registry
        .iter()
        .map(|r| {
            let mine: Vec<(Timestamp, bool)> =
                events.iter().filter(|(id, _, _)| *id == r.seal_id).map(|(_, at, on)| (*at, *on)).collect();
            let h = SealHistory::from_events(
                SealState::parse(&r.state),
                r.suspended_at.map(Timestamp),
                r.decommissioned_at.map(Timestamp),
                &mine,
            );
            (r.seal_id, h)
        })
        .collect();
    let mut findings = Vec::new();
    for u in &uses {
        let fact = use_fact(u);
        let history = histories.get(&u.seal_id).cloned().unwrap_or_default();
        for i in rules::use_inconsistencies(&fact, &history) {
            findings.push(Finding {
                code: i.code(),
                seal_name: u.seal_name.clone(),
                application_id: u.application_id,
                document_title: u.document_title.clone(),
                at: Some(u.used_at),
                copies: u.copies,
                approved_copies: u.approved_copies,
            });
        }
    }
    let stale_before = Timestamp((now.0 - days * 24 * 3600 * 1000).min(end.0));
    for w in sql::approved_before(&s.db, stale_before).await? {
        if rules::approved_too_long(ApplicationState::Approved, w.leader_signed_at.map(Timestamp), now, days) {
            findings.push(Finding {
                code: Inconsistency::ApprovedNeverUsed.code(),
                seal_name: w.seal_name,
                application_id: w.application_id,
                document_title: w.document_title,
                at: w.leader_signed_at,
                copies: 0,
                approved_copies: Some(w.copies),
            });
        }
    }
    let seals = registry
        .iter()
        .map(|r| {
            let mine = uses.iter().filter(|u| u.seal_id == r.seal_id);
            SealUsage {
                seal_id: r.seal_id,
                name: r.name.clone(),
                state: r.state.clone(),
                keeper_name: r.keeper_name.clone(),
                uses: mine.clone().count() as i64,
                copies: mine.map(|u| u.copies).sum(),
            }
        })
        .collect();
    Ok(UsageReport {
        from,
        to,
        days,
        seals,
        total_uses: uses.len() as i64,
        total_copies: uses.iter().map(|u| u.copies).sum(),
        uses,
        findings,
    })
}

fn use_fact(u: &ReportUseRow) -> UseFact {
    UseFact {
        use_id: u.use_id,
        application_id: u.application_id,
        seal_id: u.seal_id,
        used_at: Timestamp(u.used_at),
        copies: u.copies,
        application: u.application_state.as_deref().map(|state| ApplicationOnRecord {
            state: ApplicationState::parse(state),
            head_signed_at: u.head_signed_at.map(Timestamp),
            leader_signed_at: u.leader_signed_at.map(Timestamp),
            copies: u.approved_copies.unwrap_or(0),
        }),
    }
}

/// One worksheet: its name's catalogue key, the headings' keys, and the rows as text.
type Sheet<'a> = (&'a str, Vec<&'a str>, Vec<Vec<String>>);

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> crate::ServiceError {
    crate::ServiceError::Conflict(format!("could not write the workbook: {e}"))
}

/// The report as XLSX: one sheet per seal summary, inconsistencies and uses. `words(key)`
/// answers the headings (`seals.*`), the seal states and the inconsistency names.
pub async fn usage_report_xlsx(
    s: &Services,
    actor: &Actor,
    from: &str,
    to: &str,
    days: &str,
    words: &(dyn Fn(&str) -> String + Sync),
) -> ServiceResult<(UsageReport, Vec<u8>)> {
    use rust_xlsxwriter::{Format, Workbook};
    let r = usage_report(s, actor, from, to, days).await?;
    let time = |ms: i64| Timestamp(ms).local_display();
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheets: [Sheet; 3] = [
        (
            "seals.report_per_seal",
            vec!["seals.seal", "seals.state", "seals.keeper", "seals.report_uses", "seals.copies"],
            r.seals
                .iter()
                .map(|x| {
                    let state = words(&format!("seals.state.{}", x.state));
                    vec![x.name.clone(), state, x.keeper_name.clone(), x.uses.to_string(), x.copies.to_string()]
                })
                .collect(),
        ),
        (
            "seals.report_findings",
            vec!["seals.report_finding", "seals.seal", "seals.document_title", "seals.report_when", "seals.copies"],
            r.findings
                .iter()
                .map(|f| {
                    let copies =
                        format!("{} / {}", f.copies, f.approved_copies.map(|c| c.to_string()).unwrap_or_default());
                    let at = f.at.map(time).unwrap_or_default();
                    vec![
                        words(&format!("seals.finding.{}", f.code)),
                        f.seal_name.clone(),
                        f.document_title.clone(),
                        at,
                        copies,
                    ]
                })
                .collect(),
        ),
        (
            "seals.log",
            vec![
                "seals.used_at",
                "seals.seal",
                "seals.document_title",
                "seals.department",
                "seals.copies",
                "seals.keeper",
            ],
            r.uses
                .iter()
                .map(|u| {
                    let dept = u.department_name.clone().unwrap_or_default();
                    let (title, copies) = (u.document_title.clone(), u.copies.to_string());
                    vec![time(u.used_at), u.seal_name.clone(), title, dept, copies, u.keeper_name.clone()]
                })
                .collect(),
        ),
    ];
    for (name, heads, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(words(name)).map_err(xlsx_error)?;
        for (c, key) in heads.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, words(key), &bold).map_err(xlsx_error)?;
            sheet.set_column_width(c as u16, if key.ends_with("title") { 40.0 } else { 18.0 }).map_err(xlsx_error)?;
        }
        for (i, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                sheet.write_string(i as u32 + 1, c as u16, v).map_err(xlsx_error)?;
            }
        }
    }
    let bytes = book.save_to_buffer().map_err(xlsx_error)?;
    Ok((r, bytes))
}
