//! Items already in motion, so every business inbox holds something on the first visit:
//! leader-assigned tasks in each state, real received documents and a circulation (see
//! `incoming`), real seals and seal-use applications (see `seals`), real bookings and meetings
//! (see `meetings`), the published weekly arrangement (see `arrangement`), real outgoing
//! documents (see `outgoing`), the archivist's task to file the issued minutes, and spine
//! tasks standing in for reception items (and a department's own 收文 sub-tasks) until
//! those exist.

use super::people::Staff;
use crate::archives;
use crate::audit::{self, Origin};
use crate::db::Tx;
use crate::leader_tasks::{self, NewLeaderTask};
use crate::tasks::{self, NewTask};
use crate::{ServiceResult, Services, args, org};
use chrono::{Datelike, Days, NaiveDate};
use mishu_domain::access::Actor;
use mishu_domain::audit::AuditEvent;
use mishu_domain::leader_tasks::LeaderTaskAction;
use mishu_domain::org::Clearance;
use mishu_domain::tasks::{TaskKind, Urgency};
use mishu_domain::{LeaderTaskId, OutgoingId, TaskId, Timestamp};
use serde_json::json;

/// Shown as the source of actions people take during the load.
const SOURCE: &str = "demo";

pub(super) async fn create(s: &Services, staff: &Staff) -> ServiceResult<()> {
    leader_items(s, staff).await?;
    super::incoming::create(s, staff).await?;
    super::seals::create(s, staff).await?;
    super::meetings::create(s, staff).await?;
    let minutes = super::outgoing::create(s, staff).await?;
    spine_items(s, staff, minutes).await?;
    super::archives::create(s, staff).await?;
    // The sweep sends what is due and escalates the overdue item to its supervising leader,
    // exactly as in service. It then gives its lease back so the server's own sweep need
    // not wait for it to expire.
    tasks::run_reminder_sweep(s, SOURCE).await?;
    s.db.execute("UPDATE job_leases SET lease_until = 0 WHERE name = 'reminders' AND holder = $1", args![SOURCE])
        .await?;
    Ok(())
}

async fn actor(s: &Services, staff: &Staff, login: &str) -> ServiceResult<Actor> {
    org::load_actor(s, staff.id(login), None).await
}

/// When a leader task falls due.
#[derive(Clone, Copy)]
enum Due {
    Tomorrow,
    /// Given with a future deadline, then moved to yesterday: overdue, for the sweep to escalate.
    Yesterday,
    WorkingDays(u32),
}

