//! A browser for the in-process app: keeps cookies and the last CSRF token a page carried.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use mishu_domain::PersonId;
use mishu_service::audit::Origin;
use mishu_service::{Services, auth};
use mishu_testkit::builders::GOOD_PASSWORD;
use mishu_web::WebConfig;
use std::collections::HashMap;
use tower::ServiceExt;

pub struct Browser {
    pub app: Router,
    pub cookies: HashMap<String, String>,
    pub csrf: String,
}

pub struct Page {
    pub status: StatusCode,
    pub location: String,
    pub body: String,
}

impl Browser {
    pub fn new(s: &Services) -> Browser {
        let app = mishu_web::app(s.clone(), WebConfig { secure_cookies: false, ..Default::default() });
        Browser { app, cookies: HashMap::new(), csrf: String::new() }
    }

    pub async fn send(&mut self, req: axum::http::request::Builder, body: Body) -> Page {
        let cookie = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
        let req = req.header(header::COOKIE, cookie).body(body).unwrap();
        let res = self.app.clone().oneshot(req).await.unwrap();
        for v in res.headers().get_all(header::SET_COOKIE) {
            let v = v.to_str().unwrap();
            let (name, value) = v.split(';').next().unwrap().split_once('=').unwrap();
            if v.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_string(), value.to_string());
            }
        }
        let status = res.status();
        let location = res.headers().get(header::LOCATION).map(|l| l.to_str().unwrap().to_string()).unwrap_or_default();
        let body = String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
        if let Some(i) = body.find("name=\"_csrf\" value=\"") {
            let rest = &body[i + 20..];
            self.csrf = rest[..rest.find('"').unwrap()].to_string();
        }
        Page { status, location, body }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        self.send(Request::get(path), Body::empty()).await
    }

    /// A form post carrying the CSRF token of the last page seen.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        let csrf = self.csrf.clone();
        all.push(("_csrf", &csrf));
        let body = serde_urlencoded::to_string(&all).unwrap();
        let req = Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        self.send(req, Body::from(body)).await
    }

    /// GET /login (pre-session cookie and token), then POST the password.
    pub async fn login(&mut self, login: &str) -> Page {
        let page = self.get("/login").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(self.cookies.contains_key("mishu_pre") && !self.csrf.is_empty());
        let res = self.post("/login", &[("login", login), ("password", GOOD_PASSWORD), ("next", "/")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{login}: {}", res.body);
        assert!(self.cookies.contains_key("mishu_sid"), "{login}: a session cookie");
        res
    }
}

pub async fn with_password(s: &Services, id: PersonId) -> PersonId {
    auth::set_password(s, &Origin::system(), id, GOOD_PASSWORD, false).await.unwrap();
    id
}
