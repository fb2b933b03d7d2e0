//! Seal applications (用印申请) as the search index sees them: the document to be stamped,
//! the purpose, the seal and the people, with the access facts their page gives `may_read`.

use super::{applications, store};
use crate::ServiceResult;
use crate::db::Db;
use crate::search::{Domain, Readers, SearchDoc};
use chrono::Datelike;
use mishu_domain::{SealApplicationId, Timestamp};

pub(crate) async fn search_docs(db: &Db, ids: &[i64]) -> ServiceResult<Vec<SearchDoc>> {
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        let Some(a) = store::get_application(db, SealApplicationId(id)).await? else { continue };
        let body = [&a.purpose, &a.seal_name, &a.applicant_name, &a.department_name];
        let mut body: Vec<String> = body.into_iter().cloned().collect();
        body.extend(a.reject_reason.clone());
        out.push(SearchDoc {
            domain: Domain::SealApplication,
            id,
            body: body.into_iter().filter(|b| !b.trim().is_empty()).collect::<Vec<_>>().join("\n"),
            doc_type: String::new(),
            year: i64::from(Timestamp(a.created_at).local_date().year()),
            departments: vec![a.department_id],
            state: a.state.clone(),
            at: Timestamp(a.created_at),
            subject: applications::subject(&a),
            readers: Readers::Policy,
            title: a.document_title,
        });
    }
    Ok(out)
}
