//! `seal verify` on files that are not sealed PDFs and on a document sealed from the system;
//! `render` of the sample and of a JSON document.

use super::*;

#[test]
fn seal_verify_explains_a_file_that_is_not_a_sealed_pdf_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("none");
    let not_pdf = dir.path().join("scan.png");
    std::fs::write(&not_pdf, b"\x89PNG\r\n\x1a\n").unwrap();
    let out = mishu(&data, None, &["seal", "verify", not_pdf.to_str().unwrap()], &[]);
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(out.stderr.contains("not a PDF"), "{}", out.all());
    let plain = dir.path().join("plain.pdf");
    std::fs::write(&plain, b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
        .unwrap();
    let out = mishu(&data, None, &["seal", "verify", plain.to_str().unwrap()], &[]);
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(out.stderr.contains("carries no electronic seal"), "{}", out.all());
    let out = mishu(&data, None, &["seal", "verify", dir.path().join("missing.pdf").to_str().unwrap()], &[]);
    assert_ne!(out.code, 0, "{}", out.all());
    assert!(!data.exists(), "verifying never creates a data folder");
}

fn pdf_pages(pdf: &Path) -> usize {
    let out = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo (poppler-utils) runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().find(|l| l.starts_with("Pages:")).unwrap_or_else(|| panic!("pdfinfo:\n{text}"));
    line.trim_start_matches("Pages:").trim().parse().unwrap()
}

#[test]
fn render_writes_the_sample_and_a_json_document_and_names_a_bad_field() {
    let dir = tempfile::tempdir().unwrap();
    // The sample: every element over at least three pages.
    let sample = dir.path().join("sample.pdf");
    let o = mishu(dir.path(), None, &["render", "--sample", sample.to_str().unwrap()], &[]);
    assert_eq!(o.code, 0, "{}", o.all());
    assert!(std::fs::read(&sample).unwrap().starts_with(b"%PDF-"));
    assert!(pdf_pages(&sample) >= 3, "{}", o.all());
    assert!(o.stderr.is_empty(), "no missing glyphs reported\n{}", o.all());

    // A document as JSON round-trips through the CLI.
    let mut doc = serde_json::to_value(mishu_render::sample::sample_document()).unwrap();
    let input = dir.path().join("doc.json");
    let out = dir.path().join("doc.pdf");
    std::fs::write(&input, doc.to_string()).unwrap();
    let o = mishu(dir.path(), None, &["render", input.to_str().unwrap(), "-o", out.to_str().unwrap()], &[]);
    assert_eq!(o.code, 0, "{}", o.all());
    assert_eq!(pdf_pages(&out), pdf_pages(&sample));

    // A wrong field is named, exit 2, nothing written.
    doc["body"][1]["level"] = serde_json::json!("one");
    std::fs::write(&input, doc.to_string()).unwrap();
    let bad = dir.path().join("bad.pdf");
    let o = mishu(dir.path(), None, &["render", input.to_str().unwrap(), "-o", bad.to_str().unwrap()], &[]);
    assert_eq!(o.code, 2, "{}", o.all());
    // serde reads an internally tagged block through a buffer, so the path stops at the
    // block (`body[1]`); the message names the wrong type.
    assert!(o.stderr.contains("field `body[1]`") && o.stderr.contains("expected u8"), "{}", o.all());
    assert!(!bad.exists());
    let o = mishu(
        dir.path(),
        None,
        &["render", input.to_str().unwrap().trim_end_matches(".json"), "-o", bad.to_str().unwrap()],
        &[],
    );
    assert_eq!(o.code, 2, "a missing file is a clear error\n{}", o.all());
    assert!(o.stderr.contains("cannot read"), "{}", o.all());
}

/// `mishu seal verify` on an outgoing document sealed from the system (issue 6): the demo's
/// 纪要 is named on an application by a 处长 on its route, signed, approved, and sealed by the
/// keeper of the office's electronic seal; the file verifies, and one byte changed does not.
#[tokio::test]
async fn seal_verify_says_a_sealed_outgoing_document_is_intact_and_a_changed_byte_is_not() {
    use mishu_domain::seals::ApplicationAction as A;
    use mishu_domain::{OutgoingId, SealId};
    use mishu_service::seals::{self, NewApplication, esign};
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let o = mishu(&data, None, &["demo"], &[]);
    assert_eq!(o.code, 0, "demo\n{}", o.all());
    let db = open_db(&data, None).await;
    let key = mishu_service::keys::load_or_create_audit_key(&data, None).unwrap();
    let clock = std::sync::Arc::new(mishu_service::clock::SystemClock);
    let s = mishu_service::Services::new(db, clock, key, data.clone());
    async fn one(s: &mishu_service::Services, sql: &str, arg: &str) -> i64 {
        let (id,): (i64,) = s.db.fetch_one(sql, args![arg]).await.expect(sql);
        id
    }
    async fn person(s: &mishu_service::Services, login: &str) -> mishu_domain::access::Actor {
        let id = one(s, "SELECT person_id FROM people WHERE login = $1", login).await;
        mishu_testkit::builders::actor(s, mishu_domain::PersonId(id)).await
    }
    let seal = one(
        &s,
        "SELECT s.seal_id FROM seals s JOIN electronic_seals e ON e.seal_id = s.seal_id WHERE s.name = $1",
        "江北职业技术学院党政办公室",
    )
    .await;
    let doc = one(&s, "SELECT outgoing_id FROM outgoing_documents WHERE title = $1", "院长办公会议纪要").await;
    let (head, leader, keeper) =
        (person(&s, "jwc.chuzhang").await, person(&s, "fyz.jiaoxue").await, person(&s, "yinzhang").await);
    let n = NewApplication {
        seal_id: SealId(seal),
        document_title: String::new(),
        purpose: "报送上级".into(),
        copies: "1".into(),
        outgoing_id: Some(OutgoingId(doc)),
    };
    let id = seals::apply(&s, &head, n, "cli-test").await.unwrap();
    seals::act(&s, &head, id, A::HeadSign, "cli-test").await.unwrap();
    seals::act(&s, &leader, id, A::LeaderApprove, "cli-test").await.unwrap();
    esign::stamp_outgoing(&s, &keeper, id, "cli-test").await.unwrap();
    let (_, signed) = esign::sealed_file(&s, &keeper, id).await.unwrap();
    s.db.close().await;

    let file = dir.path().join("sealed.pdf");
    std::fs::write(&file, &signed).unwrap();
    let out = mishu(&data, None, &["seal", "verify", file.to_str().unwrap()], &[]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains("INTACT") && out.stdout.contains("江北职业技术学院党政办公室"), "{}", out.all());
    let mut forged = signed.clone();
    forged[20] ^= 1;
    std::fs::write(&file, &forged).unwrap();
    let out = mishu(&data, None, &["seal", "verify", file.to_str().unwrap()], &[]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stdout.contains("NOT INTACT") && out.stdout.contains("digest"), "{}", out.all());
}
