//! Headless Chromium against the real binary: signing in, the inbox in two languages with
//! screenshots, and a leader-assigned task round the whole loop (given → reminded → answered
//! → closed). Talks WebDriver over HTTP to Debian's `/usr/bin/chromedriver`. Without it the
//! tests say "skipped" and pass, unless `MISHU_REQUIRE_BROWSER=1` (CI), where they fail.
//! With `MISHU_TEST_POSTGRES_URL` set the server runs on a fresh PostgreSQL database.

#[path = "support/webdriver.rs"]
mod webdriver;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use webdriver::{Browser, Driver};

/// Debian's chromedriver, or another one named by `MISHU_CHROMEDRIVER`.
fn chromedriver_path() -> String {
    std::env::var("MISHU_CHROMEDRIVER").ok().filter(|p| !p.is_empty()).unwrap_or_else(|| "/usr/bin/chromedriver".into())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// `<target>/browser`: screenshots and logs stay where a CI run can show them.
fn artefacts() -> PathBuf {
    let bin = Path::new(env!("CARGO_BIN_EXE_mishu"));
    let dir =
        bin.parent().and_then(Path::parent).map_or_else(|| PathBuf::from("target"), Path::to_path_buf).join("browser");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Chromedriver, or `None` (test skipped) when it is absent and not required.
async fn chromedriver_or_skip(test: &str) -> Option<Driver> {
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
struct Server {
    child: Child,
    base: String,
    password: String,
    data: tempfile::TempDir,
    db_url: Option<String>,
}

impl Server {
    /// `node` is the server's name for job leases; the loop test gives it the CLI's name ("cli")
    /// so that `mishu reminders run` may take the reminder lease the running server holds.
    async fn start(test: &str, node: &str) -> Server {
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
    fn cli(&self, args: &[&str]) -> (i32, String) {
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

async fn sign_in(b: &Browser, server: &Server, login: &str) {
    b.goto(&format!("{}/login", server.base)).await;
    b.find("#login").await.type_text(login).await;
    b.find("#password").await.type_text(&server.password).await;
    b.find("#signin").await.click().await;
    b.wait_url_contains("/inbox").await;
}

async fn sign_out(b: &Browser) {
    b.find("form[action='/logout'] button").await.click().await;
    b.wait_url_contains("/login").await;
}

/// Saves a screenshot and checks it is a real PNG of a real page, not a blank sliver.
async fn screenshot(b: &Browser, name: &str) -> PathBuf {
    let png = b.screenshot().await;
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{name}: not a PNG");
    let (w, h) =
        (u32::from_be_bytes(png[16..20].try_into().unwrap()), u32::from_be_bytes(png[20..24].try_into().unwrap()));
    assert!(w >= 800 && h >= 600, "{name}: {w}×{h} is too small");
    assert!(png.len() > 20_000, "{name}: {} bytes looks like an empty page", png.len());
    let path = artefacts().join(name);
    std::fs::write(&path, &png).unwrap();
    path
}

#[tokio::test]
async fn secretary_signs_in_sees_the_inbox_and_switches_language() {
    let Some(driver) = chromedriver_or_skip("inbox").await else { return };
    let server = Server::start("inbox", "node-inbox").await;
    let b = driver.browser().await;

    sign_in(&b, &server, "mishu").await;
    let rows = b.find_all("#inbox-list tbody tr").await;
    assert!(!rows.is_empty(), "the demo secretary's inbox has items");
    let html = b.source().await;
    assert!(html.contains("我的待办") && html.contains("lang=\"zh-CN\""), "the inbox starts in Chinese");
    screenshot(&b, "inbox-zh.png").await;

    b.find("header form.lang button[name='lang'][value='en']").await.click().await;
    b.wait_source_contains("My inbox").await;
    assert!(b.url().await.contains("/inbox"), "the switch returns to the same page");
    assert!(b.source().await.contains("lang=\"en\""));
    assert!(!b.find_all("#inbox-list tbody tr").await.is_empty());
    screenshot(&b, "inbox-en.png").await;
}

#[tokio::test]
async fn a_leader_task_goes_round_the_full_loop() {
    let Some(driver) = chromedriver_or_skip("leader-task").await else { return };
    let server = Server::start("leader-task", "cli").await;
    let b = driver.browser().await;
    let title = format!("浏览器测试：整理秋季招生宣传材料 {}", std::process::id());

    // Given: the secretary records the 院长's instruction for 招生就业处's 韩雨桐, due end of today.
    sign_in(&b, &server, "mishu").await;
    b.goto(&format!("{}/leader-tasks/new", server.base)).await;
    b.find("#title").await.type_text(&title).await;
    b.find_with_text("#leader option", "秦立平").await.click().await;
    b.find("#owner option[data-login='zsc.keyuan']").await.click().await;
    let today = mishu_domain::Timestamp(now_ms()).local_date().to_string();
    b.set_value("#due", &today).await;
    screenshot(&b, "leader-task-give.png").await;
    b.find("#give-submit").await.click().await;
    let task_url = b.wait_url("the new task's page", is_task_page).await;
    assert_eq!(b.find("#state").await.attribute("data-state").await, "given");

    // Reminded: an operator's sweep beside the running server sends the before-due reminder.
    let (code, out) = server.cli(&["reminders", "run"]);
    assert_eq!(code, 0, "{out}");
    let reminded: usize = out
        .split("reminded ")
        .nth(1)
        .and_then(|r| r.split(',').next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    assert!(reminded >= 1, "the new task is due within 24 hours: {out}");
    sign_out(&b).await;

    // Answered: the owner sees the reminder and answers from the inbox.
    sign_in(&b, &server, "zsc.keyuan").await;
    b.goto(&format!("{}/notifications", server.base)).await;
    let note = b.find_with_text("ul.notes li", &title).await;
    assert!(note.text().await.contains("即将到期"), "a before-due reminder for the task");
    screenshot(&b, "notifications.png").await;
    b.goto(&format!("{}/inbox", server.base)).await;
    b.find_with_text("#inbox-list a", &title).await.click().await;
    assert_eq!(b.wait_url("the task's page", is_task_page).await, task_url);
    b.find("#answer-text").await.type_text("宣传册已定稿，明天送印。").await;
    b.find("#answer-submit").await.click().await;
    b.wait_attribute("#state", "data-state", "answered").await;
    sign_out(&b).await;

    // Closed: the leader reviews the answer from his inbox and closes the task.
    sign_in(&b, &server, "yuanzhang").await;
    b.find_with_text("#inbox-list a", &title).await.click().await;
    assert_eq!(b.wait_url("the task's page", is_task_page).await, task_url);
    assert!(b.find("#answer").await.text().await.contains("明天送印"));
    b.find("#close-submit").await.click().await;
    b.wait_attribute("#state", "data-state", "closed").await;
    screenshot(&b, "leader-task-closed.png").await;

    let (code, out) = server.cli(&["audit", "verify"]);
    assert_eq!(code, 0, "the loop leaves an intact audit chain: {out}");
}

/// `…/leader-tasks/<number>`.
fn is_task_page(url: &str) -> bool {
    url.split("/leader-tasks/").nth(1).is_some_and(|id| !id.is_empty() && id.bytes().all(|c| c.is_ascii_digit()))
}

fn now_ms() -> i64 {
    let d = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap();
    i64::try_from(d.as_millis()).unwrap()
}
