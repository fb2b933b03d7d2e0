//! The `mishu` binary as an operator meets it: exit codes and messages of `migrate`, `demo`,
//! `audit verify` (after real tampering with the database), `backup`/`restore` and
//! `config show`. Runs on SQLite always and on PostgreSQL when `MISHU_TEST_POSTGRES_URL` is set.

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

async fn people_count(data: &Path) -> i64 {
    let db = open_db(data, None).await;
    let (n,): (i64,) = db.fetch_one("SELECT COUNT(*) FROM people", args![]).await.unwrap();
    db.close().await;
    n
}

/// The file keys a data folder's database names.
async fn stored_files(data: &std::path::Path) -> Vec<String> {
    let db = open_db(data, None).await;
    let rows: Vec<(String,)> = db
        .fetch_all(
            "SELECT storage_key FROM incoming_files UNION SELECT storage_key FROM archive_files
             WHERE storage_key IS NOT NULL UNION SELECT file_key FROM seal_signatures",
            args![],
        )
        .await
        .unwrap();
    db.close().await;
    rows.into_iter().map(|r| r.0).collect()
}

#[tokio::test]
async fn backup_then_restore_round_trips_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    assert_eq!(mishu(&data, None, &["demo"], &[]).code, 0);
    let people = people_count(&data).await;
    assert!(people > 10, "the demo has an organ's worth of people, got {people}");

    let snap = dir.path().join("snap.db");
    let o = mishu(&data, None, &["backup", "--out", snap.to_str().unwrap()], &[]);
    assert_eq!(o.code, 0, "{}", o.all());
    assert!(snap.is_file() && std::fs::metadata(&snap).unwrap().len() > 0);
    let o = mishu(&data, None, &["backup", "--out", snap.to_str().unwrap()], &[]);
    assert_ne!(o.code, 0, "an existing file is never overwritten\n{}", o.all());

    // Restore over a changed database: the snapshot's state comes back, the old file is kept.
    let db = open_db(&data, None).await;
    db.execute("UPDATE people SET name = $1 WHERE login = $2", args!["改过的名字", "mishu"]).await.unwrap();
    db.close().await;
    let o = mishu(&data, None, &["restore", "--from", snap.to_str().unwrap()], &[]);
    assert_eq!(o.code, 0, "{}", o.all());
    assert_eq!(people_count(&data).await, people);
    let db = open_db(&data, None).await;
    let (name,): (String,) = db.fetch_one("SELECT name FROM people WHERE login = $1", args!["mishu"]).await.unwrap();
    db.close().await;
    assert_eq!(name, "张晓雯", "the snapshot's state is back");
    assert!(data.join("mishu.db.before-restore").is_file(), "the replaced database is kept beside it");
    expect_intact(&data, None, "sqlite", "a restored database verifies with the folder's audit key");

    // Restore into a new folder (a new machine): same people, and every attachment the
    // database names is there, byte for byte (the demo has filed PDFs and sealed copies).
    let fresh = dir.path().join("fresh");
    let o = mishu(&fresh, None, &["restore", "--from", snap.to_str().unwrap()], &[]);
    assert_eq!(o.code, 0, "{}", o.all());
    assert_eq!(people_count(&fresh).await, people);
    let keys = stored_files(&fresh).await;
    assert!(keys.len() >= 2, "the demo stores files: {keys:?}");
    for key in &keys {
        let at = |root: &std::path::Path| mishu_service::files::path_of(root, key).unwrap();
        let (a, b) = (std::fs::read(at(&data)).unwrap(), std::fs::read(at(&fresh)).unwrap());
        assert!(a == b, "attachment {key} restored identical");
    }
    assert!(o.all().contains(&format!("{} attachments copied", keys.len())), "{}", o.all());

    // A damaged attachment refuses the whole restore, before anything is touched.
    let one = mishu_service::files::path_of(&mishu_service::backup::files_folder(&snap), &keys[0]).unwrap();
    let mut bytes = std::fs::read(&one).unwrap();
    bytes[0] ^= 0xff;
    std::fs::write(&one, &bytes).unwrap();
    let other = dir.path().join("other");
    let o = mishu(&other, None, &["restore", "--from", snap.to_str().unwrap()], &[]);
    assert_ne!(o.code, 0, "{}", o.all());
    assert!(o.all().contains("attachments are damaged"), "{}", o.all());
    assert!(!other.join("mishu.db").exists(), "nothing restored");

    // A snapshot moved without its folder restores the database and says what is missing.
    let alone = dir.path().join("alone.db");
    std::fs::copy(&snap, &alone).unwrap();
    let o = mishu(&other, None, &["restore", "--from", alone.to_str().unwrap()], &[]);
    assert_eq!(o.code, 0, "{}", o.all());
    assert!(o.all().contains("attachments were not restored"), "{}", o.all());
    assert!(o.all().contains(&format!("{} attachments named by the restored database", keys.len())), "{}", o.all());

    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, "not a database").unwrap();
    let o = mishu(&data, None, &["restore", "--from", junk.to_str().unwrap()], &[]);
    assert_ne!(o.code, 0, "{}", o.all());
    assert_eq!(people_count(&data).await, people, "a failed restore leaves the database alone");
}

