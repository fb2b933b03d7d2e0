//! `mishu-bench`: Mishu's benchmark. Generates the organ at scale on SQLite (and on
//! PostgreSQL when `MISHU_BENCH_POSTGRES_URL` is set), serves the real app in process on a
//! loopback port and measures it; prints a table and writes `target/bench/results.json`.
//!
//! `--quick` is the CI smoke: a small volume, a few seconds, no judgement of timings.
//! Beside the closed-loop table it times the reminder sweep, the first response of a
//! freshly opened app and the binaries' size, and drives the D1 mix open loop (`mix`).
//! `--million` adds the 1M-document growth step (performance.md D3) after the 100k table.
//! `--peer-django` measures the Django peer on the same file after the 100k table (`peer`).
//! The app and the load generator run on separate runtimes with named threads, so the
//! server's CPU per request is read from its own threads.

mod backend;
mod bench;
mod corpus;
mod extras;
mod generate;
mod http;
mod load;
mod mix;
mod outgoing;
mod peer;
mod procfs;
mod reference;
mod report;
mod rooms;
mod scenarios;

use backend::Backend;
use bench::Settings;
use generate::Volume;
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: mishu-bench [--quick] [--peer-django] [--seed N] [--out FILE]
  --quick    small volume, a few seconds (the CI smoke; timings are not judged)
  --million  also grow to 1,000,000 documents after the 100k table (minutes, gigabytes)
  --seed N   generator seed (default 7)
  --out FILE JSON results (default target/bench/results.json)
  --ratios FILE  also write the ratios alone, one key each per database (BENCHMARKS.json)
  --keep     keep the SQLite data folder (for EXPLAIN QUERY PLAN afterwards)
  --peer-django  also measure the Django peer (gunicorn, 5 workers) on the SQLite file after
             the 100k table: R_peer_django, R_mem. Needs python3; installs Django 5.2 and
             gunicorn from PyPI into $MISHU_BENCH_DJANGO_VENV (default: django-venv beside --out)
env MISHU_BENCH_POSTGRES_URL=postgres://… also runs on a fresh PostgreSQL database";

fn main() -> ExitCode {
    let mut quick = false;
    let mut keep = false;
    let mut million = false;
    let mut peer_django = false;
    let mut ratios_out = None;
    let mut seed = 7;
    let mut out = PathBuf::from("target/bench/results.json");
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--quick" => quick = true,
            "--keep" => keep = true,
            "--million" => million = true,
            "--peer-django" => peer_django = true,
            "--seed" => match args.next().and_then(|v| v.parse().ok()) {
                Some(n) => seed = n,
                None => return usage(),
            },
            "--ratios" => match args.next() {
                Some(p) => ratios_out = Some(PathBuf::from(p)),
                None => return usage(),
            },
            "--out" => match args.next() {
                Some(p) => out = PathBuf::from(p),
                None => return usage(),
            },
            _ => return usage(),
        }
    }
    let peer_venv = peer_django.then(|| match std::env::var_os("MISHU_BENCH_DJANGO_VENV") {
        Some(v) if !v.is_empty() => PathBuf::from(v),
        _ => out.parent().unwrap_or(std::path::Path::new(".")).join("django-venv"),
    });
    match run(quick, million, keep, seed, &out, ratios_out.as_deref(), peer_venv) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mishu-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> ExitCode {
    eprintln!("{USAGE}");
    ExitCode::from(2)
}

fn run(
    quick: bool,
    million: bool,
    keep: bool,
    seed: u64,
    out: &std::path::Path,
    ratios_out: Option<&std::path::Path>,
    peer_django: Option<PathBuf>,
) -> anyhow::Result<()> {
    // The app gets the machine's 2 cores; the load generator one thread (performance.md D4).
    let server =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).thread_name("mishu-srv").enable_all().build()?;
    let client = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name(procfs::CLIENT_THREAD)
        .enable_all()
        .build()?;
    let volume = if quick { Volume::quick() } else { Volume::full(million) };
    let settings = Settings { volume, quick, seed, peer_django };
    let load_start = procfs::load_average();
    let pg = std::env::var("MISHU_BENCH_POSTGRES_URL").ok().filter(|u| !u.trim().is_empty());
    let outcomes = server.block_on(async {
        let mut outcomes = Vec::new();
        let mut backends = vec![None];
        backends.extend(pg.iter().map(Some));
        for url in backends {
            let b = match url {
                None => Backend::sqlite(keep).await?,
                Some(u) => Backend::postgres(u).await?,
            };
            eprintln!("{}: generating {:?}", b.name, settings.volume);
            let outcome = bench::run(&b, &settings, client.handle()).await;
            b.close().await;
            let outcome = outcome?;
            report::print(&outcome);
            outcomes.push(outcome);
        }
        anyhow::Ok(outcomes)
    })?;
    let meta = serde_json::json!({
        "quick": quick,
        "million": million,
        "peer_django": settings.peer_django.is_some(),
        "seed": seed,
        "volume": format!("{:?}", settings.volume),
        "load_average_start": load_start,
        "load_average_end": procfs::load_average(),
        "cpus": std::thread::available_parallelism().map_or(0, |n| n.get()),
        "sqlite_durability": "WAL, synchronous=FULL (as mishu serve)",
        "unix_time": std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs()),
    });
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(out, serde_json::to_string_pretty(&report::json(&outcomes, meta.clone()))?)?;
    println!("\nwritten: {}", out.display());
    if let Some(path) = ratios_out {
        std::fs::write(path, serde_json::to_string_pretty(&report::ratios_only(&outcomes, meta))? + "\n")?;
        println!("written: {}", path.display());
    }
    Ok(())
}
