//! Numbered outgoing documents for the PDF scenario, taken through the outgoing service
//! like real ones (draft, check, sign-off, registration), and the printed form of one of
//! them for the bare typst compile that `R_pdf` divides by.

use anyhow::Context;
use mishu_domain::access::Actor;
use mishu_domain::outgoing::{DraftInput, OutgoingAction as A, RecipientInput};
use mishu_domain::{OutgoingId, PersonId};
use mishu_service::{Services, args, org, outgoing};

const SOURCE: &str = "bench";

async fn actor(s: &Services, login: &str) -> anyhow::Result<Actor> {
    let (id,): (i64,) = s.db.fetch_one("SELECT person_id FROM people WHERE login = $1", args![login]).await?;
    Ok(org::load_actor(s, PersonId(id), None).await?)
}

const BODY: &str = "各部门、各二级学院：\n为做好年度工作总结和下一年度工作计划编制，现将有关事项通知如下。\n一、总结范围\n各单位本年度重点工作完成情况、存在问题和改进措施。\n二、报送要求\n（一）总结不超过三千字；\n（二）于12月20日前报党政办公室。\n三、工作要求\n各单位主要负责人要亲自审定，确保材料真实准确。";

/// `n` registered documents by the demo's secretary, signed by the 院长.
pub async fn generate(s: &Services, n: usize) -> anyhow::Result<Vec<i64>> {
    let mishu = actor(s, "mishu").await?;
    let zhuren = actor(s, "zhuren").await?;
    let yuanzhang = actor(s, "yuanzhang").await?;
    let jwc = org::departments(s).await?.into_iter().find(|d| d.name == "教务处").context("no 教务处 in the demo")?;
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let input = DraftInput {
            title: format!("关于做好第{}批年度工作总结和工作计划报送工作的通知", i + 1),
            doc_type: "通知".into(),
            prefix: "江职院办发".into(),
            signer: Some(yuanzhang.person_id),
            recipients: vec![RecipientInput::new("main", "department", jwc.department_id)],
            ..DraftInput::default()
        };
        let id = outgoing::create(s, &mishu, input, SOURCE).await?;
        outgoing::add_version(s, &mishu, id, BODY, "初稿", SOURCE).await?;
        outgoing::act(s, &mishu, id, A::Submit, SOURCE).await?;
        outgoing::act(s, &zhuren, id, A::Check { pass: true, opinion: String::new() }, SOURCE).await?;
        outgoing::act(s, &yuanzhang, id, A::Sign { approve: true, opinion: "同意印发".into() }, SOURCE).await?;
        outgoing::act(s, &mishu, id, A::Register, SOURCE).await?;
        ids.push(id.0);
    }
    Ok(ids)
}

/// The document exactly as `outgoing::pdf` hands it to the renderer.
pub async fn printed(s: &Services, user: &Actor, id: i64) -> anyhow::Result<mishu_render::OfficialDocument> {
    let v = outgoing::get(s, user, OutgoingId(id), SOURCE).await?;
    let organ = org::organ(s).await?.map_or_else(String::new, |o| o.name);
    Ok(outgoing::official_document(&v, &organ, s.clock.now().local_date(), None))
}
