//! The 收文处理单 as PDF: the same content as the printable page (registration block, the
//! secretary's proposal, every leader's instruction with name and date — a blank line for
//! leaders not yet reached, who often sign the paper by hand — the departments' results
//! and the outcome), as a `FormSheet` for the renderer. Reading it is reading the document
//! (`get`: need to know, refusals audited); printing it is audited too.

use super::{DOMAIN, IncomingView, StepRow, get};
use crate::audit::{self, Origin};
use crate::forms::{self, Labels, sign_line, time};
use crate::{ServiceResult, Services, org};
use mishu_domain::IncomingId;
use mishu_domain::Timestamp;
use mishu_domain::access::Actor;
use mishu_domain::audit::AuditEvent;
use mishu_render::{FormRow, FormSheet};
use serde_json::json;

/// Steps that belong on paper: acted on, sent back, or still to come — not those taken back.
pub fn on_paper(s: &StepRow) -> bool {
    matches!(s.state.as_str(), "done" | "returned" | "open" | "waiting")
}

fn leader_entry(s: &StepRow, l: &dyn Labels) -> String {
    let text = match s.state.as_str() {
        "done" => match s.text.as_deref().map(str::trim) {
            Some(t) if !t.is_empty() => t.to_string(),
            _ => l.t("incoming.read_mark"),
        },
        "returned" => format!("{}：{}", l.t("incoming.step_state.returned"), s.text.as_deref().unwrap_or("")),
        // Room for a leader who has not been reached yet to sign by hand.
        _ => "\n".to_string(),
    };
    let oral = if s.mode == "oral" { format!("（{}）", l.t("incoming.mode.oral")) } else { String::new() };
    format!("{text}\n{}", sign_line(&format!("{}{oral}", s.person_name), &time(s.acted_at)))
}

fn department_entry(s: &StepRow) -> String {
    let dept = s.department_name.as_deref().map(|d| format!("{d}：")).unwrap_or_default();
    format!("{dept}{}\n{}", s.text.as_deref().unwrap_or(""), sign_line(&s.person_name, &time(s.acted_at)))
}

/// The form as printed. `organ` is the organ's full name (in the title).
pub fn slip_sheet(v: &IncomingView, organ: &str, printed_at: Timestamp, l: &dyn Labels) -> FormSheet {
    let d = &v.doc;
    let classification = match d.classification.as_str() {
        "none" | "" => l.tk("clearance", "none"),
        c if d.secrecy_period.trim().is_empty() => l.tk("clearance", c),
        c => format!("{}★{}", l.tk("clearance", c), d.secrecy_period.trim()),
    };
    let urgency = l.tk("urgency", ["normal", "urgent", "very_urgent"][d.urgency.clamp(0, 2) as usize]);
    let mut copies = d.copies.to_string();
    if !d.copy_no.is_empty() {
        copies.push_str(&format!(" · {} {}", l.t("incoming.copy_no"), d.copy_no));
    }
    if let Some(p) = d.pages {
        copies.push_str(&format!(" · {}", l.tf("incoming.pages_n", &[("n", &p.to_string())])));
    }
    let doc_type = format!("{} · {}", l.tk("incoming.type", &d.doc_type), l.tk("incoming.handling", &d.handling_kind));
    let proposal = match &d.proposal {
        Some(p) => format!("{p}\n{}", sign_line(d.proposed_by_name.as_deref().unwrap_or(""), &time(d.proposed_at))),
        None => String::new(),
    };
    let leaders: Vec<String> =
        v.steps.iter().filter(|s| s.stage == "leader" && on_paper(s)).map(|s| leader_entry(s, l)).collect();
    let departments: Vec<String> =
        v.steps.iter().filter(|s| s.stage == "department" && on_paper(s)).map(department_entry).collect();
    let mut outcome: Vec<String> = d.outcome.iter().cloned().collect();
    if let Some(r) = d.reply.as_deref().filter(|r| !r.is_empty()) {
        outcome.push(format!("{}：{r}", l.t("incoming.reply")));
    }
    if let Some(r) = &d.return_reason {
        outcome.push(format!("{}：{r}", l.t("incoming.returned_to_sender")));
    }
    if d.closed_at.is_some() {
        outcome.push(sign_line(d.closed_by_name.as_deref().unwrap_or(""), &time(d.closed_at)));
    }
    let printed = l.tf("incoming.printed_at", &[("t", &printed_at.local_display())]);
    FormSheet {
        title: format!("{organ}{}", l.t("incoming.slip")),
        reference: Some(format!("{}：{}", l.t("incoming.reg_no"), d.reg_no())),
        rows: vec![
            FormRow::two(
                &l.t("incoming.sender_organ"),
                &d.sender_organ,
                &l.t("incoming.sender_number"),
                &d.sender_number,
            ),
            FormRow::one(&l.t("incoming.doc_title"), &d.title),
            FormRow::two(&l.t("incoming.doc_type"), &doc_type, &l.t("incoming.copies"), &copies),
            FormRow::two(&l.t("incoming.classification"), &classification, &l.t("incoming.urgency"), &urgency),
            FormRow::two(
                &l.t("incoming.received_at"),
                &time(Some(d.received_at)),
                &l.t("incoming.due"),
                &time(d.due_at),
            ),
            FormRow::opinion(&l.t("incoming.proposal"), &proposal, 3),
            FormRow::opinion(&l.t("incoming.instructions"), &leaders.join("\n"), 6),
            FormRow::opinion(&l.t("incoming.results"), &departments.join("\n"), 4),
            FormRow::opinion(&l.t("incoming.outcome"), &outcome.join("\n"), 3),
        ],
        footer: Some(format!("{}：{}\u{3000}{printed}", l.t("incoming.registered_by"), d.registered_by_name)),
        landscape: false,
    }
}

/// The 收文处理单 of one document as PDF, with a file name ("收文处理单-2026-0012"); refused
/// like the document itself to those without need to know, and audited as a print.
pub async fn slip_pdf(
    s: &Services,
    actor: &Actor,
    id: IncomingId,
    source_ip: &str,
    l: &dyn Labels,
) -> ServiceResult<(String, Vec<u8>)> {
    let v = get(s, actor, id, source_ip).await?;
    let organ = org::organ(s).await?.map_or_else(String::new, |o| o.name);
    let now = s.clock.now();
    let sheet = slip_sheet(&v, &organ, now, l);
    let mut tx = s.db.begin().await?;
    let detail = json!({ "what": "slip_pdf", "reg_no": v.doc.reg_no(), "state": v.doc.state });
    let event = AuditEvent::new("incoming.printed", DOMAIN, Some(id.to_string()), detail);
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &event).await?;
    tx.commit().await?;
    let pdf = forms::render(s, sheet).await?;
    Ok((format!("{}-{}", l.t("incoming.slip"), v.doc.reg_no()), pdf))
}
