//! The report: a plain table per database with the same-run ratios of performance.md D2,
//! each next to its target, and the same figures as JSON. Targets are printed, never
//! asserted: timings on a shared machine do not fail a build.

use crate::bench::Outcome;
use crate::load::Stats;
use serde_json::{Value, json};

/// `(scenario, p50 ms, p99 ms, max ratio to hello-world CPU)` from performance.md D1.
const TARGETS: &[(&str, f64, f64, Option<f64>)] = &[
    ("inbox", 5.0, 50.0, Some(15.0)),
    ("api_inbox", 5.0, 50.0, Some(15.0)),
    ("incoming_list", 5.0, 50.0, Some(15.0)),
    ("incoming_view", 5.0, 50.0, Some(15.0)),
    ("search", 20.0, 300.0, Some(80.0)),
    ("answer", 20.0, 200.0, Some(40.0)),
    ("room_day", 10.0, 100.0, Some(60.0)),
    ("booking", 10.0, 100.0, Some(30.0)),
    ("pdf", 100.0, 1000.0, None),
    ("login", 60.0, 300.0, None),
];

/// `(ratio, target, true when the target is a floor)` for the single-figure ratios of D2/D3.
pub const RATIO_TARGETS: &[(&str, f64, bool)] = &[
    ("R_search", 0.02, false),
    ("R_recall", 0.99, true),
    ("R_pdf", 1.5, false),
    ("R_login", 1.3, false),
    ("R_db_read", 6.0, false),
    ("growth.inbox", 2.0, false),
    ("growth.incoming_view", 2.0, false),
    ("growth.answer", 2.0, false),
    ("growth.booking", 2.0, false),
    ("growth.search", 20.0, false),
    ("reminder_scan_ms", 50.0, false),
    ("start.first_inbox_ms", 1000.0, false),
    ("bin.mishu_stripped_mb", 40.0, false),
    ("mem.rss_anon_idle_mb", 64.0, false),
    ("mem.rss_anon_load_mb", 256.0, false),
    ("R_peer_django.inbox", 0.25, false),
    ("R_peer_django.approve", 0.25, false),
    ("R_mem", 1.0, false),
];

/// The operations probed at each growth step, in the order printed.
const GROWTH_OPS: &[&str] =
    &["inbox", "incoming_view", "answer", "room_day", "booking", "search", "reminder_scan", "like_scan"];

fn target(name: &str) -> Option<&'static (&'static str, f64, f64, Option<f64>)> {
    TARGETS.iter().find(|t| t.0 == name)
}

/// CPU-µs of hello-world (`/healthz`, one `SELECT 1`) in this run: the mean of the runs
/// before and after the endpoints (A/B/A).
fn hello(o: &Outcome) -> (f64, f64) {
    let h: Vec<&Stats> = o.http.iter().filter(|s| s.name.starts_with("healthz")).collect();
    let n = h.len().max(1) as f64;
    (h.iter().map(|s| s.server_cpu_us).sum::<f64>() / n, h.iter().map(|s| s.rps).sum::<f64>() / n)
}

