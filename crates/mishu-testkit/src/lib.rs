//! Test support: a fresh database on SQLite (always) and on PostgreSQL (when
//! `MISHU_TEST_POSTGRES_URL` is set, a new database per call), a fixed clock, and builders.

use mishu_domain::Timestamp;
use mishu_service::Services;
use mishu_service::clock::FixedClock;
use mishu_service::db::{Db, DbLocation};
use std::sync::Arc;

pub mod builders;

/// A small valid one-page PDF with a classic cross-reference table, as a scanner or an office
/// suite writes: what the seal tests sign and verify.
pub fn sample_pdf() -> Vec<u8> {
    let objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ];
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = vec![];
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(b"xref\n0 4\n0000000000 65535 f \n");
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(format!("trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes());
    out
}

/// 2026-11-27 09:00 +08:00, a Friday: the default "now" of tests.
pub const T0: Timestamp = Timestamp(1_795_741_200_000);

pub struct TestDb {
    pub db: Db,
    pub backend: &'static str,
    pub dir: tempfile::TempDir,
    /// (server URL, database name) of a PostgreSQL database this test created and drops.
    pg_created: Option<(String, String)>,
}

impl Drop for TestDb {
    /// Drops the test's PostgreSQL database so a long run does not fill the server. Runs on a
    /// thread of its own because `Drop` cannot await inside the test's runtime.
    fn drop(&mut self) {
        let Some((base, name)) = self.pg_created.take() else { return };
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            rt.block_on(async {
                match Db::connect(&DbLocation::Postgres(base), false).await {
                    Err(e) => eprintln!("testkit: could not connect to drop {name}: {e}"),
                    Ok(admin) => {
                        if let Err(e) =
                            admin.execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"), vec![]).await
                        {
                            eprintln!("testkit: could not drop {name}: {e}");
                        }
                        admin.close().await;
                    }
                }
            });
        })
        .join();
    }
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = Db::connect(&DbLocation::SqliteFolder(dir.path().to_path_buf()), true).await.expect("sqlite");
        db.migrate().await.expect("migrate sqlite");
        TestDb { db, backend: "sqlite", dir, pg_created: None }
    }

    /// A brand-new PostgreSQL database, or `None` when no server is configured.
    pub async fn postgres() -> Option<TestDb> {
        let base = std::env::var("MISHU_TEST_POSTGRES_URL").ok().filter(|u| !u.is_empty())?;
        let name = format!("mishu_t_{:016x}", rand::random::<u64>());
        let admin =
            Db::connect(&DbLocation::Postgres(base.clone()), false).await.expect("connect to MISHU_TEST_POSTGRES_URL");
        admin.execute(&format!("CREATE DATABASE {name}"), vec![]).await.expect("create test database");
        admin.close().await;
        let url = with_database(&base, &name);
        let pg_created = Some((base.clone(), name.clone()));
        let db = Db::connect(&DbLocation::Postgres(url), false).await.expect("connect to test database");
        db.migrate().await.expect("migrate postgres");
        Some(TestDb { db, backend: "postgres", dir: tempfile::tempdir().expect("temp dir"), pg_created })
    }

    /// SQLite, plus PostgreSQL when configured: run one test body on each.
    pub async fn all() -> Vec<TestDb> {
        let mut v = vec![TestDb::sqlite().await];
        if let Some(pg) = TestDb::postgres().await {
            v.push(pg);
        }
        v
    }

    /// Services over this database with a fixed clock at `T0` and a fixed audit key.
    pub fn services(&self) -> (Services, FixedClock) {
        let clock = FixedClock::at(T0);
        let s = Services::new(
            self.db.clone(),
            Arc::new(clock.clone()),
            b"test-audit-key-0123456789abcdef!".to_vec(),
            self.dir.path().to_path_buf(),
        );
        (s, clock)
    }
}

/// Creates a new, empty PostgreSQL database (`mishu_t_<random>`) on the server named by
/// `MISHU_TEST_POSTGRES_URL` and returns its URL; `None` when no server is configured.
/// Tests that drive the `mishu` binary pass this URL as `--database-url`.
/// A new, empty PostgreSQL database for a test that hands its URL to the binary; `.ci/run`
/// drops these at the end of a run.
pub async fn fresh_postgres_url() -> Option<String> {
    let base = std::env::var("MISHU_TEST_POSTGRES_URL").ok().filter(|u| !u.is_empty())?;
    let name = format!("mishu_t_{:016x}", rand::random::<u64>());
    let admin =
        Db::connect(&DbLocation::Postgres(base.clone()), false).await.expect("connect to MISHU_TEST_POSTGRES_URL");
    admin.execute(&format!("CREATE DATABASE {name}"), vec![]).await.expect("create test database");
    admin.close().await;
    Some(with_database(&base, &name))
}

/// Replaces the database name in a PostgreSQL URL.
pub fn with_database(url: &str, name: &str) -> String {
    let (head, query) = match url.split_once('?') {
        Some((h, q)) => (h, Some(q)),
        None => (url, None),
    };
    let scheme_end = head.find("://").map_or(0, |i| i + 3);
    let base = match head[scheme_end..].find('/') {
        Some(slash) => &head[..scheme_end + slash],
        None => head,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// The detail of every audit record about one subject, oldest first, one per line: what a
/// test greps for words that must (not) have been recorded.
pub async fn audit_details(s: &Services, subject_type: &str, subject_id: &str) -> String {
    let rows: Vec<(String,)> =
        s.db.fetch_all(
            "SELECT detail FROM audit_log WHERE subject_type = $1 AND subject_id = $2 ORDER BY seq",
            mishu_service::args![subject_type, subject_id],
        )
        .await
        .expect("audit records");
    rows.into_iter().map(|r| r.0).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_name_is_replaced() {
        assert_eq!(super::with_database("postgres://u@h:5432/test", "x"), "postgres://u@h:5432/x");
        assert_eq!(super::with_database("postgres://h/test?sslmode=disable", "x"), "postgres://h/x?sslmode=disable");
        assert_eq!(super::with_database("postgres://h", "x"), "postgres://h/x");
    }
}
