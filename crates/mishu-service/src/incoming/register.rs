//! Registration (签收, 登记): checks the facts, takes the year's next 收文编号 in the same
//! transaction, warns about an earlier registration of the same sender and number, and
//! gives the registering secretary the task of proposing how to handle it.

use super::{DOMAIN, IncomingRow, facts, files, spine, step_route, store, subject};
use crate::audit::{self, Origin};
use crate::files::Upload;
use crate::search;
use crate::{ServiceError, ServiceResult, Services, tasks};
use chrono::Datelike;
use mishu_domain::IncomingId;
use mishu_domain::access::{Actor, Capability, allows, may_read};
use mishu_domain::audit::AuditEvent;
use mishu_domain::incoming::{Registration, RegistrationInput, holders};
use serde::Serialize;
use serde_json::json;

/// The outcome of a registration.
#[derive(Debug, Clone, Serialize)]
pub struct Registered {
    pub id: IncomingId,
    pub reg_year: i64,
    pub reg_seq: i64,
    /// Earlier registrations of the same sender and number the actor may see: a warning,
    /// not an error (a second copy, a corrected reissue or a real double entry).
    pub duplicates: Vec<IncomingRow>,
    /// Earlier registrations the actor may not see (classified, not on their route).
    pub hidden_duplicates: usize,
}

impl Registered {
    pub fn reg_no(&self) -> String {
        format!("{}-{:04}", self.reg_year, self.reg_seq)
    }
}

pub async fn register(
    s: &Services,
    actor: &Actor,
    input: RegistrationInput,
    source_ip: &str,
) -> ServiceResult<Registered> {
    register_with_files(s, actor, input, vec![], source_ip).await
}

/// Registers with attachments (the scan, its annexes): every file is checked before
/// anything is stored, and written durably before the registration commits.
pub async fn register_with_files(
    s: &Services,
    actor: &Actor,
    input: RegistrationInput,
    uploads: Vec<Upload>,
    source_ip: &str,
) -> ServiceResult<Registered> {
    if !allows(Some(actor), Capability::RegisterIncoming) {
        return Err(ServiceError::Forbidden);
    }
    let now = s.clock.now();
    let r = Registration::validate(&input, now)?;
    // A classified document must start on a route its registrar can read.
    if actor.clearance < r.classification {
        return Err(ServiceError::invalid(
            "classification",
            "above your own clearance; ask someone cleared for it to register it",
        ));
    }
    let due = match r.due_at {
        Some(d) => d,
        None => tasks::add_working_days(s, r.handling.default_working_days(r.urgency)).await?,
    };
    let stored = files::check_and_store(s, uploads).await?;
    let year = i64::from(now.local_date().year());
    let mut tx = s.db.begin().await?;
    let seq = store::next_number(&mut tx, &format!("incoming:{year}")).await?;
    let earlier = match &r.sender_number {
        Some(n) => store::same_number(&mut tx, &r.sender_organ, &n.to_string(), None).await?,
        None => vec![],
    };
    let id = store::insert(&mut tx, &s.audit_key, &r, year, seq, Some(due), actor.person_id, now).await?;
    let attached = files::link(&mut tx, id, None, &stored, actor.person_id, now).await?;
    let doc = store::get_tx(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    let first = holders(&facts(&doc, &[])?, Some(due));
    spine::open(&mut tx, &doc, &first, actor, now).await?;
    let mut duplicates = Vec::new();
    let mut hidden = 0;
    for d in earlier {
        let route = step_route(&store::steps_tx(&mut tx, IncomingId(d.incoming_id)).await?);
        if d.label().intact(&s.audit_key, d.label_mac.as_deref()) && may_read(actor, &subject(&d, route)) {
            duplicates.push(d);
        } else {
            hidden += 1;
        }
    }
    let detail = json!({
        "reg_no": doc.reg_no(),
        "sender_organ": r.sender_organ,
        "sender_number": doc.sender_number,
        "title": r.title,
        "doc_type": r.doc_type.code(),
        "classification": r.classification.code(),
        "urgency": r.urgency.code(),
        "handling": r.handling.code(),
        "due_at": due.0,
        "duplicate_of": duplicates.iter().map(|d| d.incoming_id).collect::<Vec<_>>(),
        "hidden_duplicates": hidden,
        "files": attached,
    });
    audit::append(
        &mut tx,
        &s.audit_key,
        &Origin::of(actor, source_ip),
        now,
        &AuditEvent::new("incoming.registered", DOMAIN, Some(id.to_string()), detail).at_level(r.classification),
    )
    .await?;
    search::touch(&mut tx, search::Domain::Incoming, id.0, now).await?;
    tx.commit().await?;
    Ok(Registered { id, reg_year: year, reg_seq: seq, duplicates, hidden_duplicates: hidden })
}
