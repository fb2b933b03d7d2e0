//! A minimal W3C WebDriver client over HTTP: just what the browser tests use (navigate, find,
//! type, click, read, run a line of script, screenshot). Waits poll, because a click that
//! submits a form returns before the next page has necessarily loaded.

use base64::Engine;
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(30);
/// The W3C name of an element reference in JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A running chromedriver.
pub struct Driver {
    child: Child,
    addr: String,
}

impl Driver {
    pub async fn start(binary: &str, port: u16, log: &Path) -> Driver {
        let log = std::fs::File::create(log).unwrap();
        let child = Command::new(binary)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("start chromedriver");
        let d = Driver { child, addr: format!("127.0.0.1:{port}") };
        let http = reqwest::Client::new();
        let deadline = Instant::now() + WAIT;
        loop {
            let ready = match http.get(format!("http://{}/status", d.addr)).send().await {
                Ok(r) => r.json::<Value>().await.is_ok_and(|v| v["value"]["ready"] == json!(true)),
                Err(_) => false,
            };
            if ready {
                return d;
            }
            assert!(Instant::now() < deadline, "chromedriver did not become ready");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// A new headless Chromium session with its own profile, in Chinese, 1280×900.
    pub async fn browser(self) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let mut args: Vec<String> = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--window-size=1280,900",
            "--lang=zh-CN",
        ]
        .map(String::from)
        .to_vec();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        let mut options = json!({ "args": args, "prefs": { "intl.accept_languages": "zh-CN,zh" } });
        if Path::new("/usr/bin/chromium").exists() {
            options["binary"] = json!("/usr/bin/chromium");
        }
        let caps = json!({ "capabilities": { "alwaysMatch": { "goog:chromeOptions": options } } });
        let http = reqwest::Client::new();
        let res: Value = http
            .post(format!("http://{}/session", self.addr))
            .json(&caps)
            .send()
            .await
            .expect("chromedriver answers")
            .json()
            .await
            .expect("chromedriver's JSON");
        let id = res["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {res}")).to_string();
        let session = Session { http, base: format!("http://{}/session/{id}", self.addr) };
        Browser { session, id, driver: self, _profile: profile }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Clone)]
struct Session {
    http: reqwest::Client,
    base: String,
}

