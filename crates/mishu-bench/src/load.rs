//! The load generator: closed loop, a fixed number of keep-alive connections, bounded by
//! time and by count, reporting requests/s, latency percentiles and the server's CPU-µs per
//! request taken from its own threads over the same interval. The open-loop run of the
//! D1 mix at a target rate is `mix`. A server that closes after each response (gunicorn's
//! sync workers, the Django peer) is followed: the connection is opened again.

use crate::http::{Conn, Request};
use crate::procfs;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// One measured operation. Extension point: search, PDF and future pages are new scenarios
/// built in `main.rs`; nothing here knows the routes.
pub struct Scenario {
    pub name: &'static str,
    pub connections: usize,
    pub duration: Duration,
    /// At most this many requests in all (e.g. one answer per prepared leader task).
    pub max_requests: u64,
    /// The n-th request (0-based, across connections).
    pub request: Arc<dyn Fn(u64) -> Request + Send + Sync>,
    /// The status every response must have.
    pub expect: u16,
}

#[derive(Clone, Debug, Default)]
pub struct Stats {
    pub name: String,
    pub requests: u64,
    pub errors: u64,
    pub seconds: f64,
    pub rps: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub server_cpu_us: f64,
    pub first_error: Option<String>,
}

pub async fn run(addr: SocketAddr, sc: &Scenario) -> anyhow::Result<Stats> {
    let counter = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + sc.duration;
    let cpu0 = procfs::server_cpu_ns();
    let start = Instant::now();
    let mut handles = Vec::new();
    for _ in 0..sc.connections {
        let (counter, request, max, expect) = (counter.clone(), sc.request.clone(), sc.max_requests, sc.expect);
        handles.push(tokio::spawn(async move {
            let mut conn = Conn::open(addr).await?;
            let mut lat = Vec::new();
            let (mut errors, mut first_error) = (0u64, None);
            while Instant::now() < deadline {
                let n = counter.fetch_add(1, Ordering::Relaxed);
                if n >= max {
                    break;
                }
                let raw = request(n).bytes();
                let t = Instant::now();
                let res = conn.send(&raw).await?;
                lat.push(t.elapsed().as_micros() as u64);
                if res.header("connection").is_some_and(|v| v.eq_ignore_ascii_case("close")) {
                    conn = Conn::open(addr).await?;
                }
                if res.status != expect {
                    errors += 1;
                    first_error.get_or_insert_with(|| {
                        format!(
                            "{} {}",
                            res.status,
                            String::from_utf8_lossy(&res.body).chars().take(300).collect::<String>()
                        )
                    });
                }
            }
            anyhow::Ok((lat, errors, first_error))
        }));
    }
    let (mut lat, mut errors, mut first_error) = (Vec::new(), 0, None);
    for h in handles {
        let (l, e, f) = h.await??;
        lat.extend(l);
        errors += e;
        first_error = first_error.or(f);
    }
    let seconds = start.elapsed().as_secs_f64();
    let cpu_ns = procfs::server_cpu_ns().saturating_sub(cpu0);
    lat.sort_unstable();
    let pct = |p: f64| {
        lat.get(((lat.len() as f64 * p) as usize).min(lat.len().saturating_sub(1))).map_or(0.0, |v| *v as f64 / 1000.0)
    };
    let requests = lat.len() as u64;
    Ok(Stats {
        name: sc.name.to_string(),
        requests,
        errors,
        seconds,
        rps: requests as f64 / seconds,
        p50_ms: pct(0.50),
        p95_ms: pct(0.95),
        p99_ms: pct(0.99),
        max_ms: lat.last().map_or(0.0, |v| *v as f64 / 1000.0),
        server_cpu_us: if requests == 0 { 0.0 } else { cpu_ns as f64 / 1000.0 / requests as f64 },
        first_error,
    })
}
