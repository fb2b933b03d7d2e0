//! Need to know for classified documents, and recall and return putting a document back.

use super::*;

#[tokio::test]
async fn classified_documents_are_seen_only_on_the_route() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let now = s.clock.now();
        let mut secret = request(now);
        (secret.classification, secret.secrecy_period, secret.copy_no) = ("机密".into(), "10年".into(), "0003".into());
        let id = incoming::register(&s, &o.secretary, secret, "ip").await.unwrap().id;
        let open_id = incoming::register(&s, &o.secretary, request(now), "ip").await.unwrap().id;

        let refused_before = refusals(&s).await;
        assert!(
            matches!(incoming::get(&s, &o.office_head, id, "ip").await, Err(ServiceError::NotFound)),
            "office-wide but not on the route"
        );
        assert!(
            matches!(incoming::get(&s, &o.shuji, id, "ip").await, Err(ServiceError::NotFound)),
            "not yet on the route"
        );
        assert_eq!(refusals(&s).await, refused_before + 2, "{}: refusals are audited", t.backend);
        assert!(
            incoming::get(&s, &o.office_head, open_id, "ip").await.is_ok(),
            "unclassified: office-wide roles see it"
        );
        assert!(matches!(incoming::get(&s, &o.cwc_handler, open_id, "ip").await, Err(ServiceError::NotFound)));

        let uncleared = A::Propose {
            opinion: "呈阅".into(),
            submission: SubmissionKind::ForReading,
            leaders: vec![o.yuanzhang.person_id],
            parallel: false,
        };
        let e = incoming::act(&s, &o.secretary, id, uncleared, "ip").await.unwrap_err();
        assert!(e.to_string().contains("not cleared"), "{e}");
        let cleared = A::Propose {
            opinion: "呈阅".into(),
            submission: SubmissionKind::ForReading,
            leaders: vec![o.shuji.person_id],
            parallel: false,
        };
        incoming::act(&s, &o.secretary, id, cleared, "ip").await.unwrap();
        assert!(incoming::get(&s, &o.shuji, id, "ip").await.is_ok(), "on the route now");
        let step = step_of(&s, &o.shuji, id, &o.shuji).await;
        let e = incoming::act(&s, &o.office_head, id, A::Recall { step }, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::NotFound), "no acting on what one may not see");

        let seen: Vec<i64> = incoming::list(&s, &o.office_head, &IncomingFilter::default())
            .await
            .unwrap()
            .iter()
            .map(|d| d.incoming_id)
            .collect();
        assert_eq!(seen, vec![open_id.0], "{}", t.backend);
        let shuji_sees = incoming::list(&s, &o.shuji, &IncomingFilter::default()).await.unwrap().len();
        assert_eq!(shuji_sees, 2);
        let secret_tasks = tasks::inbox(&s, &o.shuji, InboxBox::ToRead, 10).await.unwrap();
        assert_eq!(secret_tasks[0].task.classification, "confidential");
    }
}

pub(super) async fn refusals(s: &Services) -> i64 {
    let (n,): (i64,) =
        s.db.fetch_one("SELECT COUNT(*) FROM audit_log WHERE action = 'incoming.access_refused'", args![])
            .await
            .unwrap();
    n
}

