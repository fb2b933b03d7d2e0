//! The soak of the long tier: mixed reads and writes from every row of the write table for
//! `MISHU_SOAK_SECONDS` (600 in `scripts/reliability-long.sh`), the server's resident memory
//! sampled throughout; it must stay flat (the last quarter's mean within 20 % + 16 MiB of
//! the second quarter's, after warm-up) with no 5xx. Ignored in the PR tier: it is long.

use crate::api::{Api, token};
use crate::crash::report;
use crate::node::{Backend, artefacts, env_count};
use crate::writes::{Ids, WRITES};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "long tier: scripts/reliability-long.sh"]
async fn memory_stays_flat_under_load() {
    let seconds = env_count("MISHU_SOAK_SECONDS", 60) as u64;
    let b = Backend::new("sqlite", None);
    b.load_demo();
    let secretary = token(&b, "mishu").await;
    let s = b.services().await;
    let ids = Ids::of_demo(&s).await;
    s.db.close().await;
    let (node, _) = b.start(&artefacts().join("soak-server.log")).await;
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut clients = Vec::new();
    for w in 0..4 {
        let (api, ids) = (Api::new(&node.base, &secretary), ids.clone());
        clients.push(tokio::spawn(async move {
            let (mut n, mut five) = (0u64, 0u64);
            while Instant::now() < until {
                let k = &WRITES[(n as usize + w) % WRITES.len()];
                // Four reads to one write, roughly an office's mix.
                let (st, _) = if n % 5 == 0 {
                    api.post(k.path, &(k.body)(&ids, &format!("浸泡测试 {w}-{n}"))).await
                } else {
                    api.get(if n % 2 == 0 { "/api/v1/inbox" } else { "/api/v1/incoming" }).await
                };
                if st >= 500 {
                    five += 1;
                }
                n += 1;
            }
            (n, five)
        }));
    }
    let mut samples = Vec::new();
    while Instant::now() < until {
        tokio::time::sleep(Duration::from_secs(2)).await;
        samples.push(node.rss_kib().expect("the server's RSS"));
    }
    let (mut requests, mut errors) = (0, 0);
    for c in clients {
        let (n, e) = c.await.unwrap();
        requests += n;
        errors += e;
    }
    node.kill();
    assert_eq!(errors, 0, "5xx answers during the soak");
    let q = samples.len() / 4;
    assert!(q >= 1, "too short to judge: {samples:?}");
    let mean = |s: &[u64]| s.iter().sum::<u64>() / s.len().max(1) as u64;
    let (second, last) = (mean(&samples[q..2 * q]), mean(&samples[samples.len() - q..]));
    let line = format!(
        "Soak sqlite: {seconds} s, {requests} requests (1 write : 4 reads), 0 5xx; RSS second quarter {second} KiB, \
         last quarter {last} KiB, peak {} KiB",
        samples.iter().max().unwrap()
    );
    eprintln!("{line}");
    report(&line);
    assert!(last <= second + second / 5 + 16 * 1024, "memory grew: {samples:?}");
}
