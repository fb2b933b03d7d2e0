//! Circulation over HTTP: the office circulates, the reader opens the document from the
//! circulation alone and marks it read, the office sees read / not yet per reader, and a
//! reader cannot circulate.

mod support;

use support::TestApp;

#[tokio::test]
async fn circulate_read_and_see_who_read() {
    for app in TestApp::all().await {
        let org = app.org().await;
        let b = app.backend;
        let mut sec = app.client();
        sec.sign_in("secretary").await;
        let fields = [("sender_organ", "某省教育厅"), ("title", "关于做好节日期间工作的通知"), ("doc_type", "通知")];
        let r = sec.post_form("/incoming", &fields).await;
        assert_eq!(r.status.as_u16(), 303, "{b}: {}", r.text());
        let page = r.location().unwrap().split('?').next().unwrap().to_string();
        let mut reader = app.client();
        reader.sign_in("handler").await;
        assert_eq!(reader.get(&page).await.status.as_u16(), 404, "{b}: not circulated yet");

        let handler = org.handler.0.to_string();
        let r = sec
            .post_form(&format!("{page}/circulate"), &[("reader", &handler), ("must_read", "1"), ("note", "请阅")])
            .await;
        assert_eq!(r.status.as_u16(), 303, "{b}: {}", r.text());
        let html = sec.get(&page).await.text();
        assert!(html.contains(&format!("data-reader=\"{handler}\" data-read-state=\"open\"")), "{b}: not yet");

        let html = reader.get(&page).await.text();
        assert!(html.contains("circulation-read-form"), "{b}: the reader gets the read button");
        let r = reader.post_form(&format!("{page}/circulate"), &[("reader", &handler)]).await;
        assert_eq!(r.status.as_u16(), 403, "{b}: only the office circulates");
        let r = reader.post_form(&format!("{page}/circulation/read"), &[]).await;
        assert_eq!(r.status.as_u16(), 303, "{b}: {}", r.text());
        let html = sec.get(&page).await.text();
        assert!(html.contains(&format!("data-reader=\"{handler}\" data-read-state=\"done\"")), "{b}: read");

        let r = sec.post_form(&format!("{page}/circulate"), &[("reader", "abc")]).await;
        assert_eq!((r.status.as_u16(), r.error_field().as_deref()), (400, Some("readers")), "{b}");
    }
}
