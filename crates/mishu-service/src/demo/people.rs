//! The demo organisation: departments (党政办公室 with its sections), the leaders and what
//! each supervises (分管), a person for every role, and the three administrators.

use super::DemoLogin;
use crate::audit::Origin;
use crate::org::{self, NewDepartment, NewPerson};
use crate::{ServiceResult, Services};
use mishu_domain::org::{AdminKind, Clearance, DepartmentName, LoginName, PersonName, Role, parse_position};
use mishu_domain::{DepartmentId, PersonId};
use std::collections::BTreeMap;

/// What the rest of the load needs: who is who, by login, and the accounts to report.
pub(super) struct Staff {
    pub ids: BTreeMap<&'static str, PersonId>,
    pub logins: Vec<DemoLogin>,
}

impl Staff {
    /// A demo person by login; the tables below are fixed, so a miss is a bug in them.
    pub fn id(&self, login: &str) -> PersonId {
        self.ids[login]
    }
}

const OFFICE: &str = "党政办公室";

/// Departments in display order; sections name their parent.
const DEPARTMENTS: &[(&str, Option<&str>)] = &[
    (OFFICE, None),
    ("秘书科", Some(OFFICE)),
    ("行政科", Some(OFFICE)),
    ("机要室", Some(OFFICE)),
    ("档案室", Some(OFFICE)),
    ("信访接待室", Some(OFFICE)),
    ("组织人事处", None),
    ("宣传部", None),
    ("纪检监察室", None),
    ("教务处", None),
    ("学生工作处", None),
    ("科研处", None),
    ("财务处", None),
    ("后勤管理处", None),
    ("保卫处", None),
    ("招生就业处", None),
    ("机电工程学院", None),
    ("信息工程学院", None),
    ("经济管理学院", None),
    ("继续教育学院", None),
];

struct Person {
    login: &'static str,
    name: &'static str,
    /// None for the leadership and the administrators.
    dept: Option<&'static str>,
    position: &'static str,
    clearance: Clearance,
    /// Scoped to the person's department.
    roles: &'static [Role],
    admin: Option<AdminKind>,
    what: &'static str,
}

const fn staff(
    login: &'static str,
    name: &'static str,
    dept: &'static str,
    position: &'static str,
    clearance: Clearance,
    roles: &'static [Role],
    what: &'static str,
) -> Person {
    Person { login, name, dept: Some(dept), position, clearance, roles, admin: None, what }
}

const fn leader(login: &'static str, name: &'static str, position: &'static str) -> Person {
    Person {
        login,
        name,
        dept: None,
        position,
        clearance: Clearance::Confidential,
        roles: &[Role::Leader],
        admin: None,
        what: position,
    }
}

const fn admin(login: &'static str, name: &'static str, position: &'static str, kind: AdminKind) -> Person {
    Person {
        login,
        name,
        dept: None,
        position,
        clearance: Clearance::None,
        roles: &[],
        admin: Some(kind),
        what: position,
    }
}

use Clearance::{Confidential, None as NoClearance, Secret};
use Role::{Archivist, DepartmentHead, Handler, OfficeHead, PetitionStaff, Reception, SealKeeper, Secretary};

