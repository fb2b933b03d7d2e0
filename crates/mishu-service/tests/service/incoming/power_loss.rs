//! Reliability T2: the power cut while documents are registered with their scans, on a file
//! system that loses whatever was not synced (`LossyFs`; the database is the real one with
//! its own durability). After every cut each file a committed row names is there with its
//! bytes, and a failed file sync fails its request with nothing committed.

use super::*;
use crate::lossy_fs::LossyFs;
use mishu_service::files::{Blobs, Upload};
use rand::{Rng, SeedableRng};
use std::sync::Arc;

/// A scan whose bytes follow from its name, so the check needs no list of what was sent.
fn bytes_for(name: &str) -> Vec<u8> {
    format!("%PDF-1.7\n%{name}\n{}\n%%EOF\n", name.len().to_string().repeat(name.len())).into_bytes()
}

fn scan(name: String) -> Upload {
    Upload { field: "files", bytes: bytes_for(&name), filename: name }
}

fn env_or(key: &str, default: u64) -> u64 {
    std::env::var(key).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Every attachment row's file, read back through the store: (rows, missing or wrong).
async fn check_files(s: &Services) -> (usize, Vec<String>) {
    let rows: Vec<(String, String)> =
        s.db.fetch_all("SELECT storage_key, filename FROM incoming_files ORDER BY file_id", args![]).await.unwrap();
    let mut bad = Vec::new();
    for (key, name) in &rows {
        match s.blobs.read(key).await {
            Ok(b) if b == bytes_for(name) => {}
            Ok(b) => bad.push(format!("{name}: {} bytes, not its own", b.len())),
            Err(e) => bad.push(format!("{name}: {e}")),
        }
    }
    (rows.len(), bad)
}

fn on(s: &Services, fs: &LossyFs, root: &std::path::Path) -> Services {
    let mut s = s.clone();
    s.blobs = Blobs::with_fs(root.to_path_buf(), Arc::new(fs.clone()));
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn committed_files_survive_power_cuts() {
    let seed = env_or("MISHU_POWER_LOSS_SEED", rand::random::<u16>().into());
    for t in TestDb::all().await {
        let (base, _) = t.services();
        let o = Arc::new(office(&base).await);
        let root = t.dir.path();
        let fs = LossyFs::new(root);
        let cycles = env_or("MISHU_POWER_LOSS_CYCLES", 60) / if t.backend == "sqlite" { 1 } else { 3 };
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let mut acknowledged = 0u64;
        for cycle in 0..cycles {
            let s = on(&base, &fs, root);
            let crashes = fs.crashes();
            // Each registration makes 4 calls per file and up to 3 more for new directories.
            fs.crash_after(rng.gen_range(0..80));
            let mut workers = tokio::task::JoinSet::new();
            for w in 0..3 {
                let (s, o) = (s.clone(), o.clone());
                workers.spawn(async move {
                    let mut ok = 0u64;
                    for n in 0..40 {
                        let files = (0..1 + n % 2).map(|f| scan(format!("c{cycle}-w{w}-n{n}-f{f}.pdf"))).collect();
                        let now = s.clock.now();
                        match incoming::register_with_files(&s, &o.secretary, request(now), files, "ip").await {
                            Ok(_) => ok += 1,
                            Err(ServiceError::Db(_)) => break,
                            Err(e) => panic!("a power cut showed as {e}"),
                        }
                    }
                    ok
                });
            }
            while let Some(r) = workers.join_next().await {
                acknowledged += r.unwrap();
            }
            if fs.crashes() == crashes {
                fs.crash();
            }
            fs.restart();
            let (rows, bad) = check_files(&on(&base, &fs, root)).await;
            assert!(
                bad.is_empty(),
                "{} cycle {cycle} (seed {seed}): {} of {rows} committed files lost or wrong: {:?}",
                t.backend,
                bad.len(),
                &bad[..bad.len().min(5)]
            );
        }
        let (rows, _) = check_files(&on(&base, &fs, root)).await;
        assert_eq!(fs.crashes(), cycles, "{}: one cut per cycle", t.backend);
        assert!(
            acknowledged >= cycles / 2 && rows > 0,
            "{}: the workload ran ({acknowledged} acknowledged)",
            t.backend
        );
        eprintln!(
            "T2 {}: {cycles} power cuts (seed {seed}), {acknowledged} registrations acknowledged, {rows} files checked \
             after every cut, 0 lost",
            t.backend
        );
    }
}

#[tokio::test]
async fn a_failed_file_sync_fails_the_request_and_stores_nothing() {
    for t in TestDb::all().await {
        let (base, _) = t.services();
        let o = office(&base).await;
        let fs = LossyFs::new(t.dir.path());
        let s = on(&base, &fs, t.dir.path());
        let before =
            (count(&s, "incoming_documents").await, count(&s, "incoming_files").await, count(&s, "audit_log").await);
        let now = s.clock.now();
        fs.fail_syncs(1);
        let files = vec![scan("ok.pdf".into()), scan("second.pdf".into())];
        let e = incoming::register_with_files(&s, &o.secretary, request(now), files, "ip").await.unwrap_err();
        assert!(matches!(&e, ServiceError::Db(mishu_service::db::DbError::Files(_))), "{}: {e}", t.backend);
        assert!(e.to_string().contains("os error 5"), "{}: the I/O error is the answer, not a retry: {e}", t.backend);
        let after =
            (count(&s, "incoming_documents").await, count(&s, "incoming_files").await, count(&s, "audit_log").await);
        assert_eq!(after, before, "{}: nothing committed", t.backend);
        // The next request stores normally: the failure was this request's, not the store's.
        incoming::register_with_files(&s, &o.secretary, request(now), vec![scan("again.pdf".into())], "ip")
            .await
            .unwrap();
        let (rows, bad) = check_files(&s).await;
        assert_eq!((rows as i64, bad), (before.1 + 1, vec![]), "{}", t.backend);
    }
}
