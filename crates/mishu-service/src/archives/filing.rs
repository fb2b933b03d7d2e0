//! Filing (归档): a finished item becomes a 件 with its next 件号 in year + retention +
//! class, its 档号, its own copies of the files and its route frozen as JSON, all in one
//! transaction with the audit record. The item page shows the 归档章 data.

use super::sources::{FilingSource, SourceFile};
use super::store::{self, FileRow, ItemRow, NewItem};
use super::{DOMAIN, load_settings, require_keeper};
use crate::audit::{self, Origin};
use crate::labels;
use crate::search::{self, Domain};
use crate::tasks::{self, NewTask};
use crate::{ServiceError, ServiceResult, Services};
use chrono::Datelike;
use mishu_domain::access::Actor;
use mishu_domain::archives::{ArchiveCode, ArchiveError, Retention, text};
use mishu_domain::audit::AuditEvent;
use mishu_domain::org::Clearance;
use mishu_domain::tasks::{TaskKind, Urgency};
use mishu_domain::{ArchiveItemId, PersonId, Timestamp};
use serde::Serialize;
use serde_json::json;

/// What the archivist chooses when filing.
#[derive(Debug, Clone)]
pub struct FileRequest {
    pub source: FilingSource,
    /// Y / D30 / D10 (or 永久…); empty takes the default for the document type.
    pub retention: String,
    /// A 机构(问题) class code from the settings; empty for a two-level scheme.
    pub class_code: String,
    pub note: String,
}

/// An item with its files and route, for its page (the 归档章 is drawn from `item`).
#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    pub item: ItemRow,
    pub files: Vec<FileRow>,
    pub route: serde_json::Value,
}

pub(super) fn clearance(code: &str) -> Clearance {
    Clearance::parse(code).unwrap_or(Clearance::TopSecret)
}

/// A filing task (待归档) asking a keeper to file a finished item; the caller opens it with
/// `tasks::open_task` inside its own transaction. Filing the item closes it.
pub fn filing_task(
    source: FilingSource,
    title: String,
    assignee: PersonId,
    created_by: Option<PersonId>,
    classification: Clearance,
    due_at: Option<Timestamp>,
) -> NewTask {
    NewTask {
        domain: source.kind().task_domain(),
        subject_id: source.id(),
        title,
        kind: TaskKind::Handle,
        assignee,
        created_by,
        classification,
        urgency: Urgency::Normal,
        due_at,
    }
}

