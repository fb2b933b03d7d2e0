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
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig { secure_cookies: true, node_name: "node".into() }
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
