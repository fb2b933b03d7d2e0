//! Backups. SQLite: a consistent snapshot with `VACUUM INTO` while the server runs, and the
//! attachments it names copied beside it with a manifest (`files`). PostgreSQL: the
//! operator's `pg_dump` (documented in the README), since a cluster's backup belongs to its
//! database administrators and their tooling.

mod files;

use crate::db::{Db, DbLocation};
use crate::{ServiceError, ServiceResult};
use std::path::Path;

pub use files::{Copied, folder_of as files_folder, keys as stored_keys};

/// What a backup wrote.
#[derive(Debug, Clone, Copy)]
pub struct BackupReport {
    /// Size of the database snapshot.
    pub bytes: u64,
    pub files: files::Copied,
}

/// What a restore put back.
#[derive(Debug, Clone, Copy)]
pub struct RestoreReport {
    /// Attachments copied into the data folder.
    pub files: usize,
    /// Attachments the restored database names that the data folder does not have (none
    /// when the backup's attachment folder was beside it).
    pub missing: usize,
    /// The backup had no attachment folder beside it (an older backup, or one moved alone).
    pub without_files: bool,
}

/// Writes the snapshot to `out` and the attachments into `<out>.files/`; neither may exist.
pub async fn backup(db: &Db, data_dir: &Path, out: &Path) -> ServiceResult<BackupReport> {
    match db {
        Db::Sqlite(_) => {
            let folder = files::folder_of(out);
            for p in [out, folder.as_path()] {
                if p.exists() {
                    return Err(ServiceError::invalid(
                        "out",
                        format!("{} already exists; choose a new file", p.display()),
                    ));
                }
            }
            let target = out.to_str().ok_or_else(|| ServiceError::invalid("out", "path is not UTF-8"))?;
            // VACUUM INTO takes a string literal, not a bound parameter; quotes are doubled.
            let sql = format!("VACUUM INTO '{}'", target.replace('\'', "''"));
            db.execute(&sql, vec![]).await?;
            let bytes = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
            // After the snapshot: every file it names was written before its row committed.
            let keys = files::keys(db).await?;
            let (data_dir, folder2) = (data_dir.to_path_buf(), folder.clone());
            let copied = tokio::task::spawn_blocking(move || files::copy_out(&data_dir, &keys, &folder2))
                .await
                .map_err(|e| ServiceError::Conflict(format!("backup stopped: {e}")))??;
            Ok(BackupReport { bytes, files: copied })
        }
        Db::Postgres(_) => Err(ServiceError::invalid(
            "database",
            "PostgreSQL is backed up with pg_dump: pg_dump --format=custom --file=mishu.dump \"$MISHU_DATABASE_URL\" (restore with pg_restore --clean --dbname=…)",
        )),
    }
}

/// Puts a SQLite backup in place of the data folder's database and its attachments into the
/// data folder's files. The server must be stopped; the current database is kept beside it
/// as `mishu.db.before-restore`. Attachments that differ from the backup's manifest refuse
/// the whole restore before anything is touched.
pub async fn restore(loc: &DbLocation, from: &Path) -> ServiceResult<RestoreReport> {
    let DbLocation::SqliteFolder(dir) = loc else {
        return Err(ServiceError::invalid("database", "PostgreSQL is restored with pg_restore"));
    };
    if !from.is_file() {
        return Err(ServiceError::invalid("from", format!("{} is not a file", from.display())));
    }
    // Check the file really is a Mishu database before touching anything.
    let probe_dir = tempdir_beside(dir)?;
    std::fs::copy(from, probe_dir.join("mishu.db")).map_err(|e| ServiceError::invalid("from", e.to_string()))?;
    let refuse = |why: String| {
        let _ = std::fs::remove_dir_all(&probe_dir);
        Err(ServiceError::invalid("from", why))
    };
    let probe = match Db::connect(&DbLocation::SqliteFolder(probe_dir.clone()), false).await {
        Ok(p) => p,
        Err(_) => return refuse("not a Mishu database".into()),
    };
    let ok: Result<(i64,), _> = probe.fetch_one("SELECT COUNT(*) FROM audit_head", vec![]).await;
    let named = files::keys(&probe).await;
    // A damaged file can still answer one query: every page must be sound before it replaces
    // the database (T14: a corrupted backup is refused, the current database left alone).
    let check: Result<Vec<(String,)>, _> = probe.fetch_all("PRAGMA integrity_check", vec![]).await;
    probe.close().await;
    if ok.is_err() {
        return refuse("not a Mishu database".into());
    }
    match check {
        Ok(rows) if rows.len() == 1 && rows[0].0 == "ok" => {}
        Ok(rows) => {
            let first: Vec<&str> = rows.iter().take(3).map(|r| r.0.as_str()).collect();
            return refuse(format!(
                "the backup is damaged (integrity check: {}); nothing was restored",
                first.join("; ")
            ));
        }
        Err(e) => return refuse(format!("the backup is damaged ({e}); nothing was restored")),
    }
    let Ok(named) = named else {
        return refuse("not a Mishu database (it names no attachments table)".into());
    };
    let folder = files::folder_of(from);
    let entries = if folder.is_dir() {
        match files::verify(&folder) {
            Ok(e) => Some(e),
            Err(why) => return refuse(format!("the backup's attachments are damaged ({why}); nothing was restored")),
        }
    } else {
        None
    };
    std::fs::create_dir_all(dir).map_err(|e| ServiceError::invalid("data", e.to_string()))?;
    let current = dir.join("mishu.db");
    if current.exists() {
        // Fold the write-ahead log into the file first, so the copy kept aside is complete;
        // a busy checkpoint means a server still has it open.
        let db = Db::connect(loc, false).await?;
        let (busy, _, _): (i64, i64, i64) = db.fetch_one("PRAGMA wal_checkpoint(TRUNCATE)", vec![]).await?;
        db.close().await;
        if busy != 0 {
            let _ = std::fs::remove_dir_all(&probe_dir);
            return Err(ServiceError::Conflict("the database is in use: stop the server before restoring".into()));
        }
        std::fs::rename(&current, dir.join("mishu.db.before-restore"))
            .map_err(|e| ServiceError::invalid("data", e.to_string()))?;
    }
    for ext in ["mishu.db-wal", "mishu.db-shm"] {
        let _ = std::fs::remove_file(dir.join(ext));
    }
    std::fs::rename(probe_dir.join("mishu.db"), &current).map_err(|e| ServiceError::invalid("data", e.to_string()))?;
    let _ = std::fs::remove_dir_all(&probe_dir);
    let copied = match &entries {
        Some(e) => files::copy_in(&folder, e, dir)?,
        None => 0,
    };
    Ok(RestoreReport { files: copied, missing: files::absent(dir, &named), without_files: entries.is_none() })
}

fn tempdir_beside(dir: &Path) -> ServiceResult<std::path::PathBuf> {
    let p = dir.with_file_name(format!(".mishu-restore-{:x}", rand::random::<u32>()));
    std::fs::create_dir_all(&p).map_err(|e| ServiceError::invalid("data", e.to_string()))?;
    Ok(p)
}
