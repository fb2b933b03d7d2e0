//! Seals for the demo, registered and moved through the seals service like real ones: the
//! five seals of the organ with their keepers (R7.2), an old 行政科 seal already
//! decommissioned (R7.3), an application from 教务处 signed by its head and waiting for the
//! supervising leader, one from 后勤管理处 approved and waiting for the keeper, and one from
//! 招生就业处 already stamped so the keeper's log has a line.

use super::people::Staff;
use crate::seals::{self, NewApplication, NewSeal};
use crate::{ServiceResult, Services, org};
use mishu_domain::SealId;
use mishu_domain::access::Actor;
use mishu_domain::seals::department_rules::RulesAction;
use mishu_domain::seals::{ApplicationAction, SealInput};

const SOURCE: &str = "demo";

async fn actor(s: &Services, staff: &Staff, login: &str) -> ServiceResult<Actor> {
    org::load_actor(s, staff.id(login), None).await
}

async fn register(
    s: &Services,
    head: &Actor,
    (name, kind, issuer): (&str, &str, &str),
    department: Option<&Actor>,
    keeper: &Actor,
) -> ServiceResult<SealId> {
    let input = SealInput { name: name.into(), kind: kind.into(), diameter_mm: String::new(), issuer: issuer.into() };
    let n = NewSeal { input, department_id: department.and_then(|a| a.department_id), keeper_id: keeper.person_id };
    seals::register(s, head, n, SOURCE).await
}

pub(super) async fn create(s: &Services, staff: &Staff) -> ServiceResult<()> {
    let head = actor(s, staff, "zhuren").await?;
    let (yinzhang, jiyao, jiyaoyuan) =
        (actor(s, staff, "yinzhang").await?, actor(s, staff, "jiyao").await?, actor(s, staff, "jiyaoyuan").await?);
    let higher = "某省教育厅";
    let organ = "江北职业技术学院";
    register(s, &head, ("中共江北职业技术学院委员会", "party_committee", higher), None, &jiyao).await?;
    let college = register(s, &head, ("江北职业技术学院", "administration", higher), None, &jiyaoyuan).await?;
    let office = register(s, &head, ("江北职业技术学院党政办公室", "division", organ), Some(&head), &yinzhang).await?;
    // The office's own seal is also an electronic seal, so a keeper can seal a PDF in the demo.
    seals::esign::create(s, &head, office, SOURCE).await?;
    let old =
        register(s, &head, ("江北职业技术学院党政办公室行政科", "section", "党政办公室"), Some(&yinzhang), &yinzhang)
            .await?;
    seals::decommission(s, &head, old, "印章边框磨损，印文不清，启用新章", "党政办公室", "destroyed", SOURCE).await?;
    register(s, &head, ("江北职业技术学院党政办公室行政科", "section", "党政办公室"), Some(&yinzhang), &yinzhang)
        .await?;
    register(s, &head, ("秦立平印（院长名章）", "name_seal", organ), None, &jiyaoyuan).await?;

    // 教务处: filed by a 科员, signed by the 处长, now with the 副院长 (教学).
    let jwc = actor(s, staff, "jwc.keyuan").await?;
    let apply = |seal, title: &str, purpose: &str, copies: &str| NewApplication {
        seal_id: seal,
        document_title: title.into(),
        purpose: purpose.into(),
        copies: copies.into(),
        outgoing_id: None,
    };
    let a =
        seals::apply(s, &jwc, apply(college, "2027届毕业生顶岗实习协议", "与合作企业签订顶岗实习协议", "6"), SOURCE)
            .await?;
    seals::act(s, &actor(s, staff, "jwc.chuzhang").await?, a, ApplicationAction::HeadSign, SOURCE).await?;

    // 招生就业处: signed, approved and stamped by the 党政办公室 seal's keeper.
    let zsc = actor(s, staff, "zsc.keyuan").await?;
    let b = seals::apply(s, &zsc, apply(office, "2027年招生宣传工作联系函", "寄送各地市招生考试机构", "12"), SOURCE)
        .await?;
    seals::act(s, &actor(s, staff, "zsc.chuzhang").await?, b, ApplicationAction::HeadSign, SOURCE).await?;
    seals::act(s, &actor(s, staff, "fyz.zhaosheng").await?, b, ApplicationAction::LeaderApprove, SOURCE).await?;
    seals::act(s, &yinzhang, b, ApplicationAction::Stamp { copies: 12 }, SOURCE).await?;

    // 后勤管理处: signed and approved, waiting for the keeper to stamp.
    let hqc = actor(s, staff, "hqc.keyuan").await?;
    let c = seals::apply(s, &hqc, apply(office, "冬季供暖设备维保合同", "与维保单位签订合同", "2"), SOURCE).await?;
    seals::act(s, &actor(s, staff, "hqc.chuzhang").await?, c, ApplicationAction::HeadSign, SOURCE).await?;
    seals::act(s, &actor(s, staff, "fyz.houqin").await?, c, ApplicationAction::LeaderApprove, SOURCE).await?;

    // R7.5: 行政科's seal rules are registered; 教务处's wait for the office head.
    let xingzheng = actor(s, staff, "xingzheng").await?;
    let xzk_rules = "一、行政科印章由行政科指定专人保管，不得带出办公室。\n二、用印须填写用印登记，经行政科科长签字同意。\n三、空白介绍信、空白纸张一律不得用印。";
    if let Some(d) = xingzheng.department_id {
        let id = seals::department_rules::file(s, &xingzheng, d, xzk_rules, SOURCE).await?;
        seals::department_rules::decide_filing(s, &head, id, RulesAction::Register, SOURCE).await?;
    }
    let jwc_head = actor(s, staff, "jwc.chuzhang").await?;
    let jwc_rules =
        "一、教务处业务专用章由教务处办公室保管。\n二、成绩单、学历证明用印须经处长或分管副处长签字，并逐份登记。";
    if let Some(d) = jwc_head.department_id {
        seals::department_rules::file(s, &jwc_head, d, jwc_rules, SOURCE).await?;
    }
    Ok(())
}
