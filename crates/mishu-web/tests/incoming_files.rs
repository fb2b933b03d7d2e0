//! Attachments over HTTP: a multipart registration with its CSRF token in the query, a
//! forged file refused naming the field with nothing stored, and the download keeping the
//! Chinese filename.

mod support;

use support::TestApp;

const BOUNDARY: &str = "----mishu-test-boundary";

fn multipart(fields: &[(&str, &str)], files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").bytes());
    }
    for (name, bytes) in files {
        body.extend(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{BOUNDARY}--\r\n").bytes());
    body
}

const FIELDS: [(&str, &str); 4] =
    [("sender_organ", "机电工程学院"), ("title", "关于增设实训室的请示"), ("doc_type", "请示"), ("handling", "阅办")];

#[tokio::test]
async fn registration_with_a_scan_and_its_download() {
    for app in TestApp::all().await {
        app.org().await;
        let mut c = app.client();
        c.sign_in("secretary").await;
        let csrf = c.csrf().await;
        let ct = format!("multipart/form-data; boundary={BOUNDARY}");
        let nothing = app.unchanged().await;
        let forged = multipart(&FIELDS, &[("来文.pdf", b"<html>forged</html>")]);
        let r = c.post_body(&format!("/incoming?_csrf={csrf}"), &ct, forged, &[]).await;
        nothing.refused(&r, "422 invalid files", "a .pdf that is not a PDF").await;
        let no_token = multipart(&FIELDS, &[("来文.pdf", b"%PDF-1.7 scan")]);
        let r = c.post_body("/incoming", &ct, no_token, &[]).await;
        assert_eq!(r.status.as_u16(), 403, "{}: multipart without a token", app.backend);

        let good = multipart(&FIELDS, &[("来文.pdf", b"%PDF-1.7 scan")]);
        let r = c.post_body(&format!("/incoming?_csrf={csrf}"), &ct, good, &[]).await;
        assert_eq!(r.status.as_u16(), 303, "{}: {}", app.backend, r.text());
        let page = r.location().unwrap().split('?').next().unwrap().to_string();
        let html = c.get(&page).await.text();
        assert!(html.contains("来文.pdf"), "{}: the page lists the file", app.backend);
        let href = html.split("href=\"").find(|h| h.contains("/files/")).unwrap().split('"').next().unwrap();
        let r = c.get(href).await;
        assert_eq!(r.status.as_u16(), 200);
        assert_eq!(r.header("content-type"), Some("application/pdf"));
        assert_eq!(r.header("content-disposition"), Some("attachment; filename*=UTF-8''%E6%9D%A5%E6%96%87%2Epdf"));
        assert_eq!(r.body.as_slice(), b"%PDF-1.7 scan");

        let mut other = app.client();
        other.sign_in("handler").await;
        assert_eq!(other.get(href).await.status.as_u16(), 404, "not on the route, not office-wide");
    }
}
