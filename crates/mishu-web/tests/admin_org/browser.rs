//! A browser of one for in-process tests: signs in through the login form, keeps the session
//! cookie and the CSRF token pages carry, and sends forms and multipart uploads.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use mishu_service::Services;
use mishu_testkit::builders::GOOD_PASSWORD;
use mishu_web::WebConfig;
use tower::ServiceExt;

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn location(&self) -> &str {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
}

/// A browser of one: the app, its cookie and the CSRF token the last page carried.
pub struct Browser {
    pub app: Router,
    pub cookie: String,
    pub csrf: String,
}

fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.split(';').next()?.strip_prefix(&format!("{name}=")).map(str::to_string))
}

fn csrf_in(body: &str) -> Option<String> {
    let at = body.find("name=\"_csrf\" value=\"")? + "name=\"_csrf\" value=\"".len();
    Some(body[at..].split('"').next()?.to_string())
}

impl Browser {
    pub async fn send(&self, req: Request<Body>) -> Reply {
        let res = self.app.clone().oneshot(req).await.expect("app answers");
        let (parts, body) = res.into_parts();
        let bytes = body.collect().await.expect("body").to_bytes();
        Reply { status: parts.status, headers: parts.headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Request::get(path).header(header::COOKIE, &self.cookie).body(Body::empty()).unwrap()).await
    }

    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let mut all = vec![("_csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        let body = serde_urlencoded::to_string(&all).unwrap();
        let req = Request::post(path)
            .header(header::COOKIE, &self.cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    pub async fn upload(&self, kind: &str, filename: &str, content: &str) -> Reply {
        let b = "----mishu-test-boundary";
        let body = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n{kind}\r\n--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: text/csv\r\n\r\n{content}\r\n--{b}--\r\n"
        );
        let req = Request::post(format!("/admin/org/import?_csrf={}", self.csrf))
            .header(header::COOKIE, &self.cookie)
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={b}"))
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// Signs in through the login form, as a browser would.
    pub async fn sign_in(services: &Services, login: &str) -> Browser {
        let app = mishu_web::app(
            services.clone(),
            WebConfig { secure_cookies: false, node_name: "test".into(), public_url: None },
        );
        let mut b = Browser { app, cookie: String::new(), csrf: String::new() };
        let page = b.get("/login").await;
        let pre = cookie_value(&page.headers, "mishu_pre").expect("pre-session cookie");
        b.cookie = format!("mishu_pre={pre}");
        b.csrf = csrf_in(&page.body).expect("login form token");
        let res = b.post("/login", &[("login", login), ("password", GOOD_PASSWORD), ("next", "/")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "sign-in: {}", res.body);
        let sid = cookie_value(&res.headers, "mishu_sid").expect("session cookie");
        b.cookie = format!("mishu_sid={sid}");
        let account = b.get("/account").await;
        b.csrf = csrf_in(&account.body).expect("session token");
        b
    }
}
