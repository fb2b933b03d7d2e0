//! Headless Chromium against the real binary for 收文: the secretary registers a 请示, proposes
//! it to the leader in charge, the leader instructs, and the 处理笺 shows the instruction signed
//! with the leader's name. Skipped (and passing) without chromedriver unless
//! `MISHU_REQUIRE_BROWSER=1`; on a fresh PostgreSQL database when `MISHU_TEST_POSTGRES_URL` is set.

#[path = "support/webdriver.rs"]
#[allow(dead_code)] // shared with browser.rs, which uses the rest
mod webdriver;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use webdriver::{Browser, Driver};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// `<target>/browser`, where the server and chromedriver logs stay for a failed run.
fn artefacts() -> PathBuf {
    let bin = Path::new(env!("CARGO_BIN_EXE_mishu"));
    let dir =
        bin.parent().and_then(Path::parent).map_or_else(|| PathBuf::from("target"), Path::to_path_buf).join("browser");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Debian's chromedriver (or `MISHU_CHROMEDRIVER`), or `None` when it is absent and not required.
async fn chromedriver_or_skip(test: &str) -> Option<Driver> {
    let path = std::env::var("MISHU_CHROMEDRIVER")
        .ok()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "/usr/bin/chromedriver".into());
    if !Path::new(&path).exists() {
        let required = std::env::var("MISHU_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
        assert!(!required, "MISHU_REQUIRE_BROWSER=1 but {path} is missing");
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
    _data: tempfile::TempDir,
}

impl Server {
    async fn start(test: &str) -> Server {
        let data = tempfile::tempdir().unwrap();
        let db_url = mishu_testkit::fresh_postgres_url().await;
        let port = free_port();
        let log = std::fs::File::create(artefacts().join(format!("{test}-server.log"))).unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_mishu"));
        for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("MISHU_")) {
            cmd.env_remove(k);
        }
        cmd.env("MISHU_NODE", test).env("MISHU_LOG", "info,sqlx=warn").arg("--data").arg(data.path());
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
        let base = format!("http://{listen}");
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        while !http.get(format!("{base}/healthz")).send().await.is_ok_and(|r| r.status().is_success()) {
            assert!(Instant::now() < deadline, "/healthz never answered; see {test}-server.log");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        Server { child, base, password, _data: data }
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

fn is_document_page(url: &str) -> bool {
    let id = url.split("/incoming/").nth(1).map(|rest| rest.split(['?', '#']).next().unwrap_or(""));
    id.is_some_and(|id| !id.is_empty() && id.bytes().all(|c| c.is_ascii_digit()))
}

#[tokio::test]
async fn a_request_is_registered_proposed_instructed_and_shown_on_the_slip() {
    let Some(driver) = chromedriver_or_skip("incoming").await else { return };
    let server = Server::start("incoming").await;
    let b = driver.browser().await;
    let title = format!("浏览器测试：关于购置实训设备的请示 {}", std::process::id());
    let instruction = format!("同意，请教务处会同财务处按程序办理。{}", std::process::id());

    // The secretary registers the 请示 and proposes it to the 院长 (秦立平).
    sign_in(&b, &server, "mishu").await;
    b.goto(&format!("{}/incoming/new", server.base)).await;
    b.find("#sender_organ").await.type_text("机电工程学院").await;
    b.find("#title").await.type_text(&title).await;
    b.find("#doc_type option[value='request']").await.click().await;
    b.find("#register-submit").await.click().await;
    let doc = b.wait_url("the registered document's page", is_document_page).await;
    let doc = doc.split('?').next().unwrap().to_string();
    assert_eq!(b.find("#state").await.attribute("data-state").await, "registered");
    b.find("#opinion").await.type_text("拟请秦院长阅示。").await;
    b.find_with_text("#lead option", "秦立平").await.click().await;
    b.find("#propose-submit").await.click().await;
    b.wait_attribute("#state", "data-state", "with_leaders").await;
    sign_out(&b).await;

    // The 院长 instructs on the document's own page.
    sign_in(&b, &server, "yuanzhang").await;
    b.goto(&doc).await;
    b.find("#instruction").await.type_text(&instruction).await;
    b.find("#instruct-submit").await.click().await;
    b.wait_source_contains(&instruction).await;

    // The 处理笺 carries the instruction signed with the leader's name.
    b.goto(&format!("{doc}/slip")).await;
    let slip = b.find("#slip").await.text().await;
    assert!(slip.contains(&instruction), "the slip shows the instruction: {slip}");
    assert!(slip.contains("秦立平"), "the slip names the leader: {slip}");
    assert!(slip.contains(&title), "the slip names the document: {slip}");
}