/// Files one finished item; answers its id. Refuses an item already filed, an unfinished
/// one, an unknown retention or class, and a 档号 that is already taken.
pub async fn file(s: &Services, actor: &Actor, req: FileRequest, source_ip: &str) -> ServiceResult<ArchiveItemId> {
    require_keeper(actor)?;
    let given = match req.retention.trim() {
        "" => None,
        r => Some(Retention::parse(r)?),
    };
    let class = match req.class_code.trim() {
        "" => None,
        c => Some(mishu_domain::archives::validate_class_code(c)?),
    };
    let note = text(&req.note, "note", 500)?;
    let settings = load_settings(&s.db).await?;
    let prepared = req.source.prepare(s, actor).await?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    if let Some(c) = &class
        && !store::class_exists(&mut tx, c).await?
    {
        return Err(ServiceError::invalid("class_code", format!("`{c}` is not a class in the settings")));
    }
    let (kind, source_id) = (req.source.kind(), req.source.id());
    if let Some((code,)) = store::item_of_source(&mut tx, kind.code(), source_id).await? {
        return Err(ArchiveError::AlreadyFiled(code).into());
    }
    let snap = req.source.load(&mut tx, prepared).await?;
    // The item's 密级 is copied from its source and sealed anew: a source whose label was
    // changed behind the service's back must not have that label laundered into the archive.
    if let Some(label_kind) = req.source.label_kind()
        && !labels::row_intact(&mut tx, &s.audit_key, label_kind, source_id).await?
    {
        drop(tx);
        return Err(labels::refuse(s, Some(actor), label_kind, source_id, source_ip).await);
    }
    // Nobody files (and so reads) what they may not read.
    if actor.clearance < clearance(&snap.classification) {
        return Err(ServiceError::NotFound);
    }
    let retention = given.unwrap_or_else(|| settings.retention_for(&snap.doc_type));
    let year = snap.date.year();
    let counter = ArchiveCode::counter_name(year, retention, class.as_deref());
    let no = store::next_counter(&mut tx, &counter).await?;
    let code =
        ArchiveCode::new(settings.fonds_code(), year, retention, class.as_deref(), u32::try_from(no).unwrap_or(0))?;
    let rendered = code.render();
    if store::code_taken(&mut tx, &rendered).await? {
        return Err(ArchiveError::CodeTaken(rendered).into());
    }
    let route = serde_json::to_string(&snap.route).unwrap_or_else(|_| "{}".into());
    let date = snap.date.format("%Y-%m-%d").to_string();
    let fonds = code.fonds.as_ref().map(|f| f.as_str().to_string()).unwrap_or_default();
    let row = NewItem {
        code: &rendered,
        fonds: &fonds,
        year,
        retention: retention.code(),
        class_code: class.as_deref().unwrap_or(""),
        item_no: code.item_no,
        source_kind: kind.code(),
        source_id,
        title: &snap.title,
        doc_number: &snap.doc_number,
        responsible: &snap.responsible,
        doc_date: &date,
        doc_type: &snap.doc_type,
        classification: &snap.classification,
        pages: snap.pages,
        department_id: snap.department_id,
        note: &note,
        route_json: &route,
    };
    let id = store::insert_item(&mut tx, &s.audit_key, &row, actor.person_id, now).await.map_err(|e| {
        if e.is_unique_violation() { ArchiveError::CodeTaken(rendered.clone()).into() } else { ServiceError::from(e) }
    })?;
    // The archive keeps its own copies: a later change to the source's files (or the
    // destruction of this item's) touches only one side.
    for (i, f) in snap.files.iter().enumerate() {
        let (bytes, filename, kind) = match f {
            SourceFile::Stored { key, filename, kind } => (s.blobs.read(key).await?, filename, kind.as_str()),
            SourceFile::Text { filename, text } => (text.clone().into_bytes(), filename, "text"),
            SourceFile::Bytes { filename, kind, bytes } => (bytes.clone(), filename, kind.as_str()),
        };
        let size = bytes.len() as i64;
        let key = s.blobs.store(bytes).await?;
        store::insert_file(&mut tx, id, &key, filename, kind, size, i as i64).await?;
    }
    // Whoever was asked to file this item (a 待归档 task) is done.
    let closed =
        tasks::close_subject_tasks(&mut tx, kind.task_domain(), source_id, None, actor, &rendered, now).await?;
    let ev = AuditEvent::new(
        "archive.filed",
        DOMAIN,
        Some(id.to_string()),
        json!({"archive_code": rendered, "source": kind.code(), "source_id": source_id, "retention": retention.code(),
               "files": snap.files.len(), "tasks_closed": closed}),
    );
    search::touch(&mut tx, Domain::Archive, id.0, now).await?;
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &ev).await?;
    tx.commit().await?;
    Ok(id)
}

/// May the actor read this item? The archives' keepers up to their clearance; a borrower
/// while the loan runs. Anyone else gets "not found".
pub(super) async fn readable(s: &Services, actor: &Actor, item: &ItemRow) -> ServiceResult<bool> {
    if !actor.is_business_user() || actor.clearance < clearance(&item.classification) {
        return Ok(false);
    }
    if require_keeper(actor).is_ok() {
        return Ok(true);
    }
    // The borrower in their own name or in their principal's, as `search::readable` decides.
    let item_id = ArchiveItemId(item.item_id);
    let me = actor.acting_for.unwrap_or(actor.person_id);
    Ok(super::loans_store::has_loan(&s.db, item_id, actor.person_id).await?
        || (me != actor.person_id && super::loans_store::has_loan(&s.db, item_id, me).await?))
}

pub async fn item(s: &Services, actor: &Actor, id: ArchiveItemId) -> ServiceResult<ItemView> {
    let item = store::get_item(&s.db, id).await?.ok_or(ServiceError::NotFound)?;
    // The label decides who may read, so it is checked before it is believed.
    labels::check(s, Some(actor), &item.label(), item.label_mac.as_deref(), "").await?;
    if !readable(s, actor, &item).await? {
        return Err(ServiceError::NotFound);
    }
    let files = store::files_of(&s.db, id).await?;
    let route = serde_json::from_str(&store::route_json(&s.db, id).await?).unwrap_or_default();
    Ok(ItemView { item, files, route })
}

