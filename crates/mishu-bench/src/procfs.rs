//! What the process itself reports through procfs: memory (VmRSS, VmHWM, RssAnon) and the
//! CPU time of the server's threads, told apart from the load generator's by thread name.

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

/// Nanoseconds on CPU of the server's live threads (`schedstat`, ns resolution). A thread
/// that ends between two samples takes its time with it; the app's threads live for the run.
pub fn server_cpu_ns() -> u64 {
    let pid = std::process::id().to_string();
    let Ok(dir) = fs::read_dir("/proc/self/task") else { return 0 };
    dir.flatten()
        .filter_map(|e| {
            let tid = e.file_name().to_string_lossy().to_string();
            let comm = fs::read_to_string(e.path().join("comm")).ok()?;
            // The main thread only waits for the load generator; it is not the server.
            if tid == pid || comm.starts_with(CLIENT_THREAD) {
                return None;
            }
            fs::read_to_string(e.path().join("schedstat")).ok()?.split_whitespace().next()?.parse::<u64>().ok()
        })
        .sum()
}

/// `(1-minute, 5-minute)` load average, to print next to every run.
pub fn load_average() -> (f64, f64) {
    let text = fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let mut it = text.split_whitespace().map(|v| v.parse().unwrap_or(0.0));
    (it.next().unwrap_or(0.0), it.next().unwrap_or(0.0))
}
