//! The Django peer of performance.md D2 (`R_peer_django`, `R_mem`): the minimal Django 5.2
//! app in `peer/django` (its README says what each view does and where it differs from
//! ours), served by gunicorn with 5 sync workers on this run's own SQLite file and driven by
//! the same load driver in the same shapes as our `inbox` and `answer` rows. Its CPU per
//! request is the gunicorn tree's utime+stime over each scenario, its memory the tree's
//! RssAnon sampled under load. Opt-in (`--peer-django`): it needs `python3`, and installs
//! Django and gunicorn from PyPI into a venv the first time.

use crate::generate::{self, Generated};
use crate::http::{Conn, Request};
use crate::load::{self, Scenario, Stats};
use crate::procfs;
use crate::scenarios::{Shape, scenario};
use anyhow::{Context, bail};
use mishu_service::{Services, args};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::runtime::Handle;

/// gunicorn's workers, as performance.md A2 ran Django.
const WORKERS: &str = "5";
const PROJECT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/peer/django");
const PIP: [&str; 2] = ["django==5.2.*", "gunicorn"];
/// The answer our `answer` scenario posts (scenarios.rs).
const ANSWER: &str = r#"{"text":"已按要求办理，情况如下：压测答复。"}"#;

/// Where our own server is, to fetch one inbox page beside the peer's (sizes compared).
pub struct Ours<'a> {
    pub addr: SocketAddr,
    pub cookie: &'a str,
}

