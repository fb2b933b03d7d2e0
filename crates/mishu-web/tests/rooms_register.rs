//! The room register over HTTP: everyone reads it, only the office sees the forms, a room is
//! added and edited through them, a bad field is a 422 naming it with nothing stored, and a
//! photo uploaded as multipart is served back as an image.

mod support;

use support::TestApp;

const BOUNDARY: &str = "----mishu-room-photo";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde";

fn photo_body(name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"{name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend(format!("\r\n--{BOUNDARY}--\r\n").bytes());
    body
}

#[tokio::test]
async fn the_office_adds_edits_and_pictures_a_room_and_everyone_sees_it() {
    for app in TestApp::all().await {
        let b = app.backend;
        app.org().await;
        let mut sec = app.client();
        sec.sign_in("secretary").await;
        let page = sec.get("/rooms/register").await;
        assert_eq!(page.status.as_u16(), 200, "{b}");
        assert!(page.text().contains("id=\"add-room\""), "{b}: the office may add rooms");

        let nothing = app.unchanged().await;
        let r = sec
            .post_form("/rooms/register", &[("name", "报告厅"), ("location", "图书馆一楼"), ("capacity", "0")])
            .await;
        nothing.refused(&r, "422 invalid capacity", "no seats").await;
        let r = sec
            .post_form(
                "/rooms/register",
                &[("name", "报告厅"), ("location", "图书馆一楼"), ("capacity", "200"), ("equipment", "音响 投影")],
            )
            .await;
        assert_eq!(r.status.as_u16(), 303, "{b}: {}", r.text());
        let anchor = r.location().unwrap().to_string();
        let id: i64 = anchor.rsplit("room-").next().unwrap().parse().unwrap();

        let r = sec
            .post_form(
                &format!("/rooms/register/{id}"),
                &[("name", "报告厅"), ("location", "图书馆一楼"), ("capacity", "180"), ("active", "on")],
            )
            .await;
        assert_eq!(r.status.as_u16(), 303, "{b}: {}", r.text());

        let csrf = sec.csrf().await;
        let ct = format!("multipart/form-data; boundary={BOUNDARY}");
        let nothing = app.unchanged().await;
        let r = sec
            .post_body(&format!("/rooms/register/{id}/photo?_csrf={csrf}"), &ct, photo_body("厅.png", b"GIF89a"), &[])
            .await;
        nothing.refused(&r, "422 invalid photo", "not a PNG").await;
        let r = sec
            .post_body(&format!("/rooms/register/{id}/photo?_csrf={csrf}"), &ct, photo_body("厅.png", PNG), &[])
            .await;
        assert_eq!(r.status.as_u16(), 303, "{b}: {}", r.text());

        // A handler reads the register and the photo, without forms, and may not edit.
        let mut h = app.client();
        h.sign_in("handler").await;
        let html = h.get("/rooms/register").await.text();
        assert!(html.contains("报告厅") && html.contains("180") && html.contains("图书馆一楼"), "{b}");
        assert!(html.contains(&format!("/rooms/register/{id}/photo")), "{b}: the photo shows");
        assert!(!html.contains("id=\"add-room\"") && !html.contains("class=\"edit-room\""), "{b}: no forms");
        let img = h.get(&format!("/rooms/register/{id}/photo")).await;
        assert_eq!((img.status.as_u16(), img.header("content-type")), (200, Some("image/png")), "{b}");
        let nothing = app.unchanged().await;
        let r = h.post_form(&format!("/rooms/register/{id}"), &[("name", "我的厅"), ("capacity", "9")]).await;
        nothing.refused(&r, "403 forbidden", "a handler editing a room").await;
        assert!(h.get("/rooms").await.text().contains("id=\"room-register-link\""), "{b}: linked from the week");
    }
}
