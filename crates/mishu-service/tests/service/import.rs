//! Importing departments and people: previews that name the row and field, and commits
//! that store every row or nothing, on both databases.

use mishu_domain::org::{AdminKind, Clearance};
use mishu_service::audit::Origin;
use mishu_service::org::import::{self, ImportKind, ImportPreview};
use mishu_service::org::{self, department_tree};
use mishu_service::{ServiceError, Services};
use mishu_testkit::{TestDb, builders};

async fn counts(s: &Services) -> (usize, usize) {
    (org::departments(s).await.unwrap().len(), org::people(s, None).await.unwrap().len())
}

async fn audit_actions(s: &Services, action: &str) -> usize {
    let rows: Vec<(String,)> = s.db.fetch_all("SELECT action FROM audit_log", vec![]).await.unwrap();
    rows.iter().filter(|(a,)| a == action).count()
}

fn errors_of(p: &ImportPreview) -> Vec<(usize, &'static str, &'static str)> {
    p.rows.iter().flat_map(|r| r.errors.iter().map(move |e| (r.line, e.field, e.code))).collect()
}

const DEPARTMENTS: &str =
    "部门名称,上级部门,排序\n秘书科,党政办公室,1\n党政办公室,,1\n行政科,党政办公室,2\n教务处,,2\n综合科,教务处,1\n";

#[tokio::test]
async fn a_good_csv_stores_departments_then_people() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let origin = Origin::system();
        let p = import::preview(&s, ImportKind::Departments, DEPARTMENTS.as_bytes(), "部门.csv").await.unwrap();
        assert_eq!((p.ok_count, p.error_count), (5, 0), "{}: {:?}", t.backend, errors_of(&p));
        assert_eq!(counts(&s).await, (0, 0), "{}: a preview stores nothing", t.backend);
        let created =
            import::commit(&s, &origin, ImportKind::Departments, DEPARTMENTS.as_bytes(), "部门.csv").await.unwrap();
        assert_eq!(created, 5);
        let paths: Vec<String> = department_tree(&s).await.unwrap().into_iter().map(|e| e.path).collect();
        assert_eq!(
            paths,
            ["党政办公室", "党政办公室/秘书科", "党政办公室/行政科", "教务处", "教务处/综合科"],
            "{}",
            t.backend
        );

        let people = "登录名,姓名,部门,职务,电话\nZhang.Wei,张伟,秘书科,科长,0571-8888 1234\nli.na,李娜,教务处/综合科,,\nwang.yz,王院长,,院长,\n";
        let created = import::commit(&s, &origin, ImportKind::People, people.as_bytes(), "people.csv").await.unwrap();
        assert_eq!(created, 3);
        let all = org::people(&s, None).await.unwrap();
        let zhang = all.iter().find(|p| p.login == "zhang.wei").expect("logins are stored lower-case");
        assert_eq!(
            (zhang.department_name.as_deref(), zhang.position.as_deref(), zhang.phone.as_str()),
            (Some("秘书科"), Some("科长"), "0571-8888 1234")
        );
        assert_eq!(zhang.clearance, Clearance::None.code());
        assert!(!zhang.has_password, "{}: no password until the administrator gives one", t.backend);
        assert!(org::roles_of(&s, mishu_domain::PersonId(zhang.person_id)).await.unwrap().is_empty());
        assert_eq!(audit_actions(&s, "org.imported").await, 2, "{}", t.backend);
        assert_eq!(audit_actions(&s, "org.person_created").await, 3, "{}", t.backend);
    }
}

#[tokio::test]
async fn a_good_xlsx_with_numbers_in_cells() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["登录名", "姓名", "部门", "职务", "电话"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "zhao.min").unwrap();
    sheet.write_string(1, 1, "赵敏").unwrap();
    sheet.write_string(1, 2, "财务处").unwrap();
    sheet.write_number(1, 4, 13_800_138_000_f64).unwrap();
    sheet.write_string(3, 0, "qian.li").unwrap();
    sheet.write_string(3, 1, "钱立").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    for t in TestDb::all().await {
        let (s, _) = t.services();
        builders::department(&s, "财务处", None).await;
        let p = import::preview(&s, ImportKind::People, &bytes, "人员.xlsx").await.unwrap();
        assert_eq!((p.ok_count, p.error_count), (2, 0), "{}: {:?}", t.backend, errors_of(&p));
        assert_eq!(p.rows[0].values[4], "13800138000", "whole numbers lose Excel's `.0`");
        assert_eq!(p.rows[1].line, 4, "the blank sheet row is skipped but line numbers stay the sheet's");
        assert_eq!(import::commit(&s, &Origin::system(), ImportKind::People, &bytes, "人员.xlsx").await.unwrap(), 2);
        assert_eq!(counts(&s).await, (1, 2), "{}", t.backend);
    }
}

