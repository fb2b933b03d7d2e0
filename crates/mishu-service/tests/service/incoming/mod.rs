//! Received documents end to end on each database: the whole flow of a 请示, numbering under
//! concurrency, bad input storing nothing, need to know, recall and return, oral reports.

mod access;
mod circulation;
mod export;
mod files;
mod flow;
mod numbers;
mod power_loss;
mod withheld;

use mishu_domain::access::Actor;
use mishu_domain::incoming::{
    IncomingAction as A, IncomingError, IncomingState as S, RegistrationInput, SubmissionKind,
};
use mishu_domain::org::{Clearance, Role};
use mishu_domain::tasks::InboxBox;
use mishu_domain::{DepartmentId, IncomingId, IncomingStepId, PersonId, Timestamp};
use mishu_service::incoming::{self, IncomingFilter};
use mishu_service::{ServiceError, Services, args, tasks};
use mishu_testkit::{TestDb, builders};

struct Office {
    secretary: Actor,
    shuji: Actor,
    yuanzhang: Actor,
    jwc: DepartmentId,
    jwc_head: Actor,
    cwc_handler: Actor,
    office_head: Actor,
}

async fn office(s: &Services) -> Office {
    let ban = builders::department(s, "党政办公室", None).await;
    let jwc = builders::department(s, "教务处", None).await;
    let cwc = builders::department(s, "财务处", None).await;
    let p = |login: &'static str, d, roles: &'static [Role], c| builders::person(s, login, d, roles, c);
    let secretary = p("mishu", Some(ban), &[Role::Secretary], Clearance::Confidential).await;
    let shuji = p("shuji", None, &[Role::Leader], Clearance::TopSecret).await;
    let yuanzhang = p("yuanzhang", None, &[Role::Leader], Clearance::Secret).await;
    let jwc_head = p("jwc.head", Some(jwc), &[Role::DepartmentHead], Clearance::Secret).await;
    let cwc_handler = p("cwc.handler", Some(cwc), &[Role::Handler], Clearance::None).await;
    let office_head = p("ban.head", Some(ban), &[Role::OfficeHead], Clearance::TopSecret).await;
    let a = |id| builders::actor(s, id);
    Office {
        secretary: a(secretary).await,
        shuji: a(shuji).await,
        yuanzhang: a(yuanzhang).await,
        jwc,
        jwc_head: a(jwc_head).await,
        cwc_handler: a(cwc_handler).await,
        office_head: a(office_head).await,
    }
}

fn request(now: Timestamp) -> RegistrationInput {
    RegistrationInput {
        sender_organ: "机电工程学院".into(),
        sender_number: "机电院[2026]5号".into(),
        doc_type: "请示".into(),
        pages: Some(3),
        due_at: Some(now.plus_hours(24 * 14)),
        ..mishu_testkit::builders::notice("关于增设工业机器人实训室的请示", now)
    }
}

/// Rows in `table` now: what a refused request must leave unchanged.
async fn count(s: &Services, table: &str) -> i64 {
    s.db.fetch_one::<(i64,)>(&format!("SELECT COUNT(*) FROM {table}"), args![]).await.unwrap().0
}

async fn open_tasks(s: &Services, who: &Actor, b: InboxBox) -> Vec<String> {
    let items = tasks::inbox(s, who, b, 50).await.unwrap();
    items.into_iter().filter(|i| i.task.domain == "incoming").map(|i| i.task.kind).collect()
}

async fn step_of(s: &Services, who: &Actor, id: IncomingId, person: &Actor) -> IncomingStepId {
    let v = incoming::get(s, who, id, "ip").await.unwrap();
    let st =
        v.steps.iter().rev().find(|st| st.person_id == person.person_id.0 && st.state == "open").expect("open step");
    IncomingStepId(st.step_id)
}
