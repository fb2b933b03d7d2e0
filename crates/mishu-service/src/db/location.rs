//! Where the data lives: a data folder (SQLite inside it) or a PostgreSQL URL, as the
//! operator gave it, checked once at start-up; URLs are shown with the password masked.

use super::{DbError, DbResult};
use sqlx::postgres::PgConnectOptions;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Where the data lives, as the operator gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DbLocation {
    /// `mishu.db` inside this folder; the folder also holds attachments and keys.
    SqliteFolder(PathBuf),
    Postgres(String),
}

impl DbLocation {
    /// A URL wins over the data folder. Only `postgres://` and `postgresql://` URLs are
    /// accepted: a typo never silently becomes an empty SQLite file somewhere else.
    pub fn from_config(data_dir: &Path, url: Option<&str>) -> DbResult<DbLocation> {
        match url.map(str::trim).filter(|u| !u.is_empty()) {
            Some(u) if u.starts_with("postgres://") || u.starts_with("postgresql://") => {
                PgConnectOptions::from_str(u).map_err(|_| DbError::BadLocation(redact_url(u)))?;
                Ok(DbLocation::Postgres(u.to_string()))
            }
            Some(u) => Err(DbError::BadLocation(redact_url(u))),
            None => Ok(DbLocation::SqliteFolder(data_dir.to_path_buf())),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            DbLocation::SqliteFolder(p) => format!("sqlite:{}", p.join("mishu.db").display()),
            DbLocation::Postgres(u) => redact_url(u),
        }
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub fn redact_url(u: &str) -> String {
    match (u.find("://"), u.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &u[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &u[..s + 3], &creds[..c], &u[at..]),
                None => u.to_string(),
            }
        }
        _ => u.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_accept_folders_and_postgres_only() {
        let dir = Path::new("/tmp/x");
        assert_eq!(DbLocation::from_config(dir, None).unwrap(), DbLocation::SqliteFolder(dir.into()));
        assert!(matches!(DbLocation::from_config(dir, Some("postgres://u:p@h/db")), Ok(DbLocation::Postgres(_))));
        let err = DbLocation::from_config(dir, Some("mysql://u:secret@h/db")).unwrap_err().to_string();
        assert!(err.contains("postgres://") && !err.contains("secret"), "{err}");
    }

    #[test]
    fn urls_are_redacted() {
        assert_eq!(redact_url("postgres://mishu:pw@db:5432/m"), "postgres://mishu:***@db:5432/m");
        assert_eq!(redact_url("postgres://db/m"), "postgres://db/m");
    }
}
