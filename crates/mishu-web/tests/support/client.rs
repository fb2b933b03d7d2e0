//! One simulated browser or API client, and the responses it reads.

use super::TestApp;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Request, StatusCode, header};
use http_body_util::BodyExt;
use mishu_testkit::builders::GOOD_PASSWORD;
use mishu_web::i18n::{self, Locale};
use std::collections::BTreeMap;
use tower::ServiceExt;

/// One simulated browser (or API client): its own cookies and CSRF token.
pub struct Client<'a> {
    pub app: &'a TestApp,
    pub cookies: BTreeMap<String, String>,
    /// The `_csrf` value scraped from the last HTML page seen.
    pub csrf: Option<String>,
    pub bearer: Option<String>,
    pub last_set_cookies: Vec<String>,
}

impl Client<'_> {
    /// Sends a request with this client's cookies (or bearer token); remembers what comes back.
    pub async fn send(&mut self, mut req: Request<Body>) -> Resp {
        let h = req.headers_mut();
        h.entry(header::HOST).or_insert(HeaderValue::from_static("localhost"));
        if let Some(t) = &self.bearer {
            h.insert(header::AUTHORIZATION, HeaderValue::from_str(&format!("Bearer {t}")).unwrap());
        } else if !self.cookies.is_empty() && !h.contains_key(header::COOKIE) {
            let jar = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
            h.insert(header::COOKIE, HeaderValue::from_str(&jar).unwrap());
        }
        let res = self.app.router.clone().oneshot(req).await.expect("router is infallible");
        let (parts, body) = res.into_parts();
        let body = body.collect().await.expect("body").to_bytes().to_vec();
        let resp = Resp { status: parts.status, headers: parts.headers, body };
        self.last_set_cookies = resp.set_cookies();
        for c in &self.last_set_cookies {
            let first = c.split(';').next().unwrap_or("");
            let Some((k, v)) = first.split_once('=') else {
                continue;
            };
            let gone = v.is_empty() || c.contains("Max-Age=0");
            if gone {
                self.cookies.remove(k.trim());
            } else {
                self.cookies.insert(k.trim().to_string(), v.to_string());
            }
            if k.contains("mishu_sid") {
                // A new (or ended) session has its own token: scrape it again before posting.
                self.csrf = None;
            }
        }
        if let Some(t) = resp.csrf_in_page() {
            self.csrf = Some(t);
        }
        resp
    }

    pub async fn get(&mut self, path: &str) -> Resp {
        self.send(Request::get(path).body(Body::empty()).unwrap()).await
    }

    /// The current CSRF token, fetching a page first when none is known.
    pub async fn csrf(&mut self) -> String {
        if self.csrf.is_none() {
            let r = self.get("/login").await;
            assert_eq!(r.status, StatusCode::OK, "GET /login to find a CSRF token");
        }
        self.csrf.clone().expect("no _csrf on the page")
    }

    /// A form post with the current `_csrf` added, as a browser submitting our form would.
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let token = self.csrf().await;
        let mut all: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_form_raw(path, &all).await
    }

    /// A form post exactly as given: no token added.
    pub async fn post_form_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let body = serde_urlencoded::to_string(fields).unwrap();
        self.post_body(path, "application/x-www-form-urlencoded", body.into_bytes(), &[]).await
    }

    /// A post with any body, content type and extra headers.
    pub async fn post_body(&mut self, path: &str, content_type: &str, body: Vec<u8>, headers: &[(&str, &str)]) -> Resp {
        let mut b = Request::post(path).header(header::CONTENT_TYPE, content_type);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        self.send(b.body(Body::from(body)).unwrap()).await
    }

    /// JSON to the API. With a session cookie (no bearer), the CSRF header is added.
    pub async fn post_json(&mut self, path: &str, v: &serde_json::Value) -> Resp {
        self.post_json_raw(path, v.to_string().into_bytes()).await
    }

    pub async fn post_json_raw(&mut self, path: &str, body: Vec<u8>) -> Resp {
        let token = if self.bearer.is_none() && self.cookies.keys().any(|k| k.contains("mishu_sid")) {
            Some(self.csrf().await)
        } else {
            None
        };
        let headers: Vec<(&str, &str)> = token.as_deref().map(|t| ("x-csrf-token", t)).into_iter().collect();
        self.post_body(path, "application/json", body, &headers).await
    }

    /// Signs in through the login form; returns the response to the POST.
    pub async fn login(&mut self, login: &str, password: &str) -> Resp {
        self.post_form("/login", &[("login", login), ("password", password)]).await
    }

    /// Signs in with the test password and asserts it worked.
    pub async fn sign_in(&mut self, login: &str) -> &mut Self {
        let r = self.login(login, GOOD_PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "sign in as {login} on {}: {}", self.app.backend, r.text());
        self
    }

    pub fn session_cookie(&self) -> Option<String> {
        self.cookies.iter().find(|(k, _)| k.contains("mishu_sid")).map(|(_, v)| v.clone())
    }
}

/// A response with its body read.
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.text()))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn location(&self) -> Option<&str> {
        self.header("location")
    }

    pub fn set_cookies(&self) -> Vec<String> {
        self.headers.get_all(header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).map(str::to_string).collect()
    }

    pub fn is_html(&self) -> bool {
        self.header("content-type").is_some_and(|c| c.starts_with("text/html"))
    }

    fn csrf_in_page(&self) -> Option<String> {
        if !self.is_html() {
            return None;
        }
        let text = self.text();
        let at = text.find(r#"name="_csrf" value=""#)? + r#"name="_csrf" value=""#.len();
        let end = text[at..].find('"')?;
        Some(text[at..at + end].to_string())
    }

    /// The error code: from the JSON body, or (pages) the heading that `error.<code>` renders to.
    pub fn error_code(&self) -> Option<String> {
        if !self.is_html() {
            return serde_json::from_slice::<serde_json::Value>(&self.body).ok()?["code"].as_str().map(str::to_string);
        }
        let text = self.text();
        let h1 = text.split("<h1>").nth(1)?.split("</h1>").next()?.to_string();
        KNOWN_CODES.iter().find(|c| i18n::t(Locale::ZhCn, &format!("error.{c}")) == h1).map(|c| c.to_string())
    }

    /// The field at fault: the JSON `field`, or the page's `<code class="field">`.
    pub fn error_field(&self) -> Option<String> {
        if !self.is_html() {
            return serde_json::from_slice::<serde_json::Value>(&self.body).ok()?["field"].as_str().map(str::to_string);
        }
        let text = self.text();
        Some(text.split(r#"<code class="field">"#).nth(1)?.split("</code>").next()?.to_string())
    }

    /// Asserts a 4xx/5xx with this status and code; `what` names the case in the message.
    pub fn assert_error(&self, status: u16, code: &str, what: &str) {
        assert_eq!(self.status.as_u16(), status, "{what}: status; body: {}", self.text());
        assert_eq!(self.error_code().as_deref(), Some(code), "{what}: code; body: {}", self.text());
    }
}

const KNOWN_CODES: &[&str] = &[
    "bad_request",
    "already_filed",
    "archive_code_taken",
    "unauthenticated",
    "forbidden",
    "not_found",
    "csrf",
    "invalid",
    "conflict",
    "bad_credentials",
    "wrong_password",
    "no_answer",
    "wrong_state",
    "decommissioned",
    "suspended",
    "internal",
    "too_large",
    "unsupported_media_type",
    "method_not_allowed",
    "storage_full",
    "not_signer",
    "already_numbered",
    "lint_failed",
    "pdf_unavailable",
    "pdf_layout",
    "not_numbered",
];