#[tokio::test]
async fn one_bad_row_stores_nothing_and_says_where() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        builders::department(&s, "秘书科", None).await;
        let file = "登录名,姓名,部门\nzhang.wei,张伟,秘书科\nli na,李娜,秘书科\nwang.fang,王芳,秘书科\n";
        let p = import::preview(&s, ImportKind::People, file.as_bytes(), "p.csv").await.unwrap();
        assert_eq!((p.ok_count, p.error_count), (2, 1));
        assert_eq!(errors_of(&p), [(3, "login", "invalid")], "{}", t.backend);
        assert!(p.rows[1].errors[0].to_string().starts_with("login:"));
        let r = import::commit(&s, &Origin::system(), ImportKind::People, file.as_bytes(), "p.csv").await;
        assert!(matches!(r, Err(ServiceError::ImportRejected(1))), "{}: {r:?}", t.backend);
        assert_eq!(counts(&s).await, (1, 0), "{}: not even the good rows", t.backend);
        assert_eq!(audit_actions(&s, "org.imported").await, 0);
    }
}

#[tokio::test]
async fn duplicate_logins_unknown_departments_and_bad_parents() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let office = builders::department(&s, "党政办公室", None).await;
        builders::department(&s, "综合科", Some(office)).await;
        let jwc = builders::department(&s, "教务处", None).await;
        builders::department(&s, "综合科", Some(jwc)).await;
        builders::person(&s, "zhang.wei", Some(office), &[], Clearance::None).await;
        let file = "login,name,department\nzhang.wei,张伟二,党政办公室\nli.na,李娜,宣传部\nwang.fang,王芳,综合科\nli.na,李娜,教务处\n";
        let p = import::preview(&s, ImportKind::People, file.as_bytes(), "p.csv").await.unwrap();
        let want = [
            (2, "login", "login_taken"),
            (3, "department", "unknown_department"),
            (4, "department", "ambiguous_department"),
            (5, "login", "duplicate_in_file"),
        ];
        assert_eq!(errors_of(&p), want, "{}", t.backend);
        assert_eq!(p.rows[3].errors[0].arg, "3", "points at the first line with that login");

        let depts = "部门名称,上级部门,排序\n甲,乙,\n乙,甲,\n综合科,党政办公室,\n丙,,x\n丁,,\n丁,,\n";
        let p = import::preview(&s, ImportKind::Departments, depts.as_bytes(), "d.csv").await.unwrap();
        let want = [
            (2, "parent", "cycle"),
            (3, "parent", "cycle"),
            (4, "name", "exists"),
            (5, "sort", "not_a_number"),
            (7, "name", "duplicate_in_file"),
        ];
        assert_eq!(errors_of(&p), want, "{}", t.backend);
        let r = import::commit(&s, &Origin::system(), ImportKind::Departments, depts.as_bytes(), "d.csv").await;
        assert!(matches!(r, Err(ServiceError::ImportRejected(5))), "{}", t.backend);
        assert_eq!(counts(&s).await, (4, 1));
    }
}

#[tokio::test]
async fn byte_order_marks_and_file_level_refusals() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let with_bom = "\u{feff}name,parent,sort\r\n信息中心,,3\r\n";
        let created =
            import::commit(&s, &Origin::system(), ImportKind::Departments, with_bom.as_bytes(), "d.csv").await.unwrap();
        assert_eq!(created, 1, "{}", t.backend);
        assert_eq!(
            org::departments(&s).await.unwrap()[0].name,
            "信息中心",
            "the mark is not part of the first heading or value"
        );
        let big = vec![b'a'; import::MAX_FILE_BYTES + 1];
        let r = import::preview(&s, ImportKind::People, &big, "big.csv").await;
        assert!(matches!(r, Err(ServiceError::Invalid { field: "file", .. })), "{}", t.backend);
        let zip_bomb_ish = b"PK\x03\x04not really a zip";
        let r = import::preview(&s, ImportKind::People, zip_bomb_ish, "x.xlsx").await;
        assert!(r.unwrap_err().to_string().contains("XLSX"), "{}", t.backend);
    }
}

#[tokio::test]
async fn stashed_uploads_belong_to_their_uploader() {
    for t in TestDb::all().await {
        let (s, clock) = t.services();
        let sys = builders::admin(&s, "sysadmin", AdminKind::System).await;
        let other = builders::admin(&s, "sysadmin2", AdminKind::System).await;
        let file = "部门名称\n档案室\n";
        let id = import::stash(&s, sys, ImportKind::Departments, "../../etc/部门.csv", file.as_bytes()).await.unwrap();
        assert!(matches!(import::unstash(&s, other, &id).await, Err(ServiceError::NotFound)));
        assert!(matches!(import::unstash(&s, sys, "../../etc/passwd").await, Err(ServiceError::NotFound)));
        let back = import::unstash(&s, sys, &id).await.unwrap();
        assert_eq!((back.kind, back.filename.as_str()), (ImportKind::Departments, "部门.csv"));
        let origin = Origin { actor_id: Some(sys), ..Origin::system() };
        assert_eq!(import::commit_stashed(&s, &origin, &id).await.unwrap(), (ImportKind::Departments, 1));
        assert!(
            matches!(import::commit_stashed(&s, &origin, &id).await, Err(ServiceError::NotFound)),
            "confirmed once only"
        );
        let stale = import::stash(&s, sys, ImportKind::Departments, "d.csv", file.as_bytes()).await.unwrap();
        clock.advance_minutes(25 * 60);
        assert!(
            matches!(import::unstash(&s, sys, &stale).await, Err(ServiceError::NotFound)),
            "{}: a day old",
            t.backend
        );
    }
}
