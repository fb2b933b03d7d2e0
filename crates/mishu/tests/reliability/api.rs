//! A signed-in API client for the reliability tests: a bearer token made beside the server,
//! JSON in and out, the status kept apart from the body.

use crate::node::Backend;
use crate::writes::person;
use mishu_domain::PersonId;
use mishu_service::audit::Origin;
use serde_json::Value;
use std::time::Duration;

#[derive(Clone)]
pub struct Api {
    http: reqwest::Client,
    pub base: String,
    token: String,
}

/// A token for the demo person `login` (made through the services, audited like any other).
pub async fn token(b: &Backend, login: &str) -> String {
    let s = b.services().await;
    let id = person(&s, login).await;
    let t = mishu_service::auth::tokens::create(&s, &Origin::system(), PersonId(id), "reliability", None)
        .await
        .expect("token")
        .1;
    s.db.close().await;
    t
}

impl Api {
    /// A client with its own connection pool, so racing clients do not queue on one socket.
    pub fn new(base: &str, token: &str) -> Api {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap();
        Api { http, base: base.to_string(), token: token.to_string() }
    }

    pub async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let r = self.http.post(format!("{}{path}", self.base)).bearer_auth(&self.token).json(body).send().await;
        Self::read(r.expect("POST reaches the server")).await
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        let r = self.http.get(format!("{}{path}", self.base)).bearer_auth(&self.token).send().await;
        Self::read(r.expect("GET reaches the server")).await
    }

    async fn read(r: reqwest::Response) -> (u16, Value) {
        let status = r.status().as_u16();
        let bytes = r.bytes().await.expect("body");
        let v =
            serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
        (status, v)
    }
}

/// Four clients registering received documents until stopped, each acknowledged id kept:
/// the writes a backup (T14) must contain when they were acknowledged before it began.
pub struct Registrars {
    acked: std::sync::Arc<std::sync::Mutex<Vec<i64>>>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    writers: Vec<tokio::task::JoinHandle<()>>,
}

impl Registrars {
    /// Starts them against `base`; titles are `{title} {writer}-{n}`.
    pub fn start(base: &str, token: &str, title: &'static str) -> Registrars {
        let acked = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let mut writers = Vec::new();
        for w in 0..4 {
            let (api, acked, stop) = (Api::new(base, token), acked.clone(), stop.clone());
            writers.push(tokio::spawn(async move {
                let mut n = 0;
                while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                    let body = serde_json::json!({"sender_organ": "江北市教育局", "title": format!("{title} {w}-{n}"), "doc_type": "通知"});
                    let (st, v) = api.post("/api/v1/incoming", &body).await;
                    assert_eq!(st, 201, "{v}");
                    acked.lock().unwrap().push(v["document"]["id"].as_i64().unwrap());
                    n += 1;
                }
            }));
        }
        Registrars { acked, stop, writers }
    }

    /// The ids acknowledged so far.
    pub fn acked(&self) -> Vec<i64> {
        self.acked.lock().unwrap().clone()
    }

    /// Stops them and answers how many registrations were acknowledged in all.
    pub async fn stop(self) -> usize {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        for w in self.writers {
            w.await.unwrap();
        }
        self.acked.lock().unwrap().len()
    }
}
