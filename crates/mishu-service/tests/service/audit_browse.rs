use chrono::NaiveDate;
use mishu_domain::PersonId;
use mishu_domain::audit::AuditEvent;
use mishu_domain::org::{AdminKind, Clearance, Role};
use mishu_service::audit::{self, AuditFilter, Origin, export};
use mishu_service::{ServiceError, Services};
use mishu_testkit::{TestDb, builders};
use serde_json::json;

const DAY_MINUTES: i64 = 24 * 60;

async fn record(s: &Services, origin: &Origin, action: &str, subject_id: &str) {
    let mut tx = s.db.begin().await.unwrap();
    let ev = AuditEvent::new(action, "thing", Some(subject_id.into()), json!({"note": "含逗号,和\"引号\""}));
    audit::append(&mut tx, &s.audit_key, origin, s.clock.now(), &ev).await.unwrap();
    tx.commit().await.unwrap();
}

fn as_origin(p: PersonId, acting_for: Option<PersonId>) -> Origin {
    Origin { actor_id: Some(p), acting_for, source_ip: "10.0.0.7".into() }
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Two people, three office days (T0 is 2026-11-27 09:00): day 1 zhang acts, day 2 li acts
/// for zhang, day 3 the system.
async fn three_days(s: &Services, clock: &mishu_service::clock::FixedClock) -> (PersonId, PersonId) {
    let zhang = builders::person(s, "zhang.san", None, &[Role::Leader], Clearance::None).await;
    let li = builders::person(s, "li.si", None, &[Role::Secretary], Clearance::None).await;
    record(s, &as_origin(zhang, None), "leader_task.given", "1").await;
    record(s, &as_origin(zhang, None), "leadertask.lookalike", "2").await;
    clock.advance_minutes(DAY_MINUTES);
    record(s, &as_origin(li, Some(zhang)), "leader_task.closed", "a,b \"c\"\nd").await;
    clock.advance_minutes(DAY_MINUTES);
    record(s, &Origin::system(), "task.escalation", "=HYPERLINK(\"x\")").await;
    (zhang, li)
}

#[tokio::test]
async fn named_records_carry_actor_and_acting_for_names_and_filter() {
    for t in TestDb::all().await {
        let (s, clock) = t.services();
        let (zhang, li) = three_days(&s, &clock).await;
        let b = t.backend;

        let all = audit::list_named(&s, &AuditFilter { action_prefix: Some("Leader".into()), ..Default::default() })
            .await
            .unwrap();
        assert_eq!(all.len(), 3, "{b}");
        assert!(all.windows(2).all(|w| w[0].seq > w[1].seq), "{b}: newest first");
        let closed = &all[0];
        assert_eq!(closed.action, "leader_task.closed");
        assert_eq!((closed.actor_id, closed.actor_name.as_deref()), (Some(li.0), Some("li.si")), "{b}");
        assert_eq!((closed.acting_for, closed.acting_for_name.as_deref()), (Some(zhang.0), Some("zhang.san")), "{b}");
        assert_eq!(closed.source_ip, "10.0.0.7");

        // `_` in a prefix is a literal underscore, not a LIKE wildcard, and is not dropped.
        let prefixed =
            audit::list_named(&s, &AuditFilter { action_prefix: Some("leader_task.".into()), ..Default::default() })
                .await
                .unwrap();
        let actions: Vec<_> = prefixed.iter().map(|r| r.action.as_str()).collect();
        assert_eq!(actions, ["leader_task.closed", "leader_task.given"], "{b}");

        let by_li = audit::list_named(&s, &AuditFilter { actor_id: Some(li.0), ..Default::default() }).await.unwrap();
        assert_eq!(by_li.len(), 1, "{b}");

        let second_day = AuditFilter {
            from: Some(audit::office_day_start(day("2026-11-28"))),
            to: Some(audit::office_day_start(day("2026-11-29"))),
            ..Default::default()
        };
        let on_28 = audit::list_named(&s, &second_day).await.unwrap();
        assert_eq!(on_28.iter().map(|r| r.action.as_str()).collect::<Vec<_>>(), ["leader_task.closed"], "{b}");

        let system = audit::list_named(&s, &AuditFilter { action_prefix: Some("task.".into()), ..Default::default() })
            .await
            .unwrap();
        assert_eq!((system[0].actor_id, system[0].actor_name.as_deref()), (None, None), "{b}");

        let page =
            audit::list_named(&s, &AuditFilter { limit: Some(2), before_seq: Some(closed.seq), ..Default::default() })
                .await
                .unwrap();
        assert!(page.iter().all(|r| r.seq < closed.seq) && page.len() == 2, "{b}: paging by before_seq");
    }
}

fn parse_csv(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes).unwrap();
    let body = text.strip_prefix('\u{feff}').expect("starts with a UTF-8 BOM");
    let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(body.as_bytes());
    r.records().map(|rec| rec.unwrap().iter().map(str::to_string).collect()).collect()
}

