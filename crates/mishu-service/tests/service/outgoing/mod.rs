//! Outgoing documents end to end on each database: the whole flow from draft to every
//! receipt, disagreement returning the draft, numbering under concurrency, and bad input
//! changing nothing.

mod appendix;
mod flow;
mod input;
mod numbers;
mod withheld;

use mishu_domain::access::Actor;
use mishu_domain::org::{Clearance, Role};
use mishu_domain::outgoing::{DraftInput, OutgoingAction as A, OutgoingState as S, RecipientInput};
use mishu_domain::{DepartmentId, OutgoingId, OutgoingStepId};
use mishu_service::outgoing;
use mishu_service::{ServiceError, Services, args, tasks};
use mishu_testkit::{TestDb, builders};

struct Office {
    secretary: Actor,
    office_head: Actor,
    drafter: Actor,
    yuanzhang: Actor,
    shuji: Actor,
    jwc: DepartmentId,
    cwc: DepartmentId,
    jwc_head: Actor,
    cwc_head: Actor,
    cwc_handler: Actor,
}

async fn office(s: &Services) -> Office {
    let ban = builders::department(s, "党政办公室", None).await;
    let jwc = builders::department(s, "教务处", None).await;
    let cwc = builders::department(s, "财务处", None).await;
    let p = |login: &'static str, d, roles: &'static [Role], c| builders::person(s, login, d, roles, c);
    let secretary = p("mishu", Some(ban), &[Role::Secretary], Clearance::Confidential).await;
    let office_head = p("ban.head", Some(ban), &[Role::OfficeHead], Clearance::Confidential).await;
    let drafter = p("ban.drafter", Some(ban), &[Role::Handler], Clearance::Secret).await;
    let yuanzhang = p("yuanzhang", None, &[Role::Leader], Clearance::Confidential).await;
    let shuji = p("shuji", None, &[Role::Leader], Clearance::TopSecret).await;
    let jwc_head = p("jwc.head", Some(jwc), &[Role::DepartmentHead], Clearance::Secret).await;
    let cwc_head = p("cwc.head", Some(cwc), &[Role::DepartmentHead], Clearance::Secret).await;
    let cwc_handler = p("cwc.handler", Some(cwc), &[Role::Handler], Clearance::None).await;
    let a = |id| builders::actor(s, id);
    Office {
        secretary: a(secretary).await,
        office_head: a(office_head).await,
        drafter: a(drafter).await,
        yuanzhang: a(yuanzhang).await,
        shuji: a(shuji).await,
        jwc,
        cwc,
        jwc_head: a(jwc_head).await,
        cwc_head: a(cwc_head).await,
        cwc_handler: a(cwc_handler).await,
    }
}

fn notice(o: &Office) -> DraftInput {
    DraftInput {
        title: "关于做好2027年元旦春节期间有关工作的通知".into(),
        doc_type: "通知".into(),
        prefix: "江职院发".into(),
        intent: "院长要求：节前完成安全检查，值班表12月25日前报办公室。".into(),
        signer: Some(o.yuanzhang.person_id),
        countersigners: vec![o.jwc_head.person_id, o.cwc_head.person_id],
        countersign_parallel: false,
        recipients: vec![
            RecipientInput::new("main", "department", o.jwc),
            RecipientInput::new("main", "department", o.cwc),
            RecipientInput::new("copy", "external", "某省教育厅"),
        ],
        ..DraftInput::default()
    }
}

const BODY: &str =
    "各部门：\n一、总体要求\n各部门要高度重视节日期间的安全工作。\n二、值班安排\n请于12月25日前将值班表报党政办公室。";

/// A draft with its first version, by the drafter.
async fn drafted(s: &Services, o: &Office) -> OutgoingId {
    let id = outgoing::create(s, &o.drafter, notice(o), "ip").await.unwrap();
    outgoing::add_version(s, &o.drafter, id, BODY, "初稿", "ip").await.unwrap();
    id
}

/// The open step of `kind` held by `who`.
async fn open_step(s: &Services, who: &Actor, id: OutgoingId, kind: &str) -> OutgoingStepId {
    let v = outgoing::get(s, who, id, "ip").await.unwrap();
    let st = v
        .steps
        .iter()
        .find(|x| x.kind == kind && x.state == "open" && x.person_id == who.person_id.0)
        .unwrap_or_else(|| panic!("no open {kind} step for {}: {:?}", who.name, v.steps));
    OutgoingStepId(st.step_id)
}

async fn count(s: &Services, table: &str) -> i64 {
    let (n,): (i64,) = s.db.fetch_one(&format!("SELECT COUNT(*) FROM {table}"), args![]).await.unwrap();
    n
}

/// Drives a draft to 已签发 through check, both countersignatures and the sign-off.
async fn signed(s: &Services, o: &Office) -> OutgoingId {
    let id = drafted(s, o).await;
    outgoing::act(s, &o.drafter, id, A::Submit, "ip").await.unwrap();
    outgoing::act(s, &o.secretary, id, A::Check { pass: true, opinion: "格式规范".into() }, "ip").await.unwrap();
    for who in [&o.jwc_head, &o.cwc_head] {
        let step = open_step(s, who, id, "countersign").await;
        outgoing::act(s, who, id, A::Countersign { step, agree: true, opinion: "同意".into() }, "ip").await.unwrap();
    }
    let st =
        outgoing::act(s, &o.yuanzhang, id, A::Sign { approve: true, opinion: "同意印发".into() }, "ip").await.unwrap();
    assert_eq!(st, S::Signed);
    id
}
