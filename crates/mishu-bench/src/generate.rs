//! The bench organ: the demo organ loaded through the services, then scaled up with bulk
//! INSERTs in large transactions (one service call per row would take hours at this volume).
//!
//! Every generated row is marked: logins `bench…`, departments and titles `压测…`, audit
//! actions `bench.generated`. Bench documents use registration years before the current one,
//! so the service's own 收文编号 counter for this year stays untouched and valid.
//!
//! Extension point: a new domain (search corpus, outgoing documents, rooms…) adds one
//! `async fn` here and one line in `generate`, and reports its counts in `Generated`.

use anyhow::Context;
use mishu_domain::Timestamp;
use mishu_domain::audit::AuditRecord;
use mishu_service::db::{Arg, Tx};
use mishu_service::{Services, args, demo};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// How much to generate. `full` is the demo organ scaled to the design target.
#[derive(Clone, Copy, Debug)]
pub struct Volume {
    pub departments: usize,
    pub people: usize,
    pub tasks: usize,
    pub incoming: usize,
    pub audit: usize,
    /// Leader tasks given to the bench user, one per measured answer POST.
    pub answers: usize,
}

impl Volume {
    pub fn full() -> Volume {
        Volume { departments: 300, people: 10_000, tasks: 100_000, incoming: 20_000, audit: 200_000, answers: 3_000 }
    }
    pub fn quick() -> Volume {
        Volume { departments: 20, people: 300, tasks: 3_000, incoming: 500, audit: 5_000, answers: 200 }
    }
}

/// What the benchmark needs to know about the generated organ.
pub struct Generated {
    pub password: String,
    /// The signed-in user of every measured request: the demo's secretary (秘书).
    pub user_login: String,
    pub user_id: i64,
    pub leader_tasks: Vec<i64>,
    pub stored_hash: String,
}

const USER: &str = "mishu";
const LEADER: &str = "yuanzhang";
/// Rows per INSERT statement: 11 columns × 1,000 stays under SQLite's 32,766 parameters.
const CHUNK: usize = 1_000;

pub async fn generate(s: &Services, v: Volume, seed: u64) -> anyhow::Result<Generated> {
    let mut rng = StdRng::seed_from_u64(seed);
    let report = demo::load(s).await.context("demo load")?;
    let (user_id, stored_hash): (i64, Option<String>) =
        s.db.fetch_one("SELECT person_id, password_hash FROM people WHERE login = $1", args![USER]).await?;
    let stored_hash = stored_hash.context("demo user without password")?;
    let (leader_id,): (i64,) = s.db.fetch_one("SELECT person_id FROM people WHERE login = $1", args![LEADER]).await?;
    let now = s.clock.now().0;

    let departments = departments(s, v, now).await?;
    let people = people(s, v, &departments, &stored_hash, now, &mut rng).await?;
    let docs = incoming(s, v, user_id, now, &mut rng).await?;
    tasks(s, v, &people, user_id, &docs, now, &mut rng).await?;
    let leader_tasks = leader_tasks(s, v, user_id, leader_id, now).await?;
    audit(s, v, now).await?;
    Ok(Generated { password: report.password, user_login: USER.into(), user_id, leader_tasks, stored_hash })
}

/// `INSERT INTO table (cols) VALUES (…), (…) [RETURNING id]` in chunks, placeholders in order.
async fn bulk(
    tx: &mut Tx,
    table: &str,
    cols: &str,
    rows: Vec<Vec<Arg>>,
    returning: Option<&str>,
) -> anyhow::Result<Vec<i64>> {
    let width = cols.split(',').count();
    let mut ids = Vec::new();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Arg>> = rows.by_ref().take(CHUNK).collect();
        let mut n = 0;
        let values: Vec<String> = chunk
            .iter()
            .map(|_| {
                let marks: Vec<String> = (0..width)
                    .map(|_| {
                        n += 1;
                        format!("${n}")
                    })
                    .collect();
                format!("({})", marks.join(", "))
            })
            .collect();
        let args: Vec<Arg> = chunk.into_iter().flatten().collect();
        let sql = format!("INSERT INTO {table} ({cols}) VALUES {}", values.join(", "));
        match returning {
            Some(col) => {
                let got: Vec<(i64,)> = tx.fetch_all(&format!("{sql} RETURNING {col}"), args).await?;
                ids.extend(got.into_iter().map(|r| r.0));
            }
            None => {
                tx.execute(&sql, args).await?;
            }
        }
    }
    Ok(ids)
}

