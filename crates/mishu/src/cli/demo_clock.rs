//! A shifted clock for the demo (`serve --demo --demo-clock FILE`), so a walk through the
//! office's week — a request on Thursday, publication on Friday, the meeting next week — can
//! be shown or browser-tested in minutes. The file holds an offset in milliseconds from the
//! real time; it is read on every tick, so whoever writes it moves the server's "now".
//! Never for real use: serve refuses it without `--demo`.

use mishu_domain::Timestamp;
use mishu_service::clock::{Clock, SystemClock};
use std::path::PathBuf;

#[derive(Debug)]
pub struct DemoClock {
    pub file: PathBuf,
}

impl Clock for DemoClock {
    fn now(&self) -> Timestamp {
        // A missing or half-written file reads as no shift, never as a panic.
        let offset = std::fs::read_to_string(&self.file).ok().and_then(|s| s.trim().parse::<i64>().ok()).unwrap_or(0);
        Timestamp(SystemClock.now().0.saturating_add(offset))
    }
}