#[tokio::test]
async fn recall_and_return_put_the_document_back_with_the_office() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let b = t.backend;
        let now = s.clock.now();
        let id = incoming::register(&s, &o.secretary, request(now), "ip").await.unwrap().id;
        let leaders = vec![o.shuji.person_id, o.yuanzhang.person_id];
        let propose = |leaders: Vec<PersonId>| A::Propose {
            opinion: "拟请阅示".into(),
            submission: SubmissionKind::ForReading,
            leaders,
            parallel: true,
        };
        incoming::act(&s, &o.secretary, id, propose(leaders.clone()), "ip").await.unwrap();

        // Taken back from the leader in charge before he read it: his task is cancelled, not done.
        let step = step_of(&s, &o.secretary, id, &o.shuji).await;
        assert_eq!(incoming::act(&s, &o.secretary, id, A::Recall { step }, "ip").await.unwrap(), S::WithLeaders);
        assert!(
            open_tasks(&s, &o.shuji, InboxBox::ToRead).await.is_empty()
                && open_tasks(&s, &o.shuji, InboxBox::Read).await.is_empty(),
            "{b}"
        );
        assert_eq!(open_tasks(&s, &o.yuanzhang, InboxBox::ToRead).await, vec!["read"], "{b}: the next leader has it");
        let e = incoming::act(&s, &o.secretary, id, A::Recall { step }, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Incoming(IncomingError::StepEnded)));

        // The second leader sends it back: the office proposes again.
        let step = step_of(&s, &o.yuanzhang, id, &o.yuanzhang).await;
        let back = A::ReturnStep { step, reason: "请先征求财务处意见".into() };
        assert_eq!(incoming::act(&s, &o.yuanzhang, id, back, "ip").await.unwrap(), S::Registered);
        assert_eq!(open_tasks(&s, &o.secretary, InboxBox::ToDo).await, vec!["handle"], "{b}");

        incoming::act(&s, &o.secretary, id, propose(vec![o.shuji.person_id]), "ip").await.unwrap();
        let step = step_of(&s, &o.shuji, id, &o.shuji).await;
        assert_eq!(incoming::act(&s, &o.shuji, id, A::MarkRead { step }, "ip").await.unwrap(), S::Instructed);
        let due = s.clock.now().plus_hours(72);
        let assignments = incoming::assignments(&s, &[(o.jwc, due)]).await.unwrap();
        incoming::act(&s, &o.secretary, id, A::Assign { assignments }, "ip").await.unwrap();
        let step = step_of(&s, &o.jwc_head, id, &o.jwc_head).await;
        let not_ours = A::ReturnStep { step, reason: "非我处职责，建议由财务处办理".into() };
        assert_eq!(incoming::act(&s, &o.jwc_head, id, not_ours, "ip").await.unwrap(), S::Instructed, "{b}");
        assert_eq!(open_tasks(&s, &o.secretary, InboxBox::ToDo).await, vec!["handle"], "{b}: the office assigns again");
        let v = incoming::get(&s, &o.secretary, id, "ip").await.unwrap();
        let states: Vec<_> = v.steps.iter().map(|st| st.state.as_str()).collect();
        assert_eq!(states, vec!["recalled", "returned", "done", "returned"], "{b}");
        assert_eq!(v.doc.round, 2);

        let other = incoming::register(&s, &o.secretary, request(now), "ip").await.unwrap().id;
        let e =
            incoming::act(&s, &o.secretary, other, A::ReturnToSender { reason: " ".into() }, "ip").await.unwrap_err();
        assert!(e.to_string().starts_with("reason:"));
        assert_eq!(
            incoming::act(
                &s,
                &o.secretary,
                other,
                A::ReturnToSender { reason: "请示未经本单位负责人签发".into() },
                "ip"
            )
            .await
            .unwrap(),
            S::Returned
        );
        assert_eq!(
            open_tasks(&s, &o.secretary, InboxBox::ToDo).await,
            vec!["handle"],
            "{b}: only the first document still waits"
        );
    }
}

