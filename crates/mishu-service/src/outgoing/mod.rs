//! Outgoing documents (发文): drafting in seven steps (R2.2) with versions and review rounds,
//! the office's check (核稿), countersigning, the leader's sign-off, numbering in a gapless
//! ledger, the PDF, and distribution with receipts chased on the spine (R1.8). Classified
//! drafts are seen only by the people on their route with clearance.

mod act;
mod appendix;
mod copies;
mod drafting;
mod filing;
mod ledger;
mod receipts;
mod render;
mod search;
mod sheet;
mod spine;
mod store;

pub use act::act;
pub use appendix::{add_attachment, remove_attachment, set_annotation};
pub use copies::{CopyLine, print_copy, record_copy, register as copy_register};
pub use drafting::{MaterialInput, add_material, add_version, create, diff, set_material, set_outline};
pub(crate) use filing::{IssuedCopy, issued_copy, still_issued};
pub use ledger::{Ledger, ledger};
pub use receipts::{confirm_receipt, record_external_receipt};
pub(crate) use render::sealed_pdf;
pub use render::{RenderFailure, official_document, pdf, print_slip};
pub(crate) use search::search_docs;
pub use sheet::{countersigns, draft_sheet, draft_sheet_pdf};
pub use store::{
    AttachmentRow, CopyRow, DistributionRow, LedgerRow, MaterialRow, OutgoingRow, ReceiptRow, RecipientRow, StepRow,
    VersionRow,
};

use crate::audit::{self, Origin};
use crate::labels;
use crate::{ServiceError, ServiceResult, Services};
use mishu_domain::access::{Actor, Subject, may_read};
use mishu_domain::audit::AuditEvent;
use mishu_domain::org::Clearance;
use mishu_domain::outgoing::{
    Direction, Finding, LintInput, OutgoingFacts, OutgoingState, StepFacts, StepKind, StepState, lint,
};
use mishu_domain::{OutgoingId, OutgoingStepId, PersonId};
use serde::Serialize;
use serde_json::json;

pub const DOMAIN: &str = "outgoing";

/// A document with everything its page shows.
#[derive(Debug, Clone, Serialize)]
pub struct OutgoingView {
    pub doc: OutgoingRow,
    pub steps: Vec<StepRow>,
    pub versions: Vec<VersionRow>,
    pub materials: Vec<MaterialRow>,
    /// 附件 in their printed order.
    pub attachments: Vec<AttachmentRow>,
    pub recipients: Vec<RecipientRow>,
    pub distributions: Vec<DistributionRow>,
    pub receipts: Vec<ReceiptRow>,
    /// The check (核稿) on the latest version, as it stands now.
    pub findings: Vec<Finding>,
}

impl OutgoingView {
    pub fn latest_body(&self) -> &str {
        self.versions.last().map_or("", |v| v.body.as_str())
    }
    pub fn main_names(&self) -> Vec<&str> {
        self.recipients.iter().filter(|r| r.role == "main").map(|r| r.name.as_str()).collect()
    }
    pub fn copy_names(&self) -> Vec<&str> {
        self.recipients.iter().filter(|r| r.role == "copy").map(|r| r.name.as_str()).collect()
    }
}

pub(crate) fn classification(d: &OutgoingRow) -> Clearance {
    // An unreadable stored value is treated as the highest level: fail closed.
    Clearance::parse(&d.classification).unwrap_or(Clearance::TopSecret)
}

/// Who is on a document's route: drafter, signer, checker, countersigners, everyone who
/// holds or held a step and everyone who must sign for a copy.
pub(crate) fn subject(d: &OutgoingRow, route: impl IntoIterator<Item = i64>) -> Subject {
    let mut people = vec![PersonId(d.drafter_id), PersonId(d.signer_id)];
    people.extend(d.checked_by.map(PersonId));
    people.extend(route.into_iter().map(PersonId));
    Subject {
        classification: classification(d),
        department_id: d.department_id.map(mishu_domain::DepartmentId),
        route: people,
    }
}

