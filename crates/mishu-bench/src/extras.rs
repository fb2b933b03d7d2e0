//! The figures beside the HTTP table (performance.md D1 "non-throughput targets"): one
//! background reminder sweep, the time a freshly started app takes to answer on the large
//! data set, and the size of the binaries.

use crate::backend::Backend;
use crate::http::{Conn, Request};
use mishu_service::{Services, args, search, tasks};
use mishu_web::WebConfig;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// The reminder sweep as the server's 60-second loop runs it. The generated live tasks are
/// mostly overdue, so the first sweeps work through a backlog (reminders, escalations,
/// filing requests; each sent once, 1,000 tasks per sweep). They are timed (`backlog_ms`),
/// then the backlog is drained (at most `DRAIN` sweeps), and the sweep of a quiet minute —
/// the index range D1 budgets — is timed as `p50_ms`.
pub async fn reminder_sweep(s: &Services) -> anyhow::Result<Value> {
    const DRAIN: usize = 60;
    let (tasks_n, open): (i64, i64) = s
        .db
        .fetch_one("SELECT COUNT(*), COALESCE(SUM(CASE WHEN state = 'open' THEN 1 ELSE 0 END), 0) FROM tasks", args![])
        .await?;
    let t = Instant::now();
    let first = tasks::run_reminder_sweep(s, "bench").await?;
    let backlog_ms = ms(t);
    let t = Instant::now();
    let mut drained = 0;
    let mut sent = (0, 0, 0);
    while drained < DRAIN {
        let r = tasks::run_reminder_sweep(s, "bench").await?;
        drained += 1;
        if r.reminded + r.escalated + r.filing_requested == 0 {
            break;
        }
        sent = (sent.0 + r.reminded, sent.1 + r.escalated, sent.2 + r.filing_requested);
    }
    let drain_ms = ms(t);
    let mut quiet = Vec::new();
    let mut last = tasks::SweepReport::default();
    for _ in 0..5 {
        let t = Instant::now();
        last = tasks::run_reminder_sweep(s, "bench").await?;
        quiet.push(ms(t));
    }
    quiet.sort_by(f64::total_cmp);
    Ok(json!({"p50_ms": quiet[quiet.len() / 2], "quiet": last, "backlog_ms": backlog_ms, "first": first,
        "drain_sweeps": drained, "drain_ms": drain_ms,
        "drained": {"reminded": sent.0, "escalated": sent.1, "filing_requested": sent.2},
        "tasks": tasks_n, "open_tasks": open}))
}

/// Time to first response on this data: the data opened again as `mishu serve` does it
/// (connect, migrate, key, search index, pending index changes), the app bound to a new
/// port, then the first `/healthz` and the first `/inbox` of a signed-in session, each timed
/// from the start. In process: no exec or binary loading; the OS file cache is warm.
pub async fn first_response(b: &Backend, cookie: &str) -> anyhow::Result<Value> {
    let t = Instant::now();
    let s = b.reopen().await?;
    let open_ms = ms(t);
    // The bench's own instance holds the index writer, so applying pending changes here may
    // find it locked; `mishu serve` would have it to itself. Recorded, not fatal.
    let applied = search::apply_changes_now(&s).await.map_err(|e| e.to_string());
    let app = mishu_web::app(
        s.clone(),
        WebConfig { secure_cookies: false, node_name: "bench-start".into(), public_url: None },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server =
        tokio::spawn(
            async move { axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await },
        );
    let healthz_ms = loop {
        if let Ok(mut c) = Conn::open(addr).await
            && let Ok(r) = c.send(&Request::get("/healthz").bytes()).await
            && r.status == 200
        {
            break ms(t);
        }
        anyhow::ensure!(t.elapsed() < Duration::from_secs(60), "no /healthz within 60 s");
        tokio::time::sleep(Duration::from_millis(1)).await;
    };
    let mut c = Conn::open(addr).await?;
    let r = c.send(&Request::get("/inbox").header("Cookie", cookie).bytes()).await?;
    let inbox_ms = ms(t);
    server.abort();
    s.db.close().await;
    anyhow::ensure!(r.status == 200, "first /inbox answered {}", r.status);
    Ok(json!({"open_ms": open_ms, "first_healthz_ms": healthz_ms, "first_inbox_ms": inbox_ms,
        "index_changes_applied": applied.as_ref().ok(), "index_apply_error": applied.err()}))
}

/// Sizes of this binary and of `mishu` beside it (when built), as built and stripped.
pub fn binary_sizes() -> Value {
    let mut out = serde_json::Map::new();
    let Ok(exe) = std::env::current_exe() else { return Value::Object(out) };
    let mishu = exe.with_file_name("mishu");
    for (name, path) in [("mishu_bench", exe.as_path()), ("mishu", mishu.as_path())] {
        if let Ok(m) = std::fs::metadata(path) {
            out.insert(
                name.into(),
                json!({"path": path.display().to_string(), "bytes": m.len(),
                "stripped_bytes": stripped(path)}),
            );
        }
    }
    Value::Object(out)
}

/// Size after `strip` (binutils) on a copy, when `strip` is there.
fn stripped(path: &Path) -> Option<u64> {
    let out = std::env::temp_dir().join(format!("mishu-bench-strip-{}", std::process::id()));
    let ok = std::process::Command::new("strip").arg("-o").arg(&out).arg(path).status().ok()?.success();
    let size = ok.then(|| std::fs::metadata(&out).ok().map(|m| m.len())).flatten();
    let _ = std::fs::remove_file(&out);
    size
}
