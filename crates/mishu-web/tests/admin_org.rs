//! The system administrator's organisation pages, driven in-process through the whole
//! application (policy, sessions, CSRF, error pages) on SQLite and, when configured, PostgreSQL.

#[path = "admin_org/browser.rs"]
mod browser;

use axum::http::{StatusCode, header};
use browser::Browser;
use mishu_domain::org::{AdminKind, Clearance, Role};
use mishu_service::Services;
use mishu_service::audit::Origin;
use mishu_service::{auth, org};
use mishu_testkit::TestDb;
use mishu_testkit::builders::{self, GOOD_PASSWORD};

async fn with_password(s: &Services, id: mishu_domain::PersonId) {
    auth::set_password(s, &Origin::system(), id, GOOD_PASSWORD, false).await.unwrap();
}

async fn sysadmin(s: &Services) -> Browser {
    let id = builders::admin(s, "sysadmin", AdminKind::System).await;
    with_password(s, id).await;
    Browser::sign_in(s, "sysadmin").await
}

async fn people_count(s: &Services) -> usize {
    org::people(s, None).await.unwrap().len()
}

#[tokio::test]
async fn only_the_system_administrator_gets_in() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let sec = builders::person(&s, "mishu.sec", None, &[Role::Secretary], Clearance::Secret).await;
        with_password(&s, sec).await;
        let secretary = Browser::sign_in(&s, "mishu.sec").await;
        assert_eq!(secretary.get("/admin/org").await.status, StatusCode::FORBIDDEN, "{}", t.backend);
        let post = secretary.post("/admin/org/departments", &[("name", "秘书科")]).await;
        assert_eq!(post.status, StatusCode::FORBIDDEN, "{}", t.backend);
        assert!(org::departments(&s).await.unwrap().is_empty());

        let admin = sysadmin(&s).await;
        assert_eq!(admin.get("/").await.location(), "/admin/org", "{}: the administrator's home", t.backend);
        assert_eq!(admin.get("/admin/org").await.status, StatusCode::OK);
        assert_eq!(admin.get("/inbox").await.status, StatusCode::FORBIDDEN, "{}: no business rights", t.backend);
    }
}

#[tokio::test]
async fn departments_and_people_are_created_and_bad_forms_store_nothing() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let admin = sysadmin(&s).await;
        let res = admin.post("/admin/org/departments", &[("name", "党政办公室"), ("parent", ""), ("sort", "1")]).await;
        assert_eq!((res.status, res.location()), (StatusCode::SEE_OTHER, "/admin/org"), "{}: {}", t.backend, res.body);
        let office = org::departments(&s).await.unwrap()[0].department_id.to_string();
        let res = admin.post("/admin/org/departments", &[("name", "秘书科"), ("parent", &office), ("sort", "")]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let page = admin.get("/admin/org").await;
        assert!(
            page.body.contains("class=\"depth-1\"") && page.body.contains("秘书科"),
            "{}: the section is indented",
            t.backend
        );

        let before = people_count(&s).await;
        let form = [
            ("login", "Zhang.Wei"),
            ("name", "张伟"),
            ("department", office.as_str()),
            ("position", "主任"),
            ("phone", "8012"),
        ];
        let res = admin.post("/admin/org/people", &form).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}: {}", t.backend, res.body);
        assert!(res.location().starts_with("/admin/org/people/"));
        let zhang = org::people(&s, None).await.unwrap().into_iter().find(|p| p.login == "zhang.wei").expect("created");
        assert_eq!((zhang.clearance.as_str(), zhang.position.as_deref()), ("none", Some("主任")));
        assert_eq!(people_count(&s).await, before + 1);
        let shown = admin.get(res.location()).await;
        assert!(shown.body.contains("张伟") && shown.body.contains("id=\"security-facts\""), "{}", t.backend);

        let departments = org::departments(&s).await.unwrap().len();
        let empty = admin.post("/admin/org/departments", &[("name", "  "), ("parent", "")]).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", t.backend);
        assert!(empty.body.contains("<code class=\"field\">department</code>"), "{}: names the field", t.backend);
        let nameless = admin.post("/admin/org/people", &[("login", "li.na"), ("name", ""), ("department", "")]).await;
        assert_eq!(nameless.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(nameless.body.contains("<code class=\"field\">name</code>"), "{}", t.backend);
        let bad_sort =
            admin.post("/admin/org/people", &[("login", "li.na"), ("name", "李娜"), ("sort", "first")]).await;
        assert_eq!(bad_sort.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            (org::departments(&s).await.unwrap().len(), people_count(&s).await),
            (departments, before + 1),
            "{}",
            t.backend
        );

        let not_empty = admin.post(&format!("/admin/org/departments/{office}/disable"), &[]).await;
        assert_eq!(not_empty.status, StatusCode::CONFLICT, "{}: it still has people", t.backend);

        let reset = admin.post(&format!("/admin/org/people/{}/password", zhang.person_id), &[]).await;
        assert_eq!(reset.status, StatusCode::OK);
        let pw = reset
            .body
            .split("id=\"temporary-password\">")
            .nth(1)
            .and_then(|r| r.split('<').next())
            .unwrap()
            .to_string();
        let out = auth::login(&s, "zhang.wei", &pw, "ip").await.unwrap();
        assert!(out.must_change_password, "{}", t.backend);
    }
}

