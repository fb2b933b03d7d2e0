use mishu_service::args;
use mishu_service::db::{Db, DbLocation};
use mishu_testkit::TestDb;

#[tokio::test]
async fn migrations_run_and_values_round_trip_on_every_backend() {
    for t in TestDb::all().await {
        t.db.ping().await.unwrap();
        let mut tx = t.db.begin().await.unwrap();
        tx.execute("INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)", args!["k", "值", 5i64])
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let row: (String, i64) =
            t.db.fetch_one("SELECT value, updated_at FROM settings WHERE key = $1", args!["k"]).await.unwrap();
        assert_eq!(row, ("值".to_string(), 5), "{}", t.backend);
        let b: (bool,) =
            t.db.fetch_one("SELECT active FROM departments WHERE 1 = 0 UNION ALL SELECT TRUE", args![]).await.unwrap();
        assert!(b.0, "{}", t.backend);
    }
}

#[tokio::test]
async fn a_rolled_back_transaction_leaves_nothing() {
    for t in TestDb::all().await {
        {
            let mut tx = t.db.begin().await.unwrap();
            tx.execute("INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)", args!["gone", "x", 1i64])
                .await
                .unwrap();
            // dropped without commit
        }
        let row: Option<(String,)> =
            t.db.fetch_optional("SELECT value FROM settings WHERE key = $1", args!["gone"]).await.unwrap();
        assert!(row.is_none(), "{}", t.backend);
    }
}

#[tokio::test]
async fn unique_violations_are_recognised() {
    for t in TestDb::all().await {
        let mut tx = t.db.begin().await.unwrap();
        tx.execute("INSERT INTO rooms (name, capacity) VALUES ($1, $2)", args!["A", 10i64]).await.unwrap();
        let err =
            tx.execute("INSERT INTO rooms (name, capacity) VALUES ($1, $2)", args!["A", 10i64]).await.unwrap_err();
        assert!(err.is_unique_violation(), "{}: {err}", t.backend);
    }
}

#[tokio::test]
async fn concurrent_writers_on_sqlite_wait_instead_of_failing() {
    let t = TestDb::sqlite().await;
    let mut handles = Vec::new();
    for i in 0..20i64 {
        let db = t.db.clone();
        handles.push(tokio::spawn(async move {
            let mut tx = db.begin().await.unwrap();
            let (n,): (i64,) = tx.fetch_one("SELECT COUNT(*) FROM rooms", args![]).await.unwrap();
            tx.execute("INSERT INTO rooms (name, capacity) VALUES ($1, $2)", args![format!("R{i}"), n]).await.unwrap();
            tx.commit().await.unwrap();
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
    let caps: Vec<(i64,)> = t.db.fetch_all("SELECT capacity FROM rooms ORDER BY capacity", args![]).await.unwrap();
    // Each writer saw every earlier commit: capacities are exactly 0..20.
    assert_eq!(caps.into_iter().map(|c| c.0).collect::<Vec<_>>(), (0..20).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_missing_sqlite_database_is_not_created_silently() {
    let dir = tempfile::tempdir().unwrap();
    let err = Db::connect(&DbLocation::SqliteFolder(dir.path().join("nope")), false).await.unwrap_err();
    assert!(err.to_string().contains("postgres://"), "{err}");
    assert!(!dir.path().join("nope").exists());
}

/// The licensed faces an administrator puts into `<data>/fonts/` (fonts/FONTS.md) reach the
/// renderer: the service builds it with that folder.
#[tokio::test]
async fn the_renderer_reads_the_data_folders_fonts() {
    let t = TestDb::sqlite().await;
    let (s, _) = t.services();
    assert_eq!(s.renderer.font_dirs(), [s.data_dir.join("fonts")]);
}