/// The register pages by SQL with the access policy inside the query: every page is full,
/// the count is exact, and each person's list is exactly the documents they may open.
#[tokio::test]
async fn register_pages_hold_exactly_what_each_person_may_open() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let b = t.backend;
        let now = s.clock.now();
        let mut all = Vec::new();
        for i in 0..9 {
            let mut r = request(now);
            r.title = format!("测试分页文件{i}");
            if i % 3 == 0 {
                (r.classification, r.secrecy_period, r.copy_no) = ("秘密".into(), "5年".into(), format!("00{i}"));
            }
            all.push(incoming::register(&s, &o.secretary, r, "ip").await.unwrap().id);
        }
        // Routes: a classified one to the 书记 (a step), an open one circulated to a handler.
        let propose = A::Propose {
            opinion: "呈阅".into(),
            submission: SubmissionKind::ForReading,
            leaders: vec![o.shuji.person_id],
            parallel: false,
        };
        incoming::act(&s, &o.secretary, all[3], propose, "ip").await.unwrap();
        incoming::circulate(
            &s,
            &o.secretary,
            all[1],
            &incoming::Readers { people: vec![o.cwc_handler.person_id], departments: vec![] },
            true,
            "请阅知",
            "ip",
        )
        .await
        .unwrap();

        let people = [&o.secretary, &o.office_head, &o.shuji, &o.yuanzhang, &o.jwc_head, &o.cwc_handler];
        for actor in people {
            let mut may_open = Vec::new();
            for id in &all {
                if incoming::get(&s, actor, *id, "ip").await.is_ok() {
                    may_open.push(id.0);
                }
            }
            let mut paged = Vec::new();
            let mut offset = 0;
            loop {
                let page = incoming::list_page(&s, actor, &IncomingFilter::default(), 2, offset).await.unwrap();
                assert_eq!(page.total, may_open.len() as i64, "{b}: {} count", actor.name);
                assert!(page.items.len() == 2 || page.next_offset.is_none(), "{b}: only the last page is short");
                paged.extend(page.items.iter().map(|d| d.incoming_id));
                match page.next_offset {
                    Some(next) => offset = next,
                    None => break,
                }
            }
            let whole: Vec<i64> = incoming::list(&s, actor, &IncomingFilter::default())
                .await
                .unwrap()
                .iter()
                .map(|d| d.incoming_id)
                .collect();
            assert_eq!(paged, whole, "{b}: {} pages in the list's order", actor.name);
            paged.sort();
            assert_eq!(paged, may_open, "{b}: {} sees exactly what they may open", actor.name);
        }
        // The counts that make the test meaningful: each path of the clause was taken.
        assert_eq!(listed(&s, &o.secretary).await, 9, "{b}: the registering secretary");
        assert_eq!(listed(&s, &o.office_head).await, 6, "{b}: office-wide: the unclassified ones");
        assert_eq!(listed(&s, &o.shuji).await, 7, "{b}: unclassified plus the one on his route");
        assert_eq!(listed(&s, &o.cwc_handler).await, 1, "{b}: a circulation reader");
    }
}

async fn listed(s: &Services, actor: &Actor) -> usize {
    incoming::list(s, actor, &IncomingFilter::default()).await.unwrap().len()
}

/// A page is read in two parts (open documents, then finished ones from the number index);
/// every page size and start must give the one-sort order of the whole register.
#[tokio::test]
async fn pages_across_open_and_finished_documents_keep_the_register_order() {
    for t in TestDb::all().await {
        let (s, clock) = t.services();
        let o = office(&s).await;
        let b = t.backend;
        let now = s.clock.now();
        for i in 0..11_i64 {
            let mut r = request(now);
            r.title = format!("测试排序文件{i}");
            // Deadlines out of registration order, some none, so the open part sorts by deadline.
            r.due_at = if i % 5 == 4 { None } else { Some(now.plus_hours(24 * (1 + (i * 7) % 11))) };
            let id = incoming::register(&s, &o.secretary, r, "ip").await.unwrap().id;
            if i % 3 == 0 {
                let back = A::ReturnToSender { reason: "请示未经本单位负责人签发".into() };
                incoming::act(&s, &o.secretary, id, back, "ip").await.unwrap();
            }
        }
        // Five days on, some open documents are overdue and lead the register.
        clock.advance_minutes(5 * 24 * 60);
        for actor in [&o.secretary, &o.office_head] {
            let whole: Vec<i64> = incoming::list(&s, actor, &IncomingFilter::default())
                .await
                .unwrap()
                .iter()
                .map(|d| d.incoming_id)
                .collect();
            assert_eq!(whole.len(), 11, "{b}");
            let first = incoming::list(&s, actor, &IncomingFilter::default()).await.unwrap();
            assert!(first[0].due_at.is_some_and(|d| d < s.clock.now().0), "{b}: an overdue document first");
            assert!(first.last().is_some_and(|d| d.state == "returned"), "{b}: finished documents last");
            for size in [1, 2, 3, 4, 50] {
                for start in 0..=11 {
                    let page = incoming::list_page(&s, actor, &IncomingFilter::default(), size, start).await.unwrap();
                    let ids: Vec<i64> = page.items.iter().map(|d| d.incoming_id).collect();
                    let want: Vec<i64> = whole.iter().skip(start as usize).take(size as usize).copied().collect();
                    assert_eq!(ids, want, "{b}: {} size {size} from {start}", actor.name);
                    assert_eq!(page.total, 11, "{b}");
                    let more = (start + size) < 11;
                    assert_eq!(page.next_offset, more.then_some(start + size), "{b}: size {size} from {start}");
                }
            }
        }
    }
}
