//! The real `mishu` binary as the reliability tests drive it: CLI commands, a `mishu serve`
//! child on a data folder (and a PostgreSQL database when configured) that can be killed
//! with SIGKILL and started again, and the services opened behind its back for checking.

use mishu_service::Services;
use mishu_service::clock::SystemClock;
use mishu_service::db::{Db, DbLocation};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One backend under test: SQLite in a data folder, or PostgreSQL with the folder holding
/// only the audit key.
pub struct Backend {
    pub name: &'static str,
    pub data: PathBuf,
    pub url: Option<String>,
    /// Kept alive: the data folder lives in it (unless the test placed the folder itself).
    _dir: Option<tempfile::TempDir>,
}

/// SQLite always; PostgreSQL (a fresh database) when `MISHU_TEST_POSTGRES_URL` is set.
pub async fn backends() -> Vec<Backend> {
    let mut v = vec![Backend::new("sqlite", None)];
    if let Some(url) = mishu_testkit::fresh_postgres_url().await {
        v.push(Backend::new("postgres", Some(url)));
    }
    v
}

impl Backend {
    pub fn new(name: &'static str, url: Option<String>) -> Backend {
        let dir = tempfile::tempdir().unwrap();
        Backend { name, data: dir.path().join("data"), url, _dir: Some(dir) }
    }

    /// SQLite in a folder the test made (e.g. on a small filesystem).
    pub fn sqlite_in(data: PathBuf) -> Backend {
        Backend { name: "sqlite", data, url: None, _dir: None }
    }

    /// Runs `mishu <args>` with a clean environment; returns the exit code and all output.
    pub fn cli(&self, args: &[&str]) -> (i32, String) {
        let o = self.command().args(args).stdin(Stdio::null()).output().expect("run mishu");
        let text = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
        (o.status.code().unwrap_or(-1), text)
    }

    fn command(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_mishu"));
        for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("MISHU_")) {
            c.env_remove(k);
        }
        c.env("MISHU_LOG", "warn").arg("--data").arg(&self.data);
        if let Some(u) = &self.url {
            c.arg("--database-url").arg(u);
        }
        c
    }

    /// `mishu demo`: the demo organ, so every domain has people, rooms and seals to write to.
    pub fn load_demo(&self) {
        let (code, out) = self.cli(&["demo"]);
        assert_eq!(code, 0, "{}: mishu demo\n{out}", self.name);
    }

    /// The services over the same database and audit key the server uses.
    pub async fn services(&self) -> Services {
        let loc = match &self.url {
            Some(u) => DbLocation::Postgres(u.clone()),
            None => DbLocation::SqliteFolder(self.data.clone()),
        };
        let db = Db::connect(&loc, false).await.expect("open the database beside the server");
        let key = mishu_service::keys::load_or_create_audit_key(&self.data, None).expect("audit key");
        Services::new(db, Arc::new(SystemClock), key, self.data.clone())
    }

    /// Starts `mishu serve` and waits for `/healthz`; returns the node and how long it took.
    pub async fn start(&self, log: &Path) -> (Node, Duration) {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let listen = format!("127.0.0.1:{port}");
        let log = std::fs::OpenOptions::new().create(true).append(true).open(log).unwrap();
        let began = Instant::now();
        let child = self
            .command()
            .env("MISHU_LOG", "warn,sqlx=error")
            .args(["serve", "--insecure-cookies", "--listen", &listen])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start mishu serve");
        let node = Node { child, base: format!("http://{listen}") };
        let http = reqwest::Client::new();
        loop {
            if http.get(format!("{}/healthz", node.base)).send().await.is_ok_and(|r| r.status().is_success()) {
                return (node, began.elapsed());
            }
            assert!(began.elapsed() < Duration::from_secs(60), "{}: /healthz never answered", self.name);
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// A running `mishu serve`. Dropping it kills it (by its own pid) so no test leaves one behind.
pub struct Node {
    child: Child,
    pub base: String,
}

impl Node {
    /// Resident memory in KiB, from /proc (Linux).
    pub fn rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status.lines().find(|l| l.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok()
    }

    /// SIGKILL: no graceful shutdown, no flush, exactly what a crash looks like to the data.
    pub fn kill(mut self) {
        self.child.kill().expect("SIGKILL the server");
        self.child.wait().expect("reap the server");
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `<target>/reliability`: server logs stay where a CI run can show them.
pub fn artefacts() -> PathBuf {
    let bin = Path::new(env!("CARGO_BIN_EXE_mishu"));
    let dir = bin
        .parent()
        .and_then(Path::parent)
        .map_or_else(|| PathBuf::from("target"), Path::to_path_buf)
        .join("reliability");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A number from the environment, or the default (the PR tier's figure is set by `.ci/run`).
pub fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// A small deterministic generator (SplitMix64): the seed is printed, so a failing run can
/// be repeated with `MISHU_RELIABILITY_SEED`.
pub struct Rng(u64);

impl Rng {
    pub fn from_env() -> Rng {
        let seed = std::env::var("MISHU_RELIABILITY_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or_else(|| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
        });
        eprintln!("MISHU_RELIABILITY_SEED={seed}");
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..hi` milliseconds.
    pub fn millis(&mut self, lo: u64, hi: u64) -> Duration {
        Duration::from_millis(lo + self.next() % (hi - lo))
    }
}
