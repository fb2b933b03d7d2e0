//! Received documents in motion for the demo, registered and moved through the incoming
//! service like real ones: one waiting for the secretary's proposal, a 请示 with the 院长
//! for instruction, two notices already with departments after their leader read them, and
//! a notice in circulation (传阅) that one reader has read.

use super::people::Staff;
use crate::incoming::{self, assignments};
use crate::{ServiceResult, Services, org, tasks};
use mishu_domain::access::Actor;
use mishu_domain::incoming::{IncomingAction, RegistrationInput, SubmissionKind};
use mishu_domain::{DepartmentId, IncomingId, IncomingStepId, Timestamp};

const SOURCE: &str = "demo";

struct Doc {
    organ: &'static str,
    number: &'static str,
    title: &'static str,
    doc_type: &'static str,
    urgency: &'static str,
    due: Timestamp,
}

async fn register(s: &Services, sec: &Actor, d: Doc) -> ServiceResult<IncomingId> {
    let input = RegistrationInput {
        sender_organ: d.organ.into(),
        sender_number: d.number.into(),
        title: d.title.into(),
        doc_type: d.doc_type.into(),
        classification: String::new(),
        secrecy_period: String::new(),
        copy_no: String::new(),
        urgency: d.urgency.into(),
        handling: "to_handle".into(),
        copies: 1,
        pages: None,
        received_at: s.clock.now(),
        due_at: Some(d.due),
    };
    Ok(incoming::register(s, sec, input, SOURCE).await?.id)
}

async fn propose(
    s: &Services,
    sec: &Actor,
    id: IncomingId,
    opinion: &str,
    submission: SubmissionKind,
    leader: &Actor,
) -> ServiceResult<()> {
    let action = IncomingAction::Propose {
        opinion: opinion.into(),
        submission,
        leaders: vec![leader.person_id],
        parallel: false,
    };
    incoming::act(s, sec, id, action, SOURCE).await.map(|_| ())
}

/// The leader's open step on the document.
async fn open_step(s: &Services, who: &Actor, id: IncomingId) -> ServiceResult<IncomingStepId> {
    let v = incoming::get(s, who, id, SOURCE).await?;
    let step = v.steps.iter().find(|st| st.person_id == who.person_id.0 && st.state == "open");
    step.map(|st| IncomingStepId(st.step_id)).ok_or(crate::ServiceError::NotFound)
}

async fn department(s: &Services, name: &str) -> ServiceResult<DepartmentId> {
    let all = org::departments(s).await?;
    all.iter().find(|d| d.name == name).map(|d| DepartmentId(d.department_id)).ok_or(crate::ServiceError::NotFound)
}

pub(super) async fn create(s: &Services, staff: &Staff) -> ServiceResult<()> {
    let who = |login: &'static str| org::load_actor(s, staff.id(login), None);
    let (sec, yuanzhang, zhaosheng, houqin) =
        (who("mishu").await?, who("yuanzhang").await?, who("fyz.zhaosheng").await?, who("fyz.houqin").await?);
    let (wd2, wd5, wd10) = (
        tasks::add_working_days(s, 2).await?,
        tasks::add_working_days(s, 5).await?,
        tasks::add_working_days(s, 10).await?,
    );

    // Just signed for: the secretary proposes next.
    let reg = Doc {
        organ: "某市委办公室",
        number: "市委办〔2026〕112号",
        title: "关于报送2026年度工作总结和2027年工作要点的通知",
        doc_type: "通知",
        urgency: "normal",
        due: wd2,
    };
    register(s, &sec, reg).await?;

    // A sub-unit's request, with the 院长 for his instruction.
    let req = Doc {
        organ: "机电工程学院",
        number: "机电院〔2026〕5号",
        title: "关于增设智能制造实训室的请示",
        doc_type: "请示",
        urgency: "normal",
        due: wd10,
    };
    let id = register(s, &sec, req).await?;
    propose(s, &sec, id, "拟请秦院长阅示。", SubmissionKind::ForInstruction, &yuanzhang).await?;

    // Read by the vice-president in charge, now with 招生就业处.
    let notice = Doc {
        organ: "某省教育厅",
        number: "教发〔2026〕31号",
        title: "关于做好2027年高等职业院校招生工作的通知",
        doc_type: "通知",
        urgency: "urgent",
        due: wd10,
    };
    let id = register(s, &sec, notice).await?;
    propose(s, &sec, id, "拟请罗副院长阅示后转招生就业处办理。", SubmissionKind::ForReading, &zhaosheng).await?;
    let step = open_step(s, &zhaosheng, id).await?;
    incoming::act(s, &zhaosheng, id, IncomingAction::MarkRead { step }, SOURCE).await?;
    let to = assignments(s, &[(department(s, "招生就业处").await?, wd10)]).await?;
    incoming::act(s, &sec, id, IncomingAction::Assign { assignments: to }, SOURCE).await?;

    // 特急: instructed by the vice-president for logistics, with 后勤管理处 leading and 保卫处.
    let safety = Doc {
        organ: "某市应急管理局",
        number: "市应急〔2026〕58号",
        title: "关于开展冬季安全生产大检查的通知",
        doc_type: "通知",
        urgency: "very_urgent",
        due: wd5,
    };
    let id = register(s, &sec, safety).await?;
    propose(s, &sec, id, "拟请何副院长阅示。", SubmissionKind::ForInstruction, &houqin).await?;
    let step = open_step(s, &houqin, id).await?;
    let text = "请后勤管理处牵头、保卫处配合，立即组织全院自查，重点是食堂、锅炉房和学生宿舍。";
    incoming::act(s, &houqin, id, IncomingAction::Instruct { step, text: text.into() }, SOURCE).await?;
    let pairs = [(department(s, "后勤管理处").await?, wd5), (department(s, "保卫处").await?, wd5)];
    let to = assignments(s, &pairs).await?;
    incoming::act(s, &sec, id, IncomingAction::Assign { assignments: to }, SOURCE).await?;
    circulation(s, staff, &sec, wd10).await
}

/// A notice circulated (传阅) to the office's heads and a vice-president: one has read it,
/// the others have it in 待阅.
async fn circulation(s: &Services, staff: &Staff, sec: &Actor, due: Timestamp) -> ServiceResult<()> {
    let holidays = Doc {
        organ: "某省教育厅",
        number: "某教办〔2026〕112号",
        title: "关于做好2027年元旦春节期间有关工作的通知",
        doc_type: "通知",
        urgency: "normal",
        due,
    };
    let id = register(s, sec, holidays).await?;
    let opinion = "拟传阅办公室主任、副主任和何副院长阅知。";
    let plan = IncomingAction::Propose {
        opinion: opinion.into(),
        submission: SubmissionKind::ForReading,
        leaders: vec![],
        parallel: false,
    };
    incoming::act(s, sec, id, plan, SOURCE).await?;
    let readers = incoming::Readers {
        people: vec![staff.id("zhuren"), staff.id("fuzhuren"), staff.id("fyz.houqin")],
        departments: vec![],
    };
    incoming::circulate(s, sec, id, &readers, true, "请阅知，节前安全和值班安排另行通知。", SOURCE).await?;
    let fuzhuren = org::load_actor(s, staff.id("fuzhuren"), None).await?;
    incoming::mark_circulation_read(s, &fuzhuren, id, SOURCE).await?;
    let close = IncomingAction::Close { outcome: "已送传阅。".into(), reply: String::new(), promote: false };
    incoming::act(s, sec, id, close, SOURCE).await.map(|_| ())
}
