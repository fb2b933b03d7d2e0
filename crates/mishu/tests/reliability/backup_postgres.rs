//! T14 on PostgreSQL: the README's procedure (`pg_dump --format=custom` while the server
//! writes, the data folder's `files/` copied beside it, `pg_restore --no-owner`) gives a
//! database that is sound, holds everything acknowledged before the dump began, verifies its
//! audit chain and goes on taking writes; `pg_restore --clean --if-exists` over the live
//! database, after later writes, brings back every table exactly as dumped.

use crate::api::{Api, Registrars, token};
use crate::crash::report;
use crate::node::{Backend, artefacts};
use crate::writes::broken_invariants;
use mishu_service::{Services, args, backup, files};
use serde_json::json;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

fn run(program: &str, args: &[&str]) {
    let o = Command::new(program).args(args).output().unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(o.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&o.stderr));
}

/// Every table of the schema with its row count and a digest of its rows in a fixed order.
async fn tables(s: &Services) -> Vec<(String, i64, String)> {
    let names: Vec<(String,)> =
        s.db.fetch_all(
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
            args![],
        )
        .await
        .unwrap();
    let mut out = Vec::new();
    for (name,) in names {
        let sql =
            format!("SELECT COUNT(*), COALESCE(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM \"{name}\" t");
        let (n, digest): (i64, String) = s.db.fetch_one(&sql, args![]).await.unwrap();
        out.push((name, n, digest));
    }
    out
}

/// Files the database names that are missing from `data` or differ from `original`.
async fn file_problems(s: &Services, data: &Path, original: &Path) -> (usize, Vec<String>) {
    let keys = backup::stored_keys(&s.db).await.unwrap();
    let mut bad = Vec::new();
    for k in &keys {
        let (Some(p), Some(o)) = (files::path_of(data, k), files::path_of(original, k)) else { continue };
        match (std::fs::read(&p), std::fs::read(&o)) {
            (Ok(a), Ok(b)) if a == b => {}
            (a, _) => bad.push(format!("{k}: {}", a.map_or_else(|e| e.to_string(), |_| "differs".into()))),
        }
    }
    (keys.len(), bad)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pg_dump_under_writes_restores_whole_and_pg_restore_clean_brings_back_every_table() {
    let Some(url) = mishu_testkit::fresh_postgres_url().await else {
        eprintln!("T14 postgres: skipped, MISHU_TEST_POSTGRES_URL is not set");
        return;
    };
    let a = Backend::new("postgres", Some(url.clone()));
    a.load_demo();
    let secretary = token(&a, "mishu").await;
    let (node, _) = a.start(&artefacts().join("backup-postgres-server.log")).await;
    let work = tempfile::tempdir().unwrap();

    let registrars = Registrars::start(&node.base, &secretary, "转储期间");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = registrars.acked();
    let dump = work.path().join("mishu.dump");
    let (d, u) = (dump.to_str().unwrap().to_string(), url.clone());
    tokio::task::spawn_blocking(move || run("pg_dump", &["--format=custom", "--file", &d, &u])).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let during = registrars.stop().await;
    node.kill();

    // Restored into a new database, the data folder's key and files copied as the README says.
    let b = Backend::new("postgres", Some(mishu_testkit::fresh_postgres_url().await.unwrap()));
    std::fs::create_dir_all(&b.data).unwrap();
    std::fs::copy(a.data.join("audit.key"), b.data.join("audit.key")).unwrap();
    run("cp", &["-a", a.data.join("files").to_str().unwrap(), b.data.to_str().unwrap()]);
    run("pg_restore", &["--no-owner", "--dbname", b.url.as_deref().unwrap(), dump.to_str().unwrap()]);
    let s = b.services().await;
    let mut problems = broken_invariants(&s).await;
    for id in &before {
        let found: Option<(i64,)> =
            s.db.fetch_optional("SELECT incoming_id FROM incoming_documents WHERE incoming_id = $1", args![*id])
                .await
                .unwrap();
        if found.is_none() {
            problems.push(format!("document {id}, acknowledged before the dump, is not in it"));
        }
    }
    let (named, missing) = file_problems(&s, &b.data, &a.data).await;
    problems.extend(missing);
    s.db.close().await;
    assert!(problems.is_empty(), "{problems:?}");
    let (code, out) = b.cli(&["audit", "verify"]);
    assert_eq!(code, 0, "the restored chain verifies: {out}");

    // The restored database goes on: its sequences continue past every restored row.
    let secretary_b = token(&b, "mishu").await;
    let (node_b, _) = b.start(&artefacts().join("backup-postgres-restored.log")).await;
    let body = json!({"sender_organ": "江北市教育局", "title": "恢复之后", "doc_type": "通知"});
    let (st, v) = Api::new(&node_b.base, &secretary_b).post("/api/v1/incoming", &body).await;
    assert_eq!(st, 201, "a write after the restore: {v}");
    node_b.kill();
    let (code, out) = b.cli(&["audit", "verify"]);
    assert_eq!(code, 0, "the chain goes on after the restore: {out}");

    // At rest, then later writes, then `pg_restore --clean` over the live database.
    let at_rest = work.path().join("at-rest.dump");
    run("pg_dump", &["--format=custom", "--file", at_rest.to_str().unwrap(), &url]);
    let s = a.services().await;
    let dumped = tables(&s).await;
    s.db.close().await;
    let (node, _) = a.start(&artefacts().join("backup-postgres-server.log")).await;
    let api = Api::new(&node.base, &secretary);
    for n in 0..5 {
        let body = json!({"sender_organ": "江北市教育局", "title": format!("转储之后 {n}"), "doc_type": "通知"});
        assert_eq!(api.post("/api/v1/incoming", &body).await.0, 201);
    }
    node.kill();
    run("pg_restore", &["--clean", "--if-exists", "--no-owner", "--dbname", &url, at_rest.to_str().unwrap()]);
    let s = a.services().await;
    let restored = tables(&s).await;
    s.db.close().await;
    let differing: Vec<&str> =
        dumped.iter().zip(&restored).filter(|(x, y)| x != y).map(|(x, _)| x.0.as_str()).collect();
    assert_eq!(dumped.len(), restored.len(), "the same tables");
    assert!(differing.is_empty(), "tables not as dumped after pg_restore --clean: {differing:?}");
    let (code, out) = a.cli(&["audit", "verify"]);
    assert_eq!(code, 0, "the chain verifies after pg_restore --clean: {out}");

    let rows: i64 = dumped.iter().map(|t| t.1).sum();
    let line = format!(
        "T14 postgres: pg_dump under 4 writers ({} acknowledged before it, {during} in all): restored into a new \
         database sound, 0 missing, {named} named files present and identical, chain verifies, a write after it \
         201; pg_restore --clean over the live database after 5 later writes: {} tables / {rows} rows identical \
         to the dump, chain verifies",
        before.len(),
        dumped.len()
    );
    eprintln!("{line}");
    report(&line);
}
