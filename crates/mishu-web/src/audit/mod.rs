//! The audit administrator's pages: browse and filter the log, export it as CSV, verify the
//! chain, and the retention period with its purge. Every one of these acts is itself audited
//! (by the services it calls).

mod check;
mod log;
mod retention;

use crate::error::{AppError, AppResult};
use crate::routes::Routes;
use mishu_service::audit::{AuditFilter, office_date_range};
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/admin/audit", log::list)
        .get("/admin/audit/export.csv", log::export_csv)
        .post("/admin/audit/verify", check::verify)
        .get("/admin/audit/retention", retention::page)
        .post("/admin/audit/retention", retention::set)
        .post("/admin/audit/purge", retention::purge)
}

/// The filter as the page's form and links carry it: all text, empty meaning "any".
#[derive(Deserialize, Default, Clone, Debug)]
pub struct FilterQuery {
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub action: String,
    /// Office dates, `YYYY-MM-DD`, both inclusive.
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// Paging: records older than this sequence number.
    #[serde(default)]
    pub before: String,
}

fn number(field: &'static str, raw: &str) -> AppResult<Option<i64>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    match raw.parse::<i64>() {
        Ok(n) if n > 0 => Ok(Some(n)),
        _ => Err(AppError::BadRequest { field, message: "expected a positive whole number".into() }),
    }
}

impl FilterQuery {
    /// The service filter; a bad value is a 4xx naming its field.
    pub fn filter(&self, limit: Option<i64>) -> AppResult<AuditFilter> {
        let (from, to) = office_date_range(&self.from, &self.to)?;
        let action = self.action.trim();
        if action.len() > 100 {
            return Err(AppError::BadRequest { field: "action", message: "at most 100 characters".into() });
        }
        Ok(AuditFilter {
            actor_id: number("actor", &self.actor)?,
            action_prefix: (!action.is_empty()).then(|| action.to_string()),
            from,
            to,
            limit,
            before_seq: number("before", &self.before)?,
        })
    }

    /// The filter as a query string (without `before`), for the export and paging links.
    pub fn query_string(&self) -> String {
        let enc =
            |v: &str| percent_encoding::utf8_percent_encode(v.trim(), percent_encoding::NON_ALPHANUMERIC).to_string();
        [("actor", &self.actor), ("action", &self.action), ("from", &self.from), ("to", &self.to)]
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| format!("{k}={}", enc(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(actor: &str, action: &str, from: &str, to: &str) -> FilterQuery {
        FilterQuery {
            actor: actor.into(),
            action: action.into(),
            from: from.into(),
            to: to.into(),
            before: String::new(),
        }
    }

    #[test]
    fn dates_are_office_days_with_an_exclusive_end() {
        let f = q("", "", "2026-11-27", "2026-11-27").filter(None).unwrap();
        let (from, to) = (f.from.unwrap(), f.to.unwrap());
        assert_eq!(to.0 - from.0, 86_400_000);
        assert_eq!(from.local_display(), "2026-11-27 00:00");
    }

    #[test]
    fn bad_values_name_their_field() {
        let field = |q: FilterQuery| match q.filter(None) {
            Err(AppError::BadRequest { field, .. }) => field,
            Err(AppError::Service(mishu_service::ServiceError::Invalid { field, .. })) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field(q("x", "", "", "")), "actor");
        assert_eq!(field(q("", "", "27/11/2026", "")), "from");
        assert_eq!(field(q("", "", "2026-11-28", "2026-11-27")), "to");
    }

    #[test]
    fn links_keep_the_filter_encoded() {
        assert_eq!(q("3", "auth.login", "", "").query_string(), "actor=3&action=auth%2Elogin");
        assert_eq!(q("", "", "", "").query_string(), "");
    }
}
