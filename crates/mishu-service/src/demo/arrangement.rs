//! The weekly work arrangement for the demo: the office enters two leaders' activities in the
//! week of the 院长办公会 and publishes that week's sheet through the service, so everyone on
//! it has a Read task; the sheet is then sent to the department heads as well (分送), each
//! Read task pointing at the published version.

use super::items::local_time;
use super::people::Staff;
use crate::forms::Labels;
use crate::meetings::week::{self, ARRANGEMENT_DOMAIN, NewActivity};
use crate::tasks::{self, NewTask};
use crate::{ServiceResult, Services, args, org};
use chrono::NaiveDate;
use mishu_domain::org::Clearance;
use mishu_domain::tasks::{TaskKind, Urgency};

const SOURCE: &str = "demo";

/// The words of the demo's tasks: the demo organ works in Chinese, and the loader has no
/// reader whose catalogue it could use.
struct Chinese;

impl Labels for Chinese {
    fn tf(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = match key {
            "meetings.week.task_published" => "每周工作安排（{week}，第{n}版）",
            "meetings.week.task_change" => "每周工作安排变更（{week}，{kind}）：{before} → {after}",
            "meetings.week.change.added" => "新增",
            "meetings.week.change.changed" => "变更",
            "meetings.week.change.cancelled" => "取消",
            other => other,
        }
        .to_string();
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }
}

/// The department heads who receive the sheet though nothing on it concerns them.
const HEADS: &[&str] = &[
    "fuzhuren",
    "zhuren",
    "xingzheng",
    "zsc.chuzhang",
    "hqc.chuzhang",
    "bwc.chuzhang",
    "jwc.chuzhang",
    "jwc.keyuan",
    "jdxy.yuanzhang",
];

pub(super) async fn publish(s: &Services, staff: &Staff, day: NaiveDate) -> ServiceResult<()> {
    let mishu = org::load_actor(s, staff.id("mishu"), None).await?;
    #[rustfmt::skip]
    let activities = [
        ("shuji", 14, 30, 17, 0, "智能制造产业园", "走访合作企业，商谈订单班和实训基地共建"),
        ("fyz.houqin", 15, 0, 17, 0, "学生公寓、食堂、锅炉房", "冬季安全生产大检查现场检查"),
    ];
    for (login, h1, m1, h2, m2, place, what) in activities {
        let n = NewActivity {
            leader_id: staff.id(login),
            starts_at: local_time(day, h1, m1),
            ends_at: local_time(day, h2, m2),
            place: place.into(),
            what: what.into(),
        };
        week::add_activity(s, &mishu, n, SOURCE).await?;
    }
    let published = week::publish(s, &mishu, day, &Chinese, SOURCE).await?;
    let (title,): (String,) =
        s.db.fetch_one(
            "SELECT title FROM tasks WHERE domain = $1 AND subject_id = $2 ORDER BY task_id LIMIT 1",
            args![ARRANGEMENT_DOMAIN, published.version_id],
        )
        .await?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    for login in HEADS {
        let (has,): (i64,) = tx
            .fetch_one(
                "SELECT COUNT(*) FROM tasks WHERE domain = $1 AND subject_id = $2 AND assignee_id = $3",
                args![ARRANGEMENT_DOMAIN, published.version_id, staff.id(login)],
            )
            .await?;
        if has > 0 {
            continue;
        }
        let t = NewTask {
            domain: ARRANGEMENT_DOMAIN,
            subject_id: published.version_id,
            title: title.clone(),
            kind: TaskKind::Read,
            assignee: staff.id(login),
            created_by: Some(staff.id("mishu")),
            classification: Clearance::None,
            urgency: Urgency::Normal,
            due_at: None,
        };
        let task = tasks::open_task(&mut tx, &t, now).await?;
        super::items::audit_task(&mut tx, s, &t, task, now).await?;
    }
    tx.commit().await?;
    Ok(())
}
