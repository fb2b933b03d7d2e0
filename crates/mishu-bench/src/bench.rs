//! One run on one database: generate the organ, serve the real app on loopback, sign in;
//! then for each growth step (performance.md D3) add documents, rebuild the search index and
//! probe the index-bound operations; at the main step (100k documents) drive the full table
//! and take the in-process figures (D2 references, recall, audit verification, memory).

use crate::backend::Backend;
use crate::generate::{self, Generated, Volume};
use crate::http::{Conn, Request};
use crate::load::{self, Scenario, Stats};
use crate::scenarios::{Ctx, Shape};
use crate::{extras, mix, procfs, reference};
use anyhow::Context;
use mishu_domain::PersonId;
use mishu_domain::incoming::RegistrationInput;
use mishu_service::{audit, auth, incoming, org, search};
use mishu_web::WebConfig;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::runtime::Handle;

pub struct Settings {
    pub volume: Volume,
    pub quick: bool,
    pub seed: u64,
    /// `--peer-django`: the venv the Django peer runs from (made on first use).
    pub peer_django: Option<std::path::PathBuf>,
}

impl Settings {
    /// The main table: 16 connections for 5 s (quick: 4 for 0.5 s).
    fn table(&self) -> Shape {
        if self.quick {
            Shape { connections: 4, duration: Duration::from_millis(500) }
        } else {
            Shape { connections: 16, duration: Duration::from_secs(5) }
        }
    }
    /// The open-loop runs of the D1 mix: the target rate (1,000 req/s) and the estimated
    /// sustained peak (300 req/s), 10 s each (quick: 50 req/s for 1 s).
    fn open_loop(&self) -> Vec<mix::Open> {
        let run = |rate, secs| mix::Open {
            rate,
            duration: Duration::from_secs(secs),
            max_connections: 256,
            grace: Duration::from_secs(30),
        };
        if self.quick { vec![run(50.0, 1)] } else { vec![run(300.0, 10), run(1_000.0, 10)] }
    }
    /// A growth probe: one connection, so p50 is the operation's own latency.
    fn probe(&self) -> Shape {
        Shape { connections: 1, duration: if self.quick { Duration::from_millis(200) } else { Duration::from_secs(2) } }
    }
}

pub struct Outcome {
    pub backend: &'static str,
    pub http: Vec<Stats>,
    /// One entry per growth step (performance.md D3).
    pub growth: Vec<Value>,
    pub figures: Value,
}

