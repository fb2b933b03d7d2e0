//! The register over HTTP: the XLSX export (a workbook, a bad filter named) and the paged
//! list (page and API with their counts and next offsets).

mod support;

use support::TestApp;

#[tokio::test]
async fn export_downloads_a_workbook_and_checks_filters() {
    for app in TestApp::all().await {
        app.org().await;
        let mut c = app.client();
        c.sign_in("secretary").await;
        c.post_form("/incoming", &[("sender_organ", "某厅"), ("title", "通知"), ("doc_type", "通知")]).await;
        let r = c.get("/incoming/export.xlsx?state=&organ=&doc_type=&year=&department=").await;
        assert_eq!(r.status.as_u16(), 200, "{}: {}", app.backend, r.text());
        assert!(r.header("content-type").unwrap().contains("spreadsheetml"));
        assert!(r.header("content-disposition").unwrap().starts_with("attachment; filename*=UTF-8''"));
        assert!(r.body.starts_with(b"PK\x03\x04"));
        let r = c.get("/incoming/export.xlsx?year=abc").await;
        assert_eq!((r.status.as_u16(), r.error_field().as_deref()), (400, Some("year")), "{}", app.backend);
    }
}

#[tokio::test]
async fn the_register_pages_with_an_exact_count() {
    for app in TestApp::all().await {
        let b = app.backend;
        let org = app.org().await;
        let mut c = app.client();
        c.sign_in("secretary").await;
        for i in 0..3 {
            let title = format!("分页测试通知{i}");
            c.post_form("/incoming", &[("sender_organ", "某厅"), ("title", &title), ("doc_type", "通知")]).await;
        }
        let mut api = app.api(&app.token(org.secretary).await);
        let first = api.get("/api/v1/incoming?limit=2").await;
        assert_eq!(first.status.as_u16(), 200, "{b}: {}", first.text());
        assert_eq!(first.json().as_array().map(Vec::len), Some(2), "{b}");
        assert_eq!(first.header("x-total-count"), Some("3"), "{b}");
        assert_eq!(first.header("x-next-offset"), Some("2"), "{b}");
        let last = api.get("/api/v1/incoming?limit=2&offset=2").await;
        assert_eq!(last.json().as_array().map(Vec::len), Some(1), "{b}");
        assert!(last.header("x-next-offset").is_none(), "{b}: nothing after the last page");
        for (bad, field) in [("limit=0", "limit"), ("limit=201", "limit"), ("offset=-1", "offset")] {
            let r = api.get(&format!("/api/v1/incoming?{bad}")).await;
            assert_eq!((r.status.as_u16(), r.error_field().as_deref()), (400, Some(field)), "{b}: {bad}");
        }

        let page = c.get("/incoming?organ=%E6%9F%90%E5%8E%85").await;
        assert!(page.text().contains("data-total=\"3\""), "{b}: the page shows the count");
        let r = c.get("/incoming?offset=x").await;
        assert_eq!((r.status.as_u16(), r.error_field().as_deref()), (400, Some("offset")), "{b}");
        // The other department's handler is on no route: the register is empty for him.
        let other = app.api(&app.token(org.handler).await).get("/api/v1/incoming").await;
        assert_eq!(other.header("x-total-count"), Some("0"), "{b}");
    }
}
