//! T6 direct-object probes beyond the T5 matrix: a file, an attachment or an archive file
//! named under another object's address is not found (re-linking by URL), even for a person
//! who may open both objects, and nothing changes. The objects' own addresses answer, so a
//! 404 here means the pairing was checked, not that the route is broken.

mod support;

use mishu_domain::PersonId;
use mishu_domain::access::Actor;
use mishu_domain::incoming::RegistrationInput;
use mishu_domain::outgoing::{DraftInput, RecipientInput};
use mishu_service::files::Upload;
use mishu_service::{Services, args, demo, incoming, org, outgoing};
use support::TestApp;

async fn actor_of(s: &Services, login: &str) -> Actor {
    let (pid,): (i64,) = s.db.fetch_one("SELECT person_id FROM people WHERE login = $1", args![login]).await.unwrap();
    org::load_actor(s, PersonId(pid), None).await.unwrap()
}

async fn count(s: &Services, sql: &str) -> i64 {
    s.db.fetch_one::<(i64,)>(sql, args![]).await.unwrap().0
}

fn registration(s: &Services, title: &str) -> RegistrationInput {
    RegistrationInput {
        sender_organ: "某市教育局".into(),
        pages: Some(1),
        ..mishu_testkit::builders::notice(title, s.clock.now())
    }
}

#[tokio::test]
async fn a_file_or_attachment_under_another_objects_address_is_not_found() {
    for app in TestApp::all().await {
        let b = app.backend;
        let report = demo::load(&app.services).await.expect("the demo organ");
        let s = &app.services;

        // Archive files: the archivist opens every filed item; a file opens only under its own.
        let files: Vec<(i64, i64)> =
            s.db.fetch_all(
                "SELECT item_id, file_id FROM archive_files WHERE storage_key IS NOT NULL ORDER BY 1, 2",
                args![],
            )
            .await
            .unwrap();
        let mut keeper = app.client();
        assert_eq!(keeper.login("dangan", &report.password).await.status.as_u16(), 303, "{b}");
        let mut opened = Vec::new();
        for (item, file) in &files {
            if keeper.get(&format!("/archives/items/{item}/files/{file}")).await.status.as_u16() == 200 {
                opened.push((*item, *file));
            }
        }
        assert!(opened.len() >= 2, "{b}: the archivist opens at least two items' files: {files:?}");
        let mut probes = 0;
        for (item, file) in &opened {
            for (other, _) in opened.iter().filter(|(o, _)| o != item) {
                let r = keeper.get(&format!("/archives/items/{other}/files/{file}")).await;
                assert_eq!(r.status.as_u16(), 404, "{b}: item {item}'s file {file} under item {other}");
                probes += 1;
            }
        }
        assert!(probes >= 2, "{b}");

        // Received documents' scans: the registering secretary reads both documents.
        let secretary = actor_of(s, "mishu").await;
        let mut scans = Vec::new();
        for title in ["关于开展校园安全检查的通知", "关于报送年度统计数据的通知"] {
            let upload = Upload { field: "files", filename: format!("{title}.pdf"), bytes: b"%PDF-1.7 scan".to_vec() };
            let id = incoming::register_with_files(s, &secretary, registration(s, title), vec![upload], "ip")
                .await
                .expect("registered with a scan")
                .id;
            let (file,): (i64,) =
                s.db.fetch_one("SELECT file_id FROM incoming_files WHERE incoming_id = $1", args![id.0]).await.unwrap();
            scans.push((id.0, file));
        }
        let mut c = app.client();
        assert_eq!(c.login("mishu", &report.password).await.status.as_u16(), 303, "{b}");
        let [(a, file_a), (other, file_b)] = [scans[0], scans[1]];
        assert_eq!(c.get(&format!("/incoming/{a}/files/{file_a}")).await.status.as_u16(), 200, "{b}: its own");
        assert_eq!(c.get(&format!("/incoming/{other}/files/{file_a}")).await.status.as_u16(), 404, "{b}: relinked");
        assert_eq!(c.get(&format!("/incoming/{a}/files/{file_b}")).await.status.as_u16(), 404, "{b}: relinked");

        // A draft's attachment cannot be removed through another draft of the same drafter.
        let drafter = actor_of(s, "bwc.keyuan").await;
        let department = drafter.department_id.expect("the drafter's department");
        let mut drafts = Vec::new();
        for title in ["关于调整门禁管理时间的通知", "关于开展消防演练的通知"] {
            let input = DraftInput {
                title: title.into(),
                doc_type: "通知".into(),
                prefix: "江职院发".into(),
                intent: "处长要求：本周内印发。".into(),
                signer: Some(actor_of(s, "yuanzhang").await.person_id),
                recipients: vec![RecipientInput::new("main", "department", department.0)],
                ..DraftInput::default()
            };
            let id = outgoing::create(s, &drafter, input, "ip").await.expect("a draft");
            let att = outgoing::add_attachment(s, &drafter, id, "值班安排表", "一、值班人员", "ip").await.unwrap();
            drafts.push((id.0, att));
        }
        let mut d = app.client();
        assert_eq!(d.login("bwc.keyuan", &report.password).await.status.as_u16(), 303, "{b}");
        let csrf = d.csrf().await;
        let before = count(s, "SELECT COUNT(*) FROM outgoing_attachments").await;
        let audit = app.audit_count().await;
        let [(draft_a, att_a), (draft_b, _)] = [drafts[0], drafts[1]];
        let r = d.post_form(&format!("/outgoing/{draft_b}/attachments/{att_a}/remove"), &[("_csrf", &csrf)]).await;
        assert_eq!(r.status.as_u16(), 404, "{b}: draft {draft_a}'s attachment through draft {draft_b}");
        assert_eq!(count(s, "SELECT COUNT(*) FROM outgoing_attachments").await, before, "{b}: nothing removed");
        assert_eq!(app.audit_count().await, audit, "{b}: nothing recorded");
        let r = d.post_form(&format!("/outgoing/{draft_a}/attachments/{att_a}/remove"), &[("_csrf", &csrf)]).await;
        assert_eq!(r.status.as_u16(), 303, "{b}: under its own draft it goes");
        assert_eq!(count(s, "SELECT COUNT(*) FROM outgoing_attachments").await, before - 1, "{b}");
    }
}
