//! Received documents (收文): the secretary registers them under a yearly 收文编号, proposes
//! how to handle them, leaders instruct or read in order, departments handle and reply,
//! and the office closes each with an outcome. Every open step is a task on the spine;
//! classified documents are seen only by the people on their route with clearance.

mod circulation;
mod export;
pub mod files;
mod register;
mod route;
mod search;
mod slip;
mod spine;
mod store;

pub use circulation::{Circulated, Readers, circulate, mark_circulation_read, recall_circulation};
pub use export::{COLUMNS as EXPORT_COLUMNS, export_register};
pub use files::FileRow;
pub use register::{Registered, register, register_with_files};
pub use route::{act, act_with_files, assignable_departments, assignments};
pub(crate) use search::search_docs;
pub use slip::{on_paper, slip_pdf, slip_sheet};
pub use store::{CirculationRow, DepartmentHeadRow, IncomingFilter, IncomingRow, StepRow};

use crate::audit::{self, Origin};
use crate::labels;
use crate::{ServiceError, ServiceResult, Services};
use mishu_domain::access::{Actor, ReadScope, Subject, may_read};
use mishu_domain::audit::AuditEvent;
use mishu_domain::incoming::{IncomingFacts, IncomingState, Stage, StepFacts, StepMode, StepState};
use mishu_domain::org::Clearance;
use mishu_domain::{DepartmentId, IncomingId, IncomingStepId, PersonId, Timestamp};
use serde::Serialize;
use serde_json::json;

pub const DOMAIN: &str = "incoming";

/// A document with its whole route, as its page and its 处理单 show it.
#[derive(Debug, Clone, Serialize)]
pub struct IncomingView {
    pub doc: IncomingRow,
    pub steps: Vec<StepRow>,
    /// The attachments: registration scans and the files departments replied with.
    pub files: Vec<FileRow>,
    /// Everyone it was circulated to, with whether and when they read it.
    pub circulation: Vec<CirculationRow>,
    /// Other registrations of the same sender and number the actor may see.
    pub duplicates: Vec<IncomingRow>,
}

pub(crate) fn classification(d: &IncomingRow) -> Clearance {
    // An unreadable stored value is treated as the highest level: fail closed.
    Clearance::parse(&d.classification).unwrap_or(Clearance::TopSecret)
}

/// Who is on a document's route: the registering secretary, whoever proposed, and everyone
/// who holds or held a step (not those merely waiting their turn, nor recalled ones).
pub(crate) fn subject(d: &IncomingRow, route: impl IntoIterator<Item = i64>) -> Subject {
    let mut people: Vec<PersonId> = vec![PersonId(d.registered_by)];
    people.extend(d.proposed_by.map(PersonId));
    people.extend(route.into_iter().map(PersonId));
    Subject { classification: classification(d), department_id: None, route: people }
}

pub(crate) fn step_route(steps: &[StepRow]) -> Vec<i64> {
    let held = steps.iter().filter(|s| matches!(s.state.as_str(), "open" | "done" | "returned")).map(|s| s.person_id);
    held.chain(steps.iter().filter_map(|s| s.acted_by)).collect()
}

/// Everyone who may read a document by being on it: its route and its circulation readers.
pub(crate) async fn route_of(db: &crate::db::Db, id: IncomingId, steps: &[StepRow]) -> ServiceResult<Vec<i64>> {
    let mut route = step_route(steps);
    route.extend(store::readers(db, &[id.0]).await?.into_iter().map(|(_, p)| p));
    Ok(route)
}

pub(crate) fn facts(d: &IncomingRow, steps: &[StepRow]) -> ServiceResult<IncomingFacts> {
    let state = IncomingState::parse(&d.state)
        .ok_or_else(|| ServiceError::Conflict(format!("unknown stored state `{}`", d.state)))?;
    let doc_type =
        mishu_domain::incoming::DocType::parse(&d.doc_type).map_err(|e| ServiceError::Conflict(e.to_string()))?;
    Ok(IncomingFacts {
        state,
        doc_type,
        registered_by: PersonId(d.registered_by),
        round: d.round,
        steps: steps
            .iter()
            .map(|s| StepFacts {
                id: IncomingStepId(s.step_id),
                stage: Stage::parse(&s.stage),
                mode: StepMode::parse(&s.mode),
                person: PersonId(s.person_id),
                department: s.department_id.map(DepartmentId),
                round: s.round,
                seq: s.seq,
                state: StepState::parse(&s.state),
                due: s.due_at.map(Timestamp),
            })
            .collect(),
    })
}

