//! The materials library (R8.3; R2.2 step 2 "choose materials"): reference material with
//! tags, a source and a link or file, searchable by title or tag (plain SQL; the search
//! index will take it over), and offered to a draft's materials list through `as_draft_entry`.

use crate::audit::{self, Origin};
use crate::{ServiceError, ServiceResult, Services, args};
use mishu_domain::MaterialId;
use mishu_domain::access::Actor;
use mishu_domain::archives::materials;
use mishu_domain::audit::AuditEvent;
use serde::Serialize;
use serde_json::json;

pub const DOMAIN: &str = "material";

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct MaterialRow {
    pub material_id: i64,
    pub title: String,
    /// Stored as ",a,b,"; see `tag_list`.
    pub tags: String,
    pub source: String,
    pub link: String,
    pub summary: String,
    pub filename: Option<String>,
    pub added_by_name: String,
    pub added_at: i64,
}

impl MaterialRow {
    pub fn tag_list(&self) -> Vec<&str> {
        self.tags.split(',').filter(|t| !t.is_empty()).collect()
    }
}

/// One line of a draft's materials list (R2.2 step 2), as the outgoing domain keeps it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DraftMaterial {
    pub material_id: i64,
    pub title: String,
    pub source: String,
    pub link: String,
}

const SELECT: &str = "SELECT m.material_id, m.title, m.tags, m.source, m.link, m.summary, m.filename,
    p.name AS added_by_name, m.added_at FROM materials m JOIN people p ON p.person_id = m.added_by";

fn business(actor: &Actor) -> ServiceResult<()> {
    if actor.is_business_user() { Ok(()) } else { Err(ServiceError::Forbidden) }
}

/// Adds a material; any business user may contribute (R8.3: everyone accumulates).
#[allow(clippy::too_many_arguments)]
pub async fn add(
    s: &Services,
    actor: &Actor,
    title: &str,
    tags: &str,
    source: &str,
    link: &str,
    summary: &str,
    source_ip: &str,
) -> ServiceResult<MaterialId> {
    business(actor)?;
    let m = materials::validate(title, tags, source, link, summary)?;
    let tags = if m.tags.is_empty() { String::new() } else { format!(",{},", m.tags.join(",")) };
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let id = tx
        .insert_returning_id(
            "INSERT INTO materials (title, tags, source, link, summary, added_by, added_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING material_id",
            args![m.title.as_str(), tags, m.source.as_str(), m.link.as_str(), m.summary.as_str(), actor.person_id, now],
        )
        .await
        .map(MaterialId)?;
    let ev = AuditEvent::new("material.added", DOMAIN, Some(id.to_string()), json!({"title": m.title, "tags": m.tags}));
    audit::append(&mut tx, &s.audit_key, &Origin::of(actor, source_ip), now, &ev).await?;
    tx.commit().await?;
    Ok(id)
}

/// Materials whose title, summary or a tag contains the query (all when empty), newest first.
pub async fn search(s: &Services, actor: &Actor, q: &str) -> ServiceResult<Vec<MaterialRow>> {
    business(actor)?;
    let q = q.trim();
    if q.chars().count() > 100 || q.chars().any(char::is_control) {
        return Err(ServiceError::invalid("q", "at most 100 characters, no control characters"));
    }
    // LIKE wildcards typed by the user are taken literally.
    let escaped = q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    let pattern = format!("%{escaped}%");
    Ok(s.db
        .fetch_all(
            &format!(
                "{SELECT} WHERE m.title LIKE $1 ESCAPE '\\' OR m.tags LIKE $1 ESCAPE '\\' OR m.summary LIKE $1 ESCAPE '\\'
                 ORDER BY m.added_at DESC, m.material_id DESC LIMIT 200"
            ),
            args![pattern],
        )
        .await?)
}

pub async fn get(s: &Services, actor: &Actor, id: MaterialId) -> ServiceResult<MaterialRow> {
    business(actor)?;
    s.db.fetch_optional(&format!("{SELECT} WHERE m.material_id = $1"), args![id]).await?.ok_or(ServiceError::NotFound)
}

/// The "use in a draft" hook: the material as one line of a draft's materials list.
pub async fn as_draft_entry(s: &Services, actor: &Actor, id: MaterialId) -> ServiceResult<DraftMaterial> {
    let m = get(s, actor, id).await?;
    Ok(DraftMaterial { material_id: m.material_id, title: m.title, source: m.source, link: m.link })
}
