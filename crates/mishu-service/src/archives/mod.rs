//! Archives (归档, R1.7; DA/T 22-2015): the archivist files finished items of every domain
//! as 件 with their files and route (`filing`, `sources`), keeps the catalogue (归档文件目录)
//! and the settings (全宗号, classes, default retention), lends items (`borrowing`), reviews
//! and destroys them with approval (`destruction`) and exports a transfer package
//! (`export`). The chronicle (大事记) and the materials library live beside it.

pub mod borrowing;
pub mod catalogue;
pub mod chronicle;
pub mod destruction;
pub mod export;
mod filing;
mod loans_store;
pub mod materials;
mod outgoing_source;
mod requests;
mod search;
pub mod sources;
mod store;

pub use filing::{Filable, FileRequest, ItemView, filable, file, filing_task, item, item_file};
pub use loans_store::BorrowingRow;
pub use requests::ask_for_filing;
pub(crate) use search::search_docs;
pub use sources::FilingSource;
pub use store::{ClassRow, DestructionRow, FileRow, ItemRow};

use crate::audit::{self, Origin};
use crate::db::Db;
use crate::{ServiceError, ServiceResult, Services, settings};
use mishu_domain::access::{Actor, Capability, allows};
use mishu_domain::archives::{self as rules, FondsCode, Retention};
use mishu_domain::audit::AuditEvent;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeMap;

/// Filed items' name in the audit log (and the spine's domain for loans).
pub const DOMAIN: &str = "archive_item";
pub const BORROWING_DOMAIN: &str = "archive_borrowing";
pub const DESTRUCTION_DOMAIN: &str = "archive_destruction";
const SETTINGS_KEY: &str = "archives";

/// The archivist's settings: the 全宗号 printed in every 档号 (empty = omitted, as some
/// directly affiliated units do) and the default retention per document type.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ArchiveSettings {
    #[serde(default)]
    pub fonds: String,
    /// 文种 code → retention code (Y/D30/D10); types not listed use the built-in default.
    #[serde(default)]
    pub retention: BTreeMap<String, String>,
}

impl ArchiveSettings {
    pub fn retention_for(&self, doc_type: &str) -> Retention {
        self.retention
            .get(doc_type)
            .and_then(|c| Retention::parse(c).ok())
            .unwrap_or_else(|| rules::default_retention(doc_type))
    }
    pub fn fonds_code(&self) -> Option<FondsCode> {
        FondsCode::parse(&self.fonds).ok()
    }
}

pub(crate) fn require_keeper(actor: &Actor) -> ServiceResult<()> {
    if allows(Some(actor), Capability::ManageArchives) { Ok(()) } else { Err(ServiceError::Forbidden) }
}

pub async fn load_settings(db: &Db) -> ServiceResult<ArchiveSettings> {
    Ok(settings::get(db, SETTINGS_KEY).await?)
}

/// Saves the 全宗号 and the default retention per type; each value is checked first.
pub async fn save_settings(
    s: &Services,
    actor: &Actor,
    fonds: &str,
    retention: &[(String, String)],
    source_ip: &str,
) -> ServiceResult<()> {
    require_keeper(actor)?;
    let fonds = fonds.trim();
    if !fonds.is_empty() {
        FondsCode::parse(fonds)?;
    }
    let mut map = BTreeMap::new();
    for (doc_type, code) in retention {
        if !rules::RETENTION_TYPES.contains(&doc_type.as_str()) {
            return Err(ServiceError::invalid("retention", format!("unknown document type `{doc_type}`")));
        }
        map.insert(doc_type.clone(), Retention::parse(code)?.code().to_string());
    }
    let value = ArchiveSettings { fonds: fonds.to_string(), retention: map };
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    settings::put(&mut tx, SETTINGS_KEY, &value, now).await?;
    let ev = AuditEvent::new("archive.settings_changed", DOMAIN, None, json!(value));
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &ev).await?;
    tx.commit().await?;
    Ok(())
}

/// The settings page: the settings and the classes (keepers only).
pub async fn settings_page(s: &Services, actor: &Actor) -> ServiceResult<(ArchiveSettings, Vec<ClassRow>)> {
    require_keeper(actor)?;
    Ok((load_settings(&s.db).await?, store::classes(&s.db).await?))
}

pub async fn classes(s: &Services) -> ServiceResult<Vec<ClassRow>> {
    Ok(store::classes(&s.db).await?)
}

/// Adds or renames a 机构(问题) class (办公室 = BGS).
pub async fn save_class(s: &Services, actor: &Actor, code: &str, name: &str, source_ip: &str) -> ServiceResult<()> {
    require_keeper(actor)?;
    let code = rules::validate_class_code(code)?;
    let name = rules::line(name, "class_name", 50)?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    store::upsert_class(&mut tx, &code, &name, now).await?;
    let ev = AuditEvent::new("archive.class_saved", DOMAIN, None, json!({"code": code, "name": name}));
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &ev).await?;
    tx.commit().await?;
    Ok(())
}
