//! The printed forms as PDF on each database: the 收文处理单 of a document a leader has
//! instructed, and the 发文稿纸 of a signed and numbered document, read back with poppler's
//! `pdftotext` (an independent reader) in the viewer's language; a missing document is a
//! 404, a person without need to know gets the same 404 (and is audited), one without the
//! right to the route a 403. A classified document prints one numbered copy at a time, with
//! its 份号, attachments and 附注.

mod support;

use mishu_domain::access::Actor;
use mishu_domain::incoming::{IncomingAction, RegistrationInput, SubmissionKind};
use mishu_domain::org::{Clearance, PersonName, Role};
use mishu_domain::outgoing::{DraftInput, OutgoingAction, RecipientInput};
use mishu_domain::{IncomingStepId, OutgoingStepId, PersonId};
use mishu_service::audit::Origin;
use mishu_service::org::{self, NewPerson};
use mishu_service::{Services, incoming, outgoing};
use mishu_testkit::builders;
use support::{Resp, TestApp};

/// A leader with a Chinese name, as printed under an instruction.
async fn leader(s: &Services, login: &str, name: &str) -> Actor {
    let p = NewPerson {
        login: mishu_domain::org::LoginName::parse(login).unwrap(),
        name: PersonName::parse(name).unwrap(),
        department_id: None,
        position: None,
        clearance: Clearance::None,
        admin: None,
        phone: String::new(),
        sort_order: 0,
    };
    let id = org::create_person(s, &Origin::system(), p, &[(Role::Leader, None)]).await.unwrap();
    builders::actor(s, id).await
}

