//! HTTP-level test support shared by every web test file: the whole application over a fresh
//! database (SQLite, and PostgreSQL when `MISHU_TEST_POSTGRES_URL` is set), driven in-process
//! with `oneshot`, one cookie jar per simulated browser, and a digest of what is stored.
// Each test file compiles this module on its own and uses only part of it.
#![allow(dead_code)]

mod client;

pub use client::{Client, Resp};

use axum::Router;
use mishu_domain::org::{AdminKind, Clearance, Role};
use mishu_domain::{DepartmentId, PersonId, Timestamp};
use mishu_service::Services;
use mishu_service::audit::Origin;
use mishu_service::auth;
use mishu_service::clock::FixedClock;
use mishu_testkit::TestDb;
use mishu_testkit::builders::{self, GOOD_PASSWORD};
use mishu_web::WebConfig;
use std::collections::BTreeMap;

#[allow(unused_imports)]
pub use mishu_testkit::builders::GOOD_PASSWORD as PASSWORD;

/// Tables whose row count may change on a rejected request for good reasons: the audit log
/// records refusals, sessions come and go, notifications are not business data.
const NOT_COUNTED: &[&str] = &["audit_log", "sessions", "notifications"];

pub struct TestApp {
    pub router: Router,
    pub services: Services,
    pub clock: FixedClock,
    pub backend: &'static str,
    pub config: WebConfig,
    /// Kept alive: the SQLite files live in its temporary folder.
    pub db: TestDb,
}

/// A small organ most tests need: the general office and one other department.
pub struct Org {
    pub office: DepartmentId,
    pub other: DepartmentId,
    pub leader: PersonId,
    pub secretary: PersonId,
    /// A handler in the office.
    pub handler: PersonId,
    /// A handler in the other department.
    pub other_handler: PersonId,
    pub sysadmin: PersonId,
}

impl TestApp {
    /// The test config: plain-HTTP cookies, as on a developer's machine.
    pub fn test_config() -> WebConfig {
        WebConfig { secure_cookies: false, node_name: "test".into(), public_url: None }
    }

    pub async fn on(db: TestDb, config: WebConfig) -> TestApp {
        let (services, clock) = db.services();
        let router = mishu_web::app(services.clone(), config.clone());
        TestApp { router, services, clock, backend: db.backend, config, db }
    }

    pub async fn sqlite() -> TestApp {
        TestApp::on(TestDb::sqlite().await, TestApp::test_config()).await
    }

    /// SQLite, plus PostgreSQL when configured.
    pub async fn all() -> Vec<TestApp> {
        TestApp::all_with(TestApp::test_config()).await
    }

    pub async fn all_with(config: WebConfig) -> Vec<TestApp> {
        let mut v = Vec::new();
        for db in TestDb::all().await {
            v.push(TestApp::on(db, config.clone()).await);
        }
        v
    }

    pub fn now(&self) -> Timestamp {
        self.services.clock.now()
    }

