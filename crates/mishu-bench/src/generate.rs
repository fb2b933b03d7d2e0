//! The bench organ: the demo organ loaded through the services, then scaled up with bulk
//! INSERTs in large transactions (one service call per row would take hours at this volume).
//!
//! Every generated row is marked: logins `bench…`, departments and titles `压测…`, audit
//! actions `bench.generated`. Bench documents use registration years before the current one,
//! so the service's own 收文编号 counter for this year stays untouched and valid.
//!
//! Received documents come in growth steps (`grow`, performance.md D3) with titles and
//! 拟办意见 from the Zipf corpus (`corpus`), so search and `LIKE` have real text to find.
//! Numbered outgoing documents are made through the service (`outgoing`).
//!
//! Extension point: a new domain adds one `async fn` here (or a module, as `rooms`) and one
//! line in `generate` (or `grow`, when it scales with documents), and reports its ids in
//! `Generated`.

use crate::corpus::Zipf;
use anyhow::Context;
use mishu_domain::Timestamp;
use mishu_domain::audit::AuditRecord;
use mishu_service::db::{Arg, Tx};
use mishu_service::{Services, args, demo, labels};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// How much to generate. `full` is the demo organ scaled to the design target.
#[derive(Clone, Copy, Debug)]
pub struct Volume {
    pub departments: usize,
    pub people: usize,
    /// Received documents at each growth step (performance.md D3); the first is generated
    /// with the live workload (open tasks), the later ones add closed history only.
    pub sizes: &'static [usize],
    /// Tasks per received document (approval steps, reading tasks).
    pub tasks_per_doc: usize,
    pub audit: usize,
    /// Leader tasks given to the bench user, one per measured answer POST.
    pub answers: usize,
    /// Outgoing documents taken through drafting, check, sign-off and registration.
    pub outgoing: usize,
}

impl Volume {
    pub fn full(million: bool) -> Volume {
        Volume {
            departments: 300,
            people: 10_000,
            sizes: if million { &[10_000, 100_000, 1_000_000] } else { &[10_000, 100_000] },
            tasks_per_doc: 2,
            audit: 200_000,
            answers: 6_000,
            outgoing: 3,
        }
    }
    pub fn quick() -> Volume {
        Volume {
            departments: 20,
            people: 300,
            sizes: &[200, 1_000],
            tasks_per_doc: 2,
            audit: 5_000,
            answers: 600,
            outgoing: 2,
        }
    }
    /// The step the full table is measured at: 100k at full volume (the target).
    pub fn main_step(&self) -> usize {
        1.min(self.sizes.len() - 1)
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
    pub people: Vec<i64>,
    /// Every bench received document, in generation order.
    pub docs: Vec<i64>,
    /// Registered (numbered) outgoing documents, each with a PDF.
    pub outgoing: Vec<i64>,
    /// The bench meeting rooms and how many bookings they hold.
    pub rooms: crate::rooms::Rooms,
    seed: u64,
}

const USER: &str = "mishu";
pub const LEADER: &str = "yuanzhang";
/// Rows per INSERT statement: 16 columns × 1,000 stays under SQLite's 32,766 parameters.
const CHUNK: usize = 1_000;
/// Documents per transaction while growing, so a million never sits in memory at once.
const GROW_SLICE: usize = 20_000;

/// The organ without documents: demo, departments, people, leader tasks, audit history and
/// the numbered outgoing documents. `grow` adds the received documents.
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
    let leader_tasks = leader_tasks(s, v.answers, user_id, leader_id, now).await?;
    audit(s, v, now).await?;
    let outgoing = crate::outgoing::generate(s, v.outgoing).await.context("outgoing documents")?;
    let rooms = crate::rooms::create(s).await.context("rooms")?;
    Ok(Generated {
        password: report.password,
        user_login: USER.into(),
        user_id,
        leader_tasks,
        stored_hash,
        people,
        docs: Vec::new(),
        outgoing,
        rooms,
        seed,
    })
}

