//! Received documents as the search index sees them: title, sender and number, the
//! secretary's proposal, every instruction and reply, and the outcome; with the same access
//! facts the document's page gives `may_read` (classification and route).

use super::{route_of, store, subject};
use crate::ServiceResult;
use crate::db::Db;
use crate::search::{Domain, Readers, SearchDoc};
use mishu_domain::{IncomingId, Timestamp};

/// A document whose label fails its MAC is left out, as if absent: the index must not carry
/// (nor a search show) it under the label the database now claims.
pub(crate) async fn search_docs(db: &Db, key: &[u8], ids: &[i64]) -> ServiceResult<Vec<SearchDoc>> {
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        let Some(d) = store::get(db, IncomingId(id)).await? else { continue };
        if !d.label().intact(key, d.label_mac.as_deref()) {
            tracing::error!(id, "received document's label fails its MAC: left out of the search index");
            continue;
        }
        let steps = store::steps(db, IncomingId(id)).await?;
        let route = route_of(db, IncomingId(id), &steps).await?;
        let mut body = vec![d.reg_no(), d.sender_organ.clone(), d.sender_number.clone()];
        body.extend(d.proposal.iter().cloned());
        body.extend(steps.iter().filter_map(|s| s.text.clone()));
        body.extend([d.outcome.clone(), d.reply.clone(), d.return_reason.clone()].into_iter().flatten());
        let mut departments: Vec<i64> = steps.iter().filter_map(|s| s.department_id).collect();
        departments.sort_unstable();
        departments.dedup();
        out.push(SearchDoc {
            domain: Domain::Incoming,
            id,
            body: body.into_iter().filter(|t| !t.trim().is_empty()).collect::<Vec<_>>().join("\n"),
            doc_type: d.doc_type.clone(),
            year: d.reg_year,
            departments,
            state: d.state.clone(),
            at: Timestamp(d.received_at),
            subject: subject(&d, route),
            readers: Readers::Policy,
            title: d.title,
        });
    }
    Ok(out)
}
