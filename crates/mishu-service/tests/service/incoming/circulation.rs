//! Circulation (传阅): per reader must-read / read (when) / not yet, read from the page or the
//! inbox alike, unread copies recalled, only cleared staff, only the office sends.

use super::*;
use mishu_service::incoming::{Circulated, Readers};

async fn to_read(s: &Services, who: &Actor) -> Vec<String> {
    let items = tasks::inbox(s, who, InboxBox::ToRead, 50).await.unwrap();
    items.into_iter().filter(|i| i.task.domain == "incoming_circulation").map(|i| i.task.kind).collect()
}

fn people(ids: &[PersonId]) -> Readers {
    Readers { people: ids.to_vec(), departments: vec![] }
}

fn states(v: &incoming::IncomingView) -> Vec<(String, String)> {
    v.circulation.iter().map(|c| (c.person_name.clone(), c.task_state.clone())).collect()
}

#[tokio::test]
async fn readers_read_and_unread_copies_are_recalled() {
    for t in TestDb::all().await {
        let (s, clock) = t.services();
        let o = office(&s).await;
        let b = t.backend;
        let id = incoming::register(&s, &o.secretary, request(s.clock.now()), "ip").await.unwrap().id;
        assert!(matches!(incoming::get(&s, &o.cwc_handler, id, "ip").await, Err(ServiceError::NotFound)));
        let readers = [o.cwc_handler.person_id, o.jwc_head.person_id, o.cwc_handler.person_id];
        let n = incoming::circulate(&s, &o.secretary, id, &people(&readers), true, "请阅知", "ip").await.unwrap();
        assert_eq!(n.sent, 2, "{b}: a reader named twice gets one copy");
        assert_eq!(to_read(&s, &o.cwc_handler).await, vec!["read"], "{b}");
        assert!(incoming::get(&s, &o.cwc_handler, id, "ip").await.is_ok(), "{b}: a reader may open it");

        clock.advance_minutes(120);
        incoming::mark_circulation_read(&s, &o.cwc_handler, id, "ip").await.unwrap();
        let e = incoming::mark_circulation_read(&s, &o.cwc_handler, id, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Conflict(_)), "{b}: read twice");
        let v = incoming::get(&s, &o.secretary, id, "ip").await.unwrap();
        assert_eq!(states(&v), vec![("cwc.handler".into(), "done".into()), ("jwc.head".into(), "open".into())], "{b}");
        assert_eq!(v.circulation[0].read_at, Some(s.clock.now().0));
        assert!(v.circulation.iter().all(|c| c.must_read && c.sent_by == o.secretary.person_id.0));

        // Only the office recalls or sends; recall withdraws the unread copy and the access.
        let e = incoming::recall_circulation(&s, &o.cwc_handler, id, None, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Forbidden), "{b}: {e}");
        assert_eq!(incoming::recall_circulation(&s, &o.secretary, id, None, "ip").await.unwrap(), 1);
        let v = incoming::get(&s, &o.secretary, id, "ip").await.unwrap();
        assert_eq!(states(&v)[1].1, "cancelled", "{b}");
        assert!(to_read(&s, &o.jwc_head).await.is_empty(), "{b}");
        assert!(incoming::recall_circulation(&s, &o.secretary, id, None, "ip").await.is_err(), "nothing left");
        // Sent again after a recall, the reader gets a new copy.
        assert_eq!(
            incoming::circulate(&s, &o.secretary, id, &people(&[o.jwc_head.person_id]), false, "", "ip").await.unwrap(),
            Circulated { sent: 1, not_cleared: 0 }
        );
    }
}

#[tokio::test]
async fn a_classified_document_circulates_only_to_cleared_staff() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let mut secret = request(s.clock.now());
        (secret.classification, secret.secrecy_period, secret.copy_no) = ("机密".into(), "10年".into(), "0002".into());
        let id = incoming::register(&s, &o.secretary, secret, "ip").await.unwrap().id;
        let e = incoming::circulate(&s, &o.secretary, id, &people(&[o.jwc_head.person_id]), true, "", "ip")
            .await
            .unwrap_err();
        assert!(matches!(e, ServiceError::Invalid { field: "readers", .. }), "{}: {e}", t.backend);
        let e = incoming::circulate(&s, &o.secretary, id, &people(&[]), true, "", "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Invalid { field: "readers", .. }));
        let e =
            incoming::circulate(&s, &o.secretary, id, &people(&[PersonId(999_999)]), true, "", "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Invalid { field: "readers", .. }));
        assert!(incoming::get(&s, &o.secretary, id, "ip").await.unwrap().circulation.is_empty());
        incoming::circulate(&s, &o.secretary, id, &people(&[o.shuji.person_id]), true, "", "ip").await.unwrap();
        assert!(incoming::get(&s, &o.shuji, id, "ip").await.is_ok(), "{}", t.backend);
    }
}

#[tokio::test]
async fn a_whole_department_gets_copies_but_members_not_cleared_are_left_out() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let b = t.backend;
        let handler = builders::person(&s, "jwc.handler", Some(o.jwc), &[Role::Handler], Clearance::None).await;
        let mut secret = request(s.clock.now());
        (secret.classification, secret.secrecy_period, secret.copy_no) = ("秘密".into(), "1年".into(), "0003".into());
        let id = incoming::register(&s, &o.secretary, secret, "ip").await.unwrap().id;
        let whole = |d| Readers { people: vec![], departments: vec![d] };

        let e =
            incoming::circulate(&s, &o.secretary, id, &whole(DepartmentId(999_999)), true, "", "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Invalid { field: "departments", .. }), "{b}: {e}");
        let sent = incoming::circulate(&s, &o.secretary, id, &whole(o.jwc), true, "请阅", "ip").await.unwrap();
        assert_eq!(sent, Circulated { sent: 1, not_cleared: 1 }, "{b}: the handler is below 秘密");
        let v = incoming::get(&s, &o.secretary, id, "ip").await.unwrap();
        assert_eq!(states(&v), vec![("jwc.head".into(), "open".into())], "{b}");
        let handler = builders::actor(&s, handler).await;
        assert!(incoming::get(&s, &handler, id, "ip").await.is_err(), "{b}: left out means no access");

        // Named with his department, a reader who already holds a copy gets no second one.
        let both = Readers { people: vec![o.jwc_head.person_id], departments: vec![o.jwc] };
        let again = incoming::circulate(&s, &o.secretary, id, &both, true, "", "ip").await.unwrap();
        assert_eq!(again.sent, 0, "{b}");
    }
}