pub fn print(o: &Outcome) {
    let (hello_cpu, hello_rps) = hello(o);
    println!("\n== {} ==", o.backend);
    println!(
        "{:<14} {:>8} {:>6} {:>9} {:>8} {:>8} {:>8} {:>8} {:>9} {:>7} {:>7}  target",
        "scenario", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "cpu µs", "R_http", "R_tput"
    );
    for s in &o.http {
        let r_http = s.server_cpu_us / hello_cpu.max(1e-9);
        let verdict = match target(&s.name) {
            Some((_, p50, p99, ratio)) => {
                let ok = s.p50_ms <= *p50 && s.p99_ms <= *p99 && ratio.is_none_or(|r| r_http <= r);
                let ratio = ratio.map_or(String::new(), |r| format!(", ≤{r}×"));
                format!("{} (p50 ≤{p50}, p99 ≤{p99}{ratio})", if ok { "ok" } else { "MISS" })
            }
            None => String::new(),
        };
        println!(
            "{:<14} {:>8} {:>6} {:>9.0} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>9.0} {:>7.1} {:>7.2}  {verdict}",
            s.name,
            s.requests,
            s.errors,
            s.rps,
            s.p50_ms,
            s.p95_ms,
            s.p99_ms,
            s.max_ms,
            s.server_cpu_us,
            r_http,
            s.rps / hello_rps.max(1e-9)
        );
        if let Some(e) = &s.first_error {
            println!("    first unexpected response: {e}");
        }
    }
    let f = &o.figures;
    let kb = |k: &str, m: &str| f["memory_kb"][k][m].as_u64().unwrap_or(0) / 1024;
    println!(
        "generate (organ, audit, outgoing): {:.1} s; table at {} documents",
        num(f, "generate_seconds"),
        f["documents"]
    );
    println!(
        "audit verify: {} records in {:.2} s = {:.2} s per 100k (chain ok: {})",
        f["audit_records"],
        num(f, "audit_verify_seconds"),
        num(f, "audit_verify_seconds_per_100k"),
        f["audit_ok"]
    );
    println!(
        "growth: {:.0} KB per 1,000 incoming documents; register {:.2} ms each (in process)",
        num(f, "db_growth_bytes_per_1000_incoming") / 1024.0,
        num(f, "incoming_register_ms")
    );
    for (when, k) in
        [("idle", "idle_after_generate"), ("after load", "after_load"), ("after verify", "after_audit_verify")]
    {
        println!(
            "memory {when:<12}: RssAnon {} MB, VmRSS {} MB, VmHWM {} MB",
            kb(k, "rss_anon"),
            kb(k, "rss"),
            kb(k, "hwm")
        );
    }
    print_extras(o);
    print_peer(o);
    print_growth(o);
    let r = ratios(o);
    println!(
        "references: argon2 verify {:.1} ms, 20-row read {:.0} µs, LIKE scan {:.1} ms, search top-20 in process: engine p50 {:.2} / p99 {:.2} ms, with the database check and snippets p50 {:.2} / p99 {:.2} ms, typst compile {:.1} ms (first, with fonts: {:.0} ms)",
        num(f, "raw_argon2_verify_ms"),
        num(f, "raw_inbox_range_read_us"),
        num(f, "like_scan_ms"),
        num(f, "search_top20_p50_ms"),
        num(f, "search_top20_p99_ms"),
        num(f, "search_service_p50_ms"),
        num(f, "search_service_p99_ms"),
        num(f, "typst_compile_ms"),
        num(f, "typst_cold_ms"),
    );
    for (name, target, floor) in RATIO_TARGETS {
        let Some(v) = r[*name].as_f64() else { continue };
        let ok = if *floor { v >= *target } else { v <= *target };
        let sign = if *floor { "≥" } else { "≤" };
        println!("{name:<22} {v:>9.3}  {} (target {sign}{target})", if ok { "ok" } else { "MISS" });
    }
}

/// The reminder sweeps, the time to first response, the binaries and the open-loop mix.
fn print_extras(o: &Outcome) {
    for step in &o.growth {
        let r = &step["ops"]["reminder_scan"];
        println!(
            "reminder sweep at {} documents ({} tasks, {} open): backlog {:.1} ms {}; drained in {} sweeps, {:.0} ms {}; quiet sweep p50 {:.2} ms {}",
            step["documents"],
            r["tasks"],
            r["open_tasks"],
            num(r, "backlog_ms"),
            r["first"],
            r["drain_sweeps"],
            num(r, "drain_ms"),
            r["drained"],
            num(r, "p50_ms"),
            r["quiet"]
        );
    }
    let f = &o.figures;
    let st = &f["first_response"];
    println!(
        "first response (in process, data reopened): opened {:.0} ms, /healthz {:.0} ms, /inbox {:.0} ms",
        num(st, "open_ms"),
        num(st, "first_healthz_ms"),
        num(st, "first_inbox_ms")
    );
    if let Some(bins) = f["binaries"].as_object() {
        for (name, b) in bins {
            let mb = |k: &str| b[k].as_f64().map_or("?".into(), |v| format!("{:.1} MB", v / 1e6));
            println!("binary {name}: {} as built, {} stripped ({})", mb("bytes"), mb("stripped_bytes"), b["path"]);
        }
    }
    for run in f["open_loop"].as_array().into_iter().flatten() {
        println!(
            "\nopen loop at {:.0} req/s for {} requests: answered {} ({} unfinished) at {:.0} req/s, {:.0} cpu µs each",
            num(run, "rate"),
            run["scheduled"],
            run["answered"],
            run["unfinished"],
            num(run, "achieved_rps"),
            num(run, "server_cpu_us")
        );
        println!(
            "  {:<14} {:>6} {:>8} {:>6} {:>9} {:>9} {:>9}",
            "operation", "weight", "requests", "errors", "p50 ms", "p99 ms", "max ms"
        );
        let all = std::iter::once(("all", &run["all"]));
        let ops = run["ops"].as_object().into_iter().flatten().map(|(k, v)| (k.as_str(), v));
        for (name, v) in all.chain(ops) {
            println!(
                "  {name:<14} {:>6} {:>8} {:>6} {:>9.2} {:>9.2} {:>9.2}",
                v["weight"].as_u64().map_or(String::new(), |w| format!("{w}%")),
                v["requests"],
                v["errors"],
                num(v, "p50_ms"),
                num(v, "p99_ms"),
                num(v, "max_ms")
            );
        }
    }
}