/// Adds received documents (and their tasks) until there are `to`. The first call makes the
/// live workload (recent years, a third of the tasks open, 2 % of them the bench user's);
/// later calls add older, closed history, as an archive grows while the desk does not.
pub async fn grow(s: &Services, g: &mut Generated, v: Volume, to: usize) -> anyhow::Result<()> {
    let live = g.docs.is_empty();
    let before = g.docs.len();
    let now = s.clock.now().0;
    let zipf = Zipf::new();
    while g.docs.len() < to {
        let from = g.docs.len();
        let until = to.min(from + GROW_SLICE);
        let mut rng = StdRng::seed_from_u64(g.seed ^ (from as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let mut tx = s.db.begin().await?;
        let docs = incoming(&mut tx, from..until, live, to, g.user_id, now, &zipf, &mut rng).await?;
        // Written past the service, so sealed here, in the same transaction (T18).
        labels::seal_inserted(&mut tx, &s.audit_key, labels::LabelKind::Incoming, &docs).await?;
        tasks(&mut tx, v, &g.people, g.user_id, &docs, live, now, &mut rng).await?;
        tx.commit().await?;
        g.docs.extend(docs);
    }
    // Bookings scale with documents, ×0.2 (performance.md D3).
    crate::rooms::book(s, &mut g.rooms, &g.people, (g.docs.len() - before) / 5, g.seed).await.context("bookings")?;
    Ok(())
}

/// `INSERT INTO table (cols) VALUES (…), (…) [RETURNING id]` in chunks, placeholders in order.
pub(crate) async fn bulk(
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

/// Received documents `range` (global numbers, so 收文编号 stay unique), most of them closed.
/// Live ones spread over the five years before this one; history over the ten before those.
#[allow(clippy::too_many_arguments)]
async fn incoming(
    tx: &mut Tx,
    range: std::ops::Range<usize>,
    live: bool,
    total: usize,
    registrar: i64,
    now: i64,
    zipf: &Zipf,
    rng: &mut StdRng,
) -> anyhow::Result<Vec<i64>> {
    const SENDERS: &[&str] = &["某省教育厅", "某市人民政府办公室", "某省财政厅", "某市教育局", "某省人社厅"];
    const TYPES: &[(&str, &str)] = &[
        ("notice", "通知"),
        ("circular", "通报"),
        ("report", "报告"),
        ("request", "请示"),
        ("opinion", "意见"),
        ("decision", "决定"),
    ];
    const HANDLING: &[&str] = &["for_information", "to_handle", "pass_on"];
    let this_year: i64 = Timestamp(now).rfc3339()[..4].parse().unwrap_or(2026);
    let day = 86_400_000_i64;
    let rows = range
        .map(|i| {
            let (year, received) = if live {
                (this_year - 5 + (i * 5 / total.max(1)) as i64, now - rng.gen_range(1..1_800) * day)
            } else {
                let back = 6 + (i % 10) as i64;
                (this_year - back, now - (back * 365 + rng.gen_range(0..365)) * day)
            };
            let closed = !live || rng.gen_ratio(9, 10);
            let (code, kind) = TYPES[i % TYPES.len()];
            let sender = SENDERS[i % SENDERS.len()];
            let proposal = closed.then(|| zipf.proposal(rng));
            args![
                year,
                i as i64 + 1,
                sender,
                format!("压测〔{year}〕{}号", i + 1),
                zipf.title(rng, kind),
                code,
                "none",
                (i % 3) as i64,
                received,
                received + 10 * day,
                HANDLING[i % HANDLING.len()],
                proposal,
                closed.then_some(registrar),
                closed.then_some(received + day),
                if closed { "closed" } else { "registered" },
                registrar,
                received
            ]
        })
        .collect();
    let cols = "reg_year, reg_seq, sender_organ, sender_number, title, doc_type, classification, urgency, received_at, due_at, handling_kind, proposal, proposed_by, proposed_at, state, registered_by, created_at";
    bulk(tx, "incoming_documents", cols, rows, Some("incoming_id")).await
}

/// `tasks_per_doc` tasks on each document: 2 % land on the bench user, the rest spread over
/// everyone. Live documents keep a third open (a busy secretary's desk); history is done.
#[allow(clippy::too_many_arguments)]
async fn tasks(
    tx: &mut Tx,
    v: Volume,
    people: &[i64],
    user: i64,
    docs: &[i64],
    live: bool,
    now: i64,
    rng: &mut StdRng,
) -> anyhow::Result<()> {
    const KINDS: &[&str] = &["handle", "read", "approve"];
    let hour = 3_600_000_i64;
    let rows = (0..docs.len() * v.tasks_per_doc)
        .map(|i| {
            let assignee = if rng.gen_ratio(1, 50) { user } else { people[rng.gen_range(0..people.len())] };
            let open = live && rng.gen_ratio(1, 3);
            let back = if live { rng.gen_range(1..5_000) } else { rng.gen_range(50_000..140_000) };
            let created = now - back * hour;
            let due = created + rng.gen_range(24..480) * hour;
            args![
                "incoming",
                docs[i / v.tasks_per_doc],
                format!("压测待办：第{}号收文", docs[i / v.tasks_per_doc]),
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
    bulk(tx, "tasks", cols, rows, None).await?;
    Ok(())
}

/// Leader tasks waiting for the bench user's answer, each with its open reply task, as
/// `leader_tasks::give` leaves them (also the Django peer's own pool, `peer`).
pub async fn leader_tasks(s: &Services, n: usize, owner: i64, leader: i64, now: i64) -> anyhow::Result<Vec<i64>> {
    let due = now + 7 * 86_400_000;
    let rows = (0..n).map(|i| args![format!("压测交办事项{i:05}"), leader, owner, owner, due, "given", now]).collect();
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