#[tokio::test]
async fn an_import_preview_shows_the_bad_row_and_nothing_is_stored() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let admin = sysadmin(&s).await;
        builders::department(&s, "秘书科", None).await;
        let before = people_count(&s).await;

        let bad = "登录名,姓名,部门\nzhang.wei,张伟,秘书科\nli.na,,宣传部\n";
        let page = admin.upload("people", "人员.csv", bad).await;
        assert_eq!(page.status, StatusCode::OK, "{}: {}", t.backend, page.body);
        assert!(page.body.contains("id=\"import-errors\""), "{}", t.backend);
        assert!(page.body.contains("<tr class=\"bad\">\n<td>3</td>"), "{}: line 3 is marked", t.backend);
        assert!(page.body.contains("没有“宣传部”这个部门"), "{}: the reason, in the reader's language", t.backend);
        assert!(!page.body.contains("id=\"import-confirm\""), "{}: nothing to confirm", t.backend);
        let forged = admin.post("/admin/org/import/commit", &[("id", "0123456789abcdef0123456789abcdef")]).await;
        assert_eq!(forged.status, StatusCode::NOT_FOUND);
        assert_eq!(people_count(&s).await, before, "{}", t.backend);

        // A good file, made bad by someone else before it is confirmed: still nothing stored.
        let good = "登录名,姓名,部门\nzhang.wei,张伟,秘书科\nwang.fang,王芳,秘书科\n";
        let page = admin.upload("people", "人员.csv", good).await;
        let id = page
            .body
            .split("name=\"id\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .expect("confirm form")
            .to_string();
        builders::person(&s, "wang.fang", None, &[], Clearance::None).await;
        let res = admin.post("/admin/org/import/commit", &[("id", &id)]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", t.backend);
        assert_eq!(people_count(&s).await, before + 1, "{}: only the one made meanwhile", t.backend);

        let good = "登录名,姓名,部门\nzhang.wei,张伟,秘书科\n";
        let page = admin.upload("people", "人员.csv", good).await;
        let id = page.body.split("name=\"id\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap().to_string();
        let res = admin.post("/admin/org/import/commit", &[("id", &id)]).await;
        assert_eq!((res.status, res.location()), (StatusCode::SEE_OTHER, "/admin/org/import?kind=people&created=1"));
        assert_eq!(people_count(&s).await, before + 2, "{}", t.backend);

        // Past the 2 MB form limit, inside the upload's own: the file is read and judged.
        let big = format!("登录名,姓名\n{}", "a.b,甲\n".repeat(400_000));
        let res = admin.upload("people", "big.csv", &big).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", t.backend);
        assert!(res.body.contains("more than 5000 rows"), "{}", t.backend);
        let huge = "x".repeat(7 * 1024 * 1024);
        assert!(admin.upload("people", "huge.csv", &huge).await.status.is_client_error());

        let stolen = Browser { csrf: "0".repeat(64), ..admin };
        let res = stolen.upload("people", "x.csv", good).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{}: the query token is checked", t.backend);
        let template = stolen.get("/admin/org/import/template/departments.csv").await;
        assert_eq!(template.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
        assert_eq!(template.body, "\u{feff}部门名称,上级部门,排序\r\n");
    }
}

/// The system page shows this node's index against the change record; its one action asks
/// every node to rebuild, recorded in the audit log; other people are refused both.
#[tokio::test]
async fn the_system_page_shows_the_index_and_requests_a_rebuild_everywhere() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let b = t.backend;
        let sec = builders::person(&s, "mishu.sec", None, &[Role::Secretary], Clearance::Secret).await;
        with_password(&s, sec).await;
        let secretary = Browser::sign_in(&s, "mishu.sec").await;
        assert_eq!(secretary.get("/admin/system").await.status, StatusCode::FORBIDDEN, "{b}");
        assert_eq!(secretary.post("/admin/system/reindex", &[]).await.status, StatusCode::FORBIDDEN, "{b}");

        let admin = sysadmin(&s).await;
        mishu_service::search::apply_changes_now(&s).await.unwrap();
        let page = admin.get("/admin/system").await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        assert!(page.body.contains("id=\"index-facts\"") && !page.body.contains("id=\"rebuild-pending\""), "{b}");
        let res = admin.post("/admin/system/reindex", &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{b}: {}", res.body);
        assert!(res.location().starts_with("/admin/system?requested="), "{b}: {}", res.location());
        let page = admin.get(res.location()).await;
        assert!(page.body.contains("id=\"rebuild-requested\""), "{b}");
        assert!(page.body.contains("id=\"rebuild-pending\""), "{b}: this node has not rebuilt yet");
        mishu_service::search::apply_changes_now(&s).await.unwrap();
        assert!(!admin.get("/admin/system").await.body.contains("id=\"rebuild-pending\""), "{b}: rebuilt");
        let audit = mishu_service::audit::list(&s, &Default::default()).await.unwrap();
        let asked = audit.iter().filter(|r| r.action == "search.rebuild_requested").collect::<Vec<_>>();
        assert_eq!(asked.len(), 1, "{b}");
        assert!(asked[0].actor_id.is_some(), "{b}: the administrator is named");
    }
}
