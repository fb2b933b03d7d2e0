//! Mishu's web layer: server-rendered pages and the JSON API over the same services,
//! one access policy in front of every route, errors turned into HTML or JSON in one place.

pub mod admin;
pub mod api;
pub mod archives;
pub mod assets;
pub mod audit;
pub mod ctx;
pub mod error;
pub mod i18n;
pub mod inbox;
pub mod incoming;
pub mod leader_tasks;
pub mod meetings;
pub mod middleware;
pub mod outgoing;
pub mod pages;
pub mod picker;
pub mod policy;
pub mod routes;
pub mod seals;
pub mod search;
pub mod security;
pub mod session;

use axum::Router;
use mishu_service::Services;
use std::sync::Arc;

/// Settings of the web layer that come from the command line or config.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Mark cookies `Secure` (and use the `__Host-` prefix). Off only for plain-HTTP local trials.
    pub secure_cookies: bool,
    /// The node's name, used for job leases.
    pub node_name: String,
    /// The address people reach the site at (`https://oa.example.edu.cn`), for links used
    /// outside the browser: check-in QR codes and calendar feeds. None: taken from the
    /// request's Host, which behind a proxy that rewrites it may not be what phones reach.
    pub public_url: Option<PublicUrl>,
}

/// A site address checked once at start-up: http or https, a host, no path, query or
/// fragment, no trailing slash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicUrl(String);

impl PublicUrl {
    pub fn parse(raw: &str) -> Result<PublicUrl, String> {
        let t = raw.trim().trim_end_matches('/');
        let rest = t.strip_prefix("https://").or_else(|| t.strip_prefix("http://"));
        let Some(host) = rest else {
            return Err(format!("`{raw}` must start with https:// or http://"));
        };
        let ok = |c: char| c.is_ascii_alphanumeric() || "-.:[]".contains(c);
        if host.is_empty() || !host.chars().all(ok) {
            return Err(format!("`{raw}` must be scheme://host[:port] with no path, query or user"));
        }
        Ok(PublicUrl(t.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig { secure_cookies: true, node_name: "node".into(), public_url: None }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub services: Services,
    pub config: Arc<WebConfig>,
    pub policy: Arc<policy::PolicyTable>,
}

/// The whole application: every route, behind the policy, sessions, CSRF and headers.
pub fn app(services: Services, config: WebConfig) -> Router {
    routes::build(services, config)
}

#[cfg(test)]
mod tests {
    use super::PublicUrl;

    #[test]
    fn a_public_url_is_scheme_and_host_only() {
        assert_eq!(PublicUrl::parse("https://oa.example.edu.cn/").unwrap().as_str(), "https://oa.example.edu.cn");
        assert_eq!(PublicUrl::parse(" http://10.0.0.5:8080 ").unwrap().as_str(), "http://10.0.0.5:8080");
        for bad in
            ["oa.example.edu.cn", "ftp://x", "https://", "https://a/b", "https://u@a", "https://a?x=1", "https://a b"]
        {
            assert!(PublicUrl::parse(bad).is_err(), "{bad}");
        }
    }
}
