//! Outgoing documents in motion for the demo, moved through the outgoing service like real
//! ones: a 通知 back in drafting after the office's check, with materials, two versions and
//! a review round under way; a
//! 通知 with the office for its check; a 请示 to the education department waiting for the
//! 院长's sign-off; and an issued 纪要 whose receipts are partly confirmed.

use super::people::Staff;
use crate::outgoing::{self, MaterialInput};
use crate::{ServiceError, ServiceResult, Services, org};
use mishu_domain::access::Actor;
use mishu_domain::outgoing::{DraftInput, OutgoingAction as A, RecipientInput};
use mishu_domain::{OutgoingId, OutgoingStepId};

const SOURCE: &str = "demo";

async fn actor(s: &Services, staff: &Staff, login: &str) -> ServiceResult<Actor> {
    org::load_actor(s, staff.id(login), None).await
}

async fn department(s: &Services, name: &str) -> ServiceResult<i64> {
    org::departments(s)
        .await?
        .into_iter()
        .find(|d| d.name == name)
        .map(|d| d.department_id)
        .ok_or_else(|| ServiceError::Conflict(format!("demo: no department {name}")))
}

fn main_to(depts: &[i64]) -> Vec<RecipientInput> {
    depts.iter().map(|d| RecipientInput::new("main", "department", d)).collect()
}

async fn open_step(s: &Services, who: &Actor, id: OutgoingId, kind: &str) -> ServiceResult<OutgoingStepId> {
    let v = outgoing::get(s, who, id, SOURCE).await?;
    v.steps
        .iter()
        .find(|x| x.kind == kind && x.state == "open" && x.person_id == who.person_id.0)
        .map(|x| OutgoingStepId(x.step_id))
        .ok_or_else(|| ServiceError::Conflict("demo: step not open".into()))
}

const SAFETY_V1: &str = "各部门、各二级学院：\n为切实做好冬季安全生产工作，学院决定开展2026年度安全生产大检查。\n一、检查时间\n12月1日至12月15日。\n二、检查内容\n消防设施、用电安全、实验室危化品管理。";
const SAFETY_V2: &str = "各部门、各二级学院：\n为切实做好冬季安全生产工作，根据某市应急管理局有关要求，学院决定开展2026年度安全生产大检查。\n一、检查时间\n12月1日至12月20日。\n二、检查内容\n（一）消防设施和疏散通道；\n（二）用电安全和供暖设施；\n（三）实验室危化品管理。\n三、工作要求\n各单位于12月22日前将自查报告报保卫处。";

