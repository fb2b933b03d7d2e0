//! Bad input gets a clear error naming the field and changes nothing: unknown 文种, a title
//! too long, recipients missing, a signer who is not a leader, a sign-off by someone without
//! the right, a check passed over lint errors.

use super::*;

async fn footprint(s: &Services) -> Vec<i64> {
    let mut out = Vec::new();
    for table in [
        "outgoing_documents",
        "outgoing_versions",
        "outgoing_steps",
        "outgoing_recipients",
        "outgoing_numbers",
        "tasks",
        "audit_log",
    ] {
        out.push(count(s, table).await);
    }
    let (v,): (i64,) =
        s.db.fetch_one("SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM outgoing_documents", args![])
            .await
            .unwrap();
    out.push(v);
    out
}

#[tokio::test]
async fn bad_drafts_are_refused_naming_the_field() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let before = footprint(&s).await;
        type Edit = fn(&mut DraftInput, &Office);
        let bad: &[(Edit, &str)] = &[
            (|i, _| i.doc_type = "方案".into(), "doc_type"),
            (|i, _| i.title = "关于".repeat(30), "title"),
            (|i, _| i.recipients.retain(|r| r.role != "main"), "recipients"),
            (|i, _| i.recipients.push(RecipientInput::new("main", "department", 999_999)), "recipients"),
            (|i, o| i.signer = Some(o.jwc_head.person_id), "signer"),
            (|i, _| i.signer = None, "signer"),
            (|i, _| i.prefix = "江职院[".into(), "prefix"),
            (|i, _| (i.classification, i.secrecy_period) = ("top_secret".into(), "30年".into()), "classification"),
        ];
        for (edit, field) in bad {
            let mut input = notice(&o);
            edit(&mut input, &o);
            let e = outgoing::create(&s, &o.drafter, input, "ip").await.unwrap_err();
            assert!(e.to_string().starts_with(&format!("{field}:")), "{}: {field}: {e}", t.backend);
        }
        assert_eq!(footprint(&s).await, before, "{}", t.backend);
    }
}

#[tokio::test]
async fn refused_moves_change_nothing() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        let b = t.backend;
        // The check refuses a draft whose title ends in punctuation.
        let mut input = notice(&o);
        input.title = "关于做好元旦春节期间有关工作的通知。".into();
        let id = outgoing::create(&s, &o.drafter, input, "ip").await.unwrap();
        outgoing::add_version(&s, &o.drafter, id, BODY, "", "ip").await.unwrap();
        outgoing::act(&s, &o.drafter, id, A::Submit, "ip").await.unwrap();
        let before = footprint(&s).await;
        let e = outgoing::act(&s, &o.secretary, id, A::Check { pass: true, opinion: String::new() }, "ip")
            .await
            .unwrap_err();
        assert!(e.to_string().contains("title_ends_in_punctuation"), "{b}: {e}");
        // Only the office checks; nobody submits twice.
        assert!(
            outgoing::act(&s, &o.drafter, id, A::Check { pass: true, opinion: String::new() }, "ip").await.is_err()
        );
        assert!(outgoing::act(&s, &o.drafter, id, A::Submit, "ip").await.is_err());
        assert!(
            outgoing::add_version(&s, &o.drafter, id, "改", "", "ip").await.is_err(),
            "no edits while with the office"
        );
        assert_eq!(footprint(&s).await, before, "{b}");

        // Sign-off by someone without the right: another leader, the office, the drafter.
        let id = drafted(&s, &o).await;
        outgoing::act(&s, &o.drafter, id, A::Submit, "ip").await.unwrap();
        outgoing::act(&s, &o.secretary, id, A::Check { pass: true, opinion: String::new() }, "ip").await.unwrap();
        for who in [&o.jwc_head, &o.cwc_head] {
            let step = open_step(&s, who, id, "countersign").await;
            outgoing::act(&s, who, id, A::Countersign { step, agree: true, opinion: String::new() }, "ip")
                .await
                .unwrap();
        }
        let before = footprint(&s).await;
        for who in [&o.shuji, &o.secretary, &o.drafter] {
            let e =
                outgoing::act(&s, who, id, A::Sign { approve: true, opinion: String::new() }, "ip").await.unwrap_err();
            assert!(e.to_string().starts_with("signer:"), "{b}: {}: {e}", who.name);
        }
        // A stranger (not on the route, not office) learns nothing.
        let e = outgoing::act(&s, &o.cwc_handler, id, A::Sign { approve: true, opinion: String::new() }, "ip")
            .await
            .unwrap_err();
        assert!(matches!(e, ServiceError::NotFound), "{b}: {e}");
        // Registering before the sign-off.
        assert!(outgoing::act(&s, &o.secretary, id, A::Register, "ip").await.is_err());
        let after = footprint(&s).await;
        // Only the refusal of the stranger was audited.
        assert_eq!(after[..6], before[..6], "{b}");
        assert_eq!(after[6], before[6] + 1, "{b}");
        assert_eq!(after[7], before[7], "{b}");
    }
}