/// The Django peer's rows (`--peer-django`), in the table's columns; R_http is against the
/// peer's own hello-world, R_peer_django (below) divides ours by these.
fn print_peer(o: &Outcome) {
    let p = &o.figures["peer_django"];
    if let Some(e) = p["error"].as_str() {
        println!("\ndjango peer: failed: {e}");
    }
    let Some(versions) = p["versions"].as_str() else { return };
    println!("\ndjango peer ({versions}; {} sync workers, same SQLite file, same load driver)", p["workers"]);
    let hello = num(&p["healthz"], "server_cpu_us_per_request");
    for k in ["healthz", "inbox", "answer"] {
        let s = &p[k];
        let cpu = num(s, "server_cpu_us_per_request");
        println!(
            "{:<14} {:>8} {:>6} {:>9.0} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>9.0} {:>7.1}",
            format!("django.{k}"),
            s["requests"],
            s["errors"],
            num(s, "rps"),
            num(s, "p50_ms"),
            num(s, "p95_ms"),
            num(s, "p99_ms"),
            num(s, "max_ms"),
            cpu,
            cpu / hello.max(1e-9)
        );
        if let Some(e) = s["first_error"].as_str() {
            println!("    first unexpected response: {e}");
        }
    }
    let page = &p["inbox_page"];
    println!(
        "django peer memory: RssAnon {} MB idle, {} MB under load ({} processes; R_mem divides this run's own RssAnon after load, generator and load client included, by it); inbox page {} rows / {} bytes (ours {} / {})",
        p["rss_anon_idle_kb"].as_u64().unwrap_or(0) / 1024,
        p["rss_anon_load_kb"].as_u64().unwrap_or(0) / 1024,
        p["processes"],
        page["peer_rows"],
        page["peer_bytes"],
        page["ours_rows"],
        page["ours_bytes"]
    );
}

fn print_growth(o: &Outcome) {
    let Some(first) = o.growth.first() else { return };
    print!("\ngrowth (p50 ms; ×first step)  {:>10}", "documents");
    for op in GROWTH_OPS {
        print!(" {op:>16}");
    }
    println!(" {:>9} {:>9} {:>8}", "index s", "db MB", "index MB");
    for step in &o.growth {
        print!("{:>41}", step["documents"]);
        for op in GROWTH_OPS {
            let v = p50(step, op);
            print!(" {:>16}", format!("{v:.2} ×{:.2}", v / p50(first, op).max(1e-9)));
        }
        println!(
            " {:>9.1} {:>9.1} {:>8.1}",
            step["index_seconds"]["seconds"].as_f64().unwrap_or(0.0),
            step["db_bytes"].as_f64().unwrap_or(0.0) / 1e6,
            step["index_bytes"].as_f64().unwrap_or(0.0) / 1e6
        );
    }
}

fn p50(step: &Value, op: &str) -> f64 {
    step["ops"][op]["p50_ms"].as_f64().unwrap_or(0.0)
}

fn num(v: &Value, k: &str) -> f64 {
    v[k].as_f64().unwrap_or(0.0)
}

