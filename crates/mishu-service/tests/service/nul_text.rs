//! T8, NUL (U+0000) in free text: every multi-line field (and the one-line titles next to
//! them) refuses it under the domain's one rule (`mishu_domain::text`), naming the field,
//! before the database sees it — PostgreSQL cannot store NUL in `text`, so a miss shows
//! there as a database error (a 5xx at the edge). Nothing is stored for a refusal: the
//! audit log, which every write appends to, does not move.

use super::meetings::{NEXT_MONDAY, office, person, req};
use mishu_domain::incoming::{IncomingAction as IA, RegistrationInput, SubmissionKind};
use mishu_domain::leader_tasks::LeaderTaskAction as LA;
use mishu_domain::meetings::BookingAction;
use mishu_domain::org::{Clearance, Role};
use mishu_domain::outgoing::{DraftInput, RecipientInput};
use mishu_domain::tasks::Urgency;
use mishu_service::archives::chronicle;
use mishu_service::leader_tasks::{self, NewLeaderTask};
use mishu_service::meetings::{NewMeeting, bookings, meeting};
use mishu_service::{ServiceError, ServiceResult, Services, args, incoming, outgoing};
use mishu_testkit::{TestDb, builders};

const NUL: &str = "第一段\n第二\u{0}段";

async fn audit_len(s: &Services) -> i64 {
    let (n,): (i64,) = s.db.fetch_one("SELECT COUNT(*) FROM audit_log", args![]).await.unwrap();
    n
}

/// Refused as `field: …` by the rules, never by the database, with nothing stored.
async fn refused<T: std::fmt::Debug>(s: &Services, before: i64, field: &str, r: ServiceResult<T>, b: &str) {
    let e = r.expect_err(&format!("{b}: {field} with NUL was accepted"));
    assert!(!matches!(e, ServiceError::Db(_)), "{b}: {field}: the database refused it: {e}");
    assert!(e.to_string().starts_with(&format!("{field}:")), "{b}: {field}: {e}");
    assert_eq!(audit_len(s).await, before, "{b}: {field}: something was stored");
}

#[tokio::test]
async fn nul_in_any_free_text_is_refused_naming_the_field_and_stores_nothing() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let b = t.backend;
        let o = office(&s).await;
        let ban = builders::department(&s, "秘书科", None).await;
        let sec =
            builders::person(&s, "mishu", Some(ban), &[Role::Secretary, Role::Archivist], Clearance::Secret).await;
        let lead = builders::person(&s, "yuanzhang", None, &[Role::Leader], Clearance::Secret).await;
        let (secretary, leader) = (builders::actor(&s, sec).await, builders::actor(&s, lead).await);
        let now = s.clock.now();

        // Leader-assigned tasks: the body, the owner's answer, the leader's return.
        let task = |body: &str| NewLeaderTask {
            title: "核实会议室设备".into(),
            body: body.into(),
            leader_id: leader.person_id,
            owner_id: o.requester.person_id,
            due_at: now.plus_hours(48),
            urgency: Urgency::Normal,
        };
        let n = audit_len(&s).await;
        refused(&s, n, "body", leader_tasks::give(&s, &leader, task(NUL), "ip").await, b).await;
        let id = leader_tasks::give(&s, &leader, task("周五前回复"), "ip").await.unwrap();
        let n = audit_len(&s).await;
        refused(&s, n, "text", leader_tasks::act(&s, &o.requester, id, LA::Answer { text: NUL.into() }, "ip").await, b)
            .await;
        leader_tasks::act(&s, &o.requester, id, LA::Answer { text: "已核实".into() }, "ip").await.unwrap();
        let n = audit_len(&s).await;
        refused(&s, n, "reason", leader_tasks::act(&s, &leader, id, LA::Return { reason: NUL.into() }, "ip").await, b)
            .await;

        // Received documents: the office's opinion and the closing reply.
        let reg = RegistrationInput {
            sender_organ: "市应急管理局".into(),
            sender_number: "应急〔2026〕8号".into(),
            doc_type: "请示".into(),
            pages: Some(2),
            ..mishu_testkit::builders::notice("关于开展冬季消防演练的请示", now)
        };
        let doc = incoming::register(&s, &secretary, reg, "ip").await.unwrap().id;
        let propose = |opinion: &str| IA::Propose {
            opinion: opinion.into(),
            submission: SubmissionKind::ForReading,
            leaders: vec![],
            parallel: false,
        };
        let n = audit_len(&s).await;
        refused(&s, n, "opinion", incoming::act(&s, &secretary, doc, propose(NUL), "ip").await, b).await;
        incoming::act(&s, &secretary, doc, propose("拟办"), "ip").await.unwrap();
        let close = IA::Close { outcome: "已办".into(), reply: NUL.into(), promote: false };
        let n = audit_len(&s).await;
        refused(&s, n, "reply", incoming::act(&s, &secretary, doc, close, "ip").await, b).await;

        // Outgoing drafts: the title, the leader's intent, a version's body and note.
        let draft = |title: &str, intent: &str| DraftInput {
            title: title.into(),
            doc_type: "通知".into(),
            prefix: "江职院发".into(),
            intent: intent.into(),
            signer: Some(leader.person_id),
            recipients: vec![RecipientInput::new("main", "external", "某省教育厅")],
            ..DraftInput::default()
        };
        let n = audit_len(&s).await;
        refused(&s, n, "title", outgoing::create(&s, &secretary, draft("关于\u{0}的通知", ""), "ip").await, b).await;
        refused(&s, n, "intent", outgoing::create(&s, &secretary, draft("关于值班的通知", NUL), "ip").await, b).await;
        let out = outgoing::create(&s, &secretary, draft("关于值班的通知", "按时报送"), "ip").await.unwrap();
        let n = audit_len(&s).await;
        refused(&s, n, "body", outgoing::add_version(&s, &secretary, out, NUL, "", "ip").await, b).await;
        refused(&s, n, "note", outgoing::add_version(&s, &secretary, out, "各部门：", NUL, "ip").await, b).await;

        // Room bookings and meetings: the agenda, a refusal's reason, the minutes.
        let mut r = req(NEXT_MONDAY.plus_hours(9), 60, 20);
        r.content = NUL.into();
        let n = audit_len(&s).await;
        refused(&s, n, "content", bookings::request(&s, &o.requester, o.room2, r, "ip").await, b).await;
        let mut r = req(NEXT_MONDAY.plus_hours(9), 60, 20);
        r.equipment = true;
        let booking = bookings::request(&s, &o.requester, o.room2, r, "ip").await.unwrap();
        let n = audit_len(&s).await;
        let reject = BookingAction::Reject { reason: NUL.into() };
        refused(&s, n, "reason", bookings::act(&s, &o.section_head, booking, reject, "ip").await, b).await;
        let room1 = bookings::request(&s, &o.requester, o.room1, req(NEXT_MONDAY.plus_hours(9), 60, 3), "ip").await;
        let new = NewMeeting {
            booking_id: room1.unwrap(),
            chair_id: person(&o.office_head),
            content: String::new(),
            materials: String::new(),
            attendees: vec![person(&o.other)],
        };
        let m = meeting::create(&s, &o.requester, new, "ip").await.unwrap();
        let n = audit_len(&s).await;
        refused(&s, n, "minutes", meeting::record_minutes(&s, &o.requester, m, NUL, vec![], "ip").await, b).await;

        // The chronicle, typed in by the keeper.
        let n = audit_len(&s).await;
        let typed = chronicle::add(&s, &secretary, "2026-09-01", NUL, "全体院领导", "", "ip").await;
        refused(&s, n, "event", typed, b).await;
    }
}
