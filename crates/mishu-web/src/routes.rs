//! Every route of the application, registered through `Routes` so the policy table can be
//! checked against the real list (see `policy::tests`). A route missing from the policy is denied.

use crate::{
    AppState, WebConfig, admin, api, archives, assets, audit, inbox, incoming, leader_tasks, meetings, middleware,
    outgoing, pages, policy, seals, search, security,
};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{MethodFilter, on};
use mishu_service::Services;
use std::sync::Arc;

/// A router that remembers what it registered.
pub struct Routes {
    router: Router<AppState>,
    pub registered: Vec<(Method, &'static str)>,
}

impl Routes {
    fn new() -> Self {
        Routes { router: Router::new(), registered: Vec::new() }
    }

    pub fn get<H, T>(self, path: &'static str, h: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(Method::GET, MethodFilter::GET, path, h)
    }

    pub fn post<H, T>(self, path: &'static str, h: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(Method::POST, MethodFilter::POST, path, h)
    }

    fn add<H, T>(mut self, m: Method, f: MethodFilter, path: &'static str, h: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.registered.push((m, path));
        self.router = self.router.route(path, on(f, h));
        self
    }
}

/// All routes, grouped by domain; each domain module adds its own.
pub fn all() -> Routes {
    let r = Routes::new();
    let r = pages::routes(r);
    let r = assets::routes(r);
    let r = inbox::routes(r);
    let r = leader_tasks::routes(r);
    let r = audit::routes(r);
    let r = security::routes(r);
    let r = admin::routes(r);
    let r = incoming::routes(r);
    let r = outgoing::routes(r);
    let r = seals::routes(r);
    let r = meetings::routes(r);
    let r = archives::routes(r);
    let r = search::routes(r);
    let r = crate::picker::routes(r);
    api::routes(r)
}

pub fn build(services: Services, config: WebConfig) -> Router {
    build_from(all(), services, config)
}

/// Serves `routes` behind the whole pipeline. Tests pass `all()` plus a route the policy
/// does not know, to see it denied.
pub fn build_from(routes: Routes, services: Services, config: WebConfig) -> Router {
    let table = policy::PolicyTable::for_routes(&routes.registered);
    let state = AppState { services, config: Arc::new(config), policy: Arc::new(table) };
    middleware::wrap(routes.router, state.clone())
        .layer(DefaultBodyLimit::max(crate::middleware::MAX_BODY_BYTES))
        .with_state(state)
}