pub fn ratios(o: &Outcome) -> Value {
    let (hello_cpu, hello_rps) = hello(o);
    let by = |n: &str| o.http.iter().find(|s| s.name == n);
    let mut r = serde_json::Map::new();
    for s in o.http.iter().filter(|s| !s.name.starts_with("healthz")) {
        r.insert(format!("R_http.{}", s.name), json!(s.server_cpu_us / hello_cpu.max(1e-9)));
        r.insert(format!("R_tput.{}", s.name), json!(s.rps / hello_rps.max(1e-9)));
    }
    if let Some(l) = by("login") {
        r.insert("R_login".into(), json!(l.p50_ms / num(&o.figures, "raw_argon2_verify_ms").max(1e-9)));
    }
    if let Some(i) = by("inbox") {
        r.insert("R_db_read".into(), json!(i.server_cpu_us / num(&o.figures, "raw_inbox_range_read_us").max(1e-9)));
    }
    // The engine's p99 in process (D2), not the HTTP scenario's p99 under 16 connections.
    if o.figures["search_top20_p99_ms"].is_number() {
        let p99 = num(&o.figures, "search_top20_p99_ms");
        r.insert("R_search".into(), json!(p99 / num(&o.figures, "like_scan_ms").max(1e-9)));
    }
    if let Some(v) = o.figures["recall"]["recall"].as_f64() {
        r.insert("R_recall".into(), json!(v));
    }
    if let Some(p) = by("pdf") {
        r.insert("R_pdf".into(), json!(p.p50_ms / num(&o.figures, "typst_compile_ms").max(1e-9)));
    }
    // Absolute memory of the whole process (app, generator and load client), MB.
    let mb = |k: &str| o.figures["memory_kb"][k]["rss_anon"].as_f64().map(|v| v / 1024.0);
    if let (Some(idle), Some(load)) = (mb("idle_after_generate"), mb("after_load")) {
        r.insert("mem.rss_anon_idle_mb".into(), json!(idle));
        r.insert("mem.rss_anon_load_mb".into(), json!(load));
    }
    // D2: ours ÷ the Django peer, CPU per request (inbox; approve is our `answer`) and memory.
    let peer = &o.figures["peer_django"];
    let peer_cpu = |k: &str| peer[k]["server_cpu_us_per_request"].as_f64().filter(|v| *v > 0.0);
    for (ours, theirs, key) in
        [("inbox", "inbox", "R_peer_django.inbox"), ("answer", "answer", "R_peer_django.approve")]
    {
        if let (Some(s), Some(p)) = (by(ours), peer_cpu(theirs)) {
            r.insert(key.into(), json!(s.server_cpu_us / p));
        }
    }
    if let (Some(load), Some(p)) = (mb("after_load"), peer["rss_anon_load_kb"].as_f64().filter(|v| *v > 0.0)) {
        r.insert("mem.peer_django_rss_anon_mb".into(), json!(p / 1024.0));
        r.insert("R_mem".into(), json!(load * 1024.0 / p));
    }
    if let Some(main) = o.growth.iter().find(|g| g["documents"] == o.figures["documents"]) {
        r.insert("reminder_scan_ms".into(), json!(p50(main, "reminder_scan")));
    }
    let st = &o.figures["first_response"];
    for k in ["first_healthz_ms", "first_inbox_ms"] {
        if let Some(v) = st[k].as_f64() {
            r.insert(format!("start.{k}"), json!(v));
        }
    }
    for (name, b) in o.figures["binaries"].as_object().into_iter().flatten() {
        if let Some(v) = b["stripped_bytes"].as_f64() {
            r.insert(format!("bin.{name}_stripped_mb"), json!(v / 1e6));
        }
    }
    for run in o.figures["open_loop"].as_array().into_iter().flatten() {
        let rate = num(run, "rate");
        r.insert(format!("open.{rate:.0}.achieved_rps"), json!(num(run, "achieved_rps")));
        r.insert(format!("open.{rate:.0}.p99_ms"), json!(num(&run["all"], "p99_ms")));
    }
    // D3: p50 at each later step ÷ p50 at the first; the main step (100k) is `growth.<op>`.
    let main = o.figures["documents"].as_u64();
    if let Some(first) = o.growth.first() {
        for step in o.growth.iter().skip(1) {
            let size = step["documents"].as_u64();
            for op in GROWTH_OPS {
                let key =
                    if size == main { format!("growth.{op}") } else { format!("growth.{op}@{}", size.unwrap_or(0)) };
                r.insert(key, json!(p50(step, op) / p50(first, op).max(1e-9)));
            }
        }
    }
    Value::Object(r)
}

pub fn json(outcomes: &[Outcome], meta: Value) -> Value {
    let runs: Vec<Value> = outcomes
        .iter()
        .map(|o| {
            let http: Vec<Value> = o
                .http
                .iter()
                .map(|s| {
                    json!({"name": s.name, "requests": s.requests, "errors": s.errors, "seconds": s.seconds,
                        "rps": s.rps, "p50_ms": s.p50_ms, "p95_ms": s.p95_ms, "p99_ms": s.p99_ms, "max_ms": s.max_ms,
                        "server_cpu_us_per_request": s.server_cpu_us, "first_error": s.first_error})
                })
                .collect();
            json!({"backend": o.backend, "http": http, "ratios": ratios(o), "growth": o.growth, "figures": o.figures})
        })
        .collect();
    json!({"meta": meta, "runs": runs})
}

/// `BENCHMARKS.json`: the settings, then per database one key per ratio (`R_http.inbox`,
/// `R_search`, `growth.inbox`, …) as named in performance.md D2/D3.
pub fn ratios_only(outcomes: &[Outcome], meta: Value) -> Value {
    let mut out = serde_json::Map::new();
    out.insert("meta".into(), meta);
    for o in outcomes {
        out.insert(o.backend.into(), ratios(o));
    }
    Value::Object(out)
}
