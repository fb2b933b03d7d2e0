//! A signed-in browser for in-process requests: collects the pre-session cookie and CSRF
//! token from the sign-in page, keeps the session cookie, sends forms with the session's token.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use mishu_testkit::builders::GOOD_PASSWORD;
use tower::ServiceExt;

pub struct Resp {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn header(&self, name: header::HeaderName) -> String {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
    }
    fn cookie(&self, name: &str) -> Option<String> {
        self.headers.get_all(header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|c| {
            c.strip_prefix(&format!("{name}=")).map(|rest| rest.split(';').next().unwrap_or("").to_string())
        })
    }
}

/// The hidden `_csrf` value of the first form on a page.
fn csrf_of(html: &str) -> String {
    let at = html.find(r#"name="_csrf" value=""#).expect("a form with _csrf");
    let rest = &html[at + r#"name="_csrf" value=""#.len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)))
        .collect::<Vec<_>>()
        .join("&")
}

/// One signed-in browser: the session cookie and the session's CSRF token.
pub struct Browser {
    app: Router,
    cookie: String,
    csrf: String,
}

impl Browser {
    async fn send(app: &Router, req: Request<Body>) -> Resp {
        let res = app.clone().oneshot(req).await.unwrap();
        let (parts, body) = res.into_parts();
        Resp { status: parts.status, headers: parts.headers, body: body.collect().await.unwrap().to_bytes().to_vec() }
    }

    pub async fn sign_in(app: &Router, login: &str) -> Browser {
        let page = Self::send(app, Request::get("/login").body(Body::empty()).unwrap()).await;
        let pre = page.cookie("mishu_pre").expect("pre-session cookie");
        let csrf = csrf_of(&page.text());
        let body = form(&[("login", login), ("password", GOOD_PASSWORD), ("next", "/"), ("_csrf", &csrf)]);
        let req = Request::post("/login")
            .header(header::COOKIE, format!("mishu_pre={pre}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        let res = Self::send(app, req).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "sign-in of {login}: {}", res.text());
        let sid = res.cookie("mishu_sid").expect("session cookie");
        let mut b = Browser { app: app.clone(), cookie: format!("mishu_sid={sid}"), csrf: String::new() };
        // The session has its own CSRF token; any page's forms carry it.
        b.csrf = csrf_of(&b.get("/account").await.text());
        b
    }

    pub async fn get(&self, uri: &str) -> Resp {
        Self::send(&self.app, Request::get(uri).header(header::COOKIE, &self.cookie).body(Body::empty()).unwrap()).await
    }

    pub async fn post(&self, uri: &str, pairs: &[(&str, &str)]) -> Resp {
        let mut all = pairs.to_vec();
        all.push(("_csrf", &self.csrf));
        let req = Request::post(uri)
            .header(header::COOKIE, &self.cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form(&all)))
            .unwrap();
        Self::send(&self.app, req).await
    }
}
