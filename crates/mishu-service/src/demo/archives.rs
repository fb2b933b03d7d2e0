//! Archives for the demo, moved through the archives services like real ones: the
//! archivist's settings and classes, this year's finished items filed (with a few closed
//! supervision items of the year), one loan out and one waiting, chronicle entries accepted
//! beside pending candidates, and a handful of reference materials.

use super::people::Staff;
use crate::archives::{self, FileRequest, borrowing, chronicle, materials};
use crate::leader_tasks::{self, NewLeaderTask};
use crate::{ServiceResult, Services, org};
use mishu_domain::access::Actor;
use mishu_domain::archives::BorrowAction;
use mishu_domain::leader_tasks::LeaderTaskAction;
use mishu_domain::tasks::Urgency;

const SOURCE: &str = "demo";

async fn actor(s: &Services, staff: &Staff, login: &str) -> ServiceResult<Actor> {
    org::load_actor(s, staff.id(login), None).await
}

pub(super) async fn create(s: &Services, staff: &Staff) -> ServiceResult<()> {
    let archivist = actor(s, staff, "dangan").await?;
    archives::save_settings(s, &archivist, "0194", &[], SOURCE).await?;
    for (code, name) in
        [("BGS", "党政办公室"), ("ZZRS", "组织人事处"), ("JWC", "教务处"), ("ZSJY", "招生就业处"), ("HQ", "后勤管理处")]
    {
        archives::save_class(s, &archivist, code, name, SOURCE).await?;
    }
    // Supervision items of the year, answered and closed: each becomes a chronicle candidate.
    let leader = actor(s, staff, "yuanzhang").await?;
    let owner = actor(s, staff, "jwc.chuzhang").await?;
    for (title, answer) in [
        ("完成2026年人才培养方案修订", "已完成38个专业人才培养方案修订，经院长办公会审议通过。"),
        ("做好高职扩招学生教学管理", "已制定弹性学制管理办法，扩招班级全部按方案开课。"),
        ("推进产教融合实训基地建设", "与三家企业签订共建协议，实训基地已挂牌运行。"),
    ] {
        let n = NewLeaderTask {
            title: title.into(),
            body: "请教务处牵头落实，按期报告。".into(),
            leader_id: leader.person_id,
            owner_id: owner.person_id,
            due_at: s.clock.now().plus_hours(24 * 7),
            urgency: Urgency::Normal,
        };
        let id = leader_tasks::give(s, &leader, n, SOURCE).await?;
        leader_tasks::act(s, &owner, id, LeaderTaskAction::Answer { text: answer.into() }, SOURCE).await?;
        leader_tasks::act(s, &leader, id, LeaderTaskAction::Close, SOURCE).await?;
    }
    // File everything finished so far: supervision items under 教务处, the rest under the office.
    // The issued minutes (发文) wait for the archivist: their filing task is on her spine.
    let mut codes = Vec::new();
    for f in archives::filable(s, &archivist).await?.into_iter().filter(|f| f.kind != "outgoing") {
        let class = if f.kind == "leader_task" { "JWC" } else { "BGS" };
        let source = archives::FilingSource::parse(&f.kind, f.id)?;
        let req = FileRequest { source, retention: String::new(), class_code: class.into(), note: String::new() };
        let id = archives::file(s, &archivist, req, SOURCE).await?;
        codes.push(archives::item(s, &archivist, id).await?.item.archive_code);
    }
    // One loan out (due in two weeks, chased on the spine) and one waiting for the archivist.
    if let Some(code) = codes.first() {
        let id = borrowing::request(s, &owner, code, "编写年度工作总结需查阅", SOURCE).await?;
        let return_by = s.clock.now().local_date() + chrono::Days::new(14);
        borrowing::act(s, &archivist, id, BorrowAction::Approve { return_by }, SOURCE).await?;
    }
    if let Some(code) = codes.get(1) {
        borrowing::request(s, &actor(s, staff, "mishu").await?, code, "核对督办事项办理情况", SOURCE).await?;
    }
    chronicle_entries(s, staff).await?;
    materials_library(s, staff).await
}

async fn chronicle_entries(s: &Services, staff: &Staff) -> ServiceResult<()> {
    let mishu = actor(s, staff, "mishu").await?;
    for (date, event, people) in [
        ("2026-03-20", "党委理论学习中心组开展专题学习", "党委书记、院长及中心组成员"),
        ("2026-06-15", "某省教育厅专家组来院开展办学质量评估", "某省教育厅专家组、院领导"),
        ("2026-09-01", "2026级新生开学典礼举行，新生4,260人报到", "全体院领导"),
    ] {
        chronicle::add(s, &mishu, date, event, people, "党政办公室", SOURCE).await?;
    }
    // Accept the first pending candidate as the secretary words it; the others stay pending.
    let year = chrono::Datelike::year(&s.clock.now().local_date());
    let pending = chronicle::list(s, &mishu, year, true).await?;
    if let Some(e) = pending.iter().find(|e| e.state == "candidate") {
        let event = format!("{}（已报院长）", e.event);
        let id = mishu_domain::ChronicleEntryId(e.entry_id);
        chronicle::accept(s, &mishu, id, &e.entry_date, &event, &e.people, &e.source, SOURCE).await?;
    }
    Ok(())
}

async fn materials_library(s: &Services, staff: &Staff) -> ServiceResult<()> {
    let mishu = actor(s, staff, "mishu").await?;
    for (title, tags, source, summary) in [
        (
            "某省教育厅2026年工作要点",
            "教育厅，工作要点，年度",
            "某省教育厅",
            "全省教育系统年度重点任务，起草年度计划时参照。",
        ),
        (
            "关于深化现代职业教育体系建设改革的意见",
            "职业教育，产教融合，政策",
            "中共中央办公厅 国务院办公厅",
            "职业教育改革的总体要求和重点任务。",
        ),
        ("江北职院2025年工作总结", "工作总结，年度", "党政办公室", "上一年度工作总结定稿，可作结构参考。"),
        ("冬季安全生产检查要点", "安全生产，后勤，检查", "某市应急管理局", "冬季用电、用气、消防检查清单。"),
        ("2027年招生计划编制说明", "招生，计划", "招生就业处", "分专业招生计划与生源分析。"),
    ] {
        materials::add(s, &mishu, title, tags, source, "", summary, SOURCE).await?;
    }
    Ok(())
}