/// How far a leader task has got.
#[derive(Clone, Copy)]
enum Then {
    Open,
    /// The owner answered; the leader's review waits in their inbox.
    Answered(&'static str),
    /// Answered and closed by the leader.
    Closed(&'static str),
}

/// A leader task: (who gives, the leader, the owner, title, body, due, urgency, state).
type LeaderItem = (&'static str, &'static str, &'static str, &'static str, &'static str, Due, Urgency, Then);

/// 领导交办. The first is recorded by the secretary for the 院长 (given by word); the others
/// are given by the leader.
#[rustfmt::skip]
const LEADER_TASKS: &[LeaderItem] = &[
    ("mishu", "yuanzhang", "xingzheng", "检查第二会议室音响和投影设备，保障院长办公会", "院长口头交代：会前调试好，有问题及时报修。", Due::Tomorrow, Urgency::Urgent, Then::Open),
    ("fyz.zhaosheng", "fyz.zhaosheng", "zsc.keyuan", "汇总2026届毕业生就业质量年度报告数据", "按教育厅模板汇总去向落实率、专业对口率，报我审核。", Due::Yesterday, Urgency::Normal, Then::Open),
    ("shuji", "shuji", "zhuren", "起草2026年度党建工作总结提纲", "年底前提交党委会，先报提纲。", Due::WorkingDays(3), Urgency::Normal,
        Then::Answered("提纲已拟好，分党建引领、班子建设、基层组织、作风建设四部分，请审阅。")),
    ("fyz.houqin", "fyz.houqin", "hqc.keyuan", "供暖前完成锅炉和供热管网检修", "", Due::WorkingDays(3), Urgency::Urgent,
        Then::Closed("锅炉和管网已检修完毕，试运行正常。")),
    ("fushuji", "fushuji", "xinfang", "核查反映食堂饭菜价格的来信并答复来信人", "核实情况，答复前报我。", Due::WorkingDays(5), Urgency::Urgent, Then::Open),
    ("fyz.jiaoxue", "fyz.jiaoxue", "jdxy.yuanzhang", "报送智能制造实训室建设方案（含预算）", "结合请示一并考虑，方案要有分年度投入。", Due::WorkingDays(7), Urgency::Normal, Then::Open),
];

async fn leader_items(s: &Services, staff: &Staff) -> ServiceResult<()> {
    let now = s.clock.now();
    let today = now.local_date();
    for &(giver, leader, owner, title, body, due, urgency, then) in LEADER_TASKS {
        let due_at = match due {
            Due::Tomorrow => Timestamp::end_of_local_day(today + Days::new(1)),
            Due::Yesterday => now.plus_hours(1),
            Due::WorkingDays(n) => tasks::add_working_days(s, n).await?,
        };
        let n = NewLeaderTask {
            title: title.into(),
            body: body.into(),
            leader_id: staff.id(leader),
            owner_id: staff.id(owner),
            due_at,
            urgency,
        };
        let id = leader_tasks::give(s, &actor(s, staff, giver).await?, n, SOURCE).await?;
        if let Due::Yesterday = due {
            backdate(s, id, Timestamp::end_of_local_day(today - Days::new(1))).await?;
        }
        if let Then::Answered(text) | Then::Closed(text) = then {
            let answer = LeaderTaskAction::Answer { text: text.into() };
            leader_tasks::act(s, &actor(s, staff, owner).await?, id, answer, SOURCE).await?;
        }
        if let Then::Closed(_) = then {
            let leader = actor(s, staff, leader).await?;
            leader_tasks::act(s, &leader, id, LeaderTaskAction::Close, SOURCE).await?;
        }
    }
    Ok(())
}

/// Moves an open leader task's deadline into the past (the service rightly refuses past
/// deadlines), and says so in the audit log.
async fn backdate(s: &Services, id: LeaderTaskId, due: Timestamp) -> ServiceResult<()> {
    let mut tx = s.db.begin().await?;
    tx.execute("UPDATE leader_tasks SET due_at = $1 WHERE leader_task_id = $2", args![due, id]).await?;
    let sql = "UPDATE tasks SET due_at = $1 WHERE domain = $2 AND subject_id = $3 AND state = 'open'";
    tx.execute(sql, args![due, leader_tasks::DOMAIN, id.0]).await?;
    let event = AuditEvent::new(
        "demo.deadline_backdated",
        leader_tasks::DOMAIN,
        Some(id.to_string()),
        json!({"due_at": due.0}),
    );
    audit::append(&mut tx, &s.audit_key, &Origin::system(), s.clock.now(), &event).await?;
    tx.commit().await?;
    Ok(())
}

/// Records a task the demo opens directly. A classified title stays out of the audit log,
/// which the audit administrator reads.
pub(super) async fn audit_task(
    tx: &mut Tx,
    s: &Services,
    t: &NewTask,
    id: TaskId,
    now: Timestamp,
) -> ServiceResult<()> {
    let shown = (t.classification == Clearance::None).then_some(t.title.as_str());
    let detail = json!({"domain": t.domain, "kind": t.kind.code(), "assignee_id": t.assignee.0, "title": shown, "classification": t.classification.code()});
    let event = AuditEvent::new("demo.task_opened", "task", Some(id.to_string()), detail);
    audit::append(tx, &s.audit_key, &Origin::system(), now, &event).await?;
    Ok(())
}

/// `hour:minute` office time on `date`.
pub(super) fn local_time(date: NaiveDate, hour: i64, minute: i64) -> Timestamp {
    let midnight = Timestamp::end_of_local_day(date).0 + 1 - 86_400_000;
    Timestamp(midnight + (hour * 60 + minute) * 60_000)
}

fn md(date: NaiveDate) -> String {
    format!("{}月{}日", date.month(), date.day())
}

/// One spine task per assignee, standing in for an item of a domain that does not exist
/// yet (subject 0): (domain, title, kind, assignees, opened by, urgency, classification, due).
type Item =
    (&'static str, String, TaskKind, &'static [&'static str], &'static str, Urgency, Clearance, Option<Timestamp>);

async fn spine_items(s: &Services, staff: &Staff, minutes_id: OutgoingId) -> ServiceResult<()> {
    use Clearance::{Confidential, None as Open};
    use TaskKind::{Handle, Read};
    use Urgency::{Normal, Urgent};
    let now = s.clock.now();
    let wd = |n| tasks::add_working_days(s, n);
    let (wd2, wd3, wd10) = (wd(2).await?, wd(3).await?, wd(10).await?);
    let safety = "某市应急管理局《关于开展冬季安全生产大检查的通知》";
    let request = "机电工程学院《关于增设智能制造实训室的请示》";
    // The issued minutes (see `outgoing`) wait for the archivist, who files them from
    // /archives/file; a real filing task, so filing them closes it.
    let minutes = "江职院纪要〔2026〕1号 院长办公会议纪要";

    #[rustfmt::skip]
    let items: Vec<Item> = vec![
        ("incoming", format!("{safety}：食堂、锅炉房自查"), Handle, &["hqc.keyuan"], "hqc.chuzhang", Urgent, Open, Some(wd3)),
        ("incoming", format!("{request}：补充设备清单和预算明细"), Handle, &["jdxy.keyuan"], "jdxy.yuanzhang", Normal, Open, Some(wd2)),
        ("incoming", "某省教育厅《关于2027年高职分类考试命题工作的通知》（机密）".into(), Read, &["yuanzhang", "jiyao", "jiyaoyuan"], "jiyao", Urgent, Confidential, None),
        ("reception", format!("接待：某省教育厅调研组来院调研（{}），安排会场和用餐", md(wd3.local_date())), Handle, &["jiedai"], "zhuren", Urgent, Open, Some(wd2)),
    ];

    let mut tx = s.db.begin().await?;
    for (domain, title, kind, to, by, urgency, classification, due) in items {
        for login in to {
            let t = NewTask {
                domain,
                subject_id: 0,
                title: title.clone(),
                kind,
                assignee: staff.id(login),
                created_by: Some(staff.id(by)),
                classification,
                urgency,
                due_at: due,
            };
            let id = tasks::open_task(&mut tx, &t, now).await?;
            audit_task(&mut tx, s, &t, id, now).await?;
        }
    }
    let (archivist, secretary) = (staff.id("dangan"), Some(staff.id("mishu")));
    let source = archives::FilingSource::Outgoing(minutes_id);
    let t = archives::filing_task(source, format!("归档：{minutes}"), archivist, secretary, Open, Some(wd10));
    let id = tasks::open_task(&mut tx, &t, now).await?;
    audit_task(&mut tx, s, &t, id, now).await?;
    tx.commit().await?;
    Ok(())
}