/// The check on the latest text, as `decide` and the page see it.
pub(crate) fn findings(d: &OutgoingRow, body: &str, recipients: &[RecipientRow]) -> Vec<Finding> {
    let direction = match d.direction.as_str() {
        "up" => Some(Direction::Up),
        "down" => Some(Direction::Down),
        "lateral" => Some(Direction::Lateral),
        _ => None,
    };
    let input = LintInput {
        doc_type: &d.doc_type,
        direction,
        title: &d.title,
        main_recipients: recipients.iter().filter(|r| r.role == "main").map(|r| r.name.as_str()).collect(),
        copied_to: recipients.iter().filter(|r| r.role == "copy").map(|r| r.name.as_str()).collect(),
        signer: Some(d.signer_name.as_str()),
        body,
        classification: classification(d),
        secrecy_period: &d.secrecy_period,
        date: d.signed_on.as_deref().and_then(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()),
        signed: matches!(d.state.as_str(), "signed" | "registered" | "distributed"),
    };
    lint(&input)
}

pub(crate) fn facts(
    d: &OutgoingRow,
    steps: &[StepRow],
    countersigners: Vec<PersonId>,
    body: Option<&str>,
    recipients: &[RecipientRow],
) -> ServiceResult<OutgoingFacts> {
    let state = OutgoingState::parse(&d.state)
        .ok_or_else(|| ServiceError::Conflict(format!("unknown stored state `{}`", d.state)))?;
    let lint_errors = findings(d, body.unwrap_or(""), recipients)
        .into_iter()
        .filter(|f| f.severity == mishu_domain::outgoing::Severity::Error)
        .map(|f| f.code)
        .collect();
    Ok(OutgoingFacts {
        state,
        drafter: PersonId(d.drafter_id),
        signer: PersonId(d.signer_id),
        countersigners,
        countersign_parallel: d.countersign_parallel,
        round: d.round,
        steps: steps
            .iter()
            .filter_map(|s| {
                Some(StepFacts {
                    id: OutgoingStepId(s.step_id),
                    kind: StepKind::parse(&s.kind)?,
                    person: PersonId(s.person_id),
                    round: s.round,
                    seq: s.seq,
                    state: StepState::parse(&s.state),
                })
            })
            .collect(),
        has_text: body.is_some(),
        lint_errors,
        number: d.doc_number.clone(),
    })
}

/// A refusal is audited, then answered like a missing document so nobody learns that a
/// classified draft exists.
pub(crate) async fn refuse(s: &Services, actor: &Actor, id: OutgoingId, source_ip: &str) -> ServiceError {
    let now = s.clock.now();
    let event = AuditEvent::new("outgoing.access_refused", DOMAIN, Some(id.to_string()), json!({}));
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

/// Whether the office is on the document's route: from its first submission for the check
/// on, the office checks, numbers, prints and distributes it, so a classified document is
/// read there too (by those cleared for it: `may_read` checks clearance first).
pub(crate) fn sent_to_office(d: &OutgoingRow) -> bool {
    d.state != "drafting" || d.checked_by.is_some() || d.round > 0
}

async fn route_of(
    s: &Services,
    d: &OutgoingRow,
    steps: &[StepRow],
    receipts: &[ReceiptRow],
) -> ServiceResult<Vec<i64>> {
    let mut route: Vec<i64> = steps.iter().map(|x| x.person_id).collect();
    route.extend(receipts.iter().filter_map(|r| r.person_id));
    let mut tx = s.db.begin().await?;
    route.extend(store::countersigners(&mut tx, OutgoingId(d.outgoing_id)).await?.into_iter().map(|p| p.0));
    if sent_to_office(d) {
        route.extend(store::office_people_tx(&mut tx).await?);
    }
    tx.commit().await?;
    Ok(route)
}

/// One document with everything on it, if the actor may read it.
pub async fn get(s: &Services, actor: &Actor, id: OutgoingId, source_ip: &str) -> ServiceResult<OutgoingView> {
    let Some(v) = view(s, id).await? else {
        return Err(ServiceError::NotFound);
    };
    // The label decides who may read, so it is checked before it is believed.
    labels::check(s, Some(actor), &v.doc.label(), v.doc.label_mac.as_deref(), source_ip).await?;
    if !may_read(actor, &subject(&v.doc, route_of(s, &v.doc, &v.steps, &v.receipts).await?)) {
        return Err(refuse(s, actor, id, source_ip).await);
    }
    Ok(v)
}

/// The document if it exists and the actor may read it, `None` otherwise, with nothing
/// written (unlike `get`, which audits a refusal): for other domains that only name a
/// document, such as a seal-use application.
pub(crate) async fn readable(s: &Services, actor: &Actor, id: OutgoingId) -> ServiceResult<Option<OutgoingRow>> {
    let Some(v) = view(s, id).await? else {
        return Ok(None);
    };
    labels::check(s, Some(actor), &v.doc.label(), v.doc.label_mac.as_deref(), "").await?;
    let route = route_of(s, &v.doc, &v.steps, &v.receipts).await?;
    Ok(may_read(actor, &subject(&v.doc, route)).then_some(v.doc))
}

/// One document with everything on it, without the reading check: for `get`, and for the
/// archives, which check the filer themselves.
pub(crate) async fn view(s: &Services, id: OutgoingId) -> ServiceResult<Option<OutgoingView>> {
    let Some(doc) = store::get(&s.db, id).await? else {
        return Ok(None);
    };
    let steps = store::steps(&s.db, id).await?;
    let receipts = store::receipts(&s.db, id).await?;
    let versions = store::versions(&s.db, id).await?;
    let recipients = store::recipients(&s.db, id).await?;
    let findings = findings(&doc, versions.last().map_or("", |v| v.body.as_str()), &recipients);
    Ok(Some(OutgoingView {
        materials: store::materials(&s.db, id).await?,
        attachments: store::attachments(&s.db, id).await?,
        distributions: store::distributions(&s.db, id).await?,
        doc,
        steps,
        versions,
        recipients,
        receipts,
        findings,
    }))
}

/// Which documents a list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OutgoingBox {
    /// Everything the actor may read.
    #[default]
    All,
    /// Drafted by the actor.
    Mine,
    /// Waiting for the actor: an open step, or (office) a draft to check or register.
    Waiting,
    /// Distributed, receipts outstanding.
    Unconfirmed,
}