/// Runs everything on the current (server) runtime; the load generator runs on `client`.
pub async fn run(b: &Backend, st: &Settings, client: &Handle) -> anyhow::Result<Outcome> {
    let s = &b.services;
    let v = st.volume;
    let t = Instant::now();
    let mut g = generate::generate(s, v, st.seed).await?;
    let generate_s = t.elapsed().as_secs_f64();

    let addr = serve(s.clone()).await?;
    let cookie = sign_in(addr, &g).await?;
    let actor = org::load_actor(s, PersonId(g.user_id), None).await?;
    let (_, token) =
        auth::tokens::create(s, &audit::Origin::of(&actor, "bench"), actor.person_id, "bench", None).await?;
    let ctx = Ctx::new(cookie, &token, login_request(&g), &g);
    let mut rng = StdRng::seed_from_u64(st.seed);
    let measure = |sc: Scenario| async move {
        let stats = client.spawn(async move { load::run(addr, &sc).await }).await??;
        eprintln!(
            "  {:<14} {:>8.0} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms",
            stats.name, stats.rps, stats.p50_ms, stats.p99_ms
        );
        anyhow::Ok(stats)
    };

    let (mut http, mut growth, mut figures) = (Vec::new(), Vec::new(), json!({}));
    let only = Only::from_env();
    for (step, &size) in v.sizes.iter().enumerate() {
        let t = Instant::now();
        generate::grow(s, &mut g, v, size).await?;
        let grow_s = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let indexed = search::reindex(s, &|_, _| {}).await?;
        let index_s = t.elapsed().as_secs_f64();
        let views: Vec<i64> = (0..1_000).map(|_| g.docs[rng.gen_range(0..g.docs.len())]).collect();
        eprintln!("{}: {size} documents (grown in {grow_s:.1} s, {indexed} indexed in {index_s:.1} s)", b.name);
        if let Some(only) = &only {
            if step == v.main_step() {
                let tb = Shape { duration: only.duration, ..st.table() };
                let all = [
                    ctx.inbox(tb),
                    ctx.api_inbox(tb),
                    ctx.incoming_list(tb),
                    ctx.incoming_view(tb, views.clone()),
                    ctx.search(tb),
                    ctx.room_day(tb),
                    ctx.healthz("healthz", tb),
                ];
                eprintln!("profiling: server pid {}, scenarios {:?}", std::process::id(), only.names);
                if only.names.iter().any(|n| n == "search_engine") {
                    // R_search's denominator too, so a profiling run states the ratio.
                    let (like_ms, _) = reference::like_scan(s, 3).await?;
                    let segments = s.search.segments();
                    eprintln!("search_engine: LIKE scan p50 {like_ms:.2} ms; the index has {segments} segments");
                    let (mut rounds, t) = (0, Instant::now());
                    while t.elapsed() < only.duration {
                        let ((p50, p99), _) = reference::search_top20_ms(s, &actor, 5).await?;
                        rounds += 5;
                        let r = p99 / like_ms;
                        eprintln!(
                            "search_engine: {rounds} rounds, engine top-20 p50 {p50:.2} ms, p99 {p99:.2} ms, R_search {r:.4}"
                        );
                    }
                }
                for sc in all.into_iter().filter(|sc| only.names.iter().any(|n| n == sc.name)) {
                    http.push(measure(sc).await?);
                }
                return Ok(Outcome { backend: b.name, http, growth, figures });
            }
            continue;
        }
        let p = st.probe();
        let mut probe = serde_json::Map::new();
        // A few unmeasured requests first: right after the rebuild the first page pays for
        // cold caches (one 2.5 s document view at 10k documents in the first full run).
        for sc in [ctx.inbox(p), ctx.incoming_view(p, views.clone()), ctx.search(p), ctx.room_day(p)] {
            let warm = Scenario { max_requests: 3, ..sc };
            client.spawn(async move { load::run(addr, &warm).await }).await??;
        }
        let probes = [
            ctx.inbox(p),
            ctx.incoming_view(p, views.clone()),
            ctx.search(p),
            ctx.answer(p, 100),
            ctx.room_day(p),
            ctx.booking(p),
        ];
        for sc in probes {
            let stats = measure(sc).await?;
            probe.insert(stats.name.clone(), json!({"p50_ms": stats.p50_ms, "cpu_us": stats.server_cpu_us}));
        }
        let (like_ms, _) = reference::like_scan(s, 1).await?;
        probe.insert("like_scan".into(), json!({"p50_ms": like_ms}));
        let sweep = extras::reminder_sweep(s).await?;
        eprintln!("  reminder sweep {:>8.1} ms  {}", sweep["p50_ms"].as_f64().unwrap_or(0.0), sweep["first"]);
        probe.insert("reminder_scan".into(), sweep);
        growth.push(json!({
            "documents": size, "grow_seconds": grow_s, "index_seconds": indexed_per(index_s, indexed),
            "db_bytes": b.size_bytes().await?, "index_bytes": dir_bytes(&b.dir.path().join("index")),
            "ops": probe,
        }));
        if step != v.main_step() {
            continue;
        }
        let mem_idle = procfs::memory();
        let tb = st.table();
        let (n_pdf, n_login) = if st.quick { (6, 4) } else { (200, 60) };
        let table = [
            ctx.healthz("healthz", tb),
            ctx.inbox(tb),
            ctx.api_inbox(tb),
            ctx.incoming_list(tb),
            ctx.incoming_view(tb, views.clone()),
            ctx.search(tb),
            ctx.answer(Shape { connections: tb.connections.min(4), ..tb }, u64::MAX),
            ctx.room_day(tb),
            ctx.booking(Shape { connections: tb.connections.min(4), ..tb }),
            ctx.healthz("healthz_again", tb),
            ctx.pdf(Shape { connections: 2, duration: tb.duration * 2 }, n_pdf),
            ctx.login(Shape { connections: 2, duration: tb.duration * 2 }, n_login),
        ];
        for sc in table {
            http.push(measure(sc).await?);
        }
        let mem_loaded = procfs::memory();
        let mut open = Vec::new();
        for o in st.open_loop() {
            let parts = ctx.mix(views.clone());
            let r = client.spawn(async move { mix::run(addr, parts, o).await }).await??;
            eprintln!(
                "  open loop {:>6.0} req/s: held {:.0}, p99 {} ms",
                o.rate,
                num(&r, "achieved_rps"),
                r["all"]["p99_ms"]
            );
            open.push(r);
        }
        let start = extras::first_response(b, &ctx.cookie).await?;
        // Before the references, so that `audit verify` also checks the peer's records.
        let peer = match &st.peer_django {
            Some(venv) if b.name == "sqlite" => {
                let ours = crate::peer::Ours { addr, cookie: &ctx.cookie };
                let dir = b.dir.path();
                Some(crate::peer::run(venv, s, dir, &g, tb, v.answers, client, ours).await)
            }
            _ => None,
        };
        figures = references(b, st, &g, &actor, size, generate_s, mem_idle, mem_loaded).await?;
        if let Some(p) = peer {
            figures["peer_django"] = p;
        }
        figures["open_loop"] = json!(open);
        figures["first_response"] = start;
        figures["binaries"] = extras::binary_sizes();
    }
    Ok(Outcome { backend: b.name, http, growth, figures })
}

