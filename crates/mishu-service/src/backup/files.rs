//! The attachments of a backup: every stored file the database names (received documents'
//! files, archived files, materials, sealed copies) copied into `<backup>.files/` beside the
//! snapshot, with a manifest of SM3 digests so a restore proves every file identical before
//! it touches anything. Stored files are written once under a random key before the row
//! naming them commits, so copying after the snapshot finds every file the snapshot names
//! (except one destroyed in between, which the report counts).

use crate::db::Db;
use crate::{ServiceError, ServiceResult, args, files};
use sm3::{Digest, Sm3};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Every file key the database names.
const KEYS: &str = "SELECT storage_key FROM incoming_files
    UNION SELECT storage_key FROM archive_files WHERE storage_key IS NOT NULL
    UNION SELECT storage_key FROM materials WHERE storage_key IS NOT NULL
    UNION SELECT file_key FROM seal_signatures";

const MANIFEST: &str = "MANIFEST.sm3";

/// Where a backup's attachments go: `<backup>.files` beside it.
pub fn folder_of(backup: &Path) -> PathBuf {
    let mut name = backup.file_name().unwrap_or_default().to_os_string();
    name.push(".files");
    backup.with_file_name(name)
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Copied {
    pub files: usize,
    pub bytes: u64,
    /// Named by the database but gone from the data folder (destroyed after the snapshot).
    pub missing: usize,
}

pub async fn keys(db: &Db) -> ServiceResult<Vec<String>> {
    let rows: Vec<(String,)> = db.fetch_all(KEYS, args![]).await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

fn io(what: &Path, e: std::io::Error) -> ServiceError {
    ServiceError::invalid("out", format!("{}: {e}", what.display()))
}

fn digest(path: &Path) -> std::io::Result<(String, u64)> {
    let bytes = std::fs::read(path)?;
    Ok((hex::encode(Sm3::digest(&bytes)), bytes.len() as u64))
}

/// Copies the named files from `data_dir` into `to` (which must not exist), with a manifest.
pub(super) fn copy_out(data_dir: &Path, keys: &[String], to: &Path) -> ServiceResult<Copied> {
    std::fs::create_dir(to).map_err(|e| io(to, e))?;
    let mut manifest = String::new();
    let mut done = Copied::default();
    for key in keys {
        let (Some(from), Some(dest)) = (files::path_of(data_dir, key), files::path_of(to, key)) else {
            continue;
        };
        let (sum, size) = match digest(&from) {
            Ok(d) => d,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                done.missing += 1;
                continue;
            }
            Err(e) => return Err(io(&from, e)),
        };
        std::fs::create_dir_all(dest.parent().expect("a stored file has a folder")).map_err(|e| io(&dest, e))?;
        copy_durably(&from, &dest).map_err(|e| io(&dest, e))?;
        manifest.push_str(&format!("{sum} {size} {key}\n"));
        done.files += 1;
        done.bytes += size;
    }
    let path = to.join(MANIFEST);
    let mut f = std::fs::File::create(&path).map_err(|e| io(&path, e))?;
    f.write_all(manifest.as_bytes()).and_then(|()| f.sync_all()).map_err(|e| io(&path, e))?;
    sync_dirs(to, &written_dirs(to, keys)).map_err(|e| io(to, e))?;
    Ok(done)
}

/// Copies one file and fsyncs the copy: a backup reported done, or a restore the server
/// then runs on, must not lose its files to a power cut (T2).
fn copy_durably(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::copy(from, to)?;
    std::fs::File::open(to)?.sync_all()
}

/// The two folder levels the keys' files live in under `root`, deepest first.
fn written_dirs(root: &Path, keys: &[String]) -> Vec<std::path::PathBuf> {
    let mut dirs = std::collections::BTreeSet::new();
    for key in keys {
        if let Some(leaf) = files::path_of(root, key).as_deref().and_then(Path::parent) {
            dirs.insert((2, leaf.to_path_buf()));
            dirs.extend(leaf.parent().map(|p| (1, p.to_path_buf())));
        }
    }
    let mut v: Vec<(u8, std::path::PathBuf)> = dirs.into_iter().collect();
    v.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    v.into_iter().map(|(_, d)| d).collect()
}

/// Syncs each folder that received files (deepest first), then `root`'s `files/` and `root`
/// itself and its parent, so every new name is durable in its directory.
fn sync_dirs(root: &Path, dirs: &[std::path::PathBuf]) -> std::io::Result<()> {
    let top = root.join("files");
    for d in dirs.iter().chain([&top]) {
        match std::fs::File::open(d) {
            Ok(f) => f.sync_all()?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    std::fs::File::open(root)?.sync_all()?;
    match root.parent() {
        Some(p) if !p.as_os_str().is_empty() => std::fs::File::open(p)?.sync_all(),
        _ => Ok(()),
    }
}

/// One manifest line: (digest, size, key).
type Entry = (String, u64, String);

/// Reads the manifest and checks every file against it; answers the entries, or why the
/// attachments are damaged.
pub(super) fn verify(folder: &Path) -> Result<Vec<Entry>, String> {
    let text = std::fs::read_to_string(folder.join(MANIFEST)).map_err(|e| format!("{MANIFEST}: {e}"))?;
    let mut entries = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut parts = line.split(' ');
        let (Some(sum), Some(size), Some(key), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err(format!("{MANIFEST} line {}: unreadable", i + 1));
        };
        let size: u64 = size.parse().map_err(|_| format!("{MANIFEST} line {}: unreadable size", i + 1))?;
        let path = files::path_of(folder, key).ok_or_else(|| format!("{MANIFEST} line {}: not a file key", i + 1))?;
        match digest(&path) {
            Ok((s, n)) if s == sum && n == size => entries.push((sum.to_string(), size, key.to_string())),
            Ok(_) => return Err(format!("attachment {key} differs from the manifest")),
            Err(e) => return Err(format!("attachment {key}: {e}")),
        }
    }
    Ok(entries)
}

/// Puts the verified files into `data_dir`; a file already there under its key is kept
/// (keys are random and files never change, so it is the same file).
pub(super) fn copy_in(folder: &Path, entries: &[Entry], data_dir: &Path) -> ServiceResult<usize> {
    let mut copied = 0;
    for (_, _, key) in entries {
        let (Some(from), Some(dest)) = (files::path_of(folder, key), files::path_of(data_dir, key)) else {
            continue;
        };
        if dest.exists() {
            continue;
        }
        let fail = |e: std::io::Error| ServiceError::invalid("data", format!("{}: {e}", dest.display()));
        std::fs::create_dir_all(dest.parent().expect("a stored file has a folder")).map_err(fail)?;
        copy_durably(&from, &dest).map_err(fail)?;
        copied += 1;
    }
    let keys: Vec<String> = entries.iter().map(|e| e.2.clone()).collect();
    sync_dirs(data_dir, &written_dirs(data_dir, &keys))
        .map_err(|e| ServiceError::invalid("data", format!("{}: {e}", data_dir.display())))?;
    Ok(copied)
}

/// How many of `keys` have no file in `data_dir`.
pub(super) fn absent(data_dir: &Path, keys: &[String]) -> usize {
    keys.iter().filter(|k| files::path_of(data_dir, k).is_none_or(|p| !p.is_file())).count()
}