/// Answers the issued 纪要, which waits for the archivist (see `items`).
pub(super) async fn create(s: &Services, staff: &Staff) -> ServiceResult<OutgoingId> {
    let mishu = actor(s, staff, "mishu").await?;
    let zhuren = actor(s, staff, "zhuren").await?;
    let all_units: Vec<i64> = {
        let mut v = Vec::new();
        for d in ["教务处", "后勤管理处", "保卫处", "招生就业处", "机电工程学院"] {
            v.push(department(s, d).await?);
        }
        v
    };

    // 1. Drafting: 保卫处's safety notice, with a review round half answered.
    let drafter = actor(s, staff, "bwc.keyuan").await?;
    let input = DraftInput {
        title: "关于开展2026年度安全生产大检查的通知".into(),
        doc_type: "通知".into(),
        prefix: "江职院发".into(),
        intent: "何副院长要求：结合市应急管理局通知，节前完成全院安全大检查，重点是消防、用电和实验室危化品。".into(),
        signer: Some(staff.id("fyz.houqin")),
        countersigners: vec![staff.id("hqc.chuzhang")],
        recipients: main_to(&all_units),
        ..DraftInput::default()
    };
    let id = outgoing::create(s, &drafter, input, SOURCE).await?;
    let m = |kind: &str, title: &str, reference: &str, rank| MaterialInput {
        kind: kind.into(),
        title: title.into(),
        reference: reference.into(),
        rank: Some(rank),
        note: String::new(),
    };
    outgoing::add_material(
        s,
        &drafter,
        id,
        m("file", "某市应急管理局《关于开展冬季安全生产大检查的通知》", "收文2026-0002", 1),
        SOURCE,
    )
    .await?;
    outgoing::add_material(s, &drafter, id, m("file", "2025年度安全检查总结", "保卫处存档", 2), SOURCE).await?;
    outgoing::set_outline(s, &drafter, id, "", "一、检查时间\n二、检查内容\n三、工作要求", SOURCE).await?;
    outgoing::add_version(s, &drafter, id, SAFETY_V1, "初稿", SOURCE).await?;
    outgoing::add_version(s, &drafter, id, SAFETY_V2, "按处长意见补充检查内容和报送要求", SOURCE).await?;
    // The office sent it back once, so the drafter holds a revision task; a review round runs meanwhile.
    outgoing::act(s, &drafter, id, A::Submit, SOURCE).await?;
    let opinion = "请补充学生宿舍用电安全检查内容，并明确自查报告的报送对象。".into();
    outgoing::act(s, &zhuren, id, A::Check { pass: false, opinion }, SOURCE).await?;
    let reviewers = vec![staff.id("bwc.chuzhang"), staff.id("hqc.chuzhang")];
    outgoing::act(s, &drafter, id, A::OpenReview { reviewers }, SOURCE).await?;
    let head = actor(s, staff, "bwc.chuzhang").await?;
    let step = open_step(s, &head, id, "review").await?;
    let text = "检查时间延至12月20日可以；建议增加宿舍违规电器排查。".into();
    outgoing::act(s, &head, id, A::Comment { step, text }, SOURCE).await?;

    // 2. With the office for the check.
    let input = DraftInput {
        title: "关于做好2027年元旦春节期间有关工作的通知".into(),
        doc_type: "通知".into(),
        prefix: "江职院办发".into(),
        intent: "院长要求：节日期间值班、安全、廉洁过节三方面一并部署。".into(),
        signer: Some(staff.id("yuanzhang")),
        recipients: main_to(&all_units),
        ..DraftInput::default()
    };
    let id = outgoing::create(s, &mishu, input, SOURCE).await?;
    let body = "各部门、各二级学院：\n2027年元旦、春节即将到来，为确保节日期间各项工作平稳有序，现将有关事项通知如下。\n一、严格落实值班制度\n各单位须于12月25日前将值班表报党政办公室。\n二、加强安全管理\n三、严守廉洁纪律";
    outgoing::add_version(s, &mishu, id, body, "初稿", SOURCE).await?;
    outgoing::act(s, &mishu, id, A::Submit, SOURCE).await?;

    // 3. A 请示 to the education department, countersigned, waiting for the 院长.
    let jwc = department(s, "教务处").await?;
    let input = DraftInput {
        title: "关于申报省级高水平专业群建设项目的请示".into(),
        doc_type: "请示".into(),
        prefix: "江职院发".into(),
        intent: "孙副院长：以智能制造专业群申报，突出校企合作。".into(),
        signer: Some(staff.id("yuanzhang")),
        countersigners: vec![staff.id("jwc.chuzhang")],
        recipients: vec![
            RecipientInput::new("main", "external", "某省教育厅"),
            RecipientInput::new("copy", "department", jwc),
        ],
        ..DraftInput::default()
    };
    let id = outgoing::create(s, &mishu, input, SOURCE).await?;
    let body = "某省教育厅：\n根据《关于开展省级高水平专业群建设项目申报工作的通知》要求，我院拟以智能制造专业群申报省级高水平专业群建设项目。\n一、专业群基础\n二、建设目标\n三、保障措施\n妥否，请批示。";
    outgoing::add_version(s, &mishu, id, body, "初稿", SOURCE).await?;
    // A 请示 names its contact in the 附注; the plan goes with it as an attachment.
    let plan = "一、建设基础\n智能制造专业群由机电一体化技术等4个专业组成。\n二、建设任务\n（一）人才培养模式改革\n（二）课程教学资源建设";
    outgoing::add_attachment(s, &mishu, id, "智能制造专业群建设方案", plan, SOURCE).await?;
    outgoing::add_attachment(s, &mishu, id, "专业群建设项目申报书", "", SOURCE).await?;
    outgoing::set_annotation(s, &mishu, id, "联系人：曹丽娟，电话：0510-88881203", SOURCE).await?;
    outgoing::act(s, &mishu, id, A::Submit, SOURCE).await?;
    outgoing::act(s, &zhuren, id, A::Check { pass: true, opinion: "格式规范，可以报签".into() }, SOURCE).await?;
    let jwc_head = actor(s, staff, "jwc.chuzhang").await?;
    let step = open_step(s, &jwc_head, id, "countersign").await?;
    outgoing::act(s, &jwc_head, id, A::Countersign { step, agree: true, opinion: "同意申报".into() }, SOURCE).await?;

    // 4. An issued 纪要 with receipts, one still outstanding.
    let heads = ["教务处", "后勤管理处", "招生就业处"];
    let mut depts = Vec::new();
    for d in heads {
        depts.push(department(s, d).await?);
    }
    let input = DraftInput {
        title: "院长办公会议纪要".into(),
        doc_type: "纪要".into(),
        prefix: "江职院纪要".into(),
        signer: Some(staff.id("yuanzhang")),
        recipients: main_to(&depts),
        ..DraftInput::default()
    };
    let id = outgoing::create(s, &mishu, input, SOURCE).await?;
    let body = "11月24日，院长秦立平主持召开院长办公会，研究招生、后勤和教学工作。纪要如下。\n一、关于2027年招生计划\n会议同意招生就业处提出的招生计划方案。\n二、关于冬季供暖保障\n会议要求后勤管理处12月1日前完成供暖设施检修。";
    outgoing::add_version(s, &mishu, id, body, "", SOURCE).await?;
    outgoing::act(s, &mishu, id, A::Submit, SOURCE).await?;
    outgoing::act(s, &zhuren, id, A::Check { pass: true, opinion: String::new() }, SOURCE).await?;
    let yuanzhang = actor(s, staff, "yuanzhang").await?;
    outgoing::act(s, &yuanzhang, id, A::Sign { approve: true, opinion: "同意印发".into() }, SOURCE).await?;
    outgoing::act(s, &mishu, id, A::Register, SOURCE).await?;
    outgoing::act(s, &mishu, id, A::Distribute, SOURCE).await?;
    let v = outgoing::get(s, &mishu, id, SOURCE).await?;
    for login in ["jwc.chuzhang", "hqc.chuzhang"] {
        let who = actor(s, staff, login).await?;
        if let Some(r) = v.receipts.iter().find(|r| r.person_id == Some(who.person_id.0)) {
            outgoing::confirm_receipt(s, &who, id, r.receipt_id, SOURCE).await?;
        }
    }
    Ok(id)
}