/// Seconds to index, with the count (the index build time of D3).
fn indexed_per(seconds: f64, indexed: u64) -> Value {
    json!({"seconds": seconds, "objects": indexed})
}

fn num(v: &Value, k: &str) -> f64 {
    v[k].as_f64().unwrap_or(0.0)
}

fn dir_bytes(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir).map_or(0, |d| d.flatten().filter_map(|e| e.metadata().ok()).map(|m| m.len()).sum())
}

/// The in-process figures at the main step: the D2 references, audit verification, the
/// cost of registering more documents through the service, and memory.
#[allow(clippy::too_many_arguments)]
async fn references(
    b: &Backend,
    st: &Settings,
    g: &Generated,
    actor: &mishu_domain::access::Actor,
    size: usize,
    generate_s: f64,
    mem_idle: procfs::Memory,
    mem_loaded: procfs::Memory,
) -> anyhow::Result<Value> {
    let s = &b.services;
    let (like_ms, like_counts) = reference::like_scan(s, 3).await?;
    let ((search_p50_ms, search_p99_ms), (service_p50_ms, service_p99_ms)) =
        reference::search_top20_ms(s, actor, if st.quick { 2 } else { 20 }).await?;
    let t = Instant::now();
    let recall = reference::recall(s, actor).await?;
    let recall_s = t.elapsed().as_secs_f64();
    let doc = crate::outgoing::printed(s, actor, g.outgoing[0]).await?;
    let reps = if st.quick { 3 } else { 20 };
    let (typst_cold_ms, typst_ms) =
        tokio::task::spawn_blocking(move || reference::typst_compile_ms(&doc, reps)).await??;

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
        incoming::register(s, actor, registration(i, s.clock.now()), "bench").await?;
    }
    let register_ms = t.elapsed().as_secs_f64() * 1000.0 / docs as f64;
    let growth_per_1000 = (b.size_bytes().await? - before) as f64 * 1000.0 / docs as f64;

    Ok(json!({
        "documents": size,
        "generate_seconds": generate_s,
        "audit_records": report.records,
        "audit_ok": report.ok(),
        "audit_verify_seconds": verify_s,
        "audit_verify_seconds_per_100k": verify_s * 100_000.0 / records,
        "db_growth_bytes_per_1000_incoming": growth_per_1000,
        "incoming_register_ms": register_ms,
        "raw_argon2_verify_ms": reference::argon2_ms(s, g).await,
        "raw_inbox_range_read_us": reference::range_read_us(s, g.user_id).await?,
        "like_scan_ms": like_ms,
        "search_top20_p50_ms": search_p50_ms,
        "search_top20_p99_ms": search_p99_ms,
        "search_service_p50_ms": service_p50_ms,
        "search_service_p99_ms": service_p99_ms,
        "like_counts": like_counts.into_iter().map(|(t, n)| (t, json!(n))).collect::<serde_json::Map<String, Value>>(),
        "recall": recall,
        "recall_seconds": recall_s,
        "typst_cold_ms": typst_cold_ms,
        "typst_compile_ms": typst_ms,
        "memory_kb": {
            "idle_after_generate": mem(mem_idle),
            "after_load": mem(mem_loaded),
            "after_audit_verify": mem(mem_after_verify),
        },
    }))
}

fn mem(m: procfs::Memory) -> Value {
    json!({"rss": m.rss_kb, "hwm": m.hwm_kb, "rss_anon": m.anon_kb})
}

/// The real app, as `mishu serve` builds it, on a loopback port of this runtime.
async fn serve(services: mishu_service::Services) -> anyhow::Result<SocketAddr> {
    let app =
        mishu_web::app(services, WebConfig { secure_cookies: false, node_name: "bench".into(), public_url: None });
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

/// `MISHU_BENCH_ONLY=inbox,incoming_view` (and `MISHU_BENCH_SECONDS`, default 30): generate the
/// data, then run only those scenarios at the main step, long enough to attach a profiler
/// (`perf record -p PID`); no growth probes, references or open loop. `search_engine` loops
/// R_search's numerator (the engine's top-20 page over the fixed terms) in process.
struct Only {
    names: Vec<String>,
    duration: Duration,
}

impl Only {
    fn from_env() -> Option<Only> {
        let names: Vec<String> = std::env::var("MISHU_BENCH_ONLY")
            .ok()?
            .split(',')
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty())
            .collect();
        let secs = std::env::var("MISHU_BENCH_SECONDS").ok().and_then(|v| v.parse().ok()).unwrap_or(30);
        (!names.is_empty()).then_some(Only { names, duration: Duration::from_secs(secs) })
    }
}
