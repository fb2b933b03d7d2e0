//! Backups. SQLite: a consistent snapshot with `VACUUM INTO` while the server runs.
//! PostgreSQL: the operator's `pg_dump` (documented in the README), since a cluster's
//! backup belongs to its database administrators and their tooling.

use crate::db::{Db, DbLocation};
use crate::{ServiceError, ServiceResult};
use std::path::Path;

pub async fn backup(db: &Db, out: &Path) -> ServiceResult<u64> {
    match db {
        Db::Sqlite(_) => {
            if out.exists() {
                return Err(ServiceError::invalid(
                    "out",
                    format!("{} already exists; choose a new file", out.display()),
                ));
            }
            let target = out.to_str().ok_or_else(|| ServiceError::invalid("out", "path is not UTF-8"))?;
            // VACUUM INTO takes a string literal, not a bound parameter; quotes are doubled.
            let sql = format!("VACUUM INTO '{}'", target.replace('\'', "''"));
            db.execute(&sql, vec![]).await?;
            Ok(std::fs::metadata(out).map(|m| m.len()).unwrap_or(0))
        }
        Db::Postgres(_) => Err(ServiceError::invalid(
            "database",
            "PostgreSQL is backed up with pg_dump: pg_dump --format=custom --file=mishu.dump \"$MISHU_DATABASE_URL\" (restore with pg_restore --clean --dbname=…)",
        )),
    }
}

/// Puts a SQLite backup in place of the data folder's database. The server must be stopped;
/// the current database is kept beside it as `mishu.db.before-restore`.
pub async fn restore(loc: &DbLocation, from: &Path) -> ServiceResult<()> {
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
    Ok(())
}

fn tempdir_beside(dir: &Path) -> ServiceResult<std::path::PathBuf> {
    let p = dir.with_file_name(format!(".mishu-restore-{:x}", rand::random::<u32>()));
    std::fs::create_dir_all(&p).map_err(|e| ServiceError::invalid("data", e.to_string()))?;
    Ok(p)
}
