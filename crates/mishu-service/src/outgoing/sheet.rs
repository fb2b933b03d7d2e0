//! The 发文稿纸 as PDF: the same content as the printable page — 签发 (the signer's opinion
//! and date), 会签 (each countersigner of the last round with opinion and date), 核稿, the
//! drafting department and drafter, 主送/抄送, the title, the number once given, the
//! printing organ and copies — as a `FormSheet` for the renderer. Readable by whoever may
//! read the draft; every print is audited (`render::audited`).

use super::render::audited;
use super::{OutgoingView, StepRow};
use crate::forms::{self, Labels, sign_line, time};
use crate::{ServiceResult, Services, org};
use mishu_domain::access::Actor;
use mishu_domain::{OutgoingId, Timestamp};
use mishu_render::{FormRow, FormSheet};

/// The countersigners the paper shows: the last round's (objections of earlier rounds stay
/// in the history).
pub fn countersigns(v: &OutgoingView) -> Vec<&StepRow> {
    let round = v.steps.iter().filter(|s| s.kind == "countersign").map(|s| s.round).max().unwrap_or(0);
    v.steps.iter().filter(|s| s.kind == "countersign" && s.round == round).collect()
}

/// An opinion as recorded: an empty one is an agreement; none yet leaves room to sign by hand.
fn opinion(o: Option<&str>, l: &dyn Labels) -> String {
    match o.map(str::trim) {
        Some("") => l.t("outgoing.agreed"),
        Some(o) => o.to_string(),
        None => "\n".to_string(),
    }
}

/// The form as printed. `organ` is the organ's full name (title, 印发机关).
pub fn draft_sheet(v: &OutgoingView, organ: &str, printed_at: Timestamp, l: &dyn Labels) -> FormSheet {
    let d = &v.doc;
    let signed = d.sign_opinion.as_deref().map(|o| opinion(Some(o), l)).unwrap_or_else(|| "\n".into());
    let sign = format!("{signed}\n{}", sign_line(&d.signer_name, d.signed_on.as_deref().unwrap_or("")));
    let counter: Vec<String> = countersigns(v)
        .into_iter()
        .map(|s| format!("{}\n{}", opinion(s.opinion.as_deref(), l), sign_line(&s.person_name, &time(s.acted_at))))
        .collect();
    let check = format!("{}\n{}", d.check_opinion.as_deref().unwrap_or(""), d.checker_name.as_deref().unwrap_or(""));
    let mut reference = Vec::new();
    if !matches!(d.classification.as_str(), "none" | "") {
        let level = l.tk("clearance", &d.classification);
        reference.push(match d.secrecy_period.trim() {
            "" => level,
            p => format!("{level}★{p}"),
        });
    }
    match d.urgency {
        2 => reference.push(l.t("urgency.very_urgent")),
        1 => reference.push(l.t("urgency.urgent")),
        _ => {}
    }
    let number = d.doc_number.clone().unwrap_or_else(|| l.t("outgoing.no_number"));
    reference.push(format!("{}：{number}", l.t("outgoing.number")));
    let printed_by = match (&d.doc_number, &d.department_name) {
        (None, _) => String::new(),
        (Some(_), Some(dep)) => format!("{organ}{dep}"),
        (Some(_), None) => organ.to_string(),
    };
    let copies = if d.copies > 0 { d.copies.to_string() } else { String::new() };
    FormSheet {
        title: format!("{organ}{}", l.t("outgoing.slip")),
        reference: Some(reference.join("\u{3000}")),
        rows: vec![
            FormRow::opinion(&l.t("outgoing.sheet.sign"), &sign, 3),
            FormRow::opinion(&l.t("outgoing.sheet.countersign"), &counter.join("\n"), 3),
            FormRow::opinion(&l.t("outgoing.sheet.check"), &check, 2),
            FormRow::two(
                &l.t("outgoing.sheet.department"),
                d.department_name.as_deref().unwrap_or(""),
                &l.t("outgoing.drafter"),
                &d.drafter_name,
            ),
            FormRow::one(&l.t("outgoing.doc_title"), &d.title),
            FormRow::one(&l.tk("outgoing.role", "main"), &v.main_names().join("、")),
            FormRow::one(&l.tk("outgoing.role", "copy"), &v.copy_names().join("、")),
            FormRow::two(
                &l.t("outgoing.doc_type"),
                &l.tk("incoming.type", &d.doc_type),
                &l.t("outgoing.classification"),
                &l.tk("clearance", &d.classification),
            ),
            FormRow::two(&l.t("outgoing.number"), &number, &l.t("outgoing.copies"), &copies),
            FormRow::one(&l.t("outgoing.sheet.printed_by"), &printed_by),
        ],
        footer: Some(l.tf("outgoing.printed_at", &[("t", &printed_at.local_display())])),
        landscape: false,
    }
}

/// The 发文稿纸 of one document as PDF, with a file name ("发文稿纸-<title>"); audited as a print.
pub async fn draft_sheet_pdf(
    s: &Services,
    actor: &Actor,
    id: OutgoingId,
    source_ip: &str,
    l: &dyn Labels,
) -> ServiceResult<(String, Vec<u8>)> {
    let v = audited(s, actor, id, "draft_sheet_pdf", source_ip).await?;
    let organ = org::organ(s).await?.map_or_else(String::new, |o| o.name);
    let sheet = draft_sheet(&v, &organ, s.clock.now(), l);
    let pdf = forms::render(s, sheet).await?;
    let name = v.doc.doc_number.as_deref().unwrap_or(&v.doc.title);
    Ok((format!("{}-{name}", l.t("outgoing.slip")), pdf))
}
