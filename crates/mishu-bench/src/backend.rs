//! The databases a run measures: a fresh SQLite data folder, and a fresh PostgreSQL database
//! when `MISHU_BENCH_POSTGRES_URL` is set (dropped again at the end), with their sizes.

use mishu_service::Services;
use mishu_service::clock::SystemClock;
use mishu_service::db::{Db, DbLocation};
use mishu_service::search::SearchIndex;
use std::path::PathBuf;
use std::sync::Arc;

pub struct Backend {
    pub services: Services,
    pub name: &'static str,
    /// Keeps the SQLite data folder (and the audit key) alive for the run.
    pub dir: tempfile::TempDir,
    /// `(admin URL, database name)` of a PostgreSQL database made for this run.
    pg_created: Option<(String, String)>,
}

impl Backend {
    /// `keep`: leave the data folder behind (printed), to look at query plans afterwards.
    pub async fn sqlite(keep: bool) -> anyhow::Result<Backend> {
        let mut dir = tempfile::Builder::new().prefix("mishu-bench-").tempdir()?;
        if keep {
            dir.disable_cleanup(true);
            eprintln!("sqlite data folder kept: {}", dir.path().display());
        }
        let db = Db::connect(&DbLocation::SqliteFolder(dir.path().to_path_buf()), true).await?;
        Backend::ready(db, "sqlite", dir, None).await
    }

    pub async fn postgres(base: &str) -> anyhow::Result<Backend> {
        let name = format!("mishu_bench_{:016x}", rand::random::<u64>());
        let admin = Db::connect(&DbLocation::Postgres(base.to_string()), false).await?;
        admin.execute(&format!("CREATE DATABASE {name}"), vec![]).await?;
        admin.close().await;
        let db = Db::connect(&DbLocation::Postgres(with_database(base, &name)), false).await?;
        let dir = tempfile::Builder::new().prefix("mishu-bench-").tempdir()?;
        Backend::ready(db, "postgres", dir, Some((base.to_string(), name))).await
    }

    async fn ready(
        db: Db,
        name: &'static str,
        dir: tempfile::TempDir,
        pg_created: Option<(String, String)>,
    ) -> anyhow::Result<Backend> {
        db.migrate().await?;
        let key = mishu_service::keys::load_or_create_audit_key(dir.path(), None)?;
        let mut services = Services::new(db, Arc::new(SystemClock), key, dir.path().to_path_buf());
        // On disk, as `mishu serve` opens it, not the in-memory default.
        services.search = Arc::new(SearchIndex::open(&dir.path().join("index"))?);
        Ok(Backend { services, name, dir, pg_created })
    }

    /// The same data opened a second time, as `mishu serve` opens it when it starts:
    /// connect, migrate (nothing to do), audit key, search index on disk.
    pub async fn reopen(&self) -> anyhow::Result<Services> {
        let db = match &self.pg_created {
            None => Db::connect(&DbLocation::SqliteFolder(self.dir.path().to_path_buf()), true).await?,
            Some((base, name)) => Db::connect(&DbLocation::Postgres(with_database(base, name)), false).await?,
        };
        db.migrate().await?;
        let key = mishu_service::keys::load_or_create_audit_key(self.dir.path(), None)?;
        let mut services = Services::new(db, Arc::new(SystemClock), key, self.dir.path().to_path_buf());
        services.search = Arc::new(SearchIndex::open(&self.dir.path().join("index"))?);
        Ok(services)
    }

    /// Bytes the data takes: the SQLite file after folding the WAL in, or the PostgreSQL
    /// database's size.
    pub async fn size_bytes(&self) -> anyhow::Result<i64> {
        match &self.services.db {
            Db::Sqlite(_) => {
                self.services.db.execute("PRAGMA wal_checkpoint(TRUNCATE)", vec![]).await?;
                let file: PathBuf = self.dir.path().join("mishu.db");
                Ok(std::fs::metadata(file)?.len() as i64)
            }
            Db::Postgres(_) => {
                let (n,): (i64,) =
                    self.services.db.fetch_one("SELECT pg_database_size(current_database())", vec![]).await?;
                Ok(n)
            }
        }
    }

    pub async fn close(self) {
        self.services.db.close().await;
        if let Some((base, name)) = self.pg_created
            && let Ok(admin) = Db::connect(&DbLocation::Postgres(base), false).await
        {
            if let Err(e) = admin.execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"), vec![]).await {
                eprintln!("could not drop {name}: {e}");
            }
            admin.close().await;
        }
    }
}

/// Replaces the database name in a PostgreSQL URL.
fn with_database(url: &str, name: &str) -> String {
    let (head, query) = url.split_once('?').map_or((url, None), |(h, q)| (h, Some(q)));
    let scheme_end = head.find("://").map_or(0, |i| i + 3);
    let base = head[scheme_end..].find('/').map_or(head, |slash| &head[..scheme_end + slash]);
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}