/// The PDF's text as poppler reads it, spaces and line breaks removed (CJK runs are split
/// where the layout breaks lines).
fn pdf_text(r: &Resp, what: &str) -> String {
    assert_eq!(r.status.as_u16(), 200, "{what}: {}", r.text());
    assert_eq!(r.header("content-type"), Some("application/pdf"), "{what}");
    assert!(r.body.starts_with(b"%PDF"), "{what}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("form.pdf");
    std::fs::write(&path, &r.body).unwrap();
    let out = std::process::Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext (poppler-utils)");
    assert!(out.status.success(), "{what}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().replace([' ', '\n', '\u{c}'], "")
}

async fn refusals(app: &TestApp, action: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}'");
    let (n,): (i64,) = app.services.db.fetch_one(&sql, vec![]).await.unwrap();
    n
}

#[tokio::test]
async fn the_incoming_slip_prints_the_instruction_and_who_gave_it() {
    for app in TestApp::all().await {
        let b = app.backend;
        let o = app.org().await;
        let s = &app.services;
        let secretary = builders::actor(s, o.secretary).await;
        let shuji = leader(s, "shuji", "李文华").await;
        let now = app.now();
        let input = RegistrationInput {
            sender_number: "某教发〔2026〕45号".into(),
            copies: 2,
            pages: Some(3),
            due_at: Some(now.plus_hours(24 * 7)),
            ..mishu_testkit::builders::notice("关于做好2027年高等职业院校招生工作的通知", now)
        };
        let reg = incoming::register(s, &secretary, input, "ip").await.unwrap();
        let id = reg.id;
        let propose = IncomingAction::Propose {
            opinion: "拟请李书记阅示。".into(),
            submission: SubmissionKind::ForInstruction,
            leaders: vec![shuji.person_id],
            parallel: false,
        };
        incoming::act(s, &secretary, id, propose, "ip").await.unwrap();
        let v = incoming::get(s, &shuji, id, "ip").await.unwrap();
        let step = IncomingStepId(v.steps.iter().find(|st| st.state == "open").expect("the leader's step").step_id);
        let instruct = IncomingAction::Instruct { step, text: "同意，请招生就业处抓紧落实。".into() };
        incoming::act(s, &shuji, id, instruct, "ip").await.unwrap();

        let mut sec = app.client();
        sec.sign_in("secretary").await;
        let page = format!("/incoming/{id}");
        assert!(sec.get(&page).await.text().contains(&format!("{page}/slip.pdf")), "{b}: linked from the document");
        assert!(sec.get(&format!("{page}/slip")).await.text().contains("slip-pdf-link"), "{b}: and from the slip");
        let r = sec.get(&format!("{page}/slip.pdf")).await;
        let text = pdf_text(&r, b);
        let reg_line = format!("收文编号：{}", reg.reg_no());
        for want in [
            "收文处理单",
            reg_line.as_str(),
            "某省教育厅",
            "某教发〔2026〕45号",
            "关于做好2027年高等职业院校招生工作的通知",
            "拟办意见",
            "拟请李书记阅示。",
            "领导批示",
            "同意，请招生就业处抓紧落实。",
            "李文华",
            "办理时限",
        ] {
            assert!(text.contains(want), "{b}: {want} printed in:\n{text}");
        }
        assert!(!text.contains("??"), "{b}: every label is in the catalogue:\n{text}");

        // In the viewer's language.
        assert_eq!(sec.post_form("/locale", &[("lang", "en")]).await.status, 303, "{b}");
        let text = pdf_text(&sec.get(&format!("{page}/slip.pdf")).await, b);
        assert!(text.contains("Handlingslip") && text.contains("李文华"), "{b}: English labels:\n{text}");
        assert!(!text.contains("收文处理单") && !text.contains("??"), "{b}:\n{text}");

        // Missing, not on the route (audited, answered like missing), not a business user.
        assert_eq!(sec.get("/incoming/999999/slip.pdf").await.status, 404, "{b}");
        let before = refusals(&app, "incoming.access_refused").await;
        let mut outsider = app.client();
        outsider.sign_in("other.handler").await;
        assert_eq!(outsider.get(&format!("{page}/slip.pdf")).await.status, 404, "{b}: no need to know");
        assert_eq!(refusals(&app, "incoming.access_refused").await, before + 1, "{b}: the refusal is audited");
        let mut admin = app.client();
        admin.sign_in("sysadmin").await;
        assert_eq!(
            admin.get(&format!("{page}/slip.pdf")).await.status,
            403,
            "{b}: administrators have no business rights"
        );
        assert!(refusals(&app, "incoming.printed").await >= 2, "{b}: prints are audited");
    }
}

#[tokio::test]
async fn the_drafting_sheet_prints_every_signature() {
    for app in TestApp::all().await {
        let b = app.backend;
        let o = app.org().await;
        let s = &app.services;
        let head = app.person("jwc.head", Some(o.other), &[Role::DepartmentHead]).await;
        let yuanzhang = leader(s, "yuanzhang", "王振国").await;
        let actor = |p: PersonId| builders::actor(s, p);
        let (drafter, secretary, head) = (actor(o.handler).await, actor(o.secretary).await, actor(head).await);
        let draft = DraftInput {
            title: "关于做好2027年元旦春节期间有关工作的通知".into(),
            doc_type: "通知".into(),
            prefix: "江职院发".into(),
            signer: Some(yuanzhang.person_id),
            countersigners: vec![head.person_id],
            recipients: vec![
                RecipientInput::new("main", "department", o.other),
                RecipientInput::new("copy", "external", "某省教育厅"),
            ],
            copies: Some(30),
            ..DraftInput::default()
        };
        let id = outgoing::create(s, &drafter, draft, "ip").await.unwrap();
        outgoing::add_version(s, &drafter, id, "各部门：\n一、值班安排\n请于12月25日前报送值班表。", "初稿", "ip")
            .await
            .unwrap();
        outgoing::act(s, &drafter, id, OutgoingAction::Submit, "ip").await.unwrap();
        let check = OutgoingAction::Check { pass: true, opinion: "格式规范".into() };
        outgoing::act(s, &secretary, id, check, "ip").await.unwrap();

        let mut sec = app.client();
        sec.sign_in("secretary").await;
        let sheet = format!("/outgoing/{id}/draft-sheet.pdf");
        let text = pdf_text(&sec.get(&sheet).await, b);
        assert!(text.contains("尚未编号") && text.contains("格式规范"), "{b}: before the number:\n{text}");

        let v = outgoing::get(s, &head, id, "ip").await.unwrap();
        let step =
            OutgoingStepId(v.steps.iter().find(|st| st.kind == "countersign" && st.state == "open").unwrap().step_id);
        let agree = OutgoingAction::Countersign { step, agree: true, opinion: "经费由教务处保障".into() };
        outgoing::act(s, &head, id, agree, "ip").await.unwrap();
        let sign = OutgoingAction::Sign { approve: true, opinion: "同意印发".into() };
        outgoing::act(s, &yuanzhang, id, sign, "ip").await.unwrap();
        outgoing::act(s, &secretary, id, OutgoingAction::Register, "ip").await.unwrap();

        assert!(sec.get(&format!("/outgoing/{id}")).await.text().contains(&sheet), "{b}: linked from the document");
        let text = pdf_text(&sec.get(&sheet).await, b);
        for want in [
            "发文稿纸",
            "签发",
            "同意印发",
            "王振国",
            "会签",
            "经费由教务处保障",
            "jwc.head",
            "核稿",
            "格式规范",
            "江职院发〔2026〕1号",
            "关于做好2027年元旦春节期间有关工作的通知",
            "教务处",
            "某省教育厅",
            "handler",
            "30",
        ] {
            assert!(text.contains(want), "{b}: {want} printed in:\n{text}");
        }
        assert!(!text.contains("??") && !text.contains("尚未编号"), "{b}:\n{text}");

        assert_eq!(sec.get("/outgoing/999999/draft-sheet.pdf").await.status, 404, "{b}");
        let mut admin = app.client();
        admin.sign_in("sysadmin").await;
        assert_eq!(admin.get(&sheet).await.status, 403, "{b}");
    }
}

/// A 秘密 notice with an attachment and a 附注: the drafter adds them through the page; once
/// numbered, the office prints copy 2 from the copy register, and the PDF carries that 份号,
/// the 附件说明, the attachment's own page and the 附注.
#[tokio::test]
async fn a_classified_copy_prints_its_number_its_attachments_and_its_note() {
    for app in TestApp::all().await {
        let b = app.backend;
        let o = app.org().await;
        let s = &app.services;
        let yuanzhang = leader(s, "yuanzhang", "王振国").await;
        let secret = "UPDATE people SET clearance = 'secret' WHERE login IN ('handler', 'secretary', 'yuanzhang')";
        s.db.execute(secret, vec![]).await.unwrap();
        let actor = |p: PersonId| builders::actor(s, p);
        let (drafter, secretary) = (actor(o.handler).await, actor(o.secretary).await);
        let yuanzhang = actor(yuanzhang.person_id).await;
        let draft = DraftInput {
            title: "关于做好2027年元旦春节期间有关工作的通知".into(),
            doc_type: "通知".into(),
            prefix: "江职院发".into(),
            classification: "secret".into(),
            secrecy_period: "1年".into(),
            signer: Some(yuanzhang.person_id),
            recipients: vec![RecipientInput::new("main", "department", o.other)],
            copies: Some(3),
            ..DraftInput::default()
        };
        let id = outgoing::create(s, &drafter, draft, "ip").await.unwrap();
        outgoing::add_version(s, &drafter, id, "各部门：\n一、值班安排\n请于12月25日前报送值班表。", "初稿", "ip")
            .await
            .unwrap();

        let mut h = app.client();
        h.sign_in("handler").await;
        let page = format!("/outgoing/{id}");
        let nothing = app.unchanged().await;
        let bad = h.post_form(&format!("{page}/attachments"), &[("title", "值班表。"), ("body", "")]).await;
        nothing.refused(&bad, "422 invalid title", "title ending in punctuation").await;
        let r = h
            .post_form(
                &format!("{page}/attachments"),
                &[("title", "元旦春节值班安排表"), ("body", "一、值班时间\n十二月三十一日至一月三日。")],
            )
            .await;
        assert_eq!(r.status, 303, "{b}: {}", r.text());
        let r =
            h.post_form(&format!("{page}/annotation"), &[("annotation", "联系人：张敏，电话：0510-88881234")]).await;
        assert_eq!(r.status, 303, "{b}: {}", r.text());
        let html = h.get(&page).await.text();
        assert!(html.contains("元旦春节值班安排表") && html.contains("（联系人：张敏，电话：0510-88881234）"), "{b}");

        outgoing::act(s, &drafter, id, OutgoingAction::Submit, "ip").await.unwrap();
        let check = OutgoingAction::Check { pass: true, opinion: String::new() };
        outgoing::act(s, &secretary, id, check, "ip").await.unwrap();
        let sign = OutgoingAction::Sign { approve: true, opinion: String::new() };
        outgoing::act(s, &yuanzhang, id, sign, "ip").await.unwrap();
        outgoing::act(s, &secretary, id, OutgoingAction::Register, "ip").await.unwrap();

        let mut sec = app.client();
        sec.sign_in("secretary").await;
        let html = sec.get(&page).await.text();
        assert!(html.contains(&format!("/outgoing/{id}/copies")) && !html.contains("id=\"pdf-link\""), "{b}");
        assert_eq!(sec.get(&format!("{page}/pdf")).await.status, 422, "{b}: no unnumbered print");
        assert_eq!(h.get(&format!("{page}/copies")).await.status, 403, "{b}: the drafter keeps no register");

        let text = pdf_text(&sec.post_form(&format!("{page}/copies/2/print"), &[]).await, b);
        for want in [
            "000002",
            "秘密★1年",
            "附件：元旦春节值班安排表",
            "附件",
            "十二月三十一日至一月三日",
            "（联系人：张敏，电话：0510-88881234）",
            "江职院发〔2026〕1号",
        ] {
            assert!(text.contains(want), "{b}: {want} printed in:\n{text}");
        }
        assert!(!text.contains("000001"), "{b}: only this copy's number:\n{text}");

        let nothing = app.unchanged().await;
        let r = sec.post_form(&format!("{page}/copies/2"), &[("action", "lend")]).await;
        nothing.refused(&r, "400 invalid action", "unknown move").await;
        let r = sec.post_form(&format!("{page}/copies/2"), &[("action", "issue"), ("holder", "教务处")]).await;
        assert_eq!(r.status, 303, "{b}: {}", r.text());
        let html = sec.get(&format!("{page}/copies")).await.text();
        assert!(html.contains("id=\"copy-2\" data-copy-state=\"issued\"") && html.contains("教务处"), "{b}:\n{html}");
        assert!(html.contains("id=\"copy-1\" data-copy-state=\"unprinted\""), "{b}");
    }
}
