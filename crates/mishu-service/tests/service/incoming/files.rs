//! Attachments: checked by content before anything is stored, durable on disk before the
//! row commits, and read back only through the document's access check.

use super::access::refusals;
use super::*;
use mishu_service::files::Upload;

fn pdf(name: &str) -> Upload {
    Upload { field: "files", filename: name.into(), bytes: b"%PDF-1.7\n%scan\n".to_vec() }
}

fn files_on_disk(s: &Services) -> usize {
    fn walk(p: &std::path::Path) -> usize {
        std::fs::read_dir(p)
            .map_or(0, |d| d.flatten().map(|e| if e.path().is_dir() { walk(&e.path()) } else { 1 }).sum())
    }
    walk(&s.data_dir.join("files"))
}

#[tokio::test]
async fn registration_and_reply_keep_their_files() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let now = s.clock.now();
        let id = incoming::register_with_files(&s, &o.secretary, request(now), vec![pdf("来文扫描件.pdf")], "ip")
            .await
            .unwrap()
            .id;
        let v = incoming::get(&s, &o.secretary, id, "ip").await.unwrap();
        assert_eq!(v.files.len(), 1, "{}", t.backend);
        assert_eq!(v.files[0].filename, "来文扫描件.pdf");
        assert!(v.files[0].storage_key.is_ascii() && !v.files[0].storage_key.contains('.'));
        let (row, bytes) = incoming::files::download(&s, &o.secretary, id, v.files[0].file_id, "ip").await.unwrap();
        assert_eq!((row.kind.as_str(), bytes.as_slice()), ("pdf", b"%PDF-1.7\n%scan\n".as_slice()));

        // Proposed straight to a department, which replies with its own file.
        let propose = A::Propose {
            opinion: "拟请教务处办理。".into(),
            submission: SubmissionKind::ForReading,
            leaders: vec![],
            parallel: false,
        };
        incoming::act(&s, &o.secretary, id, propose, "ip").await.unwrap();
        let assign = incoming::assignments(&s, &[(o.jwc, now.plus_hours(48))]).await.unwrap();
        incoming::act(&s, &o.secretary, id, A::Assign { assignments: assign }, "ip").await.unwrap();
        let step = step_of(&s, &o.secretary, id, &o.jwc_head).await;
        let reply = A::Reply { step, result: "已办理，方案见附件。".into() };
        incoming::act_with_files(&s, &o.jwc_head, id, reply, vec![pdf("办理方案.pdf")], "ip").await.unwrap();
        let v = incoming::get(&s, &o.secretary, id, "ip").await.unwrap();
        assert_eq!(v.files.len(), 2);
        assert_eq!(v.files[1].step_id, Some(step.0), "the reply's file names its step");
        assert_eq!(files_on_disk(&s), 2);
    }
}

#[tokio::test]
async fn a_forged_or_oversized_file_stores_nothing() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let now = s.clock.now();
        let (docs, files) = (count(&s, "incoming_documents").await, count(&s, "incoming_files").await);
        let forged =
            Upload { field: "files", filename: "请示.pdf".into(), bytes: b"<html>not a pdf</html>".to_vec() };
        let mut big = b"%PDF-".to_vec();
        big.resize(mishu_service::files::MAX_FILE_BYTES + 1, b' ');
        let oversized = Upload { field: "files", filename: "大.pdf".into(), bytes: big };
        for bad in [forged, oversized] {
            let e = incoming::register_with_files(&s, &o.secretary, request(now), vec![pdf("ok.pdf"), bad], "ip")
                .await
                .unwrap_err();
            assert!(matches!(e, ServiceError::Invalid { field: "files", .. }), "{}: {e}", t.backend);
        }
        assert_eq!(count(&s, "incoming_documents").await, docs, "{}", t.backend);
        assert_eq!(count(&s, "incoming_files").await, files);
        assert_eq!(files_on_disk(&s), 0, "a good file next to a bad one is not written either");
        // Files only come with a reply.
        let id = incoming::register(&s, &o.secretary, request(now), "ip").await.unwrap().id;
        let close = A::ReturnToSender { reason: "错送".into() };
        let e = incoming::act_with_files(&s, &o.secretary, id, close, vec![pdf("x.pdf")], "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Invalid { field: "files", .. }), "{e}");
    }
}

#[tokio::test]
async fn classified_files_only_for_the_route() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let mut secret = request(s.clock.now());
        (secret.classification, secret.secrecy_period, secret.copy_no) = ("机密".into(), "10年".into(), "0001".into());
        let id = incoming::register_with_files(&s, &o.secretary, secret, vec![pdf("密件.pdf")], "ip").await.unwrap().id;
        let file = incoming::get(&s, &o.secretary, id, "ip").await.unwrap().files[0].file_id;
        let before = refusals(&s).await;
        let e = incoming::files::download(&s, &o.office_head, id, file, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::NotFound), "{}: {e}", t.backend);
        assert_eq!(refusals(&s).await, before + 1, "the refusal is audited");
        assert!(incoming::files::download(&s, &o.secretary, id, file, "ip").await.is_ok());
        let e = incoming::files::download(&s, &o.secretary, id, file + 1000, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::NotFound));
    }
}