impl OutgoingBox {
    pub fn parse(s: &str) -> OutgoingBox {
        match s {
            "mine" => OutgoingBox::Mine,
            "waiting" => OutgoingBox::Waiting,
            "unconfirmed" => OutgoingBox::Unconfirmed,
            _ => OutgoingBox::All,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            OutgoingBox::All => "all",
            OutgoingBox::Mine => "mine",
            OutgoingBox::Waiting => "waiting",
            OutgoingBox::Unconfirmed => "unconfirmed",
        }
    }
}

/// The documents the actor may see, in a box, optionally in one state; newest first.
pub async fn list(
    s: &Services,
    actor: &Actor,
    boxed: OutgoingBox,
    state: Option<&str>,
) -> ServiceResult<Vec<OutgoingRow>> {
    let mut rows = store::list(&s.db, state).await?;
    // Access is decided on the stored label: a row whose label fails its MAC is withheld.
    labels::retain_intact(s, &mut rows, |d| (d.label(), d.label_mac.as_deref()));
    let pairs = store::route_people(&s.db).await?;
    let office_people = store::office_people(&s.db).await?;
    let open = store::open_steps_of(&s.db, actor.acting_for.unwrap_or(actor.person_id)).await?;
    let unconfirmed = store::unconfirmed_docs(&s.db).await?;
    let office =
        actor.has_role(mishu_domain::org::Role::Secretary) || actor.has_role(mishu_domain::org::Role::OfficeHead);
    let me = actor.acting_for.unwrap_or(actor.person_id).0;
    Ok(rows
        .into_iter()
        .filter(|d| {
            let route = pairs.iter().filter(|(doc, _)| *doc == d.outgoing_id).map(|(_, p)| *p);
            let office = office_people.iter().copied().filter(|_| sent_to_office(d));
            may_read(actor, &subject(d, route.chain(office)))
        })
        .filter(|d| match boxed {
            OutgoingBox::All => true,
            OutgoingBox::Mine => d.drafter_id == me,
            OutgoingBox::Waiting => {
                open.contains(&d.outgoing_id)
                    || (d.drafter_id == me && d.state == "drafting")
                    || (office && matches!(d.state.as_str(), "checking" | "signed" | "registered"))
            }
            OutgoingBox::Unconfirmed => unconfirmed.contains(&d.outgoing_id),
        })
        .collect())
}

/// The 机关代字 of the newest document of a 文种, offered when drafting the next one.
pub async fn last_prefix(s: &Services, doc_type: mishu_domain::incoming::DocType) -> ServiceResult<Option<String>> {
    Ok(store::last_prefix(&s.db, doc_type.code()).await?)
}

/// Active leaders who may be named as signer, and people who may countersign or review.
pub async fn signers(s: &Services) -> ServiceResult<Vec<(i64, String)>> {
    Ok(store::leaders(&s.db).await?)
}
