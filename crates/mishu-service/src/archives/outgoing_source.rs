//! The issued outgoing document (发文) as a filing source: its 正本 PDF (rendered before the
//! filing transaction, as rendering takes a while), its 定稿 and its sign-off record as
//! files; the 文号 as the document number, the day of issue as the date and the issuing
//! organ as the responsible organ. Inside the transaction only a check that the document is
//! still distributed and unchanged.

use super::sources::{Snapshot, SourceFile};
use crate::db::Tx;
use crate::outgoing::{self, IssuedCopy};
use crate::{ServiceResult, Services};
use mishu_domain::OutgoingId;
use mishu_domain::access::Actor;
use serde_json::json;

pub(super) async fn prepare(s: &Services, actor: &Actor, id: OutgoingId) -> ServiceResult<IssuedCopy> {
    outgoing::issued_copy(s, id, actor.clearance).await
}

pub(super) async fn load(tx: &mut Tx, id: OutgoingId, copy: IssuedCopy) -> ServiceResult<Snapshot> {
    let v = &copy.view;
    outgoing::still_issued(tx, id, v.doc.version).await?;
    let number = v.doc.doc_number.clone().unwrap_or_default();
    let stem = if number.is_empty() { v.doc.title.clone() } else { number.clone() };
    let route = json!({
        "drafter": v.doc.drafter_name,
        "department": v.doc.department_name,
        "checker": v.doc.checker_name,
        "check_opinion": v.doc.check_opinion,
        "signer": v.doc.signer_name,
        "sign_opinion": v.doc.sign_opinion,
        "signed_on": v.doc.signed_on,
        "steps": v.steps.iter().map(|st| json!({
            "kind": st.kind, "person": st.person_name, "state": st.state, "opinion": st.opinion,
            "acted_by": st.acted_by_name, "at": st.acted_at,
        })).collect::<Vec<_>>(),
        "recipients": v.recipients.iter().map(|r| json!({"role": r.role, "name": r.name})).collect::<Vec<_>>(),
        "receipts": v.receipts.iter().map(|r| json!({
            "recipient": r.recipient_name, "state": r.state, "confirmed_at": r.confirmed_at,
            "confirmer": r.confirmer_name, "channel": r.channel,
        })).collect::<Vec<_>>(),
    });
    Ok(Snapshot {
        title: v.doc.title.clone(),
        doc_number: number,
        responsible: copy.organ.clone(),
        date: copy.issued_on,
        doc_type: v.doc.doc_type.clone(),
        classification: v.doc.classification.clone(),
        pages: copy.pages,
        department_id: v.doc.department_id,
        files: vec![
            SourceFile::Bytes { filename: format!("{stem}.pdf"), kind: "pdf".into(), bytes: copy.pdf },
            SourceFile::Text { filename: "定稿.txt".into(), text: copy.final_text },
            SourceFile::Text { filename: "签发记录.txt".into(), text: copy.sign_off },
        ],
        route,
    })
}
