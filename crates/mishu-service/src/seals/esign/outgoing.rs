//! Sealing an outgoing document (发文) from the system (issue 6): the keeper stamps an approved
//! application that names one, and the document's official PDF is rendered with the seal's
//! impression where GB/T 9704 puts it, then signed exactly like an uploaded PDF. The
//! document's page lists its sealed copies to those who may read it.

use super::{EsignError, SignatureRow, ses_seal, stamp_pdf, store};
use crate::seals::applications::{self, facts};
use crate::seals::store as seal_store;
use crate::{ServiceError, ServiceResult, Services, outgoing};
use mishu_domain::access::Actor;
use mishu_domain::seals::{self as rules, ApplicationAction};
use mishu_domain::{OutgoingId, SealApplicationId, SealId};
use mishu_render::SealImpression;
use serde::Serialize;

/// The keeper stamps an approved application that names an outgoing document: the document
/// is printed with the impression carried in the electronic seal (GB/T 38540
/// `SES_ESPictureInfo`, the picture the seal was made with) and signed with SM2/SM3.
pub async fn stamp_outgoing(s: &Services, actor: &Actor, id: SealApplicationId, source_ip: &str) -> ServiceResult<()> {
    let a = applications::application(s, actor, id).await?;
    let Some(doc) = a.outgoing_id else {
        return Err(ServiceError::invalid(
            "outgoing_id",
            "this application names no outgoing document; upload the PDF",
        ));
    };
    // The rules are asked before rendering (CPU work, kept outside the write transaction) and
    // again inside it by `stamp_pdf`, so a change meanwhile is still caught.
    rules::decide(&facts(&a), actor, ApplicationAction::Stamp { copies: a.copies }, s.clock.now())?;
    let eseal = store::of_seal(&s.db, SealId(a.seal_id)).await?.ok_or(EsignError::NoElectronicSeal)?;
    let picture = ses_seal(&eseal)?.eseal_info.picture;
    let svg = String::from_utf8(picture.data.as_bytes().to_vec()).map_err(|_| EsignError::Malformed("seal picture"))?;
    let impression = SealImpression { svg, diameter_mm: picture.width };
    let (name, pdf) = outgoing::sealed_pdf(s, OutgoingId(doc), impression).await?;
    stamp_pdf(s, actor, id, (&format!("{name}.pdf"), &pdf), true, source_ip).await
}

/// One sealed copy of an outgoing document, as its page lists it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SealedCopy {
    pub application_id: i64,
    pub seal_name: String,
    pub copies: i64,
    pub file_name: String,
    pub document_digest: String,
    pub signed_at: i64,
    pub signed_by_name: String,
}

/// The sealed copies of a document the caller has read (`outgoing::get` made the view, after
/// the reading check).
pub async fn sealed_copies(s: &Services, v: &outgoing::OutgoingView) -> ServiceResult<Vec<SealedCopy>> {
    Ok(store::sealed_of_outgoing(&s.db, OutgoingId(v.doc.outgoing_id)).await?)
}

/// A sealed copy's file, for anyone who may read the document (the seal-use application
/// itself may be beyond them: it belongs to the applicant, the signers and the keeper).
pub async fn sealed_outgoing_file(
    s: &Services,
    actor: &Actor,
    doc: OutgoingId,
    application: SealApplicationId,
    source_ip: &str,
) -> ServiceResult<(SignatureRow, Vec<u8>)> {
    outgoing::get(s, actor, doc, source_ip).await?;
    let linked = seal_store::get_application(&s.db, application).await?.and_then(|a| a.outgoing_id);
    if linked != Some(doc.0) {
        return Err(ServiceError::NotFound);
    }
    let row = store::signature_of(&s.db, application).await?.ok_or(ServiceError::NotFound)?;
    let bytes = s.blobs.read(&row.file_key).await?;
    Ok((row, bytes))
}
