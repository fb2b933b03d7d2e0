//! The `mishu` binary as an operator meets it: exit codes and messages of `migrate`, `demo`,
//! `audit verify` (after real tampering with the database), `backup`/`restore`, `config show`,
//! `reindex`, `seal verify`, `render` and `labels verify`. Runs on SQLite always and on
//! PostgreSQL when `MISHU_TEST_POSTGRES_URL` is set.

mod backup;
mod labels;
mod seals;

use mishu_service::args;
use mishu_service::db::{Db, DbLocation};
use std::path::Path;
use std::process::{Command, Stdio};

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Out {
    fn all(&self) -> String {
        format!("exit {}\n--- stdout\n{}--- stderr\n{}", self.code, self.stdout, self.stderr)
    }
}

/// Runs the binary with a clean environment: no `MISHU_*` from the developer's shell leaks in.
fn mishu(data: &Path, db_url: Option<&str>, args: &[&str], env: &[(&str, &str)]) -> Out {
    let mut c = Command::new(env!("CARGO_BIN_EXE_mishu"));
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("MISHU_")) {
        c.env_remove(k);
    }
    c.env("MISHU_LOG", "warn").arg("--data").arg(data);
    if let Some(u) = db_url {
        c.arg("--database-url").arg(u);
    }
    c.args(args).envs(env.iter().copied()).stdin(Stdio::null());
    let o = c.output().expect("run the mishu binary");
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// SQLite in a fresh folder, plus a fresh PostgreSQL database when configured.
async fn backends() -> Vec<(&'static str, Option<String>)> {
    let mut v = vec![("sqlite", None)];
    if let Some(url) = mishu_testkit::fresh_postgres_url().await {
        v.push(("postgres", Some(url)));
    }
    v
}

async fn open_db(data: &Path, url: Option<&str>) -> Db {
    let loc = match url {
        Some(u) => DbLocation::Postgres(u.to_string()),
        None => DbLocation::SqliteFolder(data.to_path_buf()),
    };
    Db::connect(&loc, false).await.expect("open the database behind the binary's back")
}

type AuditRow = (i64, i64, Option<i64>, Option<i64>, String, String, String, Option<String>, String, String, String);
const AUDIT_COLS: &str =
    "seq, at, actor_id, acting_for, source_ip, action, subject_type, subject_id, detail, prev_mac, mac";

fn expect_broken(data: &Path, url: Option<&str>, backend: &str, names: &[&str]) {
    let o = mishu(data, url, &["audit", "verify"], &[]);
    assert_eq!(o.code, 1, "{backend}: a tampered log must fail verification\n{}", o.all());
    for n in names {
        assert!(o.stdout.contains(n), "{backend}: output must name `{n}`\n{}", o.all());
    }
}

fn expect_intact(data: &Path, url: Option<&str>, backend: &str, why: &str) {
    let o = mishu(data, url, &["audit", "verify"], &[]);
    assert_eq!(o.code, 0, "{backend}: {why}\n{}", o.all());
    assert!(o.stdout.contains("audit log intact"), "{backend}: {why}\n{}", o.all());
}

