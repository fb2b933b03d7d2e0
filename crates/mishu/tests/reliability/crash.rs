//! T1, crash durability: writers on every domain through the API of a real `mishu serve`,
//! SIGKILL at a random moment, restart on the same data, and then: every write that was
//! answered 2xx is there with its audit record, SQLite's integrity and foreign-key checks
//! pass, the domain invariants hold, `mishu audit verify` passes, the restart took ≤ 5 s.
//!
//! Cycles: `MISHU_CRASH_CYCLES` (default 2 in a plain `cargo test`; `.ci/run` asks for 20,
//! `scripts/reliability-long.sh` for 200 on SQLite and 50 on PostgreSQL).

use crate::node::{Backend, Rng, artefacts, backends, env_count};
use crate::writes::{Ids, WRITES, broken_invariants, storage_checks};
use mishu_service::args;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Concurrent writers; the tier's figure is 16, two cores make 8 the useful number here.
const WRITERS: usize = 8;
const MAX_RESTART: Duration = Duration::from_secs(5);

/// One write the server acknowledged: which kind, the id it answered, the title sent.
#[derive(Clone, Debug)]
struct Acked {
    kind: usize,
    id: i64,
    title: String,
}

#[derive(Default)]
struct Journal {
    acked: Vec<Acked>,
    /// Answers that are neither 2xx nor a dropped connection: each is a failure.
    bad: Vec<String>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_sigkill() {
    for b in backends().await {
        let default = 2;
        let cycles = env_count(&format!("MISHU_CRASH_CYCLES_{}", b.name.to_uppercase()), 0);
        let cycles = if cycles > 0 { cycles } else { env_count("MISHU_CRASH_CYCLES", default) };
        crash_cycles(&b, cycles).await;
    }
}

async fn crash_cycles(b: &Backend, cycles: usize) {
    b.load_demo();
    let s = b.services().await;
    let ids = Ids::of_demo(&s).await;
    let secretary = crate::writes::person(&s, "mishu").await;
    let token = mishu_service::auth::tokens::create(
        &s,
        &mishu_service::audit::Origin::system(),
        mishu_domain::PersonId(secretary),
        "crash",
        None,
    )
    .await
    .expect("token")
    .1;
    s.db.close().await;

    let log = artefacts().join(format!("crash-{}-server.log", b.name));
    let _ = std::fs::remove_file(&log);
    let mut rng = Rng::from_env();
    let journal = Arc::new(Mutex::new(Journal::default()));
    let (mut slowest, mut total_restart) = (Duration::ZERO, Duration::ZERO);
    let started = Instant::now();
    for cycle in 0..cycles {
        let (node, took) = b.start(&log).await;
        assert!(took <= MAX_RESTART, "{}: cycle {cycle}: ready after {took:?} (limit {MAX_RESTART:?})", b.name);
        slowest = slowest.max(took);
        total_restart += took;

        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let mut writers = Vec::new();
        for w in 0..WRITERS {
            let (base, token, ids, journal, stop) =
                (node.base.clone(), token.clone(), ids.clone(), journal.clone(), stop.clone());
            writers.push(tokio::spawn(async move { write_loop(&base, &token, &ids, cycle, w, &journal, &stop).await }));
        }
        tokio::time::sleep(rng.millis(300, 1500)).await;
        node.kill();
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        for w in writers {
            w.await.expect("writer task");
        }
        check(b, cycle, &journal).await;
    }
    let j = journal.lock().unwrap();
    let line = format!(
        "T1 {}: {cycles} cycles, {} writes acknowledged, 0 lost, restart mean {:?} max {:?}, {:?} in all",
        b.name,
        j.acked.len(),
        total_restart / cycles.max(1) as u32,
        slowest,
        started.elapsed()
    );
    eprintln!("{line}");
    report(&line);
}

/// Appends a result line to `<target>/reliability/results.txt` for RELIABILITY.md.
pub fn report(line: &str) {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(artefacts().join("results.txt")).unwrap();
    writeln!(f, "{line}").unwrap();
}

async fn write_loop(
    base: &str,
    token: &str,
    ids: &Ids,
    cycle: usize,
    worker: usize,
    journal: &Mutex<Journal>,
    stop: &std::sync::atomic::AtomicBool,
) {
    let http = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap();
    for n in 0.. {
        if stop.load(std::sync::atomic::Ordering::SeqCst) {
            return;
        }
        let kind = (worker + n) % WRITES.len();
        let w = &WRITES[kind];
        let title = format!("崩溃测试 c{cycle} w{worker} n{n} {}", w.domain);
        let sent = http.post(format!("{base}{}", w.path)).bearer_auth(token).json(&(w.body)(ids, &title)).send().await;
        let res = match sent {
            Ok(r) => r,
            // The server died under the request: not acknowledged, nothing promised.
            Err(_) => return,
        };
        let status = res.status();
        let Ok(body) = res.bytes().await else { return };
        if status.as_u16() == 201 {
            let v: serde_json::Value = serde_json::from_slice(&body).expect("201 with JSON");
            let id = (w.id_of)(&v).unwrap_or_else(|| panic!("{}: 201 without an id: {v}", w.domain));
            journal.lock().unwrap().acked.push(Acked { kind, id, title });
        } else {
            let text = String::from_utf8_lossy(&body);
            journal.lock().unwrap().bad.push(format!("{} {status}: {text}", w.domain));
            return;
        }
    }
}

/// With the server dead: everything acknowledged is there, the files and the chain are sound.
async fn check(b: &Backend, cycle: usize, journal: &Mutex<Journal>) {
    let (acked, bad) = {
        let j = journal.lock().unwrap();
        (j.acked.clone(), j.bad.clone())
    };
    assert!(bad.is_empty(), "{}: cycle {cycle}: answers other than 201: {bad:#?}", b.name);
    let s = b.services().await;
    let mut problems = storage_checks(&s).await;
    problems.extend(broken_invariants(&s).await);
    // Every acknowledged write is checked again after every cycle (a later crash could lose
    // an earlier write), so each kind's rows and audit counts are read once per cycle, not once
    // per write: per write, 200 cycles took hours (a full audit scan for each).
    let mut stored = Vec::new();
    for w in WRITES {
        let rows: Vec<(i64, String)> = s.db.fetch_all(w.read_all, args![]).await.expect("read back");
        let counts: Vec<(Option<String>, i64)> =
            s.db.fetch_all(
                "SELECT subject_id, COUNT(*) FROM audit_log WHERE action = $1 GROUP BY subject_id",
                args![w.audit_action],
            )
            .await
            .expect("audit counts");
        let counts: HashMap<String, i64> = counts.into_iter().filter_map(|(id, n)| Some((id?, n))).collect();
        stored.push((rows.into_iter().collect::<HashMap<i64, String>>(), counts));
    }
    for a in &acked {
        let w = &WRITES[a.kind];
        let (rows, counts) = &stored[a.kind];
        match rows.get(&a.id) {
            Some(t) if *t == a.title => {}
            Some(t) => problems.push(format!("{} {}: title {t:?}, acknowledged {:?}", w.domain, a.id, a.title)),
            None => problems.push(format!("{} {}: acknowledged and lost", w.domain, a.id)),
        }
        let n = counts.get(&a.id.to_string()).copied().unwrap_or(0);
        if n != 1 {
            problems.push(format!("{} {}: {n} audit records `{}`, want 1", w.domain, a.id, w.audit_action));
        }
    }
    s.db.close().await;
    let (code, out) = b.cli(&["audit", "verify"]);
    if code != 0 {
        problems.push(format!("mishu audit verify: exit {code}\n{out}"));
    }
    assert!(problems.is_empty(), "{}: cycle {cycle}, {} acknowledged:\n{}", b.name, acked.len(), problems.join("\n"));
}
