//! The measured requests, built once per run from the signed-in session: pages and API
//! calls of the D1 mix, each a `load::Scenario` the table, JSON and ratios pick up by name
//! (targets in `report::TARGETS`). Answers consume prepared leader tasks from one pool
//! shared by the growth probes and the main table.

use crate::corpus;
use crate::generate::Generated;
use crate::http::Request;
use crate::load::Scenario;
use crate::rooms;
use mishu_domain::Timestamp;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

pub struct Ctx {
    pub cookie: String,
    pub bearer: String,
    pub login: Request,
    pub pdfs: Arc<Vec<i64>>,
    answers: Arc<Vec<i64>>,
    answered: Arc<AtomicUsize>,
    /// Weeks (`YYYY-MM-DD`) the week page is asked for.
    weeks: Arc<Vec<String>>,
    /// `(room_id, capacity)` of the rooms the measured bookings take, from `booking_from` on.
    rooms: Arc<Vec<(i64, i64)>>,
    booking_from: i64,
    booked: Arc<AtomicU64>,
}

/// How long and how wide one scenario runs.
#[derive(Clone, Copy)]
pub struct Shape {
    pub connections: usize,
    pub duration: Duration,
}

pub(crate) fn scenario(
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
    pub fn new(cookie: String, token: &str, login: Request, g: &Generated) -> Ctx {
        Ctx {
            cookie,
            bearer: format!("Bearer {token}"),
            login,
            pdfs: Arc::new(g.outgoing.clone()),
            answers: Arc::new(g.leader_tasks.clone()),
            answered: Arc::default(),
            weeks: Arc::new(rooms::weeks(&g.rooms)),
            rooms: Arc::new(g.rooms.rooms.clone()),
            booking_from: rooms::free_from(&g.rooms).0,
            booked: Arc::default(),
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

    /// The rooms page for a week (rooms × days, every booking of the week), cycling through
    /// the weeks around now that hold generated bookings.
    pub fn room_day(&self, shape: Shape) -> Scenario {
        let weeks = self.weeks.clone();
        self.page("room_day", shape, move |n| format!("/rooms?week={}", weeks[n as usize % weeks.len()]))
    }

    /// A room booked over the API: the overlap check and insert in one write transaction.
    /// Every request takes the next free slot (30 minutes, rooms in turn, ahead of everything
    /// generated and far enough ahead to need no approval), so each one answers 201.
    pub fn booking(&self, shape: Shape) -> Scenario {
        let (rooms, next, from, bearer) =
            (self.rooms.clone(), self.booked.clone(), self.booking_from, self.bearer.clone());
        scenario("booking", shape, u64::MAX, 201, move |_| {
            let k = next.fetch_add(1, Ordering::Relaxed);
            let (room, capacity) = rooms[k as usize % rooms.len()];
            let start = from + (k / rooms.len() as u64) as i64 * 30 * 60_000;
            let body = format!(
                r#"{{"room_id":{room},"title":"压测预订{k}","kind":"president_office","chair":"压测主持人","starts_at":"{}","ends_at":"{}","attendees":{}}}"#,
                Timestamp(start).rfc3339(),
                Timestamp(start + 30 * 60_000).rfc3339(),
                capacity.min(8)
            );
            Request::post("/api/v1/bookings", "application/json", body).header("Authorization", bearer.clone())
        })
    }

    /// The GB/T 9704 PDF of a registered outgoing document.
    pub fn pdf(&self, shape: Shape, limit: u64) -> Scenario {
        let (ids, cookie) = (self.pdfs.clone(), self.cookie.clone());
        scenario("pdf", shape, limit, 200, move |n| {
            Request::get(format!("/outgoing/{}/pdf", ids[n as usize % ids.len()])).header("Cookie", cookie.clone())
        })
    }

    /// The D1 mix for the open-loop run, weights in per cent; `/healthz` stands for the
    /// static and other requests (18 % in D1, 17 here so the PDF gets its 1 %).
    pub fn mix(&self, views: Vec<i64>) -> Vec<crate::mix::Part> {
        let s = Shape { connections: 1, duration: Duration::ZERO };
        [
            (35, self.inbox(s)),
            (25, self.incoming_view(s, views)),
            (5, self.answer(s, u64::MAX)),
            (10, self.room_day(s)),
            (1, self.booking(s)),
            (5, self.search(s)),
            (1, self.login(s, u64::MAX)),
            (1, self.pdf(s, u64::MAX)),
            (17, self.healthz("other", s)),
        ]
        .into_iter()
        .map(|(weight, scenario)| crate::mix::Part { weight, scenario })
        .collect()
    }

    pub fn login(&self, shape: Shape, limit: u64) -> Scenario {
        let login = self.login.clone();
        scenario("login", shape, limit, 303, move |_| login.clone())
    }
}
