//! From an outgoing document to what the renderer prints (`mishu_render::OfficialDocument`),
//! as a pure mapping tested field by field; the PDF itself is rendered off the async
//! runtime (`spawn_blocking`), and every print — PDF or 发文稿纸 — is audited.

use super::{DOMAIN, OutgoingView, get, view};
use crate::audit::{self, Origin};
use crate::{ServiceError, ServiceResult, Services, org};
use chrono::NaiveDate;
use mishu_domain::OutgoingId;
use mishu_domain::access::Actor;
use mishu_domain::audit::AuditEvent;
use mishu_domain::org::Clearance;
use mishu_domain::outgoing::{OutgoingError, copy_label};
use mishu_render::{Attachment, Block, Format, OfficialDocument, RenderError, SealImpression};
use serde_json::json;

/// Why a PDF could not be made; the web layer maps it to a clear message.
#[derive(Debug, thiserror::Error)]
pub enum RenderFailure {
    #[error("the PDF renderer is not available in this build")]
    Unavailable,
    #[error("the document cannot be laid out: {0}")]
    Layout(String),
    /// Only registered (numbered) documents are printed as PDF.
    #[error("the document has no number yet")]
    NotNumbered,
}

impl From<RenderError> for RenderFailure {
    fn from(e: RenderError) -> Self {
        match e {
            RenderError::Unavailable => RenderFailure::Unavailable,
            RenderError::Layout(m) => RenderFailure::Layout(m),
        }
    }
}

/// The document as printed. `organ` is the organ's full name (署名, 发文机关标志); `printed_on`
/// the 印发日期; `copy` the 份号 of this print of a classified document (the copy register's;
/// copy 1 where no register print is made, as for the archived or sealed copy).
pub fn official_document(v: &OutgoingView, organ: &str, printed_on: NaiveDate, copy: Option<i64>) -> OfficialDocument {
    let d = &v.doc;
    let format = match d.doc_type.as_str() {
        "letter" => Format::Letter,
        "minutes" => Format::Minutes,
        _ => Format::File,
    };
    let level = match d.classification.as_str() {
        "secret" => Some("秘密"),
        "confidential" => Some("机密"),
        "top_secret" => Some("绝密"),
        _ => None,
    };
    let classification = level.map(|l| match d.secrecy_period.trim() {
        "" => l.to_string(),
        p => format!("{l}★{p}"),
    });
    let issuer_mark = match format {
        Format::File => format!("{organ}文件"),
        Format::Letter => organ.to_string(),
        Format::Minutes => format!("{organ}纪要"),
    };
    let signature = if format == Format::Minutes { vec![] } else { vec![organ.to_string()] };
    OfficialDocument {
        format,
        copy_number: level.map(|_| copy_label(copy.unwrap_or(1))),
        classification,
        urgency: match d.urgency {
            2 => Some("特急".into()),
            1 => Some("加急".into()),
            _ => None,
        },
        issuer_mark,
        doc_number: d.doc_number.clone(),
        signers: if d.direction == "up" { vec![d.signer_name.clone()] } else { vec![] },
        title: d.title.clone(),
        main_recipients: v.main_names().into_iter().map(String::from).collect(),
        body: Block::parse_body(v.latest_body()),
        attachment_titles: v.attachments.iter().map(|a| a.title.clone()).collect(),
        signature,
        date: d.signed_on.as_deref().and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()),
        note: Some(d.annotation.clone()).filter(|n| !n.is_empty()),
        // An attachment without text travels separately: named in the 附件说明, no page.
        attachments: v
            .attachments
            .iter()
            .filter(|a| !a.body.trim().is_empty())
            .map(|a| Attachment { title: a.title.clone(), body: Block::parse_body(&a.body) })
            .collect(),
        copied_to: v.copy_names().into_iter().map(String::from).collect(),
        printed_by: d.department_name.clone().map_or_else(|| organ.to_string(), |dep| format!("{organ}{dep}")),
        printed_on: Some(printed_on),
        present: vec![],
        attending: vec![],
        seal: None,
    }
}

pub(super) async fn audited(
    s: &Services,
    actor: &Actor,
    id: OutgoingId,
    what: &str,
    source_ip: &str,
) -> ServiceResult<OutgoingView> {
    let v = get(s, actor, id, source_ip).await?;
    record_print(s, actor, &v, what, source_ip).await?;
    Ok(v)
}

/// The audit record of one print of a document already read.
async fn record_print(s: &Services, actor: &Actor, v: &OutgoingView, what: &str, source_ip: &str) -> ServiceResult<()> {
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let detail = json!({ "what": what, "number": v.doc.doc_number, "state": v.doc.state });
    let event = AuditEvent::new("outgoing.printed", DOMAIN, Some(v.doc.outgoing_id.to_string()), detail);
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &event).await?;
    tx.commit().await?;
    Ok(())
}

/// The 发文稿纸 (the routing slip with every signature) for printing; audited.
pub async fn print_slip(s: &Services, actor: &Actor, id: OutgoingId, source_ip: &str) -> ServiceResult<OutgoingView> {
    audited(s, actor, id, "slip", source_ip).await
}

/// The PDF of a registered document; audited as a print. Rendering is CPU work, so it runs
/// on the blocking pool.
pub async fn pdf(s: &Services, actor: &Actor, id: OutgoingId, source_ip: &str) -> ServiceResult<(String, Vec<u8>)> {
    let v = get(s, actor, id, source_ip).await?;
    if v.doc.doc_number.is_none() {
        return Err(RenderFailure::NotNumbered.into());
    }
    if super::classification(&v.doc) > Clearance::None {
        // Each print of a classified document is a numbered copy the office must account for.
        return Err(OutgoingError::invalid(
            "copy",
            "a classified document is printed one numbered copy (份号) at a time, from its copy register",
        )
        .into());
    }
    let organ = org::organ(s).await?.map_or_else(String::new, |o| o.name);
    let today = s.clock.now().local_date();
    let doc = official_document(&v, &organ, today, None);
    record_print(s, actor, &v, "pdf", source_ip).await?;
    let pdf = crate::forms::off_runtime(s, move |r| r.render(&doc)).await?;
    let name = v.doc.doc_number.clone().unwrap_or_else(|| v.doc.title.clone());
    Ok((name, pdf))
}

/// The official PDF of a registered document with a seal's impression over its 署名 and
/// 成文日期, for the keeper stamping an application that names it. No reading check here: the
/// caller checked the application, whose signers approved sealing exactly this document.
pub(crate) async fn sealed_pdf(s: &Services, id: OutgoingId, seal: SealImpression) -> ServiceResult<(String, Vec<u8>)> {
    let v = view(s, id).await?.ok_or(ServiceError::NotFound)?;
    let Some(number) = v.doc.doc_number.clone() else {
        return Err(RenderFailure::NotNumbered.into());
    };
    let organ = org::organ(s).await?.map_or_else(String::new, |o| o.name);
    let mut doc = official_document(&v, &organ, s.clock.now().local_date(), None);
    doc.seal = Some(seal);
    let pdf = crate::forms::off_runtime(s, move |r| r.render(&doc)).await?;
    Ok((number, pdf))
}