async fn departments(s: &Services, v: Volume, now: i64) -> anyhow::Result<Vec<i64>> {
    let rows = (0..v.departments).map(|i| args![format!("压测部门{i:04}"), i as i64, now]).collect();
    let mut tx = s.db.begin().await?;
    let ids = bulk(&mut tx, "departments", "name, sort_order, created_at", rows, Some("department_id")).await?;
    tx.commit().await?;
    Ok(ids)
}

async fn people(
    s: &Services,
    v: Volume,
    departments: &[i64],
    hash: &str,
    now: i64,
    rng: &mut StdRng,
) -> anyhow::Result<Vec<i64>> {
    const SURNAMES: &[&str] = &["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"];
    const GIVEN: &[&str] = &["伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "勇", "军", "杰"];
    let rows = (0..v.people)
        .map(|i| {
            let name = format!(
                "{}{}{}",
                SURNAMES[rng.gen_range(0..SURNAMES.len())],
                GIVEN[i % GIVEN.len()],
                GIVEN[(i / 12) % GIVEN.len()]
            );
            let dep = departments[i % departments.len().max(1)];
            args![format!("bench{i:05}"), name, dep, "科员", "none", hash, now, now]
        })
        .collect();
    let cols = "login, name, department_id, position, clearance, password_hash, password_changed_at, created_at";
    let mut tx = s.db.begin().await?;
    let ids = bulk(&mut tx, "people", cols, rows, Some("person_id")).await?;
    tx.commit().await?;
    Ok(ids)
}

/// Received documents over the five years before this one, most of them closed.
async fn incoming(s: &Services, v: Volume, registrar: i64, now: i64, rng: &mut StdRng) -> anyhow::Result<Vec<i64>> {
    const SENDERS: &[&str] = &["某省教育厅", "某市人民政府办公室", "某省财政厅", "某市教育局", "某省人社厅"];
    const TYPES: &[&str] = &["notice", "circular", "report", "request", "opinion", "decision"];
    const HANDLING: &[&str] = &["for_information", "to_handle", "pass_on"];
    let this_year: i64 = Timestamp(now).rfc3339()[..4].parse().unwrap_or(2026);
    let day = 86_400_000_i64;
    let rows = (0..v.incoming)
        .map(|i| {
            let year = this_year - 5 + (i * 5 / v.incoming.max(1)) as i64;
            let received = now - rng.gen_range(1..1_800) * day;
            let state = if rng.gen_ratio(9, 10) { "closed" } else { "registered" };
            let sender = SENDERS[i % SENDERS.len()];
            args![
                year,
                i as i64 + 1,
                sender,
                format!("压测〔{year}〕{}号", i + 1),
                format!("压测收文：关于做好第{}项工作的通知", i + 1),
                TYPES[i % TYPES.len()],
                "none",
                (i % 3) as i64,
                received,
                received + 10 * day,
                HANDLING[i % HANDLING.len()],
                state,
                registrar,
                received
            ]
        })
        .collect();
    let cols = "reg_year, reg_seq, sender_organ, sender_number, title, doc_type, classification, urgency, received_at, due_at, handling_kind, state, registered_by, created_at";
    let mut tx = s.db.begin().await?;
    let ids = bulk(&mut tx, "incoming_documents", cols, rows, Some("incoming_id")).await?;
    tx.commit().await?;
    Ok(ids)
}

/// Tasks on the bench documents: 2 % land on the bench user (a busy secretary's inbox of
/// about 2,000 at full volume), the rest spread over everyone; a third still open.
async fn tasks(
    s: &Services,
    v: Volume,
    people: &[i64],
    user: i64,
    docs: &[i64],
    now: i64,
    rng: &mut StdRng,
) -> anyhow::Result<()> {
    const KINDS: &[&str] = &["handle", "read", "approve"];
    let hour = 3_600_000_i64;
    let rows = (0..v.tasks)
        .map(|i| {
            let assignee = if rng.gen_ratio(1, 50) { user } else { people[rng.gen_range(0..people.len())] };
            let open = rng.gen_ratio(1, 3);
            let created = now - rng.gen_range(1..5_000) * hour;
            let due = created + rng.gen_range(24..480) * hour;
            args![
                "incoming",
                docs[i % docs.len()],
                format!("压测待办：第{}号收文", i + 1),
                KINDS[i % KINDS.len()],
                assignee,
                (i % 3) as i64,
                due,
                if open { "open" } else { "done" },
                created,
                if open { None } else { Some(due - hour) },
                if open { None } else { Some(assignee) }
            ]
        })
        .collect();
    let cols = "domain, subject_id, title, kind, assignee_id, urgency, due_at, state, created_at, done_at, done_by";
    let mut tx = s.db.begin().await?;
    bulk(&mut tx, "tasks", cols, rows, None).await?;
    tx.commit().await?;
    Ok(())
}

/// Leader tasks waiting for the bench user's answer, each with its open reply task, as
/// `leader_tasks::give` leaves them.
async fn leader_tasks(s: &Services, v: Volume, owner: i64, leader: i64, now: i64) -> anyhow::Result<Vec<i64>> {
    let due = now + 7 * 86_400_000;
    let rows =
        (0..v.answers).map(|i| args![format!("压测交办事项{i:05}"), leader, owner, owner, due, "given", now]).collect();
    let cols = "title, leader_id, recorded_by, owner_id, due_at, state, created_at";
    let mut tx = s.db.begin().await?;
    let ids = bulk(&mut tx, "leader_tasks", cols, rows, Some("leader_task_id")).await?;
    let replies = ids
        .iter()
        .enumerate()
        .map(|(i, id)| args!["leader_task", *id, format!("压测交办事项{i:05}"), "reply", owner, leader, due, now])
        .collect();
    let cols = "domain, subject_id, title, kind, assignee_id, created_by, due_at, created_at";
    bulk(&mut tx, "tasks", cols, replies, None).await?;
    tx.commit().await?;
    Ok(ids)
}

/// Audit records chained and sealed exactly as `audit::append` does, inserted in bulk; the
/// head moves once per transaction, so `audit verify` passes over the whole log.
async fn audit(s: &Services, v: Volume, now: i64) -> anyhow::Result<()> {
    const PER_TX: usize = 20_000;
    let mut done = 0;
    while done < v.audit {
        let n = PER_TX.min(v.audit - done);
        let mut tx = s.db.begin().await?;
        let (mut seq, mut mac): (i64, String) =
            tx.fetch_one("SELECT seq, mac FROM audit_head WHERE id = 1", args![]).await?;
        let mut rows = Vec::with_capacity(n);
        for i in 0..n {
            seq += 1;
            let r = AuditRecord {
                seq,
                at: Timestamp(now),
                actor_id: None,
                acting_for: None,
                source_ip: "bench".into(),
                action: "bench.generated".into(),
                subject_type: "bench".into(),
                subject_id: Some((done + i).to_string()),
                detail: format!("{{\"n\":{}}}", done + i),
                prev_mac: mac.clone(),
                mac: String::new(),
            }
            .seal(&s.audit_key);
            mac = r.mac.clone();
            rows.push(args![
                r.seq,
                r.at,
                r.source_ip,
                r.action,
                r.subject_type,
                r.subject_id,
                r.detail,
                r.prev_mac,
                r.mac
            ]);
        }
        let cols = "seq, at, source_ip, action, subject_type, subject_id, detail, prev_mac, mac";
        bulk(&mut tx, "audit_log", cols, rows, None).await?;
        tx.execute("UPDATE audit_head SET seq = $1, mac = $2 WHERE id = 1", args![seq, &mac]).await?;
        tx.commit().await?;
        done += n;
    }
    Ok(())
}
