//! The measured requests, built once per run from the signed-in session: pages and API
//! calls of the D1 mix, each a `load::Scenario` the table, JSON and ratios pick up by name
//! (targets in `report::TARGETS`). Answers consume prepared leader tasks from one pool
//! shared by the growth probes and the main table.

use crate::corpus;
use crate::http::Request;
use crate::load::Scenario;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

pub struct Ctx {
    pub cookie: String,
    pub bearer: String,
    pub login: Request,
    pub pdfs: Arc<Vec<i64>>,
    answers: Arc<Vec<i64>>,
    answered: Arc<AtomicUsize>,
}

/// How long and how wide one scenario runs.
#[derive(Clone, Copy)]
pub struct Shape {
    pub connections: usize,
    pub duration: Duration,
}

fn scenario(
    name: &'static str,
    shape: Shape,
    max: u64,
    expect: u16,
    request: impl Fn(u64) -> Request + Send + Sync + 'static,
) -> Scenario {
    Scenario {
        name,
        connections: shape.connections,
        duration: shape.duration,
        max_requests: max,
        request: Arc::new(request),
        expect,
    }
}

impl Ctx {
    pub fn new(cookie: String, token: &str, login: Request, pdfs: Vec<i64>, answers: Vec<i64>) -> Ctx {
        Ctx {
            cookie,
            bearer: format!("Bearer {token}"),
            login,
            pdfs: Arc::new(pdfs),
            answers: Arc::new(answers),
            answered: Arc::default(),
        }
    }

    fn page(&self, name: &'static str, shape: Shape, path: impl Fn(u64) -> String + Send + Sync + 'static) -> Scenario {
        let cookie = self.cookie.clone();
        scenario(name, shape, u64::MAX, 200, move |n| Request::get(path(n)).header("Cookie", cookie.clone()))
    }

    fn api(&self, name: &'static str, shape: Shape, path: impl Fn(u64) -> String + Send + Sync + 'static) -> Scenario {
        let bearer = self.bearer.clone();
        scenario(name, shape, u64::MAX, 200, move |n| Request::get(path(n)).header("Authorization", bearer.clone()))
    }

    /// `/healthz`: the hello-world route compiled into the same binary (one `SELECT 1`).
    pub fn healthz(&self, name: &'static str, shape: Shape) -> Scenario {
        scenario(name, shape, u64::MAX, 200, |_| Request::get("/healthz"))
    }

    pub fn inbox(&self, shape: Shape) -> Scenario {
        self.page("inbox", shape, |_| "/inbox".into())
    }

    pub fn api_inbox(&self, shape: Shape) -> Scenario {
        self.api("api_inbox", shape, |_| "/api/v1/inbox".into())
    }

    pub fn incoming_list(&self, shape: Shape) -> Scenario {
        self.page("incoming_list", shape, |_| "/incoming".into())
    }

    /// The document page of received documents spread over the whole corpus.
    pub fn incoming_view(&self, shape: Shape, ids: Vec<i64>) -> Scenario {
        self.page("incoming_view", shape, move |n| format!("/incoming/{}", ids[n as usize % ids.len()]))
    }

    /// Search top-20 over every domain, cycling through the fixed term set.
    pub fn search(&self, shape: Shape) -> Scenario {
        let terms: Vec<String> = corpus::terms().into_iter().map(corpus::url_encode).collect();
        self.api("search", shape, move |n| format!("/api/v1/search?q={}", terms[n as usize % terms.len()]))
    }

    /// A leader task answered (state change, tasks, audit): the approve/forward stand-in.
    pub fn answer(&self, shape: Shape, limit: u64) -> Scenario {
        let (ids, next, bearer) = (self.answers.clone(), self.answered.clone(), self.bearer.clone());
        let left = (ids.len() - self.answered.load(Ordering::Relaxed).min(ids.len())) as u64;
        scenario("answer", shape, limit.min(left), 200, move |_| {
            let id = ids[next.fetch_add(1, Ordering::Relaxed).min(ids.len() - 1)];
            Request::post(
                format!("/api/v1/leader-tasks/{id}/answer"),
                "application/json",
                r#"{"text":"已按要求办理，情况如下：压测答复。"}"#,
            )
            .header("Authorization", bearer.clone())
        })
    }

    /// The GB/T 9704 PDF of a registered outgoing document.
    pub fn pdf(&self, shape: Shape, limit: u64) -> Scenario {
        let (ids, cookie) = (self.pdfs.clone(), self.cookie.clone());
        scenario("pdf", shape, limit, 200, move |n| {
            Request::get(format!("/outgoing/{}/pdf", ids[n as usize % ids.len()])).header("Cookie", cookie.clone())
        })
    }

    pub fn login(&self, shape: Shape, limit: u64) -> Scenario {
        let login = self.login.clone();
        scenario("login", shape, limit, 303, move |_| login.clone())
    }
}
