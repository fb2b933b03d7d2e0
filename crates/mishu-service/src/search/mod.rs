//! One Chinese full-text search across every domain (architecture §6), trimmed by the access
//! policy inside the query. The index is a per-node cache: each domain's write transaction
//! appends to the change record (`touch`), every node applies the record from its own cursor
//! to its own index (`apply_changes_now`, the loop in `serve`), and `reindex` rebuilds it all
//! from the database.
//!
//! Adding a domain: a variant in `Domain` (with its code), its arms in `Domain::load` and
//! `Domain::ids_after` (a `search.rs` in the domain's module that turns rows into `SearchDoc`s
//! with the same `Subject` its pages give `may_read`), and `search::touch` in each of its
//! write transactions. A domain whose pages do not ask `may_read` alone (the archives: keepers
//! and borrowers only) says so with `Readers`.

mod apply;
#[cfg(test)]
mod filter_tests;
mod find;
mod index;
mod ngram;
mod query;
#[cfg(test)]
mod rank_tests;
mod record;

pub use apply::{apply_changes_now, reindex, run_loop};

pub use find::{Hit, SearchPage, engine_page, search};
pub use index::SearchIndex;
pub use query::{MAX_QUERY_CHARS, PAGE_SIZE, QueryError, RawSearch, SearchQuery};
pub use record::{IndexStatus, KEEP_DAYS, prune, request_rebuild, status};

use crate::ServiceResult;
use crate::db::{Db, DbResult, Tx};
use mishu_domain::Timestamp;
use mishu_domain::access::{Actor, Capability, Subject, allows, may_read};
use serde::Serialize;

/// The searchable domains. The code is what the change record and the index store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Domain {
    Incoming,
    LeaderTask,
    Meeting,
    SealApplication,
    Outgoing,
    Archive,
}

impl Domain {
    pub const ALL: [Domain; 6] = [
        Domain::Incoming,
        Domain::LeaderTask,
        Domain::Meeting,
        Domain::SealApplication,
        Domain::Outgoing,
        Domain::Archive,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Domain::Incoming => "incoming",
            Domain::LeaderTask => "leader_task",
            Domain::Meeting => "meeting",
            Domain::SealApplication => "seal_application",
            Domain::Outgoing => "outgoing",
            Domain::Archive => "archive",
        }
    }

    pub fn parse(s: &str) -> Option<Domain> {
        Domain::ALL.into_iter().find(|d| d.code() == s)
    }

    /// The documents for these ids as the database has them now; an id without a row is
    /// simply absent (it is then removed from the index).
    async fn load(self, s: &crate::Services, ids: &[i64]) -> ServiceResult<Vec<SearchDoc>> {
        let (db, key) = (&s.db, &s.audit_key[..]);
        match self {
            Domain::Incoming => crate::incoming::search_docs(db, key, ids).await,
            Domain::LeaderTask => crate::leader_tasks::search_docs(db, ids).await,
            Domain::Meeting => crate::meetings::search_docs(db, ids).await,
            Domain::SealApplication => crate::seals::search_docs(db, ids).await,
            Domain::Outgoing => crate::outgoing::search_docs(db, key, ids).await,
            Domain::Archive => crate::archives::search_docs(db, key, ids).await,
        }
    }

    /// The next ids after `after`, ascending, for a rebuild.
    async fn ids_after(self, db: &Db, after: i64, limit: i64) -> ServiceResult<Vec<i64>> {
        let sql = match self {
            Domain::Incoming => {
                "SELECT incoming_id FROM incoming_documents WHERE incoming_id > $1 ORDER BY incoming_id LIMIT $2"
            }
            Domain::LeaderTask => {
                "SELECT leader_task_id FROM leader_tasks WHERE leader_task_id > $1 ORDER BY leader_task_id LIMIT $2"
            }
            Domain::Meeting => "SELECT meeting_id FROM meetings WHERE meeting_id > $1 ORDER BY meeting_id LIMIT $2",
            Domain::SealApplication => {
                "SELECT application_id FROM seal_applications WHERE application_id > $1 ORDER BY application_id LIMIT $2"
            }
            Domain::Outgoing => {
                "SELECT outgoing_id FROM outgoing_documents WHERE outgoing_id > $1 ORDER BY outgoing_id LIMIT $2"
            }
            Domain::Archive => "SELECT item_id FROM archive_items WHERE item_id > $1 ORDER BY item_id LIMIT $2",
        };
        let rows: Vec<(i64,)> = db.fetch_all(sql, crate::args![after, limit]).await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }
}

