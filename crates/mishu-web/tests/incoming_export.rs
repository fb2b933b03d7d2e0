//! The register's XLSX export over HTTP: a workbook download, and a bad filter named.

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