#[tokio::test]
async fn backup_on_postgres_points_to_pg_dump() {
    let Some(url) = mishu_testkit::fresh_postgres_url().await else { return };
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(mishu(dir.path(), Some(&url), &["migrate"], &[]).code, 0);
    let out = dir.path().join("x.db");
    let o = mishu(dir.path(), Some(&url), &["backup", "--out", out.to_str().unwrap()], &[]);
    assert_ne!(o.code, 0, "{}", o.all());
    assert!(o.stderr.contains("pg_dump"), "{}", o.all());
    assert!(!out.exists());
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

#[test]
fn seal_verify_explains_a_file_that_is_not_a_sealed_pdf_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("none");
    let not_pdf = dir.path().join("scan.png");
    std::fs::write(&not_pdf, b"\x89PNG\r\n\x1a\n").unwrap();
    let out = mishu(&data, None, &["seal", "verify", not_pdf.to_str().unwrap()], &[]);
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(out.stderr.contains("not a PDF"), "{}", out.all());
    let plain = dir.path().join("plain.pdf");
    std::fs::write(&plain, b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
        .unwrap();
    let out = mishu(&data, None, &["seal", "verify", plain.to_str().unwrap()], &[]);
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(out.stderr.contains("carries no electronic seal"), "{}", out.all());
    let out = mishu(&data, None, &["seal", "verify", dir.path().join("missing.pdf").to_str().unwrap()], &[]);
    assert_ne!(out.code, 0, "{}", out.all());
    assert!(!data.exists(), "verifying never creates a data folder");
}

fn pdf_pages(pdf: &Path) -> usize {
    let out = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo (poppler-utils) runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().find(|l| l.starts_with("Pages:")).unwrap_or_else(|| panic!("pdfinfo:\n{text}"));
    line.trim_start_matches("Pages:").trim().parse().unwrap()
}

#[test]
fn render_writes_the_sample_and_a_json_document_and_names_a_bad_field() {
    let dir = tempfile::tempdir().unwrap();
    // The sample: every element over at least three pages.
    let sample = dir.path().join("sample.pdf");
    let o = mishu(dir.path(), None, &["render", "--sample", sample.to_str().unwrap()], &[]);
    assert_eq!(o.code, 0, "{}", o.all());
    assert!(std::fs::read(&sample).unwrap().starts_with(b"%PDF-"));
    assert!(pdf_pages(&sample) >= 3, "{}", o.all());
    assert!(o.stderr.is_empty(), "no missing glyphs reported\n{}", o.all());

    // A document as JSON round-trips through the CLI.
    let mut doc = serde_json::to_value(mishu_render::sample::sample_document()).unwrap();
    let input = dir.path().join("doc.json");
    let out = dir.path().join("doc.pdf");
    std::fs::write(&input, doc.to_string()).unwrap();
    let o = mishu(dir.path(), None, &["render", input.to_str().unwrap(), "-o", out.to_str().unwrap()], &[]);
    assert_eq!(o.code, 0, "{}", o.all());
    assert_eq!(pdf_pages(&out), pdf_pages(&sample));

    // A wrong field is named, exit 2, nothing written.
    doc["body"][1]["level"] = serde_json::json!("one");
    std::fs::write(&input, doc.to_string()).unwrap();
    let bad = dir.path().join("bad.pdf");
    let o = mishu(dir.path(), None, &["render", input.to_str().unwrap(), "-o", bad.to_str().unwrap()], &[]);
    assert_eq!(o.code, 2, "{}", o.all());
    // serde reads an internally tagged block through a buffer, so the path stops at the
    // block (`body[1]`); the message names the wrong type.
    assert!(o.stderr.contains("field `body[1]`") && o.stderr.contains("expected u8"), "{}", o.all());
    assert!(!bad.exists());
    let o = mishu(
        dir.path(),
        None,
        &["render", input.to_str().unwrap().trim_end_matches(".json"), "-o", bad.to_str().unwrap()],
        &[],
    );
    assert_eq!(o.code, 2, "a missing file is a clear error\n{}", o.all());
    assert!(o.stderr.contains("cannot read"), "{}", o.all());
}

/// `mishu seal verify` on an outgoing document sealed from the system (issue 6): the demo's
/// 纪要 is named on an application by a 处长 on its route, signed, approved, and sealed by the
/// keeper of the office's electronic seal; the file verifies, and one byte changed does not.
#[tokio::test]
async fn seal_verify_says_a_sealed_outgoing_document_is_intact_and_a_changed_byte_is_not() {
    use mishu_domain::seals::ApplicationAction as A;
    use mishu_domain::{OutgoingId, SealId};
    use mishu_service::seals::{self, NewApplication, esign};
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let o = mishu(&data, None, &["demo"], &[]);
    assert_eq!(o.code, 0, "demo\n{}", o.all());
    let db = open_db(&data, None).await;
    let key = mishu_service::keys::load_or_create_audit_key(&data, None).unwrap();
    let clock = std::sync::Arc::new(mishu_service::clock::SystemClock);
    let s = mishu_service::Services::new(db, clock, key, data.clone());
    async fn one(s: &mishu_service::Services, sql: &str, arg: &str) -> i64 {
        let (id,): (i64,) = s.db.fetch_one(sql, args![arg]).await.expect(sql);
        id
    }
    async fn person(s: &mishu_service::Services, login: &str) -> mishu_domain::access::Actor {
        let id = one(s, "SELECT person_id FROM people WHERE login = $1", login).await;
        mishu_testkit::builders::actor(s, mishu_domain::PersonId(id)).await
    }
    let seal = one(
        &s,
        "SELECT s.seal_id FROM seals s JOIN electronic_seals e ON e.seal_id = s.seal_id WHERE s.name = $1",
        "江北职业技术学院党政办公室",
    )
    .await;
    let doc = one(&s, "SELECT outgoing_id FROM outgoing_documents WHERE title = $1", "院长办公会议纪要").await;
    let (head, leader, keeper) =
        (person(&s, "jwc.chuzhang").await, person(&s, "fyz.jiaoxue").await, person(&s, "yinzhang").await);
    let n = NewApplication {
        seal_id: SealId(seal),
        document_title: String::new(),
        purpose: "报送上级".into(),
        copies: "1".into(),
        outgoing_id: Some(OutgoingId(doc)),
    };
    let id = seals::apply(&s, &head, n, "cli-test").await.unwrap();
    seals::act(&s, &head, id, A::HeadSign, "cli-test").await.unwrap();
    seals::act(&s, &leader, id, A::LeaderApprove, "cli-test").await.unwrap();
    esign::stamp_outgoing(&s, &keeper, id, "cli-test").await.unwrap();
    let (_, signed) = esign::sealed_file(&s, &keeper, id).await.unwrap();
    s.db.close().await;

    let file = dir.path().join("sealed.pdf");
    std::fs::write(&file, &signed).unwrap();
    let out = mishu(&data, None, &["seal", "verify", file.to_str().unwrap()], &[]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains("INTACT") && out.stdout.contains("江北职业技术学院党政办公室"), "{}", out.all());
    let mut forged = signed.clone();
    forged[20] ^= 1;
    std::fs::write(&file, &forged).unwrap();
    let out = mishu(&data, None, &["seal", "verify", file.to_str().unwrap()], &[]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stdout.contains("NOT INTACT") && out.stdout.contains("digest"), "{}", out.all());
}

#[tokio::test]
async fn labels_verify_names_exactly_the_tampered_rows_and_an_upgrade_seals_old_ones() {
    for (backend, url) in backends().await {
        let url = url.as_deref();
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let o = mishu(&data, url, &["demo"], &[]);
        assert_eq!(o.code, 0, "{backend}: demo\n{}", o.all());
        let o = mishu(&data, url, &["labels", "verify"], &[]);
        assert_eq!(o.code, 0, "{backend}: a clean database\n{}", o.all());
        assert!(o.stdout.contains("labels intact"), "{backend}\n{}", o.all());

        let db = open_db(&data, url).await;
        let first = async |sql: &str| -> i64 { db.fetch_one::<(i64,)>(sql, args![]).await.unwrap().0 };
        let incoming = first("SELECT MIN(incoming_id) FROM incoming_documents").await;
        let outgoing = first("SELECT MAX(outgoing_id) FROM outgoing_documents").await;
        let item = first("SELECT MIN(item_id) FROM archive_items").await;
        db.execute("UPDATE incoming_documents SET classification = 'secret' WHERE incoming_id = $1", args![incoming])
            .await
            .unwrap();
        db.execute("UPDATE outgoing_documents SET secrecy_period = '1年' WHERE outgoing_id = $1", args![outgoing])
            .await
            .unwrap();
        db.execute("UPDATE archive_items SET label_mac = NULL WHERE item_id = $1", args![item]).await.unwrap();
        let o = mishu(&data, url, &["labels", "verify"], &[]);
        assert_eq!(o.code, 1, "{backend}: tampered labels fail\n{}", o.all());
        let named: Vec<&str> = o.stdout.lines().filter(|l| l.starts_with("  ")).map(str::trim).collect();
        assert_eq!(named.len(), 3, "{backend}: exactly the three rows\n{}", o.all());
        assert!(named[0].starts_with(&format!("incoming {incoming}: classification now `secret`")), "{}", o.all());
        assert!(named[1].starts_with(&format!("outgoing {outgoing}:")), "{}", o.all());
        assert!(
            named[2].starts_with(&format!("archive_item {item}:")) && named[2].ends_with("(no MAC)"),
            "{}",
            o.all()
        );
        // A migration does not reseal a cleared MAC: the one-time pass is over.
        let o = mishu(&data, url, &["migrate"], &[]);
        assert_eq!(o.code, 0, "{backend}\n{}", o.all());
        assert_eq!(mishu(&data, url, &["labels", "verify"], &[]).code, 1, "{backend}: still tampered");

        // As a database from before migration 0033: no MACs, the marker there. `migrate` seals
        // every row once, recorded; the audit chain stays whole.
        for t in ["incoming_documents", "outgoing_documents", "archive_items"] {
            db.execute(&format!("UPDATE {t} SET label_mac = NULL"), args![]).await.unwrap();
        }
        db.execute("INSERT INTO settings (key, value, updated_at) VALUES ('labels.unsealed', 'true', 0)", args![])
            .await
            .unwrap();
        let o = mishu(&data, url, &["migrate"], &[]);
        assert_eq!(o.code, 0, "{backend}\n{}", o.all());
        assert!(o.stdout.contains("sealed the security labels of"), "{backend}\n{}", o.all());
        let o = mishu(&data, url, &["labels", "verify"], &[]);
        assert_eq!(o.code, 0, "{backend}: sealed as they now stand\n{}", o.all());
        let sealed = first("SELECT COUNT(*) FROM audit_log WHERE action = 'label.sealed'").await;
        assert_eq!(sealed, 1, "{backend}");
        expect_intact(&data, url, backend, "sealing and verifying are recorded in the chain");
        db.close().await;
    }
}
