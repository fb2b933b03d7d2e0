//! A sample 文件格式 document of the demo organ that uses every element of GB/T
//! 9704-2012 over several pages; `mishu render --sample` prints it so anyone can check
//! the fonts and the layout on their own printer, and the geometry tests measure it.

use chrono::NaiveDate;

use crate::model::{Attachment, Block, Format, OfficialDocument};

const BODY: &str = "\
根据《某省教育厅关于开展2026年度教育系统安全生产大检查的通知》要求，我院于10月至11月组织开展了全院安全生产大检查。现将有关情况报告如下。
一、总体情况
我院高度重视此次大检查工作，成立了由院长任组长、分管副院长任副组长、各职能部门和二级学院负责人为成员的检查工作领导小组，印发了检查工作方案，明确了检查范围、检查内容、责任分工和时间安排，做到了全覆盖、无死角。
（一）组织领导到位。学院党委会专题研究部署大检查工作，党委书记、院长多次深入实训车间、学生宿舍、食堂等重点场所检查指导，各二级学院、各部门主要负责人切实履行第一责任人职责。
（二）检查范围全面。此次检查覆盖教学楼、实训楼、图书馆、学生宿舍、食堂、体育场馆、配电房、危险化学品仓库等重点部位，共组织检查组12个，出动检查人员186人次，检查场所和部位共计324处。
（三）问题整改及时。对检查中发现的问题，学院建立问题清单、责任清单和整改清单，明确整改时限和责任人，实行销号管理，确保问题整改到位。
二、发现的主要问题
（一）实训场所安全管理有待加强
1.部分实训设备安全操作规程张贴不规范，个别设备防护装置缺失。
2.实训耗材存放不够规范，存在混放现象。
（1）机电工程学院数控实训车间切削液与废料混放，已责令当天整改。
（2）信息工程学院网络实训室线缆敷设杂乱，已安排后勤管理处重新布线。
（二）消防设施维护保养不够到位
1.个别楼宇消防栓压力不足，部分灭火器超过检验期限。
2.学生宿舍存在违规使用大功率电器现象，消防通道偶有杂物堆放。
三、整改措施和下一步工作
（一）健全责任体系。进一步落实安全生产“党政同责、一岗双责、齐抓共管、失职追责”要求，层层签订安全生产责任书，把安全责任落实到每个岗位、每名教职工。
（二）强化隐患治理。对检查发现的问题，逐项明确整改措施、责任人和完成时限，目前已整改完成问题共计47项，其余5项正在整改中，预计于12月底前全部完成。
（三）加强宣传教育。结合“安全生产月”和“119消防宣传月”等活动，组织开展消防疏散演练和安全知识讲座，切实增强师生安全意识和自救互救能力。
（四）完善长效机制。修订完善学院安全生产管理制度和应急预案，建立常态化检查和隐患排查治理机制，推动安全生产工作规范化、制度化、常态化。
特此报告。";

const ATTACHMENT_1: &str = "\
一、检查组织情况
学院共组建检查组12个，由分管院领导带队，后勤管理处、保卫处牵头，各二级学院和相关职能部门参加。
二、检查结果汇总
共检查场所和部位324处，发现问题52项，其中实训场所问题21项、消防设施问题18项、学生宿舍问题9项、其他问题4项。
三、整改进度
截至11月20日，已整改完成47项，整改完成率90.4%；其余5项涉及设备更新和线路改造，已列入年度维修计划。";

const ATTACHMENT_2: &str = "\
1.机电工程学院数控实训车间：切削液与废料分区存放，设置标识，已完成。
2.信息工程学院网络实训室：线缆重新敷设，已完成。
3.第三学生宿舍楼：更换超期灭火器24具，已完成。
4.图书馆：消防栓水压检测及维修，正在整改，预计12月15日前完成。
5.配电房：老旧配电柜更换，正在整改，预计12月31日前完成。";

/// The sample report (上行文 with 签发人) of 江北职业技术学院 to 某省教育厅.
pub fn sample_document() -> OfficialDocument {
    let date = NaiveDate::from_ymd_opt(2026, 11, 27);
    OfficialDocument {
        format: Format::File,
        copy_number: Some("000001".into()),
        classification: Some("秘密★1年".into()),
        urgency: Some("加急".into()),
        issuer_mark: "江北职业技术学院文件".into(),
        doc_number: Some("江职院发〔2026〕12号".into()),
        signers: vec!["李文华".into()],
        title: "江北职业技术学院关于2026年度安全生产大检查工作情况的报告".into(),
        main_recipients: vec!["某省教育厅".into()],
        body: Block::parse_body(BODY),
        attachment_titles: vec!["江北职业技术学院2026年度安全生产大检查情况统计表".into(), "安全隐患整改清单".into()],
        signature: vec!["江北职业技术学院".into()],
        date,
        note: Some("联系人：张敏，电话：0510-8888 1234".into()),
        attachments: vec![
            Attachment {
                title: "江北职业技术学院2026年度安全生产大检查情况统计表".into(),
                body: Block::parse_body(ATTACHMENT_1),
            },
            Attachment { title: "安全隐患整改清单".into(), body: Block::parse_body(ATTACHMENT_2) },
        ],
        copied_to: vec!["某市应急管理局".into(), "学院党委各委员".into(), "各二级学院".into()],
        printed_by: "江北职业技术学院党政办公室".into(),
        printed_on: date,
        present: vec![],
        attending: vec![],
        seal: None,
    }
}