/// What the index holds of one object: its text, its filters, and its access facts.
#[derive(Clone, Debug)]
pub struct SearchDoc {
    pub domain: Domain,
    pub id: i64,
    pub title: String,
    /// Everything else worth finding: numbers, senders, proposals, instructions, answers.
    pub body: String,
    /// The document type's code where the domain has types, else empty.
    pub doc_type: String,
    pub year: i64,
    /// The departments it concerns (the 部门 filter).
    pub departments: Vec<i64>,
    pub state: String,
    pub at: Timestamp,
    /// The same facts its own pages give `access::may_read`.
    pub subject: Subject,
    /// Who reads it: `may_read` on `subject`, or the route and a capability's holders.
    pub readers: Readers,
}

/// How a domain's pages decide who reads an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Readers {
    /// `access::may_read` on the subject: what most pages ask.
    Policy,
    /// The people on the route and the holders of the capability, each up to their
    /// clearance; an office-wide role or a department head as such reads nothing. The
    /// archives: keepers (`ManageArchives`) and the borrowers of a running loan.
    RouteOr(Capability),
}

/// The capabilities that appear in `Readers::RouteOr`: the query asks which the actor holds.
pub(crate) const GRANTS: [Capability; 1] = [Capability::ManageArchives];

impl Readers {
    /// The index's term for it.
    pub(crate) fn code(self) -> String {
        match self {
            Readers::Policy => "policy".into(),
            Readers::RouteOr(c) => format!("cap:{c:?}"),
        }
    }
}

/// One object's access facts (classification, department, route, readers) as its pages and
/// the index take them; None when it does not exist. The access matrix (T5) reads them to
/// say what the reviewed policy table expects for each person.
pub async fn access_facts(s: &crate::Services, domain: Domain, id: i64) -> ServiceResult<Option<SearchDoc>> {
    Ok(domain.load(s, &[id]).await?.pop())
}

/// The read decision for an indexed object, exactly as its own pages take it.
pub fn readable(actor: &Actor, doc: &SearchDoc) -> bool {
    match doc.readers {
        Readers::Policy => may_read(actor, &doc.subject),
        Readers::RouteOr(cap) => {
            if !actor.is_business_user() || actor.clearance < doc.subject.classification {
                return false;
            }
            let me = actor.acting_for.unwrap_or(actor.person_id);
            doc.subject.route.iter().any(|p| *p == actor.person_id || *p == me) || allows(Some(actor), cap)
        }
    }
}

/// Records, inside the caller's transaction, that an object changed, so every node's index
/// picks it up. The audit head's row is locked first: it is the one row every writer takes
/// (see the audit chain), so change numbers are taken in commit order and a node's cursor
/// never passes a change that commits later. On SQLite the write lock already does this.
pub async fn touch(tx: &mut Tx, domain: Domain, id: i64, now: Timestamp) -> DbResult<()> {
    tx.execute("UPDATE audit_head SET seq = seq WHERE id = 1", crate::args![]).await?;
    tx.execute(
        "INSERT INTO search_changes (domain, subject_id, at) VALUES ($1, $2, $3)",
        crate::args![domain.code(), id, now],
    )
    .await?;
    Ok(())
}

/// An unclassified leader task as the index holds it: the index's own tests' object.
#[cfg(test)]
fn test_doc(id: i64, title: &str, body: &str) -> SearchDoc {
    SearchDoc {
        domain: Domain::LeaderTask,
        id,
        title: title.into(),
        body: body.into(),
        doc_type: String::new(),
        year: 2026,
        departments: vec![],
        state: "given".into(),
        at: Timestamp(0),
        subject: Subject { classification: mishu_domain::org::Clearance::None, department_id: None, route: vec![] },
        readers: Readers::Policy,
    }
}