    /// A new browser with an empty cookie jar.
    pub fn client(&self) -> Client<'_> {
        Client { app: self, cookies: BTreeMap::new(), csrf: None, bearer: None, last_set_cookies: Vec::new() }
    }

    /// A new API client sending `Authorization: Bearer <token>` and no cookies.
    pub fn api(&self, token: &str) -> Client<'_> {
        Client { bearer: Some(token.to_string()), ..self.client() }
    }

    /// A person who can sign in with `PASSWORD`.
    pub async fn person(&self, login: &str, dept: Option<DepartmentId>, roles: &[Role]) -> PersonId {
        let p = builders::person(&self.services, login, dept, roles, Clearance::None).await;
        auth::set_password(&self.services, &Origin::system(), p, GOOD_PASSWORD, false).await.expect("password");
        p
    }

    pub async fn admin(&self, login: &str, kind: AdminKind) -> PersonId {
        let p = builders::admin(&self.services, login, kind).await;
        auth::set_password(&self.services, &Origin::system(), p, GOOD_PASSWORD, false).await.expect("password");
        p
    }

    /// Logins: `leader`, `secretary`, `handler`, `other.handler`, `sysadmin`.
    pub async fn org(&self) -> Org {
        let s = &self.services;
        let office = builders::department(s, "党政办公室", None).await;
        let other = builders::department(s, "教务处", None).await;
        Org {
            office,
            other,
            leader: self.person("leader", Some(office), &[Role::Leader]).await,
            secretary: self.person("secretary", Some(office), &[Role::Secretary]).await,
            handler: self.person("handler", Some(office), &[Role::Handler]).await,
            other_handler: self.person("other.handler", Some(other), &[Role::Handler]).await,
            sysadmin: self.admin("sysadmin", AdminKind::System).await,
        }
    }

    /// A bearer token for `person`, straight from the service.
    pub async fn token(&self, person: PersonId) -> String {
        auth::tokens::create(&self.services, &Origin::system(), person, "test", None).await.expect("token").1
    }

    /// COUNT(*) of every table except the audit log, sessions and notifications: equal
    /// before and after a rejected request proves it stored nothing.
    pub async fn row_counts(&self) -> BTreeMap<String, i64> {
        let sql = if self.backend == "postgres" {
            "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        } else {
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        };
        let tables: Vec<(String,)> = self.services.db.fetch_all(sql, vec![]).await.expect("tables");
        let mut out = BTreeMap::new();
        for (t,) in tables.into_iter().filter(|(t,)| !NOT_COUNTED.contains(&t.as_str())) {
            let (n,): (i64,) =
                self.services.db.fetch_one(&format!("SELECT COUNT(*) FROM {t}"), vec![]).await.expect("count");
            out.insert(t, n);
        }
        out
    }

    /// Everything a GET must not change: row counts (audit log and notifications included),
    /// the versions of tasks and leader tasks, and which notifications are read.
    pub async fn state_digest(&self) -> BTreeMap<String, i64> {
        let mut d = self.row_counts().await;
        let db = &self.services.db;
        for (name, sql) in [
            ("audit_log", "SELECT COUNT(*) FROM audit_log"),
            ("notifications", "SELECT COUNT(*) FROM notifications"),
            ("notifications.read", "SELECT COUNT(*) FROM notifications WHERE read_at IS NOT NULL"),
            ("tasks.version", "SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM tasks"),
            ("tasks.done", "SELECT COUNT(*) FROM tasks WHERE state <> 'open'"),
            ("leader_tasks.version", "SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM leader_tasks"),
        ] {
            let (n,): (i64,) = db.fetch_one(sql, vec![]).await.expect(name);
            d.insert(name.to_string(), n);
        }
        d
    }

    pub async fn audit_count(&self) -> i64 {
        let (n,): (i64,) =
            self.services.db.fetch_one("SELECT COUNT(*) FROM audit_log", vec![]).await.expect("audit count");
        n
    }
}

/// What was stored before a request that must be refused.
pub struct Unchanged<'a> {
    app: &'a TestApp,
    before: BTreeMap<String, i64>,
}

impl TestApp {
    /// Takes the row counts now, to check refusals against.
    pub async fn unchanged(&self) -> Unchanged<'_> {
        Unchanged { app: self, before: self.row_counts().await }
    }
}

impl Unchanged<'_> {
    /// Asserts a refusal and that no row was added or removed anywhere. `want` is
    /// "status code [field]", e.g. `"422 invalid title"`.
    pub async fn refused(&self, r: &Resp, want: &str, what: &str) {
        let what = format!("{}: {what}", self.app.backend);
        let mut parts = want.split_whitespace();
        let status: u16 = parts.next().and_then(|s| s.parse().ok()).expect("want starts with a status");
        r.assert_error(status, parts.next().expect("want names a code"), &what);
        if let Some(field) = parts.next() {
            assert_eq!(r.error_field().as_deref(), Some(field), "{what}: field; body: {}", r.text());
        }
        self.assert(&what).await;
    }

    pub async fn assert(&self, what: &str) {
        assert_eq!(self.app.row_counts().await, self.before, "{what}: nothing stored");
    }
}

/// A due date three days after the tests' fixed "now", as the form wants it.
pub const DUE: &str = "2026-11-30";
