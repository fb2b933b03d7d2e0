//! Filed items (件) as the search index sees them: the title, the 档号, the document number,
//! the year, the retention and the responsible organ. Access facts as `filing::readable`
//! decides for the item page: the keepers (`ManageArchives`) up to their clearance, and the
//! borrowers of a running loan (the route); nobody else, office-wide roles included.

use super::filing::clearance;
use super::store;
use crate::db::Db;
use crate::search::{Domain, Readers, SearchDoc};
use crate::{ServiceResult, args};
use mishu_domain::access::{Capability, Subject};
use mishu_domain::archives::Retention;
use mishu_domain::{ArchiveItemId, PersonId, Timestamp};

/// An item whose label fails its MAC is left out, as if absent (T18).
pub(crate) async fn search_docs(db: &Db, key: &[u8], ids: &[i64]) -> ServiceResult<Vec<SearchDoc>> {
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        let Some(item) = store::get_item(db, ArchiveItemId(id)).await? else { continue };
        if !item.label().intact(key, item.label_mac.as_deref()) {
            tracing::error!(id, "archive item's label fails its MAC: left out of the search index");
            continue;
        }
        let (department,): (Option<i64>,) =
            db.fetch_one("SELECT department_id FROM archive_items WHERE item_id = $1", args![id]).await?;
        let borrowers: Vec<(i64,)> = db
            .fetch_all("SELECT borrower_id FROM archive_borrowings WHERE item_id = $1 AND state = 'lent'", args![id])
            .await?;
        let retention = Retention::parse(&item.retention).map(|r| r.name_zh()).unwrap_or_default();
        let body = [
            item.archive_code.as_str(),
            item.doc_number.as_str(),
            item.responsible.as_str(),
            &item.year.to_string(),
            retention,
            item.doc_date.as_str(),
            item.note.as_str(),
        ]
        .into_iter()
        .filter(|b| !b.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n");
        out.push(SearchDoc {
            domain: Domain::Archive,
            id,
            body,
            doc_type: String::new(),
            year: item.year,
            departments: department.into_iter().collect(),
            state: if item.destroyed_at.is_some() { "destroyed" } else { "filed" }.into(),
            at: Timestamp(item.filed_at),
            subject: Subject {
                classification: clearance(&item.classification),
                department_id: None,
                route: borrowers.into_iter().map(|(p,)| PersonId(p)).collect(),
            },
            readers: Readers::RouteOr(Capability::ManageArchives),
            title: item.title,
        });
    }
    Ok(out)
}
