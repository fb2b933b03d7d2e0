//! Archives on each database: filing a closed item with its 档号 and catalogue line, 件号
//! under parallel filing, destruction only after approval, bad input storing nothing,
//! loans on the spine, chronicle candidates, materials and the transfer package; issued
//! outgoing documents filed and filed items searched.

mod chronicle;
mod destruction;
mod filing;
mod loans;
mod outgoing_filing;

use mishu_domain::access::Actor;
use mishu_domain::incoming::{IncomingAction as A, RegistrationInput, SubmissionKind};
use mishu_domain::leader_tasks::LeaderTaskAction;
use mishu_domain::org::{Clearance, Role};
use mishu_domain::tasks::Urgency;
use mishu_domain::{IncomingId, LeaderTaskId, Timestamp};
use mishu_service::archives::{self, FileRequest, FilingSource};
use mishu_service::leader_tasks::{self, NewLeaderTask};
use mishu_service::{Services, args, incoming};
use mishu_testkit::builders;

struct Office {
    archivist: Actor,
    office_head: Actor,
    secretary: Actor,
    leader: Actor,
    owner: Actor,
    handler: Actor,
}

async fn office(s: &Services) -> Office {
    let ban = builders::department(s, "党政办公室", None).await;
    let jwc = builders::department(s, "教务处", None).await;
    let p = |login: &'static str, d, roles: &'static [Role], c| builders::person(s, login, d, roles, c);
    let archivist = p("dangan", Some(ban), &[Role::Archivist], Clearance::Secret).await;
    let office_head = p("ban.head", Some(ban), &[Role::OfficeHead], Clearance::Confidential).await;
    let secretary = p("mishu", Some(ban), &[Role::Secretary], Clearance::Secret).await;
    let leader = p("yuanzhang", None, &[Role::Leader], Clearance::Confidential).await;
    let owner = p("jwc.head", Some(jwc), &[Role::DepartmentHead], Clearance::None).await;
    let handler = p("jwc.handler", Some(jwc), &[Role::Handler], Clearance::None).await;
    let a = |id| builders::actor(s, id);
    let o = Office {
        archivist: a(archivist).await,
        office_head: a(office_head).await,
        secretary: a(secretary).await,
        leader: a(leader).await,
        owner: a(owner).await,
        handler: a(handler).await,
    };
    archives::save_class(s, &o.archivist, "BGS", "党政办公室", "ip").await.unwrap();
    archives::save_class(s, &o.archivist, "JWC", "教务处", "ip").await.unwrap();
    archives::save_settings(s, &o.archivist, "0194", &[], "ip").await.unwrap();
    o
}

fn notice(now: Timestamp, title: &str) -> RegistrationInput {
    RegistrationInput {
        sender_number: "某教发〔2026〕12号".into(),
        handling: "阅知".into(),
        pages: Some(4),
        ..mishu_testkit::builders::notice(title, now)
    }
}

/// A received notice read by the office and closed: ready to be filed.
async fn closed_incoming(s: &Services, o: &Office, title: &str) -> IncomingId {
    let id = incoming::register(s, &o.secretary, notice(s.clock.now(), title), "ip").await.unwrap().id;
    let propose =
        A::Propose {
            opinion: "阅知".into(), submission: SubmissionKind::ForReading, leaders: vec![], parallel: false
        };
    incoming::act(s, &o.secretary, id, propose, "ip").await.unwrap();
    let close = A::Close { outcome: "已阅".into(), reply: "".into(), promote: false };
    incoming::act(s, &o.secretary, id, close, "ip").await.unwrap();
    id
}

/// A leader-assigned task answered and closed.
async fn closed_leader_task(s: &Services, o: &Office, title: &str) -> LeaderTaskId {
    let new = NewLeaderTask {
        title: title.into(),
        body: "请抓紧落实".into(),
        leader_id: o.leader.person_id,
        owner_id: o.owner.person_id,
        due_at: s.clock.now().plus_hours(48),
        urgency: Urgency::Normal,
    };
    let id = leader_tasks::give(s, &o.leader, new, "ip").await.unwrap();
    leader_tasks::act(s, &o.owner, id, LeaderTaskAction::Answer { text: "已落实".into() }, "ip").await.unwrap();
    leader_tasks::act(s, &o.leader, id, LeaderTaskAction::Close, "ip").await.unwrap();
    id
}

fn req(source: FilingSource, retention: &str, class: &str) -> FileRequest {
    FileRequest { source, retention: retention.into(), class_code: class.into(), note: String::new() }
}

/// Rows in the archives' tables and counters: "nothing changed" means these are equal.
async fn footprint(s: &Services) -> Vec<i64> {
    let mut out = Vec::new();
    for table in
        ["archive_items", "archive_files", "archive_destructions", "archive_borrowings", "counters", "audit_log"]
    {
        let (n,): (i64,) = s.db.fetch_one(&format!("SELECT COUNT(*) FROM {table}"), args![]).await.unwrap();
        out.push(n);
    }
    let (v,): (i64,) =
        s.db.fetch_one("SELECT CAST(COALESCE(SUM(value), 0) AS BIGINT) FROM counters", args![]).await.unwrap();
    out.push(v);
    out
}