/// The peer's figures as JSON (`figures.peer_django`); an error is reported, not raised:
/// the peer is a comparison and must not cost the run its own figures.
#[allow(clippy::too_many_arguments)]
pub async fn run(
    venv: &Path,
    s: &Services,
    data: &Path,
    g: &Generated,
    table: Shape,
    answers: usize,
    client: &Handle,
    ours: Ours<'_>,
) -> Value {
    match measure(venv, s, data, g, table, answers, client, ours).await {
        Ok(v) => v,
        Err(e) => {
            eprintln!("django peer failed: {e:#}");
            json!({"error": format!("{e:#}")})
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn measure(
    venv: &Path,
    s: &Services,
    data: &Path,
    g: &Generated,
    table: Shape,
    answers: usize,
    client: &Handle,
    ours: Ours<'_>,
) -> anyhow::Result<Value> {
    let db = data.join("mishu.db");
    let (venv2, db2, login) = (venv.to_path_buf(), db.clone(), g.user_login.clone());
    let (versions, session) = tokio::task::spawn_blocking(move || prepare(&venv2, &db2, &login)).await??;
    eprintln!("django peer: {versions}, {WORKERS} sync workers on {}", db.display());
    let cookie = format!("sessionid={session}");
    let addr = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
    let mut server = Gunicorn::start(venv, &db, addr, &data.join("gunicorn.log"))?;
    let pid = server.pid();
    server.wait_ready(addr).await?;

    // One page each, to show the two render the same rows (and how large they are).
    let page = |addr, cookie: &str| fetch(addr, Request::get("/inbox").header("Cookie", cookie));
    let (peer_page, our_page) = (page(addr, &cookie).await?, page(ours.addr, ours.cookie).await?);
    if peer_page.0 != 200 {
        bail!("peer /inbox answered {}: {}", peer_page.0, String::from_utf8_lossy(&peer_page.1));
    }
    // Every worker opens its connection and compiles its templates before the measurement.
    let warm = Scenario { max_requests: 100, ..inbox(table, &cookie) };
    client.spawn(async move { load::run(addr, &warm).await }).await??;
    let idle = procfs::tree_rss_anon_kb(pid);

    let peak = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = tokio::spawn(sample(pid, peak.clone(), stop.clone()));
    let healthz = timed(client, addr, pid, hello(table)).await?;
    let inbox_stats = timed(client, addr, pid, inbox(table, &cookie)).await?;
    // The peer's own leader tasks, made after its inbox was measured so that the page it
    // showed held what ours held; the answers then consume them as ours consumed its pool.
    let (leader,): (i64,) =
        s.db.fetch_one("SELECT person_id FROM people WHERE login = $1", args![generate::LEADER]).await?;
    let pool = generate::leader_tasks(s, answers, g.user_id, leader, s.clock.now().0).await?;
    let next = Arc::new(AtomicUsize::new(0));
    let answer_shape = Shape { connections: table.connections.min(4), ..table };
    let warm = Scenario { max_requests: 20, ..answer(answer_shape, &cookie, &pool, &next) };
    client.spawn(async move { load::run(addr, &warm).await }).await??;
    let answer_stats = timed(client, addr, pid, answer(answer_shape, &cookie, &pool, &next)).await?;
    stop.store(true, Ordering::Relaxed);
    sampler.await?;
    let load = procfs::tree_rss_anon_kb(pid);
    server.stop();

    let rows = |b: &[u8]| String::from_utf8_lossy(b).matches("<tr class=\"urgency-").count();
    Ok(json!({
        "versions": versions,
        "workers": WORKERS.parse::<u32>().unwrap_or(0),
        "processes": load.1,
        "healthz": stats_json(&healthz),
        "inbox": stats_json(&inbox_stats),
        "answer": stats_json(&answer_stats),
        "rss_anon_idle_kb": idle.0,
        "rss_anon_load_kb": peak.load(Ordering::Relaxed).max(load.0),
        "inbox_page": {"peer_bytes": peer_page.1.len(), "peer_rows": rows(&peer_page.1),
            "ours_bytes": our_page.1.len(), "ours_rows": rows(&our_page.1)},
    }))
}

/// The venv (made on first use), Django's own tables in the data file and a session for the
/// bench user; returns the versions and the session key.
fn prepare(venv: &Path, db: &Path, login: &str) -> anyhow::Result<(String, String)> {
    if !venv.join("bin/gunicorn").exists() {
        eprintln!("django peer: installing {PIP:?} into {}", venv.display());
        output(Command::new("python3").arg("-m").arg("venv").arg(venv))?;
        output(Command::new(venv.join("bin/pip")).args(["install", "--quiet"]).args(PIP))?;
    }
    let python = venv.join("bin/python");
    let versions = output(Command::new(&python).args([
        "-c",
        "import django, gunicorn, sqlite3; print(f'Django {django.get_version()}, gunicorn {gunicorn.__version__}, SQLite {sqlite3.sqlite_version}')",
    ]))?;
    let manage = |args: &[&str]| {
        output(Command::new(&python).arg("manage.py").args(args).current_dir(PROJECT).env("MISHU_PEER_DB", db))
    };
    manage(&["migrate", "--verbosity", "0"])?;
    let session = manage(&["peer_session", login])?;
    Ok((versions.trim().to_string(), session.trim().to_string()))
}

fn output(cmd: &mut Command) -> anyhow::Result<String> {
    let out = cmd.stdin(Stdio::null()).output().with_context(|| format!("{cmd:?}"))?;
    if !out.status.success() {
        bail!("{cmd:?}: {}\n{}", out.status, String::from_utf8_lossy(&out.stderr));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A scenario run against the peer, its CPU per request read from the gunicorn tree.
async fn timed(client: &Handle, addr: SocketAddr, pid: u32, sc: Scenario) -> anyhow::Result<Stats> {
    let cpu0 = procfs::tree_cpu_ns(pid);
    let mut st = client.spawn(async move { load::run(addr, &sc).await }).await??;
    let cpu = procfs::tree_cpu_ns(pid).saturating_sub(cpu0);
    st.server_cpu_us = if st.requests == 0 { 0.0 } else { cpu as f64 / 1000.0 / st.requests as f64 };
    eprintln!(
        "  django {:<12} {:>6.0} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  {:>6.0} cpu µs  errors {}",
        st.name, st.rps, st.p50_ms, st.p99_ms, st.server_cpu_us, st.errors
    );
    Ok(st)
}

/// The tree's RssAnon twice a second while the scenarios run; the peak is "under load".
async fn sample(pid: u32, peak: Arc<AtomicU64>, stop: Arc<AtomicBool>) {
    while !stop.load(Ordering::Relaxed) {
        peak.fetch_max(procfs::tree_rss_anon_kb(pid).0, Ordering::Relaxed);
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

fn hello(shape: Shape) -> Scenario {
    scenario("healthz", shape, u64::MAX, 200, |_| Request::get("/healthz"))
}

fn inbox(shape: Shape, cookie: &str) -> Scenario {
    let cookie = cookie.to_string();
    scenario("inbox", shape, u64::MAX, 200, move |_| Request::get("/inbox").header("Cookie", cookie.clone()))
}

/// Each request answers the next leader task of the peer's pool, as `Ctx::answer` does.
fn answer(shape: Shape, cookie: &str, pool: &[i64], next: &Arc<AtomicUsize>) -> Scenario {
    let (cookie, ids, next) = (cookie.to_string(), Arc::new(pool.to_vec()), next.clone());
    let left = pool.len().saturating_sub(next.load(Ordering::Relaxed)) as u64;
    scenario("answer", shape, left, 200, move |_| {
        let id = ids[next.fetch_add(1, Ordering::Relaxed).min(ids.len() - 1)];
        Request::post(format!("/api/leader-tasks/{id}/answer"), "application/json", ANSWER)
            .header("Cookie", cookie.clone())
    })
}

async fn fetch(addr: SocketAddr, req: Request) -> anyhow::Result<(u16, Vec<u8>)> {
    let res = Conn::open(addr).await?.send(&req.bytes()).await?;
    Ok((res.status, res.body))
}

fn stats_json(s: &Stats) -> Value {
    json!({"name": s.name, "requests": s.requests, "errors": s.errors, "seconds": s.seconds, "rps": s.rps,
        "p50_ms": s.p50_ms, "p95_ms": s.p95_ms, "p99_ms": s.p99_ms, "max_ms": s.max_ms,
        "server_cpu_us_per_request": s.server_cpu_us, "first_error": s.first_error})
}

/// The gunicorn master; stopped when dropped, so an error on the way stops it too.
struct Gunicorn {
    child: Child,
    log: PathBuf,
    stopped: bool,
}

impl Gunicorn {
    fn start(venv: &Path, db: &Path, addr: SocketAddr, log: &Path) -> anyhow::Result<Gunicorn> {
        let out = std::fs::File::create(log)?;
        let child = Command::new(venv.join("bin/gunicorn"))
            .args(["--workers", WORKERS, "--worker-class", "sync", "--bind", &addr.to_string()])
            .args(["--chdir", PROJECT, "--log-level", "warning", "peer.wsgi:application"])
            .env("MISHU_PEER_DB", db)
            .stdin(Stdio::null())
            .stdout(out.try_clone()?)
            .stderr(out)
            .spawn()
            .context("starting gunicorn")?;
        Ok(Gunicorn { child, log: log.to_path_buf(), stopped: false })
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `/healthz` answers 200 (Django loaded, the database opened) within 30 s.
    async fn wait_ready(&mut self, addr: SocketAddr) -> anyhow::Result<()> {
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(30) {
            if let Some(status) = self.child.try_wait()? {
                bail!("gunicorn exited ({status}): {}", std::fs::read_to_string(&self.log).unwrap_or_default());
            }
            if fetch(addr, Request::get("/healthz")).await.is_ok_and(|(s, _)| s == 200) {
                eprintln!("django peer: ready in {:.2} s", t.elapsed().as_secs_f64());
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("gunicorn not ready after 30 s: {}", std::fs::read_to_string(&self.log).unwrap_or_default())
    }

    /// SIGTERM to the master, which stops its workers; SIGKILL to the tree after 15 s.
    fn stop(&mut self) {
        if std::mem::replace(&mut self.stopped, true) {
            return;
        }
        let pid = self.pid();
        let tree = procfs::tree_pids(pid);
        let _ = Command::new("kill").args(["-TERM", &pid.to_string()]).status();
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(15) {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        for p in tree {
            let _ = Command::new("kill").args(["-KILL", &p.to_string()]).status();
        }
        let _ = self.child.wait();
    }
}

impl Drop for Gunicorn {
    fn drop(&mut self) {
        self.stop();
    }
}
