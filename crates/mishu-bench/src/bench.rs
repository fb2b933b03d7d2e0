//! One run on one database: generate the organ, serve the real app on loopback, sign in,
//! drive every scenario, then the in-process figures (audit verification, growth per 1,000
//! documents, raw references) and the memory before and after.

use crate::backend::Backend;
use crate::generate::{self, Generated, Volume};
use crate::http::{Conn, Request};
use crate::load::{self, Scenario, Stats};
use crate::procfs;
use anyhow::Context;
use mishu_domain::PersonId;
use mishu_domain::incoming::RegistrationInput;
use mishu_service::{audit, auth, incoming, org};
use mishu_web::WebConfig;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::runtime::Handle;

pub struct Settings {
    pub volume: Volume,
    pub quick: bool,
    pub seed: u64,
}

impl Settings {
    fn duration(&self) -> Duration {
        if self.quick { Duration::from_millis(500) } else { Duration::from_secs(5) }
    }
    fn connections(&self) -> usize {
        if self.quick { 4 } else { 16 }
    }
}

pub struct Outcome {
    pub backend: &'static str,
    pub http: Vec<Stats>,
    pub figures: Value,
}

/// Runs everything on the current (server) runtime; the load generator runs on `client`.
pub async fn run(b: &Backend, st: &Settings, client: &Handle) -> anyhow::Result<Outcome> {
    let s = &b.services;
    let t = Instant::now();
    let g = generate::generate(s, st.volume, st.seed).await?;
    let generate_s = t.elapsed().as_secs_f64();
    let size_after_generate = b.size_bytes().await?;

    let mem_idle = procfs::memory();
    let addr = serve(s.clone()).await?;
    let cookie = sign_in(addr, &g).await?;
    let actor = org::load_actor(s, PersonId(g.user_id), None).await?;
    let (_, token) =
        auth::tokens::create(s, &audit::Origin::of(&actor, "bench"), actor.person_id, "bench", None).await?;

    let mut http = Vec::new();
    for sc in scenarios(st, &g, &cookie, &token) {
        let stats = client.spawn(async move { load::run(addr, &sc).await }).await??;
        eprintln!("  {:<14} {:>8.0} req/s  p99 {:>7.2} ms", stats.name, stats.rps, stats.p99_ms);
        http.push(stats);
    }
    let mem_loaded = procfs::memory();

    // Audit verification over the whole chain, scaled to 100,000 records.
    let t = Instant::now();
    let report = audit::verify(s).await?;
    let verify_s = t.elapsed().as_secs_f64();
    let records = report.records.max(1) as f64;
    let mem_after_verify = procfs::memory();

    // Growth: documents registered through the service, as the registry does it.
    let docs = if st.quick { 100 } else { 1_000 };
    let before = b.size_bytes().await?;
    let t = Instant::now();
    for i in 0..docs {
        incoming::register(s, &actor, registration(i, s.clock.now()), "bench").await?;
    }
    let register_ms = t.elapsed().as_secs_f64() * 1000.0 / docs as f64;
    let growth_per_1000 = (b.size_bytes().await? - before) as f64 * 1000.0 / docs as f64;

    let argon2_ms = raw_argon2_ms(s, &g).await;
    let range_read_us = raw_range_read_us(s, g.user_id).await?;
    let figures = json!({
        "generate_seconds": generate_s,
        "db_bytes_after_generate": size_after_generate,
        "audit_records": report.records,
        "audit_ok": report.ok(),
        "audit_verify_seconds": verify_s,
        "audit_verify_seconds_per_100k": verify_s * 100_000.0 / records,
        "db_growth_bytes_per_1000_incoming": growth_per_1000,
        "incoming_register_ms": register_ms,
        "raw_argon2_verify_ms": argon2_ms,
        "raw_inbox_range_read_us": range_read_us,
        "memory_kb": {
            "idle_after_generate": mem(mem_idle),
            "after_load": mem(mem_loaded),
            "after_audit_verify": mem(mem_after_verify),
        },
    });
    Ok(Outcome { backend: b.name, http, figures })
}

fn mem(m: procfs::Memory) -> Value {
    json!({"rss": m.rss_kb, "hwm": m.hwm_kb, "rss_anon": m.anon_kb})
}

/// The real app, as `mishu serve` builds it, on a loopback port of this runtime.
async fn serve(services: mishu_service::Services) -> anyhow::Result<SocketAddr> {
    let app = mishu_web::app(services, WebConfig { secure_cookies: false, node_name: "bench".into() });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await });
    Ok(addr)
}

