//! Uploaded import files kept between the preview and the confirmation, under
//! `data_dir/imports/` with server-made names (the uploader's filename never touches the disk).
//! Only the person who uploaded a file may confirm it; files older than a day are swept.

use super::ImportKind;
use crate::{ServiceError, ServiceResult, Services};
use mishu_domain::PersonId;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

const MAX_AGE_MS: i64 = 24 * 3_600_000;

#[derive(Serialize, Deserialize)]
struct Meta {
    owner: i64,
    kind: String,
    filename: String,
    at: i64,
}

/// A stashed upload, read back for the confirmation.
#[derive(Debug, Clone)]
pub struct Stashed {
    pub kind: ImportKind,
    pub filename: String,
    pub bytes: Vec<u8>,
}

fn dir(s: &Services) -> PathBuf {
    s.data_dir.join("imports")
}

/// Ids are 32 lower-case hex digits; anything else never reaches the filesystem.
fn valid_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn io_error(e: std::io::Error) -> ServiceError {
    tracing::error!(error = %e, "import stash");
    ServiceError::invalid("file", "the upload could not be kept on the server")
}

/// Keeps an upload and returns the id to confirm it with.
pub async fn stash(
    s: &Services,
    owner: PersonId,
    kind: ImportKind,
    filename: &str,
    bytes: &[u8],
) -> ServiceResult<String> {
    let dir = dir(s);
    tokio::fs::create_dir_all(&dir).await.map_err(io_error)?;
    sweep(s).await;
    let id = hex::encode(rand::random::<[u8; 16]>());
    let meta = Meta {
        owner: owner.0,
        kind: kind.code().into(),
        filename: super::clean_filename(filename),
        at: s.clock.now().0,
    };
    // The meta first: a sweep running meanwhile keeps a data file whose meta is fresh.
    let meta = serde_json::to_vec(&meta).unwrap_or_default();
    tokio::fs::write(dir.join(format!("{id}.meta")), meta).await.map_err(io_error)?;
    tokio::fs::write(dir.join(format!("{id}.data")), bytes).await.map_err(io_error)?;
    Ok(id)
}

/// The upload with this id, if it exists, is fresh and belongs to `owner`.
pub async fn unstash(s: &Services, owner: PersonId, id: &str) -> ServiceResult<Stashed> {
    if !valid_id(id) {
        return Err(ServiceError::NotFound);
    }
    let dir = dir(s);
    let meta = tokio::fs::read(dir.join(format!("{id}.meta"))).await.map_err(|_| ServiceError::NotFound)?;
    let meta: Meta = serde_json::from_slice(&meta).map_err(|_| ServiceError::NotFound)?;
    if meta.owner != owner.0 || s.clock.now().0 - meta.at > MAX_AGE_MS {
        return Err(ServiceError::NotFound);
    }
    let kind = ImportKind::parse(&meta.kind).ok_or(ServiceError::NotFound)?;
    let bytes = tokio::fs::read(dir.join(format!("{id}.data"))).await.map_err(|_| ServiceError::NotFound)?;
    Ok(Stashed { kind, filename: meta.filename, bytes })
}

pub async fn discard(s: &Services, id: &str) {
    if valid_id(id) {
        let dir = dir(s);
        let _ = tokio::fs::remove_file(dir.join(format!("{id}.data"))).await;
        let _ = tokio::fs::remove_file(dir.join(format!("{id}.meta"))).await;
    }
}

/// Removes uploads nobody confirmed within a day (and halves of interrupted writes).
async fn sweep(s: &Services) {
    let Ok(mut entries) = tokio::fs::read_dir(dir(s)).await else {
        return;
    };
    let now = s.clock.now().0;
    while let Ok(Some(e)) = entries.next_entry().await {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(id) = name.strip_suffix(".data").or_else(|| name.strip_suffix(".meta")) else {
            continue;
        };
        if !valid_id(id) {
            continue;
        }
        let meta = tokio::fs::read(e.path().with_extension("meta")).await.ok();
        let fresh =
            meta.and_then(|m| serde_json::from_slice::<Meta>(&m).ok()).is_some_and(|m| now - m.at <= MAX_AGE_MS);
        if !fresh {
            let _ = tokio::fs::remove_file(e.path()).await;
        }
    }
}
