//! What the process itself reports through procfs: memory (VmRSS, VmHWM, RssAnon) and the
//! CPU time of the server, told apart from the load generator's threads by thread name; and
//! the same two figures for another server's process tree (the Django peer's gunicorn).

use std::fs;

/// Threads of the load generator; every other thread (the app's runtime, its blocking pool,
/// sqlx's SQLite workers) counts as server.
pub const CLIENT_THREAD: &str = "bench-cli";

#[derive(Clone, Copy, Debug, Default)]
pub struct Memory {
    pub rss_kb: u64,
    pub hwm_kb: u64,
    pub anon_kb: u64,
}

pub fn memory() -> Memory {
    let text = fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    };
    Memory { rss_kb: field("VmRSS:"), hwm_kb: field("VmHWM:"), anon_kb: field("RssAnon:") }
}

/// Nanoseconds on CPU of everything but the load generator and the main thread: the
/// process's total (`/proc/self/stat`, which keeps the time of threads that have ended, such
/// as idle blocking-pool and database worker threads) less the live client and main threads
/// (`schedstat`, ns resolution). Those live for the whole run, so differences are exact up to
/// the total's clock-tick resolution (10 ms at 100 Hz).
pub fn server_cpu_ns() -> u64 {
    let pid = std::process::id().to_string();
    let Ok(dir) = fs::read_dir("/proc/self/task") else { return 0 };
    let not_server: u64 = dir
        .flatten()
        .filter_map(|e| {
            let tid = e.file_name().to_string_lossy().to_string();
            let comm = fs::read_to_string(e.path().join("comm")).ok()?;
            // The main thread only orchestrates and waits for the load generator.
            if tid != pid && !comm.starts_with(CLIENT_THREAD) {
                return None;
            }
            fs::read_to_string(e.path().join("schedstat")).ok()?.split_whitespace().next()?.parse::<u64>().ok()
        })
        .sum();
    process_cpu_ns().saturating_sub(not_server)
}

/// utime + stime of the whole process, including threads that have ended.
fn process_cpu_ns() -> u64 {
    let f = stat_fields("self");
    ticks_ns(f.get(11).copied().unwrap_or(0) + f.get(12).copied().unwrap_or(0))
}

/// USER_HZ is 100 on Linux (sysconf(_SC_CLK_TCK)).
fn ticks_ns(ticks: u64) -> u64 {
    ticks * 10_000_000
}

/// The numeric fields of `/proc/<pid>/stat` after the parenthesised command name: index 1
/// is the parent, 11/12 utime/stime, 13/14 the waited-for children's cutime/cstime.
fn stat_fields(pid: &str) -> Vec<u64> {
    let text = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let rest = text.rsplit_once(')').map_or("", |(_, r)| r);
    rest.split_whitespace().map(|v| v.parse().unwrap_or(0)).collect()
}

/// A process and its live children (a pre-fork server: master and workers).
pub fn tree_pids(pid: u32) -> Vec<u32> {
    let Ok(dir) = fs::read_dir("/proc") else { return vec![pid] };
    let children = dir
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|p| stat_fields(&p.to_string()).get(1).copied() == Some(u64::from(pid)));
    std::iter::once(pid).chain(children).collect()
}

/// CPU of a process tree in ns: the master's own and its reaped children's (a worker that
/// was replaced keeps counting), plus each live child's utime + stime.
pub fn tree_cpu_ns(pid: u32) -> u64 {
    let master = stat_fields(&pid.to_string());
    let own: u64 = master.get(11..15).map_or(0, |f| f.iter().sum());
    let live: u64 = tree_pids(pid)
        .into_iter()
        .skip(1)
        .map(|p| {
            let f = stat_fields(&p.to_string());
            f.get(11).copied().unwrap_or(0) + f.get(12).copied().unwrap_or(0)
        })
        .sum();
    ticks_ns(own + live)
}

/// RssAnon summed over a process tree, in kB, and how many processes it counted.
pub fn tree_rss_anon_kb(pid: u32) -> (u64, usize) {
    let pids = tree_pids(pid);
    let kb = pids
        .iter()
        .map(|p| {
            let text = fs::read_to_string(format!("/proc/{p}/status")).unwrap_or_default();
            text.lines()
                .find_map(|l| l.strip_prefix("RssAnon:"))
                .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
                .unwrap_or(0)
        })
        .sum();
    (kb, pids.len())
}

/// `(1-minute, 5-minute)` load average, to print next to every run.
pub fn load_average() -> (f64, f64) {
    let text = fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let mut it = text.split_whitespace().map(|v| v.parse().unwrap_or(0.0));
    (it.next().unwrap_or(0.0), it.next().unwrap_or(0.0))
}
