//! Failed sign-ins per source address: more than `LIMIT` in a minute and that address gets
//! "too many attempts" (HTTP 429) until the minute has passed (等保 身份鉴别 b; ASVS 2.2.1).
//! The per-account lockout stops guessing one password; this stops spraying many accounts.
//! Kept in memory per node: on several nodes each enforces it, which only tightens the limit.

use mishu_domain::Timestamp;
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

pub const LIMIT: usize = 20;
const WINDOW_MS: i64 = 60_000;
/// Beyond this many tracked addresses the oldest are forgotten, so memory stays bounded.
const MAX_ADDRESSES: usize = 100_000;

#[derive(Debug, Default)]
pub struct IpThrottle {
    failures: Mutex<HashMap<String, VecDeque<i64>>>,
}

impl IpThrottle {
    pub fn blocked(&self, ip: &str, now: Timestamp) -> bool {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        match map.get_mut(ip) {
            Some(q) => {
                while q.front().is_some_and(|t| *t <= now.0 - WINDOW_MS) {
                    q.pop_front();
                }
                q.len() >= LIMIT
            }
            None => false,
        }
    }

    pub fn record_failure(&self, ip: &str, now: Timestamp) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_ADDRESSES && !map.contains_key(ip) {
            map.retain(|_, q| q.back().is_some_and(|t| *t > now.0 - WINDOW_MS));
            if map.len() >= MAX_ADDRESSES {
                map.clear();
            }
        }
        let q = map.entry(ip.to_string()).or_default();
        q.push_back(now.0);
        while q.len() > LIMIT {
            q.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_failures_in_a_minute_block_that_address_only() {
        let t = IpThrottle::default();
        let now = Timestamp(1_000_000);
        for i in 0..LIMIT as i64 {
            assert!(!t.blocked("10.0.0.1", Timestamp(now.0 + i)));
            t.record_failure("10.0.0.1", Timestamp(now.0 + i));
        }
        assert!(t.blocked("10.0.0.1", Timestamp(now.0 + 100)));
        assert!(!t.blocked("10.0.0.2", Timestamp(now.0 + 100)));
        assert!(!t.blocked("10.0.0.1", Timestamp(now.0 + WINDOW_MS + 100)), "a minute later it is free again");
    }
}
