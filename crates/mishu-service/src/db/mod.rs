//! The database: SQLite (embedded, default) or PostgreSQL, chosen at run time by URL, with
//! one SQL text for both. Stores write `$1, $2, …` placeholders numbered in order of first
//! appearance (SQLite treats `$N` as named parameters indexed by first appearance) and pass
//! values as `Arg`s; rows decode into structs that derive `sqlx::FromRow` for both backends.

use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous};
use sqlx::{AssertSqlSafe, Connection, FromRow, PgPool, Postgres, Sqlite, SqlitePool, Transaction};
use std::str::FromStr;
use std::time::Duration;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum DbError {
    #[error("database: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(
        "database: `{0}` is not usable. Accepted: a data folder (--data DIR, SQLite inside it) or a URL starting with postgres:// or postgresql://"
    )]
    BadLocation(String),
    /// Reading or writing a stored file (an attachment, a scan, a sealed copy). It travels
    /// with database errors because a failed file write rolls its transaction back the same way.
    #[error("stored files: {0}")]
    Files(std::io::Error),
}

impl DbError {
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, DbError::Sqlx(e) if e.as_database_error().is_some_and(|d| d.is_unique_violation()))
    }

    /// A row that an exclusion rule refuses: PostgreSQL's `exclusion_violation` (23P01), or a
    /// SQLite trigger standing in for one, which aborts with the constraint's name
    /// (`room_bookings_no_overlap`, migration 0021).
    pub fn is_exclusion_violation(&self) -> bool {
        matches!(self, DbError::Sqlx(e) if e.as_database_error().is_some_and(|d| {
            d.code().as_deref() == Some("23P01") || d.message().contains("_no_overlap")
        }))
    }

    /// The disk (or the database's quota) is full: SQLite's SQLITE_FULL (13), PostgreSQL's
    /// `disk_full` (53100), or ENOSPC from writing an attachment. Nothing was stored (the
    /// transaction rolled back), and the operator, not the user, must act.
    pub fn is_storage_full(&self) -> bool {
        match self {
            DbError::Files(e) | DbError::Sqlx(sqlx::Error::Io(e)) => is_enospc(e),
            DbError::Sqlx(e) => e.as_database_error().is_some_and(|d| {
                matches!(d.code().as_deref(), Some("13" | "53100")) || d.message().contains("database or disk is full")
            }),
            _ => false,
        }
    }
}

/// ENOSPC (and EDQUOT, a quota that is full) as Linux reports it.
fn is_enospc(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::StorageFull || matches!(e.raw_os_error(), Some(28 | 122))
}

pub type DbResult<T> = Result<T, DbError>;

mod arg;
mod location;
pub use arg::Arg;
pub use location::{DbLocation, redact_url};

/// `args![a, b, c]` → `Vec<Arg>`.
#[macro_export]
macro_rules! args {
    () => { Vec::<$crate::db::Arg>::new() };
    ($($e:expr),+ $(,)?) => { vec![$($crate::db::Arg::from($e)),+] };
}

/// Rows that decode on both backends.
pub trait Row: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}
impl<T> Row for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}

macro_rules! bind_all {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                Arg::I64(v) => q.bind(v),
                Arg::Text(v) => q.bind(v),
                Arg::Bool(v) => q.bind(v),
            };
        }
        q
    }};
}

#[cfg(debug_assertions)]
fn check_placeholders(sql: &str) {
    let bytes = sql.as_bytes();
    let mut next = 1u32;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' {
            let digits: String = sql[i + 1..].chars().take_while(char::is_ascii_digit).collect();
            if let Ok(n) = digits.parse::<u32>() {
                assert!(n <= next, "placeholder ${n} appears before ${next} in: {sql}");
                if n == next {
                    next += 1;
                }
            }
            i += digits.len();
        }
        i += 1;
    }
}
#[cfg(not(debug_assertions))]
fn check_placeholders(_sql: &str) {}

