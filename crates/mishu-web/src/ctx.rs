//! What every handler knows about the request: who (if anyone) is signed in, acting for
//! whom, in which language, the CSRF token for forms, and where the request came from.

use crate::error::AppError;
use crate::i18n::{self, Locale};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use mishu_domain::access::Actor;
use mishu_service::auth::Session;

#[derive(Clone, Debug)]
pub struct Ctx {
    pub locale: Locale,
    pub session: Option<Session>,
    pub actor: Option<Actor>,
    /// The name of the person being acted for, shown in the header.
    pub acting_for_name: Option<String>,
    /// The token forms carry: the session's, or the anonymous pre-session one.
    pub csrf: String,
    pub source_ip: String,
    /// Authenticated by an API token (no cookie, no CSRF).
    pub via_token: bool,
    /// The request's path and query: where to come back to after sign-in or a language switch.
    pub path: String,
}

impl Ctx {
    pub fn t(&self, key: &str) -> &'static str {
        i18n::t(self.locale, key)
    }
    pub fn tf(&self, key: &str, args: &[(&str, &str)]) -> String {
        i18n::tf(self.locale, key, args)
    }
    /// A key built from a prefix and a stored code: `tk("kind", "read")` → `kind.read`;
    /// a prefix ending in `_` joins without a dot (`leader_tasks.state_` + `given`).
    pub fn tk(&self, prefix: &str, code: &str) -> &'static str {
        let key = if prefix.ends_with('_') { format!("{prefix}{code}") } else { format!("{prefix}.{code}") };
        i18n::t(self.locale, &key)
    }
    /// One placeholder, any displayable value (templates cannot build slices of pairs).
    pub fn tf1(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        i18n::tf(self.locale, key, &[(name, &value.to_string())])
    }
    /// A count from a query that stops at `COUNT_CAP`: "999+" once it is reached.
    pub fn count(&self, n: &i64) -> String {
        let cap = mishu_service::tasks::COUNT_CAP;
        if *n >= cap { format!("{}+", cap - 1) } else { n.to_string() }
    }
    pub fn lang(&self) -> &'static str {
        self.locale.code()
    }
    pub fn acting_banner(&self) -> String {
        self.tf("nav.acting_for", &[("name", self.acting_for_name.as_deref().unwrap_or(""))])
    }
    pub fn user_name(&self) -> &str {
        self.actor.as_ref().map_or("", |a| a.name.as_str())
    }
    pub fn is_business(&self) -> bool {
        self.actor.as_ref().is_some_and(Actor::is_business_user)
    }
    pub fn admin_code(&self) -> &'static str {
        self.actor.as_ref().and_then(|a| a.admin).map_or("", |a| a.code())
    }
    /// The signed-in person holds a role (by its code), for forms only some roles may use;
    /// the service decides again.
    pub fn has_role(&self, code: &str) -> bool {
        self.actor.as_ref().is_some_and(|a| a.is_business_user() && a.roles.iter().any(|(r, _)| r.code() == code))
    }
    pub fn can(&self, cap: &str) -> bool {
        use mishu_domain::access::Capability::*;
        let c = match cap {
            "give_leader_task" => GiveLeaderTask,
            "manage_calendar" => ManageCalendar,
            "register_incoming" => RegisterIncoming,
            "manage_seals" => ManageSeals,
            "keep_seal" => KeepSeal,
            "manage_archives" => ManageArchives,
            "keep_chronicle" => KeepChronicle,
            "admin_org" => AdminOrg,
            "admin_security" => AdminSecurity,
            "admin_audit" => AdminAudit,
            "inbox" => Inbox,
            _ => return false,
        };
        mishu_domain::access::allows(self.actor.as_ref(), c)
    }
    /// Formats a Unix-ms instant in office time.
    pub fn time(&self, ms: &i64) -> String {
        mishu_domain::Timestamp(*ms).local_display()
    }
    pub fn time_opt(&self, ms: &Option<i64>) -> String {
        ms.map(|m| self.time(&m)).unwrap_or_default()
    }
    /// "3 天后到期" / "已超期 2 小时" style wording for a remaining time.
    pub fn left(&self, ms_left: &Option<i64>) -> String {
        let Some(ms) = *ms_left else { return self.t("inbox.no_deadline").to_string() };
        let abs = ms.unsigned_abs() / 60_000;
        let span = if abs >= 2 * 24 * 60 {
            self.tf("time.days", &[("n", &(abs / (24 * 60)).to_string())])
        } else if abs >= 60 {
            self.tf("time.hours", &[("n", &(abs / 60).to_string())])
        } else {
            self.tf("time.minutes", &[("n", &abs.max(1).to_string())])
        };
        if ms < 0 { self.tf("inbox.overdue_by", &[("t", &span)]) } else { self.tf("inbox.due_in", &[("t", &span)]) }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Ctx>().cloned().ok_or(AppError::Unauthenticated)
    }
}

/// A signed-in person; the policy layer has already checked the route's capability.
#[derive(Clone, Debug)]
pub struct User {
    pub ctx: Ctx,
    pub actor: Actor,
    pub session: Option<Session>,
}

impl<S: Send + Sync> FromRequestParts<S> for User {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, s).await?;
        let actor = ctx.actor.clone().ok_or(AppError::Unauthenticated)?;
        Ok(User { session: ctx.session.clone(), actor, ctx })
    }
}
