//! T8/T9, hostile input: a table of nasty values sent into every field of every JSON body
//! the API takes, broken bodies (invalid UTF-8, 10,000-deep nesting, 3 MB, wrong types,
//! impossible dates and numbers), malformed UTF-8 in paths and queries, and hostile
//! uploads (traversal and control-character file names, zip bombs, XML entity bombs and
//! external entities in XLSX). Every answer is below 500; every refusal stores nothing; a
//! value that is accepted is stored literally and shown escaped on every page (T9).
//! A new API body joins by adding a row to `bodies`.

#[path = "../support/mod.rs"]
mod support;

mod uploads;

use serde_json::{Value, json};
use support::{Client, Resp, TestApp};

/// Strings that must be stored literally or refused, never executed or crashed on.
const NASTY: &[&str] = &[
    "' OR 1=1--",
    "'; DROP TABLE people;--",
    "%' UNION SELECT login, password_hash FROM people--",
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "a\u{0}b",
    "\u{202E}fdp.exe",
    "line\r\nSet-Cookie: sid=evil",
    "\u{1b}[31mred\u{1b}[0m",
    "{{7*7}}${7*7}",
    "../../../../etc/passwd",
    "\u{FEFF}\u{200B}",
];

/// One JSON body the API takes: who may send it, where, and a valid example.
struct Body {
    login: &'static str,
    path: String,
    valid: Value,
    /// Fields holding dates (RFC 3339) and counts, for the out-of-range rows.
    dates: &'static [&'static str],
    numbers: &'static [&'static str],
}

fn bodies(leader: i64, owner: i64, incoming: i64, outgoing: i64) -> Vec<Body> {
    vec![
        Body {
            login: "secretary",
            path: "/api/v1/incoming".into(),
            valid: json!({"sender_organ": "江北市教育局", "sender_number": "江教〔2026〕5号", "title": "关于开展安全检查的通知",
                          "doc_type": "通知", "copies": 2, "pages": 3, "received_at": "2026-11-27T09:00:00+08:00"}),
            dates: &["received_at", "due_at"],
            numbers: &["copies", "pages"],
        },
        Body {
            login: "secretary",
            path: "/api/v1/leader-tasks".into(),
            valid: json!({"title": "核实会议室设备", "body": "周五前回复", "leader_id": leader, "owner_id": owner,
                          "due_at": "2026-12-03T17:00:00+08:00"}),
            dates: &["due_at"],
            numbers: &["leader_id", "owner_id"],
        },
        Body {
            login: "secretary",
            path: format!("/api/v1/incoming/{incoming}/actions"),
            valid: json!({"action": "propose", "opinion": "拟请领导阅示", "submission": "for_reading", "leaders": [leader]}),
            dates: &[],
            numbers: &[],
        },
        // Creating a draft and adding a version change no state, so every value reaches
        // the multi-line fields (intent, body, note).
        Body {
            login: "secretary",
            path: "/api/v1/outgoing".into(),
            valid: json!({"title": "关于做好元旦期间值班工作的通知", "doc_type": "通知", "prefix": "江职院发",
                          "intent": "节前报送值班表。\n请各部门按时报送。", "signer": leader,
                          "recipients": [{"role": "main", "kind": "external", "value": "某省教育厅"}]}),
            dates: &[],
            numbers: &[],
        },
        Body {
            login: "secretary",
            path: format!("/api/v1/outgoing/{outgoing}/versions"),
            valid: json!({"body": "各部门：\n请于12月25日前报送值班表。", "note": "初稿"}),
            dates: &[],
            numbers: &[],
        },
    ]
}

const BAD_DATES: &[&str] = &[
    "2026-02-30T09:00:00+08:00",
    "2026-13-01T09:00:00+08:00",
    "+275760-09-13T00:00:00Z",
    "0000-01-01T00:00:00Z",
    "2026-11-27",
    "1e400",
    "",
];
fn bad_numbers() -> Vec<Value> {
    vec![json!(-1), json!(9_223_372_036_854_775_807_i64), json!(1e300), json!("3"), json!(1.5)]
}

fn assert_no_5xx(r: &Resp, what: &str) {
    assert!(r.status.as_u16() < 500, "{what}: {} {}", r.status, r.text());
}

