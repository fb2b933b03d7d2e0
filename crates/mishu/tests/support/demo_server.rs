//! What the browser tests share: chromedriver (or a skip), a `mishu serve --demo` child
//! process on a fresh data folder with the password it printed, and signing in and out.

use super::webdriver::{Browser, Driver};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Debian's chromedriver, or another one named by `MISHU_CHROMEDRIVER`.
pub fn chromedriver_path() -> String {
    std::env::var("MISHU_CHROMEDRIVER").ok().filter(|p| !p.is_empty()).unwrap_or_else(|| "/usr/bin/chromedriver".into())
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// `<target>/browser`: screenshots and logs stay where a CI run can show them.
pub fn artefacts() -> PathBuf {
    let bin = Path::new(env!("CARGO_BIN_EXE_mishu"));
    let dir =
        bin.parent().and_then(Path::parent).map_or_else(|| PathBuf::from("target"), Path::to_path_buf).join("browser");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Chromedriver, or `None` (test skipped) when it is absent and not required.
pub async fn chromedriver_or_skip(test: &str) -> Option<Driver> {
    let path = chromedriver_path();
    if !Path::new(&path).exists() {
        let required = std::env::var("MISHU_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
        assert!(!required, "MISHU_REQUIRE_BROWSER=1 but {path} is missing (apt-get install chromium chromium-driver)");
        // Straight to stderr: libtest would swallow println! of a passing test.
        let _ = writeln!(std::io::stderr(), "{test}: skipped: no chromedriver at {path}");
        return None;
    }
    Some(Driver::start(&path, free_port(), &artefacts().join(format!("{test}-chromedriver.log"))).await)
}

/// `mishu serve --demo` on a fresh data folder (and database), with the demo password it printed.
pub struct Server {
    pub child: Child,
    pub base: String,
    pub password: String,
    pub data: tempfile::TempDir,
    pub db_url: Option<String>,
}

impl Server {
    /// `node` is the server's name for job leases; the loop test gives it the CLI's name ("cli")
    /// so that `mishu reminders run` may take the reminder lease the running server holds.
    pub async fn start(test: &str, node: &str) -> Server {
        Server::launch(test, node, None).await
    }

    /// The demo with its clock shifted to `at` (`serve --demo-clock`): the demo organ is loaded
    /// as of that instant, and `set_clock` moves the server's time on while it runs.
    #[allow(dead_code)] // browser_meetings.rs only
    pub async fn start_at(test: &str, at: chrono::DateTime<chrono::FixedOffset>) -> Server {
        Server::launch(test, test, Some(at)).await
    }

    /// The file `--demo-clock` reads: the shift from the real time, in milliseconds.
    fn clock_file(data: &Path) -> PathBuf {
        data.join("demo-clock")
    }

    fn write_clock(data: &Path, at: chrono::DateTime<chrono::FixedOffset>) {
        let offset = at.timestamp_millis() - chrono::Utc::now().timestamp_millis();
        std::fs::write(Server::clock_file(data), offset.to_string()).unwrap();
    }

    /// Moves the server's "now" to `at` (it runs on from there in real time).
    #[allow(dead_code)] // browser_meetings.rs only
    pub fn set_clock(&self, at: chrono::DateTime<chrono::FixedOffset>) {
        Server::write_clock(self.data.path(), at);
    }

    async fn launch(test: &str, node: &str, at: Option<chrono::DateTime<chrono::FixedOffset>>) -> Server {
        let data = tempfile::tempdir().unwrap();
        let db_url = mishu_testkit::fresh_postgres_url().await;
        let port = free_port();
        let log = std::fs::File::create(artefacts().join(format!("{test}-server.log"))).unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_mishu"));
        for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("MISHU_")) {
            cmd.env_remove(k);
        }
        cmd.env("MISHU_NODE", node).env("MISHU_LOG", "info,sqlx=warn").arg("--data").arg(data.path());
        if let Some(u) = &db_url {
            cmd.arg("--database-url").arg(u);
        }
        let listen = format!("127.0.0.1:{port}");
        cmd.args(["serve", "--demo", "--insecure-cookies", "--listen", &listen]);
        if let Some(at) = at {
            Server::write_clock(data.path(), at);
            cmd.arg("--demo-clock").arg(Server::clock_file(data.path()));
        }
        let mut child = cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(log).spawn().expect("start mishu serve");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            // Keep draining so the server never blocks on a full pipe.
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(pw) = line.split("(shown once): ").nth(1) {
                    let _ = tx.send(pw.trim().to_string());
                }
            }
        });
        let password = rx.recv_timeout(Duration::from_secs(120)).expect("the demo password line on stdout");
        assert!(password.len() >= 8, "demo password looks wrong: {password:?}");
        let base = format!("http://{listen}");
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if http.get(format!("{base}/healthz")).send().await.is_ok_and(|r| r.status().is_success()) {
                break;
            }
            assert!(Instant::now() < deadline, "/healthz never answered; see {test}-server.log");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        Server { child, base, password, data, db_url }
    }

    /// Runs another `mishu` command against the same data, as an operator would beside the server.
    pub fn cli(&self, args: &[&str]) -> (i32, String) {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_mishu"));
        for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("MISHU_")) {
            cmd.env_remove(k);
        }
        cmd.env("MISHU_LOG", "warn").arg("--data").arg(self.data.path());
        if let Some(u) = &self.db_url {
            cmd.arg("--database-url").arg(u);
        }
        let o = cmd.args(args).stdin(Stdio::null()).output().unwrap();
        let text = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
        (o.status.code().unwrap_or(-1), text)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub async fn sign_in(b: &Browser, server: &Server, login: &str) {
    b.goto(&format!("{}/login", server.base)).await;
    b.find("#login").await.type_text(login).await;
    b.find("#password").await.type_text(&server.password).await;
    b.find("#signin").await.click().await;
    b.wait_url_contains("/inbox").await;
}

pub async fn sign_out(b: &Browser) {
    b.find("form[action='/logout'] button").await.click().await;
    b.wait_url_contains("/login").await;
}