/// A pre-sign-in CSRF value of the form the app accepts (64 hex digits).
const PRE_CSRF: &str = "b3c0b3c0b3c0b3c0b3c0b3c0b3c0b3c0b3c0b3c0b3c0b3c0b3c0b3c0b3c0b3c0";

fn login_request(g: &Generated) -> Request {
    let body = format!("login={}&password={}&_csrf={PRE_CSRF}", g.user_login, g.password);
    Request::post("/login", "application/x-www-form-urlencoded", body).header("Cookie", format!("mishu_pre={PRE_CSRF}"))
}

async fn sign_in(addr: SocketAddr, g: &Generated) -> anyhow::Result<String> {
    let mut c = Conn::open(addr).await?;
    let res = c.send(&login_request(g).bytes()).await?;
    let sid = res.cookie("mishu_sid").with_context(|| format!("sign-in answered {} without a session", res.status))?;
    Ok(format!("mishu_sid={sid}"))
}

/// Every measured request. Extension point: search (`GET /search?q=…`) and PDF
/// (`GET /…/pdf`) become scenarios here once those routes exist; the table, JSON and ratios
/// pick them up by name (add their targets in `report::TARGETS`).
fn scenarios(st: &Settings, g: &Generated, cookie: &str, token: &str) -> Vec<Scenario> {
    let (d, c) = (st.duration(), st.connections());
    let cookie = cookie.to_string();
    let bearer = format!("Bearer {token}");
    let get = |name: &'static str, path: &'static str, auth: (&'static str, String)| Scenario {
        name,
        connections: c,
        duration: d,
        max_requests: u64::MAX,
        request: Arc::new(move |_| Request::get(path).header(auth.0, auth.1.clone())),
        expect: 200,
    };
    let ids = Arc::new(g.leader_tasks.clone());
    let answer_bearer = bearer.clone();
    let login = login_request(g);
    vec![
        get("healthz", "/healthz", ("X-Bench", String::new())),
        get("inbox", "/inbox", ("Cookie", cookie.clone())),
        get("api_inbox", "/api/v1/inbox", ("Authorization", bearer.clone())),
        get("incoming_list", "/incoming", ("Cookie", cookie.clone())),
        Scenario {
            name: "answer",
            connections: c.min(4),
            duration: d,
            max_requests: ids.len() as u64,
            request: Arc::new(move |n| {
                Request::post(
                    format!("/api/v1/leader-tasks/{}/answer", ids[n as usize]),
                    "application/json",
                    r#"{"text":"已按要求办理，情况如下：压测答复。"}"#,
                )
                .header("Authorization", answer_bearer.clone())
            }),
            expect: 200,
        },
        get("healthz_again", "/healthz", ("X-Bench", String::new())),
        Scenario {
            name: "login",
            connections: 2,
            duration: d * 2,
            max_requests: if st.quick { 4 } else { 60 },
            request: Arc::new(move |_| login.clone()),
            expect: 303,
        },
    ]
}

fn registration(i: usize, now: mishu_domain::Timestamp) -> RegistrationInput {
    RegistrationInput {
        sender_organ: "某省教育厅".into(),
        sender_number: String::new(),
        title: format!("压测增长：关于第{i}项工作的通知"),
        doc_type: "notice".into(),
        classification: "none".into(),
        secrecy_period: String::new(),
        copy_no: String::new(),
        urgency: "normal".into(),
        handling: "for_information".into(),
        copies: 1,
        pages: Some(3),
        received_at: now,
        due_at: None,
    }
}

/// The bare argon2 verification the login pays for, median of five, same run.
async fn raw_argon2_ms(s: &mishu_service::Services, g: &Generated) -> f64 {
    let mut v = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        auth::verify_password(&s.auth, &g.password, Some(&g.stored_hash)).await;
        v.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    v.sort_by(f64::total_cmp);
    v[2]
}

/// A raw 20-row range read of the user's open tasks (R_db_read's denominator), µs median.
async fn raw_range_read_us(s: &mishu_service::Services, user: i64) -> anyhow::Result<f64> {
    let mut v = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        let rows: Vec<(i64, String)> = s
            .db
            .fetch_all(
                "SELECT task_id, title FROM tasks WHERE assignee_id = $1 AND state = 'open' ORDER BY urgency DESC, due_at LIMIT 20",
                mishu_service::args![user],
            )
            .await?;
        std::hint::black_box(rows);
        v.push(t.elapsed().as_secs_f64() * 1e6);
    }
    v.sort_by(f64::total_cmp);
    Ok(v[v.len() / 2])
}
