//! Outgoing documents as the search index sees them: the title, the 发文字号, the text of the
//! latest version, the drafting department and the recipients. Access facts: the same
//! `subject` and route (steps, receipts, countersigners) that `outgoing::get` gives
//! `may_read` (the office included once the draft was sent to it), so a classified draft is
//! found only by the people on its route.

use super::{store, subject};
use crate::ServiceResult;
use crate::db::Db;
use crate::search::{Domain, Readers, SearchDoc};
use chrono::Datelike;
use mishu_domain::{OutgoingId, Timestamp};

/// A document whose label fails its MAC is left out, as if absent (T18).
pub(crate) async fn search_docs(db: &Db, key: &[u8], ids: &[i64]) -> ServiceResult<Vec<SearchDoc>> {
    let mut out = Vec::with_capacity(ids.len());
    // One read transaction: the document, its route and its text as of one moment.
    let mut tx = db.begin().await?;
    let office = store::office_people_tx(&mut tx).await?;
    for &id in ids {
        let id = OutgoingId(id);
        let Some(d) = store::get_tx(&mut tx, id).await? else { continue };
        if !d.label().intact(key, d.label_mac.as_deref()) {
            tracing::error!(id = id.0, "outgoing document's label fails its MAC: left out of the search index");
            continue;
        }
        let steps = store::steps_tx(&mut tx, id).await?;
        let receipts = store::receipts_tx(&mut tx, id).await?;
        let countersigners = store::countersigners(&mut tx, id).await?;
        let body = store::latest_body(&mut tx, id).await?.unwrap_or_default();
        let recipients = store::recipients_tx(&mut tx, id).await?;
        let mut route: Vec<i64> = steps.iter().map(|x| x.person_id).collect();
        route.extend(receipts.iter().filter_map(|r| r.person_id));
        route.extend(countersigners.iter().map(|p| p.0));
        if super::sent_to_office(&d) {
            route.extend(office.iter().copied());
        }
        let mut text = vec![d.doc_number.clone().unwrap_or_default(), body];
        text.extend(d.department_name.clone());
        text.push(d.drafter_name.clone());
        text.push(d.signer_name.clone());
        text.extend(recipients.iter().map(|r| r.name.clone()));
        let year = d.number_year.unwrap_or_else(|| i64::from(Timestamp(d.created_at).local_date().year()));
        out.push(SearchDoc {
            domain: Domain::Outgoing,
            id: id.0,
            body: text.into_iter().filter(|b| !b.trim().is_empty()).collect::<Vec<_>>().join("\n"),
            doc_type: d.doc_type.clone(),
            year,
            departments: d.department_id.into_iter().collect(),
            state: d.state.clone(),
            at: Timestamp(d.updated_at),
            subject: subject(&d, route),
            readers: Readers::Policy,
            title: d.title,
        });
    }
    tx.commit().await?;
    Ok(out)
}
