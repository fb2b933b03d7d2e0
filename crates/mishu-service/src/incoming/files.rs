//! Attachments of a received document: the scans registered with it and the files a
//! department sends with its reply. Checked and written to disk (fsynced) before the
//! transaction that records them; read back only by people who may read the document.

use super::{DOMAIN, get, store};
use crate::audit::{self, Origin};
use crate::db::Tx;
use crate::files::{self, Checked, Upload};
use crate::{ServiceError, ServiceResult, Services};
use mishu_domain::access::Actor;
use mishu_domain::audit::AuditEvent;
use mishu_domain::{IncomingId, PersonId, Timestamp};
use serde_json::json;

pub use store::FileRow;

/// A checked file already durable on disk, waiting for its row.
pub(super) struct Stored {
    key: String,
    filename: String,
    kind: &'static str,
    size: i64,
}

/// Checks every upload first (nothing is written when one is bad), then writes each durably.
pub(super) async fn check_and_store(s: &Services, uploads: Vec<Upload>) -> ServiceResult<Vec<Stored>> {
    let checked: Vec<Checked> = uploads.into_iter().map(files::check).collect::<ServiceResult<_>>()?;
    let mut out = Vec::new();
    for c in checked {
        let size = i64::try_from(c.bytes.len()).unwrap_or(i64::MAX);
        let key = s.blobs.store(c.bytes).await?;
        out.push(Stored { key, filename: c.filename, kind: c.kind.code(), size });
    }
    Ok(out)
}

/// Records stored files against the document (and the step whose reply brought them).
pub(super) async fn link(
    tx: &mut Tx,
    id: IncomingId,
    step: Option<i64>,
    stored: &[Stored],
    by: PersonId,
    now: Timestamp,
) -> ServiceResult<Vec<serde_json::Value>> {
    let mut detail = Vec::new();
    for f in stored {
        let file_id = store::insert_file(tx, id, step, &f.key, &f.filename, f.kind, f.size, by, now).await?;
        detail.push(json!({"file_id": file_id, "filename": f.filename, "kind": f.kind, "size": f.size}));
    }
    Ok(detail)
}

/// A document's attachments, for someone who may read it.
pub async fn list(s: &Services, actor: &Actor, id: IncomingId, source_ip: &str) -> ServiceResult<Vec<FileRow>> {
    get(s, actor, id, source_ip).await?;
    Ok(store::files(&s.db, id).await?)
}

/// One attachment with its bytes, through the same access check as the document (a refusal
/// is audited and answered as not found). Downloads of classified files are audited too.
pub async fn download(
    s: &Services,
    actor: &Actor,
    id: IncomingId,
    file_id: i64,
    source_ip: &str,
) -> ServiceResult<(FileRow, Vec<u8>)> {
    let view = get(s, actor, id, source_ip).await?;
    let row =
        store::files(&s.db, id).await?.into_iter().find(|f| f.file_id == file_id).ok_or(ServiceError::NotFound)?;
    if view.doc.classification != "none" {
        let event = AuditEvent::new(
            "incoming.file_downloaded",
            DOMAIN,
            Some(id.to_string()),
            json!({"file_id": file_id, "filename": row.filename}),
        )
        .at_level(super::classification(&view.doc));
        let mut tx = s.db.begin().await?;
        audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), s.clock.now(), &event).await?;
        tx.commit().await?;
    }
    let bytes = s.blobs.read(&row.storage_key).await?;
    Ok((row, bytes))
}
