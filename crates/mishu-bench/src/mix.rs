//! The open-loop load of performance.md D1/D4: the operations of the mix, by weight, at a
//! target rate. Request i is due at start + i/rate whether or not earlier ones have
//! answered; its latency runs from that due time, so a server that falls behind shows it in
//! p99 (no coordinated omission). Connections come from a pool that grows up to a cap;
//! a request waiting for a connection is still timed from its due time.

use crate::http::Conn;
use crate::load::Scenario;
use crate::procfs;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// One operation of the mix and its weight (per cent of requests).
pub struct Part {
    pub weight: u32,
    pub scenario: Scenario,
}

/// How one run is bounded.
#[derive(Clone, Copy)]
pub struct Open {
    /// Requests per second, issued on schedule.
    pub rate: f64,
    pub duration: Duration,
    /// At most this many connections at once (D4: `ulimit -n` and the client's own cost).
    pub max_connections: usize,
    /// After the last due time, requests still unanswered after this long are given up.
    pub grace: Duration,
}

struct Done {
    part: usize,
    /// µs from the due time to the whole response.
    latency_us: u64,
    ok: bool,
}

pub async fn run(addr: SocketAddr, parts: Vec<Part>, o: Open) -> anyhow::Result<Value> {
    let parts = Arc::new(parts);
    // A deterministic interleaving of the weights: slot i of every 100 names a part.
    let mut table: Vec<usize> =
        parts.iter().enumerate().flat_map(|(i, p)| std::iter::repeat_n(i, p.weight as usize)).collect();
    table.shuffle(&mut StdRng::seed_from_u64(7));
    let total = (o.rate * o.duration.as_secs_f64()).round() as u64;
    let pool: Arc<Mutex<Vec<Conn>>> = Arc::default();
    let gate = Arc::new(Semaphore::new(o.max_connections));
    let counts: Arc<Vec<std::sync::atomic::AtomicU64>> = Arc::new(parts.iter().map(|_| Default::default()).collect());
    let cpu0 = procfs::server_cpu_ns();
    let start = Instant::now();
    let mut handles = Vec::with_capacity(total as usize);
    for i in 0..total {
        let due = start + Duration::from_secs_f64(i as f64 / o.rate);
        tokio::time::sleep_until(due.into()).await;
        let part = table[i as usize % table.len()];
        let n = counts[part].fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let (parts, pool, gate) = (parts.clone(), pool.clone(), gate.clone());
        handles.push(tokio::spawn(async move {
            let sc = &parts[part].scenario;
            let ok = if n >= sc.max_requests {
                false
            } else {
                let raw = (sc.request)(n).bytes();
                let _permit = gate.acquire().await;
                let conn = pool.lock().map(|mut p| p.pop()).unwrap_or(None);
                let conn = match conn {
                    Some(c) => Ok(c),
                    None => Conn::open(addr).await,
                };
                match conn {
                    Ok(mut c) => match c.send(&raw).await {
                        Ok(res) => {
                            if let Ok(mut p) = pool.lock() {
                                p.push(c);
                            }
                            res.status == sc.expect
                        }
                        Err(_) => false,
                    },
                    Err(_) => false,
                }
            };
            Done { part, latency_us: due.elapsed().as_micros() as u64, ok }
        }));
    }
    let issued_s = start.elapsed().as_secs_f64();
    let give_up = Instant::now() + o.grace;
    let mut done = Vec::with_capacity(handles.len());
    let mut unfinished = 0u64;
    for h in handles {
        match tokio::time::timeout_at(give_up.into(), h).await {
            Ok(Ok(d)) => done.push(d),
            _ => unfinished += 1,
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    let cpu_ns = procfs::server_cpu_ns().saturating_sub(cpu0);
    let answered = done.len() as u64;
    let mut per_part = serde_json::Map::new();
    for (i, p) in parts.iter().enumerate() {
        let mine: Vec<&Done> = done.iter().filter(|d| d.part == i).collect();
        let mut s = summary(&mine);
        s["weight"] = json!(p.weight);
        per_part.insert(p.scenario.name.to_string(), s);
    }
    let all: Vec<&Done> = done.iter().collect();
    Ok(json!({
        "rate": o.rate,
        "scheduled": total,
        "answered": answered,
        "unfinished": unfinished,
        "issue_seconds": issued_s,
        "seconds": seconds,
        "achieved_rps": answered as f64 / seconds,
        "server_cpu_us": if answered == 0 { 0.0 } else { cpu_ns as f64 / 1000.0 / answered as f64 },
        "all": summary(&all),
        "ops": per_part,
    }))
}

fn summary(done: &[&Done]) -> Value {
    let mut lat: Vec<u64> = done.iter().map(|d| d.latency_us).collect();
    lat.sort_unstable();
    let pct = |p: f64| {
        lat.get(((lat.len() as f64 * p) as usize).min(lat.len().saturating_sub(1))).map_or(0.0, |v| *v as f64 / 1000.0)
    };
    json!({
        "requests": lat.len(),
        "errors": done.iter().filter(|d| !d.ok).count(),
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
        "max_ms": lat.last().map_or(0.0, |v| *v as f64 / 1000.0),
    })
}
