//! T4, races through the real server: N clients released at the same instant by a barrier,
//! each on its own connection. One slot of one room: exactly one 201, the rest 409.
//! Registrations: distinct 收文编号 with no gap. Instructions on one leader step: exactly one
//! counts. Never a 5xx, never "database is locked" in any answer.
//!
//! Rounds: `MISHU_RACE_ROUNDS` (default 2; `.ci/run` 50, the long tier 500).

use crate::api::{Api, token};
use crate::crash::report;
use crate::node::{Backend, artefacts, backends, env_count};
use crate::writes::{broken_invariants, person, storage_checks};
use chrono::{Datelike, Duration as Days, Weekday};
use serde_json::{Value, json};
use std::sync::Arc;
use tokio::sync::Barrier;

const RACERS: usize = 16;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn racing_requests_have_exactly_one_winner() {
    for b in backends().await {
        let rounds = env_count("MISHU_RACE_ROUNDS", 2);
        race(&b, rounds).await;
    }
}

/// Fires `RACERS` copies of one request at once; returns every (status, body).
async fn fire(apis: &[Api], path: &str, bodies: Vec<Value>) -> Vec<(u16, Value)> {
    let gate = Arc::new(Barrier::new(bodies.len()));
    let mut hs = Vec::new();
    for (i, body) in bodies.into_iter().enumerate() {
        let (api, gate, path) = (apis[i % apis.len()].clone(), gate.clone(), path.to_string());
        hs.push(tokio::spawn(async move {
            gate.wait().await;
            api.post(&path, &body).await
        }));
    }
    let mut out = Vec::new();
    for h in hs {
        out.push(h.await.expect("racer"));
    }
    for (status, body) in &out {
        assert!(*status < 500, "a racer got {status}: {body}");
        assert!(!body.to_string().contains("locked"), "a racer saw a lock: {body}");
    }
    out
}

fn count(out: &[(u16, Value)], status: u16) -> usize {
    out.iter().filter(|(s, _)| *s == status).count()
}

/// A weekday at least five weeks ahead, `n` working hours into the future plan: each round
/// gets its own hour so rounds never collide with each other.
fn slot(n: usize) -> (String, String) {
    let mut day = chrono::Local::now().date_naive() + Days::days(35);
    let mut left = n / 8;
    loop {
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        if !weekend && left == 0 {
            break;
        }
        if !weekend {
            left -= 1;
        }
        day += Days::days(1);
    }
    let hour = 9 + n % 8;
    let at = |h: usize| format!("{}T{h:02}:00:00+08:00", day.format("%Y-%m-%d"));
    (at(hour), at(hour + 1))
}

async fn race(b: &Backend, rounds: usize) {
    b.load_demo();
    let secretary = token(b, "mishu").await;
    let leader = token(b, "shuji").await;
    let s = b.services().await;
    let shuji = person(&s, "shuji").await;
    s.db.close().await;
    let log = artefacts().join(format!("races-{}-server.log", b.name));
    let _ = std::fs::remove_file(&log);
    let instructed_before = instructed(b).await;
    let (node, _) = b.start(&log).await;
    let apis: Vec<Api> = (0..RACERS).map(|_| Api::new(&node.base, &secretary)).collect();
    let leaders: Vec<Api> = (0..RACERS).map(|_| Api::new(&node.base, &leader)).collect();
    let (_, rooms) = apis[0].get("/api/v1/rooms").await;
    let room = rooms[0]["id"].as_i64().expect("the demo has rooms");

    let (mut bookings, mut numbers, mut instructions) = (0, 0, 0);
    for round in 0..rounds {
        // One slot of one room.
        let (from, to) = slot(round);
        let body = |i: usize| {
            json!({"room_id": room, "title": format!("抢订测试 {round}-{i}"), "kind": "organ_wide",
                   "chair": "党委书记", "starts_at": from, "ends_at": to, "attendees": 5})
        };
        let out = fire(&apis, "/api/v1/bookings", (0..RACERS).map(body).collect()).await;
        assert_eq!(
            (count(&out, 201), count(&out, 409)),
            (1, RACERS - 1),
            "{} round {round}: one booking wins, the rest conflict: {out:#?}",
            b.name
        );
        bookings += 1;

        // Registrations numbered in parallel.
        let body = |i: usize| json!({"sender_organ": "江北市教育局", "title": format!("编号竞争 {round}-{i}"), "doc_type": "通知"});
        let out = fire(&apis, "/api/v1/incoming", (0..RACERS).map(body).collect()).await;
        assert_eq!(count(&out, 201), RACERS, "{} round {round}: every registration stands: {out:#?}", b.name);
        let mut regs: Vec<String> =
            out.iter().map(|(_, v)| v["document"]["reg_no"].as_str().expect("reg_no").to_string()).collect();
        regs.sort();
        regs.dedup();
        assert_eq!(regs.len(), RACERS, "{} round {round}: distinct numbers", b.name);
        numbers += RACERS;

        // One leader step, instructed by the same leader from many tabs at once.
        let doc = out[0].1["document"]["id"].as_i64().unwrap();
        let path = format!("/api/v1/incoming/{doc}/actions");
        let propose = json!({"action": "propose", "opinion": "拟请书记阅示", "submission": "for_instruction", "leaders": [shuji]});
        let (st, detail) = apis[0].post(&path, &propose).await;
        assert_eq!(st, 200, "{}: propose: {detail}", b.name);
        let step = detail["steps"]
            .as_array()
            .and_then(|s| s.iter().find(|s| s["state"] == "open" && s["person_id"] == shuji))
            .and_then(|s| s["id"].as_i64())
            .unwrap_or_else(|| panic!("{}: no open step for the leader: {detail}", b.name));
        let body = |i: usize| json!({"action": "instruct", "step": step, "text": format!("同意，请办理。{i}")});
        let out = fire(&leaders, &path, (0..RACERS).map(body).collect()).await;
        assert_eq!(count(&out, 200), 1, "{} round {round}: one instruction counts: {out:#?}", b.name);
        assert_eq!(count(&out, 409), RACERS - 1, "{} round {round}: the rest conflict: {out:#?}", b.name);
        instructions += 1;
    }
    node.kill();
    let n = instructed(b).await - instructed_before;
    let s = b.services().await;
    let mut problems = storage_checks(&s).await;
    problems.extend(broken_invariants(&s).await);
    s.db.close().await;
    assert_eq!(n as usize, instructions, "{}: one audit record per instruction that counted", b.name);
    assert!(problems.is_empty(), "{}: {problems:?}", b.name);
    let line = format!(
        "T4 {}: {rounds} rounds x {RACERS} racers: {bookings} slots with exactly 1 winner, {numbers} registrations \
         numbered without duplicates or gaps, {instructions} steps instructed exactly once (one audit record each); 0 5xx, 0 lock errors",
        b.name
    );
    eprintln!("{line}");
    report(&line);
}

/// Instructions recorded in the audit log so far (the demo has some of its own).
async fn instructed(b: &Backend) -> i64 {
    let s = b.services().await;
    let (n,): (i64,) =
        s.db.fetch_one("SELECT COUNT(*) FROM audit_log WHERE action = 'incoming.instructed'", mishu_service::args![])
            .await
            .unwrap();
    s.db.close().await;
    n
}