/// A refusal is audited (who tried to reach what), then answered like a missing document
/// so nobody learns that a classified document exists.
pub(crate) async fn refuse(s: &Services, actor: &Actor, id: IncomingId, source_ip: &str) -> ServiceError {
    let now = s.clock.now();
    let event = AuditEvent::new("incoming.access_refused", DOMAIN, Some(id.to_string()), json!({}));
    let written = async {
        let mut tx = s.db.begin().await?;
        audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &event).await?;
        tx.commit().await
    };
    match written.await {
        Ok(()) => ServiceError::NotFound,
        Err(e) => e.into(),
    }
}

/// One document with its route, if the actor may read it.
pub async fn get(s: &Services, actor: &Actor, id: IncomingId, source_ip: &str) -> ServiceResult<IncomingView> {
    let Some(doc) = store::get(&s.db, id).await? else {
        return Err(ServiceError::NotFound);
    };
    // The label decides who may read, so it is checked before it is believed.
    labels::check(s, Some(actor), &doc.label(), doc.label_mac.as_deref(), source_ip).await?;
    let steps = store::steps(&s.db, id).await?;
    if !may_read(actor, &subject(&doc, route_of(&s.db, id, &steps).await?)) {
        return Err(refuse(s, actor, id, source_ip).await);
    }
    let mut duplicates = Vec::new();
    if !doc.sender_number.is_empty() {
        for d in store::same_number_db(&s.db, &doc.sender_organ, &doc.sender_number, id).await? {
            let other = IncomingId(d.incoming_id);
            let route = route_of(&s.db, other, &store::steps(&s.db, other).await?).await?;
            if labels::intact(s, &d.label(), d.label_mac.as_deref()) && may_read(actor, &subject(&d, route)) {
                duplicates.push(d);
            }
        }
    }
    let files = store::files(&s.db, id).await?;
    let circulation = store::circulation(&s.db, id).await?;
    Ok(IncomingView { doc, steps, files, circulation, duplicates })
}

/// One page of the register.
#[derive(Debug, Clone, Serialize)]
pub struct IncomingPage {
    pub items: Vec<IncomingRow>,
    /// Readable documents matching the filter, all pages together.
    pub total: i64,
    pub offset: i64,
    pub next_offset: Option<i64>,
    /// Rows of this page withheld because their label failed its MAC (T18); `total` leaves
    /// them out too.
    pub withheld: usize,
}

/// A page of the register as the actor may see it, filtered, overdue first. Access is part
/// of the query, so every page is full and the count is exact.
pub async fn list_page(
    s: &Services,
    actor: &Actor,
    filter: &IncomingFilter,
    limit: i64,
    offset: i64,
) -> ServiceResult<IncomingPage> {
    let scope = ReadScope::of(actor);
    let (rows, more) = store::page(&s.db, filter, &scope, limit, offset).await?;
    let total = store::count(&s.db, filter, &scope).await?;
    let next_offset = (more && !rows.is_empty()).then(|| offset + rows.len() as i64);
    let (items, withheld) = recheck(s, actor, rows).await?;
    Ok(IncomingPage { items, total: total - withheld as i64, offset, next_offset, withheld })
}

/// The whole register as the actor may see it (the XLSX export).
pub async fn list(s: &Services, actor: &Actor, filter: &IncomingFilter) -> ServiceResult<Vec<IncomingRow>> {
    let rows = store::list(&s.db, filter, &ReadScope::of(actor), s.clock.now()).await?;
    Ok(recheck(s, actor, rows).await?.0)
}

/// The SQL clause is `may_read` rewritten; checking the rows once more with `may_read` itself
/// keeps one wrong edit of either from showing a document it should not. Both decided on the
/// stored label, so a row whose label fails its MAC is withheld (and counted) first.
async fn recheck(s: &Services, actor: &Actor, mut rows: Vec<IncomingRow>) -> ServiceResult<(Vec<IncomingRow>, usize)> {
    let withheld = labels::retain_intact(s, &mut rows, |d| (d.label(), d.label_mac.as_deref()));
    let ids: Vec<i64> = rows.iter().map(|r| r.incoming_id).collect();
    let mut route: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
    // In slices: an export of a whole register must stay under the databases' parameter limits.
    for chunk in ids.chunks(500) {
        for (doc, person) in
            store::route_people(&s.db, chunk).await?.into_iter().chain(store::readers(&s.db, chunk).await?)
        {
            route.entry(doc).or_default().push(person);
        }
    }
    let rows = rows
        .into_iter()
        .filter(|d| may_read(actor, &subject(d, route.get(&d.incoming_id).into_iter().flatten().copied())))
        .collect();
    Ok((rows, withheld))
}
