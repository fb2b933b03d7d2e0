//! Saved phrases over HTTP: the page shows the organ's defaults, a person adds and deletes
//! their own, a bad one names the field, and the document page offers them as buttons.

mod support;

use support::TestApp;

#[tokio::test]
async fn keep_phrases_and_find_them_on_the_document() {
    for app in TestApp::all().await {
        app.org().await;
        let b = app.backend;
        let mut c = app.client();
        c.sign_in("secretary").await;
        assert!(c.get("/incoming/phrases").await.text().contains("同意。"), "{b}: the defaults");
        let r = c.post_form("/incoming/phrases", &[("text", "请办公室核实后报我。")]).await;
        assert_eq!(r.status.as_u16(), 303, "{b}: {}", r.text());
        let nothing = app.unchanged().await;
        let r = c.post_form("/incoming/phrases", &[("text", "  ")]).await;
        nothing.refused(&r, "422 invalid text", "an empty phrase").await;

        let r = c.post_form("/incoming", &[("sender_organ", "某厅"), ("title", "通知"), ("doc_type", "通知")]).await;
        let page = r.location().unwrap().split('?').next().unwrap().to_string();
        let html = c.get(&page).await.text();
        assert!(html.contains("data-phrase=\"请办公室核实后报我。\""), "{b}: own phrase on the proposal box");
        assert!(html.contains("data-fill=\"opinion\""), "{b}");

        let list = c.get("/incoming/phrases").await.text();
        let action = list.split("action=\"").find(|a| a.contains("/delete")).unwrap().split('"').next().unwrap();
        let r = c.post_form(action, &[]).await;
        assert_eq!(r.status.as_u16(), 303, "{b}");
        assert!(!c.get("/incoming/phrases").await.text().contains("请办公室核实后报我。"));
    }
}
