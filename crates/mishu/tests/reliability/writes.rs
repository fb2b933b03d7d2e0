//! The writes the reliability tests send, one row per domain: how to ask for it over the
//! API, where its id is in the 201 answer, how to read it back from the database, and its
//! audit action. A new domain adds a row here (and its invariants to `INVARIANTS`).

use mishu_domain::Timestamp;
use mishu_service::Services;
use mishu_service::args;
use serde_json::{Value, json};

/// Who and what the writes refer to, looked up in the demo organ.
#[derive(Clone, Debug)]
pub struct Ids {
    /// A leader (书记) tasks are given on behalf of.
    pub leader: i64,
    /// A handler who owns the tasks.
    pub owner: i64,
}

pub async fn person(s: &Services, login: &str) -> i64 {
    let (id,): (i64,) =
        s.db.fetch_one("SELECT person_id FROM people WHERE login = $1", args![login]).await.expect(login);
    id
}

impl Ids {
    pub async fn of_demo(s: &Services) -> Ids {
        Ids { leader: person(s, "shuji").await, owner: person(s, "zsc.keyuan").await }
    }
}

/// One kind of acknowledged write.
pub struct WriteKind {
    pub domain: &'static str,
    pub path: &'static str,
    /// The JSON body; `title` is unique per write so it can be read back.
    pub body: fn(&Ids, &str) -> Value,
    /// The new object's id in the 201 answer.
    pub id_of: fn(&Value) -> Option<i64>,
    /// `SELECT id, title` of every row of the domain: the check reads them all at once, as it
    /// reads everything acknowledged so far after every cycle.
    pub read_all: &'static str,
    /// The audit action written in the same transaction.
    pub audit_action: &'static str,
}

fn a_week_ahead() -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    Timestamp(now + 7 * 24 * 3600 * 1000).rfc3339()
}

/// Everything the secretary (秘书科 `mishu`) may write through the API.
pub const WRITES: &[WriteKind] = &[
    WriteKind {
        domain: "incoming",
        path: "/api/v1/incoming",
        body: |_, title| json!({"sender_organ": "江北市教育局", "title": title, "doc_type": "通知", "copies": 1}),
        id_of: |v| v["document"]["id"].as_i64(),
        read_all: "SELECT incoming_id, title FROM incoming_documents",
        audit_action: "incoming.registered",
    },
    WriteKind {
        domain: "leader_task",
        path: "/api/v1/leader-tasks",
        body: |ids, title| json!({"title": title, "leader_id": ids.leader, "owner_id": ids.owner, "due_at": a_week_ahead()}),
        id_of: |v| v["id"].as_i64(),
        read_all: "SELECT leader_task_id, title FROM leader_tasks",
        audit_action: "leader_task.given",
    },
];

/// Queries that count what must never exist, on both databases; each must answer 0.
pub const INVARIANTS: &[(&str, &str)] = &[
    (
        "收文编号 without its predecessor (a gap in the year's numbers)",
        "SELECT COUNT(*) FROM incoming_documents d WHERE d.reg_seq > 1 AND NOT EXISTS \
         (SELECT 1 FROM incoming_documents e WHERE e.reg_year = d.reg_year AND e.reg_seq = d.reg_seq - 1)",
    ),
    (
        "收文编号 given twice",
        "SELECT COUNT(*) FROM (SELECT reg_year, reg_seq FROM incoming_documents \
         GROUP BY reg_year, reg_seq HAVING COUNT(*) > 1) x",
    ),
    (
        "overlapping live bookings of one room",
        "SELECT COUNT(*) FROM room_bookings a JOIN room_bookings b ON a.room_id = b.room_id \
         AND a.booking_id < b.booking_id AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at \
         WHERE a.state IN ('requested', 'approved') AND b.state IN ('requested', 'approved')",
    ),
    (
        "audit records whose sequence has a hole",
        "SELECT COUNT(*) FROM audit_log a WHERE a.seq > (SELECT MIN(seq) FROM audit_log) AND NOT EXISTS \
         (SELECT 1 FROM audit_log b WHERE b.seq = a.seq - 1)",
    ),
];

/// Runs every invariant; returns the ones that fail with their counts.
pub async fn broken_invariants(s: &Services) -> Vec<String> {
    let mut bad = Vec::new();
    for (what, sql) in INVARIANTS {
        let (n,): (i64,) = s.db.fetch_one(sql, args![]).await.unwrap_or_else(|e| panic!("{what}: {e}"));
        if n != 0 {
            bad.push(format!("{what}: {n}"));
        }
    }
    bad
}

/// SQLite's own checks of the file: `integrity_check` says `ok` and no foreign key dangles.
/// PostgreSQL checks itself on every write; there is nothing comparable to ask.
pub async fn storage_checks(s: &Services) -> Vec<String> {
    if s.db.backend() != "sqlite" {
        return Vec::new();
    }
    let mut bad = Vec::new();
    let rows: Vec<(String,)> = s.db.fetch_all("PRAGMA integrity_check", args![]).await.expect("integrity_check");
    if rows.len() != 1 || rows[0].0 != "ok" {
        bad.push(format!("integrity_check: {rows:?}"));
    }
    let (n,): (i64,) =
        s.db.fetch_one("SELECT COUNT(*) FROM pragma_foreign_key_check", args![]).await.expect("foreign_key_check");
    if n != 0 {
        bad.push(format!("foreign_key_check: {n} dangling references"));
    }
    bad
}