/// The same three operations on a pool or inside a transaction.
macro_rules! run_ops {
    ($sqlite:expr, $pg:expr, $sql:expr, $args:expr, $op:ident) => {{
        check_placeholders($sql);
        let sql = AssertSqlSafe($sql.to_owned());
        match ($sqlite, $pg) {
            (Some(c), _) => run_ops!(@one sqlx::Sqlite, c, sql, $args, $op),
            (_, Some(c)) => run_ops!(@one sqlx::Postgres, c, sql, $args, $op),
            _ => unreachable!(),
        }
    }};
    (@one $db:ty, $c:expr, $sql:expr, $args:expr, execute) => {
        bind_all!(sqlx::query::<$db>($sql), $args).execute($c).await.map(|r| r.rows_affected()).map_err(DbError::from)
    };
    (@one $db:ty, $c:expr, $sql:expr, $args:expr, fetch_all) => {
        bind_all!(sqlx::query_as::<$db, T>($sql), $args).fetch_all($c).await.map_err(DbError::from)
    };
    (@one $db:ty, $c:expr, $sql:expr, $args:expr, fetch_optional) => {
        bind_all!(sqlx::query_as::<$db, T>($sql), $args).fetch_optional($c).await.map_err(DbError::from)
    };
}

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Db {
    /// Opens the database. A SQLite data folder must exist (or be creatable) and be writable;
    /// `create` allows making a new database file (serve/migrate/demo), others need one already.
    pub async fn connect(loc: &DbLocation, create: bool) -> DbResult<Db> {
        match loc {
            DbLocation::SqliteFolder(dir) => {
                if create {
                    std::fs::create_dir_all(dir)
                        .map_err(|e| DbError::BadLocation(format!("{} ({e})", dir.display())))?;
                }
                let file = dir.join("mishu.db");
                if !create && !file.exists() {
                    return Err(DbError::BadLocation(format!(
                        "{} (no database there yet; run `mishu migrate` or `mishu serve`)",
                        file.display()
                    )));
                }
                let opts = SqliteConnectOptions::new()
                    .filename(&file)
                    .create_if_missing(create)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full)
                    .busy_timeout(Duration::from_secs(10))
                    .foreign_keys(true)
                    // Deleted rows are overwritten, not left in freed cells of a file that
                    // backups copy (T16 residual information).
                    .pragma("secure_delete", "ON");
                let pool = SqlitePoolOptions::new()
                    .max_connections(8)
                    // A COMMIT that fails (SQLITE_FULL, an I/O error) may be rolled back by
                    // SQLite itself; sqlx's cleanup ROLLBACK then fails and leaves the
                    // connection marked "inside a transaction" (or its worker stopped). Such a
                    // connection must not serve again: the ping waits for that cleanup, and a
                    // connection still in a transaction is closed instead of pooled.
                    .after_release(|conn, _meta| {
                        Box::pin(async move {
                            // The usual release: no transaction left, nothing to wait for
                            // (a ping is a round trip to the connection's thread).
                            if !conn.is_in_transaction() {
                                return Ok(true);
                            }
                            conn.ping().await?;
                            Ok(!conn.is_in_transaction())
                        })
                    })
                    .connect_with(opts)
                    .await
                    .map_err(|e| DbError::BadLocation(format!("{} ({e})", file.display())))?;
                Ok(Db::Sqlite(pool))
            }
            DbLocation::Postgres(url) => {
                let opts = PgConnectOptions::from_str(url).map_err(|_| DbError::BadLocation(redact_url(url)))?;
                let pool = PgPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(opts)
                    .await?;
                Ok(Db::Postgres(pool))
            }
        }
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    pub async fn migrate(&self) -> DbResult<()> {
        match self {
            Db::Sqlite(p) => SQLITE_MIGRATOR.run(p).await?,
            Db::Postgres(p) => POSTGRES_MIGRATOR.run(p).await?,
        }
        Ok(())
    }

    /// A write transaction. On SQLite it takes the write lock up front (`BEGIN IMMEDIATE`),
    /// so a read-then-write never fails on a snapshot conflict; waits go to the busy timeout.
    pub async fn begin(&self) -> DbResult<Tx> {
        Ok(match self {
            Db::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    pub async fn execute(&self, sql: &str, args: Vec<Arg>) -> DbResult<u64> {
        let (s, p) = match self {
            Db::Sqlite(p) => (Some(p), None),
            Db::Postgres(p) => (None, Some(p)),
        };
        run_ops!(s, p, sql, args, execute)
    }

    pub async fn fetch_all<T: Row>(&self, sql: &str, args: Vec<Arg>) -> DbResult<Vec<T>> {
        let (s, p) = match self {
            Db::Sqlite(p) => (Some(p), None),
            Db::Postgres(p) => (None, Some(p)),
        };
        run_ops!(s, p, sql, args, fetch_all)
    }

    pub async fn fetch_optional<T: Row>(&self, sql: &str, args: Vec<Arg>) -> DbResult<Option<T>> {
        let (s, p) = match self {
            Db::Sqlite(p) => (Some(p), None),
            Db::Postgres(p) => (None, Some(p)),
        };
        run_ops!(s, p, sql, args, fetch_optional)
    }

    pub async fn fetch_one<T: Row>(&self, sql: &str, args: Vec<Arg>) -> DbResult<T> {
        self.fetch_optional(sql, args).await?.ok_or(DbError::Sqlx(sqlx::Error::RowNotFound))
    }

    /// `SELECT 1`: the health check.
    pub async fn ping(&self) -> DbResult<()> {
        self.fetch_one::<(i64,)>("SELECT CAST(1 AS BIGINT)", vec![]).await.map(|_| ())
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite(p) => p.close().await,
            Db::Postgres(p) => p.close().await,
        }
    }
}

impl Tx {
    pub async fn execute(&mut self, sql: &str, args: Vec<Arg>) -> DbResult<u64> {
        let (s, p) = match self {
            Tx::Sqlite(t) => (Some(&mut **t), None),
            Tx::Postgres(t) => (None, Some(&mut **t)),
        };
        run_ops!(s, p, sql, args, execute)
    }

    pub async fn fetch_all<T: Row>(&mut self, sql: &str, args: Vec<Arg>) -> DbResult<Vec<T>> {
        let (s, p) = match self {
            Tx::Sqlite(t) => (Some(&mut **t), None),
            Tx::Postgres(t) => (None, Some(&mut **t)),
        };
        run_ops!(s, p, sql, args, fetch_all)
    }

    pub async fn fetch_optional<T: Row>(&mut self, sql: &str, args: Vec<Arg>) -> DbResult<Option<T>> {
        let (s, p) = match self {
            Tx::Sqlite(t) => (Some(&mut **t), None),
            Tx::Postgres(t) => (None, Some(&mut **t)),
        };
        run_ops!(s, p, sql, args, fetch_optional)
    }

    pub async fn fetch_one<T: Row>(&mut self, sql: &str, args: Vec<Arg>) -> DbResult<T> {
        self.fetch_optional(sql, args).await?.ok_or(DbError::Sqlx(sqlx::Error::RowNotFound))
    }

    /// Inserts and returns the new row's id (`RETURNING` works on both backends).
    pub async fn insert_returning_id(&mut self, sql: &str, args: Vec<Arg>) -> DbResult<i64> {
        self.fetch_one::<(i64,)>(sql, args).await.map(|r| r.0)
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Tx::Postgres(_))
    }

    pub async fn commit(self) -> DbResult<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enospc_from_a_stored_file_write_is_storage_full() {
        let full = DbError::Files(std::io::Error::from_raw_os_error(28));
        assert!(full.is_storage_full());
        assert!(full.to_string().starts_with("stored files:"), "not called a database error: {full}");
        let other = DbError::Files(std::io::Error::from_raw_os_error(13));
        assert!(!other.is_storage_full(), "permission denied is not a full disk");
        assert!(!DbError::BadLocation("x".into()).is_storage_full());
    }

    /// SQLite's own "database or disk is full", forced with `max_page_count` on one connection.
    #[tokio::test]
    async fn sqlite_full_is_storage_full_and_rolls_back() {
        let dir = tempfile::tempdir().unwrap();
        let opts = SqliteConnectOptions::new().filename(dir.path().join("f.db")).create_if_missing(true);
        let pool = SqlitePoolOptions::new().max_connections(1).connect_with(opts).await.unwrap();
        let db = Db::Sqlite(pool);
        db.execute("CREATE TABLE t (v TEXT NOT NULL)", vec![]).await.unwrap();
        let (pages,): (i64,) = db.fetch_one("PRAGMA page_count", vec![]).await.unwrap();
        db.execute(&format!("PRAGMA max_page_count = {}", pages + 2), vec![]).await.unwrap();
        let mut err = None;
        for _ in 0..100 {
            if let Err(e) = db.execute("INSERT INTO t (v) VALUES ($1)", vec![Arg::Text(Some("x".repeat(4000)))]).await {
                err = Some(e);
                break;
            }
        }
        let err = err.expect("the page limit is reached");
        assert!(err.is_storage_full(), "{err:?}");
        assert!(!err.is_unique_violation());
        let (check,): (String,) = db.fetch_one("PRAGMA integrity_check", vec![]).await.unwrap();
        assert_eq!(check, "ok");
    }

    #[test]
    #[should_panic(expected = "placeholder $2 appears before $1")]
    fn placeholders_out_of_order_are_caught() {
        check_placeholders("SELECT * FROM t WHERE a = $2 AND b = $1");
    }
}