#[tokio::test]
async fn nasty_values_in_every_json_field_are_stored_literally_or_refused() {
    for app in TestApp::all().await {
        let org = app.org().await;
        let token = app.token(org.secretary).await;
        let mut api = app.api(&token);
        let (st, first) = {
            let r = api.post_json("/api/v1/incoming", &bodies(0, 0, 0, 0)[0].valid).await;
            (r.status.as_u16(), r.json())
        };
        assert_eq!(st, 201, "{first}");
        let incoming = first["document"]["id"].as_i64().unwrap();
        let r = api.post_json("/api/v1/outgoing", &bodies(org.leader.0, 0, 0, 0)[3].valid).await;
        assert_eq!(r.status.as_u16(), 201, "{}", r.text());
        let outgoing = r.json()["document"]["id"].as_i64().unwrap();
        let (mut stored, mut refused) = (0, 0);
        for body in bodies(org.leader.0, org.handler.0, incoming, outgoing) {
            let api = &mut app.api(&app.token(person_of(&org, body.login)).await);
            let fields: Vec<String> = body.valid.as_object().unwrap().keys().cloned().collect();
            for field in &fields {
                if !body.valid[field].is_string() || field == "action" {
                    continue;
                }
                for nasty in NASTY {
                    let mut v = body.valid.clone();
                    v[field] = json!(nasty);
                    let nothing = app.unchanged().await;
                    let r = api.post_json(&body.path, &v).await;
                    let what = format!("{}: {} {field}={nasty:?}", app.backend, body.path);
                    assert_no_5xx(&r, &what);
                    if r.status.is_success() {
                        stored += 1;
                        // Stored literally (trimmed at most); control characters may only be
                        // normalised away, never kept (log and header injection).
                        let v = r.json();
                        let got = v["document"][field.as_str()].as_str().or(v[field.as_str()].as_str());
                        if let Some(got) = got {
                            let normalised = nasty.chars().any(char::is_control) && !got.chars().any(char::is_control);
                            assert!(
                                got == *nasty || got == nasty.trim() || normalised,
                                "{what}: stored as {got:?}: {}",
                                r.text()
                            );
                        }
                    } else {
                        refused += 1;
                        nothing.assert(&what).await;
                        assert!(r.error_code().is_some(), "{what}: a stable code: {}", r.text());
                        // A NUL is refused by the field's own check (PostgreSQL cannot store
                        // it), so the answer names the field; a 409 is the step already taken.
                        if nasty.contains('\0') && r.status.as_u16() == 422 {
                            assert_eq!(r.error_field().as_deref(), Some(field.as_str()), "{what}: {}", r.text());
                        }
                    }
                }
                // Far too long: one past the longest field (a draft's body, 100,000).
                let mut v = body.valid.clone();
                v[field] = json!("长".repeat(100_001));
                let nothing = app.unchanged().await;
                let r = api.post_json(&body.path, &v).await;
                let what = format!("{}: {} {field} of 100,001 characters", app.backend, body.path);
                assert!(r.status.is_client_error(), "{what}: {} {}", r.status, r.text());
                nothing.assert(&what).await;
                // The wrong type.
                for wrong in [json!({"x": 1}), json!([1, 2]), json!(12345)] {
                    let mut v = body.valid.clone();
                    v[field] = wrong.clone();
                    let nothing = app.unchanged().await;
                    let r = api.post_json(&body.path, &v).await;
                    let what = format!("{}: {} {field}={wrong}", app.backend, body.path);
                    assert!(r.status.is_client_error(), "{what}: {} {}", r.status, r.text());
                    nothing.assert(&what).await;
                }
            }
            for field in body.dates {
                for bad in BAD_DATES {
                    let mut v = body.valid.clone();
                    v[*field] = json!(bad);
                    let nothing = app.unchanged().await;
                    let r = api.post_json(&body.path, &v).await;
                    let what = format!("{}: {} {field}={bad:?}", app.backend, body.path);
                    assert!(r.status.is_client_error(), "{what}: {} {}", r.status, r.text());
                    nothing.assert(&what).await;
                }
            }
            for field in body.numbers {
                for bad in bad_numbers() {
                    let mut v = body.valid.clone();
                    v[*field] = bad.clone();
                    let nothing = app.unchanged().await;
                    let r = api.post_json(&body.path, &v).await;
                    let what = format!("{}: {} {field}={bad}", app.backend, body.path);
                    assert!(r.status.is_client_error(), "{what}: {} {}", r.status, r.text());
                    nothing.assert(&what).await;
                }
            }
            // Broken bodies.
            let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
            let mut invalid_utf8 = br#"{"title": ""#.to_vec();
            invalid_utf8.extend_from_slice(&[0xff, 0xfe, 0xc0, 0xaf]);
            invalid_utf8.extend_from_slice(br#""}"#);
            let huge = json!({"title": "x".repeat(3 * 1024 * 1024)}).to_string();
            let raw: Vec<(&str, Vec<u8>)> = vec![
                ("10,000-deep nesting", deep.into_bytes()),
                ("invalid UTF-8", invalid_utf8),
                ("3 MB", huge.into_bytes()),
                ("null", b"null".to_vec()),
                ("an array", b"[]".to_vec()),
                ("empty", Vec::new()),
                ("a duplicate key", br#"{"title": "a", "title": "b"}"#.to_vec()),
            ];
            for (what, bytes) in raw {
                let nothing = app.unchanged().await;
                let r = api.post_json_raw(&body.path, bytes).await;
                let what = format!("{}: {} {what}", app.backend, body.path);
                assert!(r.status.is_client_error(), "{what}: {} {}", r.status, r.text());
                assert!(r.error_code().is_some(), "{what}: a stable code: {}", r.text());
                nothing.assert(&what).await;
            }
        }
        eprintln!("{}: {stored} nasty values stored literally, {refused} refused, 0 5xx", app.backend);
    }
}

fn person_of(org: &support::Org, login: &str) -> mishu_domain::PersonId {
    match login {
        "secretary" => org.secretary,
        "leader" => org.leader,
        _ => org.handler,
    }
}

/// Every page that shows what a person typed shows it escaped (T9).
#[tokio::test]
async fn stored_markup_is_inert_on_every_page_that_shows_it() {
    for app in TestApp::all().await {
        let org = app.org().await;
        let token = app.token(org.secretary).await;
        let mut api = app.api(&token);
        let script = "<script>alert('xss')</script>";
        let img = "\"><img src=x onerror=alert(1)>";
        let r = api
            .post_json(
                "/api/v1/incoming",
                &json!({"sender_organ": img, "title": script, "doc_type": "通知", "sender_number": "", "copies": 1}),
            )
            .await;
        assert_eq!(r.status.as_u16(), 201, "{}", r.text());
        let doc = r.json()["document"]["id"].as_i64().unwrap();
        let propose =
            json!({"action": "propose", "opinion": script, "submission": "for_reading", "leaders": [org.leader.0]});
        let r = api.post_json(&format!("/api/v1/incoming/{doc}/actions"), &propose).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.text());
        let given = json!({"title": script, "body": img, "leader_id": org.leader.0, "owner_id": org.handler.0,
                           "due_at": "2026-12-03T17:00:00+08:00"});
        let r = api.post_json("/api/v1/leader-tasks", &given).await;
        assert_eq!(r.status.as_u16(), 201, "{}", r.text());
        let task = r.json()["id"].as_i64().unwrap();

        let mut pages_checked = 0;
        for login in ["secretary", "leader", "handler"] {
            let mut c = app.client();
            c.sign_in(login).await;
            for path in [
                "/inbox".to_string(),
                "/incoming".into(),
                format!("/incoming/{doc}"),
                format!("/incoming/{doc}/slip"),
                "/leader-tasks".into(),
                format!("/leader-tasks/{task}"),
                "/notifications".into(),
            ] {
                let r = c.get(&path).await;
                assert_no_5xx(&r, &path);
                if !r.is_html() {
                    continue;
                }
                let html = r.text();
                assert!(!html.contains("<script>alert"), "{}: {login} {path}: raw script", app.backend);
                assert!(!html.contains("<img src=x"), "{}: {login} {path}: raw img", app.backend);
                assert!(!html.contains("onerror=alert(1)>"), "{}: {login} {path}: live attribute", app.backend);
                pages_checked += 1;
            }
        }
        assert!(pages_checked >= 10, "{}: only {pages_checked} pages showed up", app.backend);
    }
}

/// Paths and queries with malformed UTF-8 and traversal: 4xx (or an ordinary page), never 5xx.
#[tokio::test]
async fn malformed_paths_and_queries_are_client_errors() {
    let app = TestApp::sqlite().await;
    let org = app.org().await;
    let token = app.token(org.secretary).await;
    let mut c = app.client();
    c.sign_in("secretary").await;
    let nothing = app.unchanged().await;
    for path in [
        "/leader-tasks/%FF",
        "/incoming/%C0%AF",
        "/incoming?organ=%FF%FE",
        "/incoming?year=99999999999999999999",
        "/incoming?state=%00",
        "/assets/..%2F..%2FCargo.toml",
        "/assets/%2e%2e/%2e%2e/Cargo.toml",
        "/assets/../../Cargo.toml",
        "/incoming/1/files/..%2F..%2Fmishu.db",
        "/leader-tasks/-1",
        "/leader-tasks/99999999999999999999",
        "/inbox?page=-1",
        "/inbox?page=1000000000",
    ] {
        let r = c.get(path).await;
        assert_no_5xx(&r, path);
        assert!(!r.text().contains("[workspace]") && !r.text().contains("SQLite format"), "{path}: leaked a file");
    }
    let mut api = app.api(&token);
    for path in
        ["/api/v1/incoming?organ=%FF", "/api/v1/leader-tasks/%FF", "/api/v1/incoming/1e3", "/api/v1/inbox?box=%00"]
    {
        let r = api.get(path).await;
        assert_no_5xx(&r, path);
        assert!(r.error_code().is_some() || r.status.is_success(), "{path}: {}", r.text());
    }
    nothing.assert("malformed paths").await;
}