#[tokio::test]
async fn audit_verify_passes_a_clean_log_and_names_each_tampered_record() {
    for (backend, url) in backends().await {
        let url = url.as_deref();
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let o = mishu(&data, url, &["migrate"], &[]);
        assert_eq!(o.code, 0, "{backend}: migrate\n{}", o.all());
        expect_intact(&data, url, backend, "an empty log verifies");
        let o = mishu(&data, url, &["demo"], &[]);
        assert_eq!(o.code, 0, "{backend}: demo\n{}", o.all());
        assert!(!o.stderr.contains("ERROR"), "{backend}: {}", o.all());
        expect_intact(&data, url, backend, "the demo's log verifies");

        let db = open_db(&data, url).await;
        let (n,): (i64,) = db.fetch_one("SELECT COUNT(*) FROM audit_log", args![]).await.unwrap();
        assert!(n >= 12, "{backend}: the demo writes a real log, got {n} records");

        // An edited row: its MAC no longer matches.
        let (detail,): (String,) = db.fetch_one("SELECT detail FROM audit_log WHERE seq = 5", args![]).await.unwrap();
        db.execute("UPDATE audit_log SET detail = $1 WHERE seq = 5", args![r#"{"tampered":true}"#]).await.unwrap();
        expect_broken(&data, url, backend, &["record 5: edited"]);
        db.execute("UPDATE audit_log SET detail = $1 WHERE seq = 5", args![&detail]).await.unwrap();
        expect_intact(&data, url, backend, "the original text restores the chain");

        // A deleted row: the gap is named.
        let row: AuditRow =
            db.fetch_one(&format!("SELECT {AUDIT_COLS} FROM audit_log WHERE seq = 7"), args![]).await.unwrap();
        db.execute("DELETE FROM audit_log WHERE seq = 7", args![]).await.unwrap();
        expect_broken(&data, url, backend, &["records 7..=7: deleted"]);
        db.execute(
            &format!("INSERT INTO audit_log ({AUDIT_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"),
            args![row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9, row.10],
        )
        .await
        .unwrap();
        expect_intact(&data, url, backend, "putting the row back restores the chain");

        // A swapped pair: both records are genuine but sit in each other's place.
        let swap = async |a: i64, b: i64| {
            db.execute("UPDATE audit_log SET seq = -1 WHERE seq = $1", args![a]).await.unwrap();
            db.execute("UPDATE audit_log SET seq = $1 WHERE seq = $2", args![a, b]).await.unwrap();
            db.execute("UPDATE audit_log SET seq = $1 WHERE seq = -1", args![b]).await.unwrap();
        };
        swap(10, 11).await;
        expect_broken(
            &data,
            url,
            backend,
            &[
                "record 10: reordered (it was written as record 11)",
                "record 11: reordered (it was written as record 10)",
            ],
        );
        swap(10, 11).await;
        expect_intact(&data, url, backend, "swapping back restores the chain");
        db.close().await;
    }
}

#[tokio::test]
async fn a_database_url_that_is_not_postgres_is_refused_and_nothing_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("never-made");
    for cmd in [&["migrate"][..], &["demo"], &["audit", "verify"]] {
        let o = mishu(&data, Some("mysql://mishu:secret@db.example/mishu"), cmd, &[]);
        assert_ne!(o.code, 0, "{cmd:?}\n{}", o.all());
        assert!(o.stderr.contains("postgres://"), "the message names what is accepted: {cmd:?}\n{}", o.all());
        assert!(!o.stderr.contains("secret") && !o.stdout.contains("secret"), "password leaked: {}", o.all());
        assert!(!data.exists(), "{cmd:?} created {}", data.display());
    }
}

#[tokio::test]
async fn a_data_path_that_is_a_file_or_holds_no_database_fails_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, "x").unwrap();
    let o = mishu(&file, None, &["migrate"], &[]);
    assert_ne!(o.code, 0, "{}", o.all());
    assert!(o.stderr.contains(&file.display().to_string()) && o.stderr.contains("data folder"), "{}", o.all());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x", "the file is untouched");

    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let o = mishu(&empty, None, &["audit", "verify"], &[]);
    assert_ne!(o.code, 0, "{}", o.all());
    assert!(o.stderr.contains("mishu migrate"), "the message says what to do: {}", o.all());
    assert!(!empty.join("mishu.db").exists(), "a read-only command must not create a database");
}

#[test]
fn config_show_masks_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let key = "ab".repeat(32);
    let o = mishu(
        dir.path(),
        Some("postgres://mishu:secret@db.example:5432/mishu"),
        &["config", "show"],
        &[("MISHU_AUDIT_KEY", &key)],
    );
    assert_eq!(o.code, 0, "{}", o.all());
    assert!(o.stdout.contains("postgres://mishu:***@db.example:5432/mishu"), "{}", o.all());
    assert!(!o.stdout.contains("secret") && !o.stderr.contains("secret"), "{}", o.all());
    assert!(!o.stdout.contains(&key), "the audit key is masked\n{}", o.all());
    assert!(o.stdout.contains("\"audit_key_hex\": \"***\""), "{}", o.all());
}

#[tokio::test]
async fn reindex_rebuilds_this_node_and_all_nodes_records_a_request() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    assert_eq!(mishu(&data, None, &["demo"], &[]).code, 0);
    let o = mishu(&data, None, &["reindex"], &[]);
    assert_eq!(o.code, 0, "{}", o.all());
    let indexed: u64 = o.stdout.split("rebuilt: ").nth(1).and_then(|r| r.split(' ').next()?.parse().ok()).unwrap();
    assert!(indexed > 20, "the demo's documents, meetings and tasks are indexed\n{}", o.all());

    let o = mishu(&data, None, &["reindex", "--all-nodes"], &[]);
    assert_eq!(o.code, 0, "{}", o.all());
    assert!(o.stdout.contains("rebuild requested"), "{}", o.all());
    let db = open_db(&data, None).await;
    let (n,): (i64,) = db
        .fetch_one("SELECT COUNT(*) FROM audit_log WHERE action = 'search.rebuild_requested'", args![])
        .await
        .unwrap();
    db.close().await;
    assert_eq!(n, 1, "the request is audited");
    expect_intact(&data, None, "sqlite", "the request is in the chain");
}
