//! Leader-assigned tasks as the search index sees them: title, what was asked and the
//! answer, with the access facts their page gives `may_read`.

use super::{store, subject};
use crate::ServiceResult;
use crate::db::Db;
use crate::search::{Domain, Readers, SearchDoc};
use chrono::Datelike;
use mishu_domain::{LeaderTaskId, Timestamp};

pub(crate) async fn search_docs(db: &Db, ids: &[i64]) -> ServiceResult<Vec<SearchDoc>> {
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        let Some(t) = store::get(db, LeaderTaskId(id)).await? else { continue };
        let body = [Some(t.body.clone()), t.answer.clone(), Some(t.leader_name.clone()), Some(t.owner_name.clone())];
        out.push(SearchDoc {
            domain: Domain::LeaderTask,
            id,
            body: body.into_iter().flatten().filter(|b| !b.trim().is_empty()).collect::<Vec<_>>().join("\n"),
            doc_type: String::new(),
            year: i64::from(Timestamp(t.created_at).local_date().year()),
            departments: t.owner_department_id.into_iter().collect(),
            state: t.state.clone(),
            at: Timestamp(t.created_at),
            subject: subject(&t),
            readers: Readers::Policy,
            title: t.title,
        });
    }
    Ok(out)
}