/// Everyone, fictional. Clearance follows need: leaders and 机要室 机密, the office and
/// department heads 秘密, handlers none.
#[rustfmt::skip]
const PEOPLE: &[Person] = &[
    leader("shuji", "周志远", "党委书记"),
    leader("yuanzhang", "秦立平", "院长、党委副书记"),
    leader("fushuji", "郑雅琴", "党委副书记、纪委书记"),
    leader("fyz.jiaoxue", "孙启明", "副院长（分管教学）"),
    leader("fyz.houqin", "何振宇", "副院长（分管后勤）"),
    leader("fyz.zhaosheng", "罗静怡", "副院长（分管招生就业）"),
    staff("zhuren", "王慧敏", OFFICE, "党政办公室主任", Secret, &[OfficeHead], "办公室主任 (党政办公室)"),
    staff("fuzhuren", "刘振华", OFFICE, "党政办公室副主任", Secret, &[OfficeHead], "办公室副主任 (党政办公室)"),
    staff("mishu", "张晓雯", "秘书科", "秘书科科员", Secret, &[Secretary], "秘书 (秘书科)"),
    staff("xingzheng", "黄国强", "行政科", "行政科科长", Secret, &[DepartmentHead], "行政科科长，管会议室和设备 (行政科)"),
    staff("yinzhang", "马晓玲", "行政科", "行政科科员", NoClearance, &[SealKeeper, Handler], "印章管理员：党政办公室章、行政科章 (行政科)"),
    staff("jiyao", "吴婉清", "机要室", "机要室主任", Confidential, &[SealKeeper, Handler], "机要室主任，党委印章管理员 (机要室)"),
    staff("jiyaoyuan", "陈思远", "机要室", "机要员", Confidential, &[SealKeeper, Handler], "机要员，学院印章和院长名章管理员 (机要室)"),
    staff("dangan", "徐丽芳", "档案室", "档案员", Secret, &[Archivist], "档案员 (档案室)"),
    staff("xinfang", "杨永峰", "信访接待室", "信访接待室主任", Secret, &[PetitionStaff], "信访 (信访接待室)"),
    staff("jiedai", "许佳琪", "信访接待室", "接待员", NoClearance, &[Reception], "接待 (信访接待室)"),
    staff("zsc.chuzhang", "高志明", "招生就业处", "招生就业处处长", Secret, &[DepartmentHead], "部门负责人 (招生就业处)"),
    staff("zsc.keyuan", "韩雨桐", "招生就业处", "招生就业处科员", NoClearance, &[Handler], "承办人 (招生就业处)"),
    staff("hqc.chuzhang", "宋建国", "后勤管理处", "后勤管理处处长", Secret, &[DepartmentHead], "部门负责人 (后勤管理处)"),
    staff("hqc.keyuan", "唐振亮", "后勤管理处", "后勤管理处科员", NoClearance, &[Handler], "承办人 (后勤管理处)"),
    staff("bwc.chuzhang", "冯建军", "保卫处", "保卫处处长", Secret, &[DepartmentHead], "部门负责人 (保卫处)"),
    staff("bwc.keyuan", "邓文斌", "保卫处", "保卫处科员", NoClearance, &[Handler], "承办人 (保卫处)"),
    staff("jwc.chuzhang", "曹丽娟", "教务处", "教务处处长", Secret, &[DepartmentHead], "部门负责人 (教务处)"),
    staff("jwc.keyuan", "彭子豪", "教务处", "教务处科员", NoClearance, &[Handler], "承办人 (教务处)"),
    staff("jdxy.yuanzhang", "袁志强", "机电工程学院", "机电工程学院院长", Secret, &[DepartmentHead], "部门负责人 (机电工程学院)"),
    staff("jdxy.keyuan", "蒋雨欣", "机电工程学院", "机电工程学院教学秘书", NoClearance, &[Handler], "承办人 (机电工程学院)"),
    admin("sysadmin", "钱立新", "系统管理员", AdminKind::System),
    admin("secadmin", "邵佳敏", "安全保密管理员", AdminKind::Security),
    admin("auditadmin", "田若兰", "安全审计员", AdminKind::Audit),
];

/// 分管, from the spec's table: departments, and areas of work in words.
#[rustfmt::skip]
const SUPERVISION: &[(&str, &[&str], &[&str])] = &[
    ("shuji", &["组织人事处", "宣传部"], &["全面工作", "党委工作"]),
    ("yuanzhang", &[OFFICE, "财务处"], &["行政工作"]),
    ("fushuji", &["纪检监察室", "学生工作处"], &["纪检监察", "学生工作"]),
    ("fyz.jiaoxue", &["教务处", "科研处", "机电工程学院", "信息工程学院", "经济管理学院"], &["教学", "科研"]),
    ("fyz.houqin", &["后勤管理处", "保卫处"], &["后勤", "安全稳定"]),
    ("fyz.zhaosheng", &["招生就业处", "继续教育学院"], &["招生就业", "继续教育"]),
];

pub(super) async fn create(s: &Services, origin: &Origin) -> ServiceResult<Staff> {
    let mut departments: BTreeMap<&str, DepartmentId> = BTreeMap::new();
    for (i, (name, parent)) in DEPARTMENTS.iter().enumerate() {
        let d = NewDepartment {
            name: DepartmentName::parse(name)?,
            parent_id: parent.map(|p| departments[p]),
            sort_order: i as i64 * 10,
        };
        departments.insert(*name, org::create_department(s, origin, d).await?);
    }
    let mut ids = BTreeMap::new();
    let mut logins = Vec::new();
    for (i, p) in PEOPLE.iter().enumerate() {
        let dept = p.dept.map(|d| departments[d]);
        let new = NewPerson {
            login: LoginName::parse(p.login)?,
            name: PersonName::parse(p.name)?,
            department_id: dept,
            position: parse_position(p.position)?,
            clearance: p.clearance,
            admin: p.admin,
            phone: (8101 + i).to_string(),
            sort_order: i as i64 * 10,
        };
        let roles: Vec<_> = p.roles.iter().map(|r| (*r, if *r == Role::Leader { None } else { dept })).collect();
        ids.insert(p.login, org::create_person(s, origin, new, &roles).await?);
        logins.push(DemoLogin { login: p.login.into(), name: p.name.into(), what: p.what.into() });
    }
    for (leader, depts, areas) in SUPERVISION {
        let depts: Vec<_> = depts.iter().map(|d| departments[d]).collect();
        let areas: Vec<String> = areas.iter().map(|a| a.to_string()).collect();
        org::set_supervision(s, origin, ids[leader], &depts, &areas).await?;
    }
    Ok(Staff { ids, logins })
}
