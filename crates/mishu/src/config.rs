//! Effective configuration: built-in defaults < environment (`MISHU_…`) < command-line flags.
//! One typed struct, passed down; `mishu config show` prints it with secrets masked.

use mishu_service::db::{DbLocation, redact_url};
use serde::Serialize;
use std::path::PathBuf;

#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub data_dir: PathBuf,
    /// `postgres://…`; when absent the SQLite database in `data_dir` is used.
    #[serde(serialize_with = "masked_url")]
    pub database_url: Option<String>,
    pub listen: String,
    pub secure_cookies: bool,
    #[serde(serialize_with = "masked")]
    pub audit_key_hex: Option<String>,
    pub node_name: String,
}

fn masked_url<S: serde::Serializer>(v: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&v.as_deref().map(redact_url).unwrap_or_else(|| "(none: SQLite in the data folder)".into()))
}

fn masked<S: serde::Serializer>(v: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(if v.is_some() { "***" } else { "(from audit.key in the data folder)" })
}

impl Config {
    pub fn location(&self) -> anyhow::Result<DbLocation> {
        Ok(DbLocation::from_config(&self.data_dir, self.database_url.as_deref())?)
    }
}
