//! Hostile uploads (T8): traversal and control-character file names, zip bombs, XML entity
//! bombs and external entities on the two upload forms: stored under our names or refused.

use super::*;
use std::time::{Duration, Instant};

const BOUNDARY: &str = "----mishu-hostile-boundary";

fn multipart(fields: &[(&str, &str)], file_field: &str, name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").bytes());
    }
    body.extend(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{file_field}\"; filename=\"{name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend(format!("\r\n--{BOUNDARY}--\r\n").bytes());
    body
}

async fn upload(c: &mut Client<'_>, path: &str, body: Vec<u8>) -> (Resp, Duration) {
    let csrf = c.csrf().await;
    let ct = format!("multipart/form-data; boundary={BOUNDARY}");
    let t = Instant::now();
    let r = c.post_body(&format!("{path}?_csrf={csrf}"), &ct, body, &[]).await;
    (r, t.elapsed())
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/hostile/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// Hostile file names and archives on the two upload forms: received documents' scans and
/// the organisation import.
#[tokio::test]
async fn hostile_uploads_are_stored_under_our_names_or_refused() {
    for app in TestApp::all().await {
        app.org().await;
        let mut c = app.client();
        c.sign_in("secretary").await;
        let fields = [
            ("sender_organ", "机电工程学院"),
            ("title", "关于增设实训室的请示"),
            ("doc_type", "请示"),
            ("handling", "阅办"),
        ];
        let long = format!("{}.pdf", "长".repeat(100));
        let names = [
            "../../../../etc/passwd.pdf",
            "..\\..\\..\\windows\\win.ini.pdf",
            "/etc/passwd.pdf",
            "%2e%2e%2f%2e%2e%2fx.pdf",
            "..%c0%af..%c0%afx.pdf",
            "．．／．．／x.pdf",
            "a\u{0}.pdf",
            "\u{202E}fdp.exe.pdf",
            "CON.pdf",
            "trailing. ",
            "<img src=x onerror=alert(1)>.pdf",
            long.as_str(),
        ];
        for name in names {
            let nothing = app.unchanged().await;
            let (r, _) = upload(&mut c, "/incoming", multipart(&fields, "files", name, b"%PDF-1.7 scan")).await;
            let what = format!("{}: scan named {name:?}", app.backend);
            assert_no_5xx(&r, &what);
            if r.status.as_u16() == 303 {
                let page = r.location().unwrap().split('?').next().unwrap().to_string();
                let html = c.get(&page).await.text();
                assert!(!html.contains("<img src=x"), "{what}: the name is escaped on the page");
                let href = html.split("href=\"").find(|h| h.contains("/files/")).unwrap().split('"').next().unwrap();
                let d = c.get(href).await;
                assert_eq!(d.status.as_u16(), 200, "{what}");
                let cd = d.header("content-disposition").unwrap_or_default().to_string();
                assert!(cd.starts_with("attachment; filename*=UTF-8''"), "{what}: {cd}");
                assert!(
                    !cd.contains('\r') && !cd.contains('\n') && !cd.contains('"') && !cd.contains('/'),
                    "{what}: {cd}"
                );
            } else {
                nothing.assert(&what).await;
            }
        }
        // No upload landed under a name it carried, beside the data folder or above it.
        for dir in [app.services.data_dir.parent().unwrap(), std::path::Path::new("/etc"), std::path::Path::new("/tmp")]
        {
            for stray in ["passwd.pdf", "win.ini.pdf", "x.pdf", "trailing."] {
                let p = dir.join(stray);
                assert!(!p.exists() || dir == std::path::Path::new("/etc"), "{}: {} exists", app.backend, p.display());
            }
        }
        assert!(!std::path::Path::new("/etc/passwd.pdf").exists(), "an upload escaped to /etc");
        for (name, bytes) in [("报告.docx", fixture("zip-bomb.docx")), ("表.xlsx", fixture("zip-bomb.xlsx"))] {
            let (r, took) = upload(&mut c, "/incoming", multipart(&fields, "files", name, &bytes)).await;
            assert_no_5xx(&r, name);
            assert!(took < Duration::from_secs(5), "{name}: {took:?}: the archive was unpacked");
        }

        // The organisation import reads XLSX: bombs, entities and traversal inside it.
        let mut admin = app.client();
        admin.sign_in("sysadmin").await;
        for f in ["zip-bomb.xlsx", "billion-laughs.xlsx", "xxe.xlsx", "zip-slip.xlsx"] {
            let nothing = app.unchanged().await;
            let (r, took) =
                upload(&mut admin, "/admin/org/import", multipart(&[("kind", "people")], "file", f, &fixture(f))).await;
            let what = format!("{}: import {f}", app.backend);
            assert_no_5xx(&r, &what);
            assert!(took < Duration::from_secs(10), "{what}: took {took:?}");
            let text = r.text();
            assert!(!text.contains("root:x:0") && !text.contains("lollollol"), "{what}: an entity was expanded");
            assert!(!text.contains("id=\"import-confirm\""), "{what}: offered for import");
            nothing.assert(&what).await;
        }
        assert!(!std::path::Path::new("/tmp/mishu-zip-slip").exists(), "zip slip wrote outside");
    }
}