impl Session {
    async fn cmd(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Result<Value, String> {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.map_err(|e| e.to_string())?;
        let ok = res.status().is_success();
        let v: Value = res.json().await.map_err(|e| e.to_string())?;
        if ok { Ok(v["value"].clone()) } else { Err(format!("{path}: {}", v["value"])) }
    }

    async fn get(&self, path: &str) -> Result<Value, String> {
        self.cmd(reqwest::Method::GET, path, None).await
    }

    async fn post(&self, path: &str, body: Value) -> Result<Value, String> {
        self.cmd(reqwest::Method::POST, path, Some(body)).await
    }

    async fn find_all(&self, css: &str) -> Result<Vec<Element>, String> {
        let v = self.post("/elements", json!({ "using": "css selector", "value": css })).await?;
        let ids = v.as_array().ok_or("elements: not a list")?;
        Ok(ids
            .iter()
            .filter_map(|e| e[ELEMENT_KEY].as_str())
            .map(|id| Element { s: self.clone(), id: id.to_string() })
            .collect())
    }
}

/// One browser session; dropping it ends the session and chromedriver (and so Chromium).
pub struct Browser {
    session: Session,
    id: String,
    driver: Driver,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    /// Ends the session even when a test panicked, so no Chromium outlives the test. Async is
    /// not available in `drop`, hence one raw HTTP request.
    fn drop(&mut self) {
        if let Ok(mut s) = TcpStream::connect(&self.driver.addr) {
            let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
            let req = format!(
                "DELETE /session/{} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
                self.id, self.driver.addr
            );
            if s.write_all(req.as_bytes()).is_ok() {
                let _ = s.read_to_end(&mut Vec::new());
            }
        }
    }
}

async fn poll<T, F, Fut>(what: &str, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<Option<T>, String>>,
{
    let deadline = Instant::now() + WAIT;
    let mut last = String::new();
    loop {
        match f().await {
            Ok(Some(v)) => return v,
            Ok(None) => {}
            Err(e) => last = e,
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what} {last}");
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

impl Browser {
    pub async fn goto(&self, url: &str) {
        self.session.post("/url", json!({ "url": url })).await.unwrap();
    }

    pub async fn url(&self) -> String {
        self.session.get("/url").await.unwrap().as_str().unwrap_or_default().to_string()
    }

    pub async fn source(&self) -> String {
        self.session.get("/source").await.unwrap().as_str().unwrap_or_default().to_string()
    }

    /// The first element matching `css`, waiting for it to appear.
    pub async fn find(&self, css: &str) -> Element {
        poll(&format!("`{css}`"), || async { Ok(self.session.find_all(css).await?.into_iter().next()) }).await
    }

    /// Every element matching `css` now (no wait).
    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        self.session.find_all(css).await.unwrap()
    }

    /// The first element matching `css` whose visible text contains `text`, waiting for it.
    pub async fn find_with_text(&self, css: &str, text: &str) -> Element {
        poll(&format!("`{css}` containing {text:?}"), || async {
            for e in self.session.find_all(css).await? {
                if e.try_text().await?.contains(text) {
                    return Ok(Some(e));
                }
            }
            Ok(None)
        })
        .await
    }

    /// Runs a script in the page and returns its value (a JSON value).
    #[allow(dead_code)] // browser_outgoing.rs only
    pub async fn script(&self, script: &str, args: serde_json::Value) -> serde_json::Value {
        self.session.post("/execute/sync", json!({ "script": script, "args": args })).await.unwrap()
    }

    /// Sets a field's value by script: typing into `<input type=date>` depends on the locale.
    pub async fn set_value(&self, css: &str, value: &str) {
        let script = "const e = document.querySelector(arguments[0]); e.value = arguments[1]; return e.value;";
        let v = self.session.post("/execute/sync", json!({ "script": script, "args": [css, value] })).await.unwrap();
        assert_eq!(v.as_str(), Some(value), "{css} did not take {value:?}");
    }

    pub async fn wait_url_contains(&self, part: &str) {
        poll(&format!("a URL containing {part:?}"), || async {
            Ok(self.session.get("/url").await?.as_str().is_some_and(|u| u.contains(part)).then_some(()))
        })
        .await
    }

    pub async fn wait_url(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        poll(what, || async {
            let u = self.session.get("/url").await?.as_str().unwrap_or_default().to_string();
            Ok(pred(&u).then_some(u))
        })
        .await
    }

    pub async fn wait_source_contains(&self, text: &str) {
        poll(&format!("the page to contain {text:?}"), || async {
            Ok(self.session.get("/source").await?.as_str().is_some_and(|s| s.contains(text)).then_some(()))
        })
        .await
    }

    /// Waits until exactly `n` elements match `css`: after a form post, the count is what
    /// tells the new page from the old one when both hold the same ids.
    #[allow(dead_code)] // only some test binaries count
    pub async fn wait_count(&self, css: &str, n: usize) {
        poll(&format!("{n} of `{css}`"), || async { Ok((self.session.find_all(css).await?.len() == n).then_some(())) })
            .await
    }

    pub async fn wait_attribute(&self, css: &str, name: &str, value: &str) {
        poll(&format!("`{css}` with {name}={value:?}"), || async {
            let Some(e) = self.session.find_all(css).await?.into_iter().next() else { return Ok(None) };
            Ok((e.try_attribute(name).await? == value).then_some(()))
        })
        .await
    }

    /// The bytes behind a same-origin URL, fetched by the page with its session (a download the
    /// test can inspect without a download folder).
    #[allow(dead_code)] // only some test binaries download
    pub async fn fetch_bytes(&self, url: &str) -> Vec<u8> {
        let script = "const done = arguments[arguments.length - 1];
            fetch(arguments[0], {credentials: 'same-origin'})
              .then(r => r.ok ? r.arrayBuffer() : Promise.reject(r.status))
              .then(b => { const u = new Uint8Array(b); let s = '';
                           for (let i = 0; i < u.length; i++) s += String.fromCharCode(u[i]);
                           done(btoa(s)); })
              .catch(e => done('ERR:' + e));";
        let v = self.session.post("/execute/async", json!({ "script": script, "args": [url] })).await.unwrap();
        let text = v.as_str().unwrap_or_default();
        assert!(!text.starts_with("ERR:"), "fetching {url}: {text}");
        base64::engine::general_purpose::STANDARD.decode(text).expect("base64 from the page")
    }

    /// The viewport as PNG bytes.
    pub async fn screenshot(&self) -> Vec<u8> {
        let b64 = self.session.get("/screenshot").await.unwrap();
        base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap_or_default())
            .expect("screenshot is base64")
    }
}

pub struct Element {
    s: Session,
    id: String,
}

impl Element {
    pub async fn click(&self) {
        self.s.post(&format!("/element/{}/click", self.id), json!({})).await.unwrap();
    }

    pub async fn type_text(&self, text: &str) {
        self.s.post(&format!("/element/{}/value", self.id), json!({ "text": text })).await.unwrap();
    }

    /// Empties a text field.
    #[allow(dead_code)] // browser_incoming.rs only
    pub async fn clear(&self) {
        self.s.post(&format!("/element/{}/clear", self.id), json!({})).await.unwrap();
    }

    async fn try_text(&self) -> Result<String, String> {
        Ok(self.s.get(&format!("/element/{}/text", self.id)).await?.as_str().unwrap_or_default().to_string())
    }

    pub async fn text(&self) -> String {
        self.try_text().await.unwrap()
    }

    async fn try_attribute(&self, name: &str) -> Result<String, String> {
        Ok(self
            .s
            .get(&format!("/element/{}/attribute/{name}", self.id))
            .await?
            .as_str()
            .unwrap_or_default()
            .to_string())
    }

    pub async fn attribute(&self, name: &str) -> String {
        self.try_attribute(name).await.unwrap()
    }
}