/// One file of an item: (filename, kind, bytes). Destroyed files are gone.
pub async fn item_file(
    s: &Services,
    actor: &Actor,
    id: ArchiveItemId,
    file_id: i64,
) -> ServiceResult<(String, String, Vec<u8>)> {
    let v = item(s, actor, id).await?;
    let f = v.files.into_iter().find(|f| f.file_id == file_id).ok_or(ServiceError::NotFound)?;
    let key = f.storage_key.ok_or(ServiceError::NotFound)?;
    Ok((f.filename, f.kind, s.blobs.read(&key).await?))
}

/// A finished item not yet filed, offered on the archivist's filing page.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Filable {
    pub kind: String,
    pub id: i64,
    pub title: String,
    pub at: i64,
    pub classification: String,
    #[serde(skip)]
    pub sp: String,
    #[serde(skip)]
    pub cn: String,
    #[serde(skip)]
    pub lm: Option<String>,
}

/// Every finished item of every domain as (kind, id, title, at, c = classification, and the
/// rest of the label with its MAC: sp, cn, lm): what the filing page offers and what the
/// sweep asks a keeper to file.
pub(super) const FINISHED: &str =
    "SELECT 'incoming' AS kind, d.incoming_id AS id, d.title, COALESCE(d.closed_at, d.created_at) AS at,
       d.classification AS c, d.secrecy_period AS sp, d.copy_no AS cn, d.label_mac AS lm
       FROM incoming_documents d WHERE d.state = 'closed'
     UNION ALL SELECT 'meeting', m.meeting_id, m.title, m.starts_at, 'none', '', '', NULL
       FROM meetings m WHERE m.minutes IS NOT NULL
     UNION ALL SELECT 'seal_application', u.application_id, a.document_title, u.used_at, 'none', '', '', NULL
       FROM seal_uses u JOIN seal_applications a ON a.application_id = u.application_id
     UNION ALL SELECT 'leader_task', t.leader_task_id, t.title, COALESCE(t.closed_at, t.created_at), 'none', '', '', NULL
       FROM leader_tasks t WHERE t.state = 'closed'
     UNION ALL SELECT 'outgoing', o.outgoing_id, o.title, o.updated_at, o.classification, o.secrecy_period, '',
       o.label_mac FROM outgoing_documents o WHERE o.state = 'distributed'";

/// Whether a `FINISHED` row's label (for the kinds that carry one) still matches its MAC: a
/// source whose 密级 was changed behind the service is neither offered nor asked for.
pub(super) fn finished_intact(
    s: &Services,
    kind: &str,
    id: i64,
    c: &str,
    sp: &str,
    cn: &str,
    lm: Option<&str>,
) -> bool {
    let kind = match kind {
        "incoming" => labels::LabelKind::Incoming,
        "outgoing" => labels::LabelKind::Outgoing,
        _ => return true,
    };
    labels::intact(s, &labels::Label { kind, id, classification: c, secrecy_period: sp, copy_no: cn }, lm)
}

/// Finished items of every domain that are not filed yet, newest first (at most 200).
pub async fn filable(s: &Services, actor: &Actor) -> ServiceResult<Vec<Filable>> {
    require_keeper(actor)?;
    let rows: Vec<Filable> =
        s.db.fetch_all(
            &format!(
                "SELECT kind, id, title, at, c AS classification, sp, cn, lm FROM ({FINISHED}) f
                 WHERE NOT EXISTS (SELECT 1 FROM archive_items i WHERE i.source_kind = f.kind AND i.source_id = f.id)
                 ORDER BY at DESC LIMIT 200"
            ),
            crate::args![],
        )
        .await?;
    Ok(rows
        .into_iter()
        .filter(|r| finished_intact(s, &r.kind, r.id, &r.classification, &r.sp, &r.cn, r.lm.as_deref()))
        .filter(|r| actor.clearance >= clearance(&r.classification))
        .collect())
}