#[tokio::test]
async fn csv_export_escapes_filters_and_is_itself_audited() {
    for t in TestDb::all().await {
        let (s, clock) = t.services();
        let (zhang, li) = three_days(&s, &clock).await;
        let b = t.backend;
        let auditor = builders::admin(&s, "shenji", AdminKind::Audit).await;
        let me = as_origin(auditor, None);

        let ex = export::begin(&s, &me, &AuditFilter::default(), &export::COLUMNS).await.unwrap();
        let rows_announced = ex.rows;
        let bytes = ex.collect(&s).await.unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{b}: BOM");
        assert!(std::str::from_utf8(&bytes).unwrap().contains("\r\n"), "CRLF rows");
        let rows = parse_csv(&bytes);
        assert_eq!(rows[0], export::COLUMNS.map(str::to_string).to_vec(), "{b}: header");
        assert_eq!(rows.len() as i64 - 1, rows_announced, "{b}: the count recorded is the count written");

        let closed = rows.iter().find(|r| r[7] == "leader_task.closed").expect("closed row");
        assert_eq!(closed[9], "a,b \"c\"\nd", "{b}: comma, quotes and newline survive the round trip");
        assert_eq!((closed[3].as_str(), closed[5].as_str()), ("li.si", "zhang.san"));
        assert_eq!(closed[1], "2026-11-28 09:00:00", "{b}: office time to the second");
        assert!(closed[10].contains("含逗号,和\\\"引号\\\""), "{b}: detail JSON kept: {}", closed[10]);
        let formula = rows.iter().find(|r| r[7] == "task.escalation").unwrap();
        assert_eq!(formula[9], "'=HYPERLINK(\"x\")", "{b}: a formula is shown as text");

        // The export recorded itself, with the filter and the count, and is not in its own file.
        let last = audit::list_named(&s, &AuditFilter { limit: Some(1), ..Default::default() }).await.unwrap();
        assert_eq!(last[0].action, "audit.exported", "{b}");
        let detail: serde_json::Value = serde_json::from_str(&last[0].detail).unwrap();
        assert_eq!(detail["rows"], json!(rows_announced), "{b}");
        assert_eq!(last[0].actor_id, Some(auditor.0));
        assert!(!rows.iter().any(|r| r[7] == "audit.exported"), "{b}");

        // By actor, and by office dates (to is exclusive: the day after the last wanted).
        let f = AuditFilter {
            actor_id: Some(zhang.0),
            from: Some(audit::office_day_start(day("2026-11-27"))),
            to: Some(audit::office_day_start(day("2026-11-28"))),
            ..Default::default()
        };
        let rows = parse_csv(&export::begin(&s, &me, &f, &export::COLUMNS).await.unwrap().collect(&s).await.unwrap());
        let actions: Vec<_> = rows[1..].iter().map(|r| r[7].as_str()).collect();
        assert_eq!(actions, ["leadertask.lookalike", "leader_task.given"], "{b}");
        let f = AuditFilter {
            actor_id: Some(li.0),
            from: Some(audit::office_day_start(day("2026-11-29"))),
            ..Default::default()
        };
        let rows = parse_csv(&export::begin(&s, &me, &f, &export::COLUMNS).await.unwrap().collect(&s).await.unwrap());
        assert_eq!(rows.len(), 1, "{b}: header only");

        assert!(export::begin(&s, &me, &f, &["seq"]).await.is_err(), "a short header is refused");
        assert!(audit::verify(&s).await.unwrap().ok(), "{b}");
    }
}

#[tokio::test]
async fn browsing_verifying_and_retention_are_audited() {
    for t in TestDb::all().await {
        let (s, clock) = t.services();
        let b = t.backend;
        let auditor = builders::admin(&s, "shenji", AdminKind::Audit).await;
        let me = as_origin(auditor, None);
        let seen = audit::browse(&s, &me, &AuditFilter { action_prefix: Some("org.".into()), ..Default::default() })
            .await
            .unwrap();
        assert!(seen.iter().all(|r| r.action.starts_with("org.")) && !seen.is_empty(), "{b}");
        let report = audit::verify_as(&s, &me).await.unwrap();
        assert!(report.ok(), "{b}");

        let err = audit::set_retention(&s, &me, 30).await.unwrap_err();
        assert!(matches!(err, ServiceError::Invalid { field: "audit_retention_days", .. }), "{b}: {err}");
        let err = audit::set_retention(&s, &me, 1_000_000_000_000).await.unwrap_err();
        assert!(matches!(err, ServiceError::Invalid { field: "audit_retention_days", .. }), "{b}: {err}");
        assert_eq!(mishu_service::settings::audit_retention_days(&s.db).await.unwrap(), 190, "{b}: nothing changed");
        audit::set_retention(&s, &me, 400).await.unwrap();
        assert_eq!(mishu_service::settings::audit_retention_days(&s.db).await.unwrap(), 400);

        let mine =
            audit::list_named(&s, &AuditFilter { actor_id: Some(auditor.0), ..Default::default() }).await.unwrap();
        let actions: Vec<_> = mine.iter().map(|r| r.action.as_str()).collect();
        assert_eq!(actions, ["audit.retention_set", "audit.verified", "audit.viewed"], "{b}");
        let detail: serde_json::Value = serde_json::from_str(&mine[0].detail).unwrap();
        assert_eq!((detail["from"].as_i64(), detail["to"].as_i64()), (Some(190), Some(400)));

        assert_eq!(audit::purge_due(&s).await.unwrap(), 0, "{b}");
        clock.advance_minutes(401 * DAY_MINUTES);
        record(&s, &me, "test.recent", "1").await;
        let due = audit::purge_due(&s).await.unwrap();
        assert!(due > 3, "{b}: {due}");
        assert_eq!(audit::purge(&s, &me).await.unwrap() as i64, due, "{b}: the preview matches the purge");
    }
}
