//! Meetings as the search index sees them: title, agenda (content), materials, place and
//! the minutes with their decisions. Access facts: unclassified, with the organiser, chair,
//! attendees and decision owners on the route, so office-wide roles and the people on the
//! meeting find it. (The meeting page itself is open to every business user; search errs on
//! the narrow side.)

use super::meeting_store as store;
use crate::ServiceResult;
use crate::db::Db;
use crate::search::{Domain, Readers, SearchDoc};
use chrono::Datelike;
use mishu_domain::access::Subject;
use mishu_domain::org::Clearance;
use mishu_domain::{MeetingId, PersonId, Timestamp};

pub(crate) async fn search_docs(db: &Db, ids: &[i64]) -> ServiceResult<Vec<SearchDoc>> {
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        let Some(m) = store::get(db, MeetingId(id)).await? else { continue };
        let attendees = store::attendees(db, MeetingId(id)).await?;
        let decisions = store::decisions(db, MeetingId(id)).await?;
        let mut route = vec![PersonId(m.organiser_id), PersonId(m.chair_id)];
        route.extend(attendees.iter().map(|a| PersonId(a.person_id)));
        route.extend(decisions.iter().map(|d| PersonId(d.owner_id)));
        let mut body = vec![m.content.clone(), m.materials.clone(), m.location.clone(), m.chair_name.clone()];
        body.extend(m.minutes.clone());
        for d in &decisions {
            body.push(d.text.clone());
            body.extend(d.answer.clone());
        }
        out.push(SearchDoc {
            domain: Domain::Meeting,
            id,
            body: body.into_iter().filter(|b| !b.trim().is_empty()).collect::<Vec<_>>().join("\n"),
            doc_type: String::new(),
            year: i64::from(Timestamp(m.starts_at).local_date().year()),
            departments: vec![],
            state: if m.minutes.is_some() { "minuted" } else { "notified" }.into(),
            at: Timestamp(m.starts_at),
            subject: Subject { classification: Clearance::None, department_id: None, route },
            readers: Readers::Policy,
            title: m.title,
        });
    }
    Ok(out)
}
