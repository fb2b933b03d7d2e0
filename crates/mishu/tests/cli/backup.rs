//! `backup` and `restore`: a round trip with every attachment, damaged and partial backups
//! refused or reported, and PostgreSQL pointed to `pg_dump`.

use super::*;

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
