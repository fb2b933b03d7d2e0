//! The audit administrator's pages over HTTP, in process: only the audit administrator gets
//! in; sign-ins show in the log; the CSV export; retention under 190 days refused; a record
//! edited in the database is reported by verify.

mod browser;

use axum::Router;
use axum::http::{StatusCode, header};
use browser::Browser;
use mishu_domain::PersonId;
use mishu_domain::org::AdminKind;
use mishu_service::audit::{self, AuditFilter, Origin};
use mishu_service::{Services, args, auth, settings};
use mishu_testkit::TestDb;
use mishu_testkit::builders::{self, GOOD_PASSWORD};
use mishu_web::WebConfig;

async fn with_password(s: &Services, id: PersonId) {
    auth::set_password(s, &Origin::system(), id, GOOD_PASSWORD, false).await.unwrap();
}

/// An audit administrator and a system administrator, both signed in.
async fn setup(s: &Services) -> (Router, Browser, Browser, PersonId) {
    let auditor = builders::admin(s, "shenji", AdminKind::Audit).await;
    let sysadmin = builders::admin(s, "xitong", AdminKind::System).await;
    with_password(s, auditor).await;
    with_password(s, sysadmin).await;
    let app = mishu_web::app(s.clone(), WebConfig { secure_cookies: false, ..Default::default() });
    let sys = Browser::sign_in(&app, "xitong").await;
    let aud = Browser::sign_in(&app, "shenji").await;
    (app, aud, sys, sysadmin)
}

#[tokio::test]
async fn only_the_audit_administrator_browses_and_sign_ins_are_there() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let b = t.backend;
        let (_, aud, sys, sysadmin) = setup(&s).await;

        assert_eq!(sys.get("/admin/audit").await.status, StatusCode::FORBIDDEN, "{b}: the system administrator");
        assert_eq!(sys.get("/admin/audit/export.csv").await.status, StatusCode::FORBIDDEN, "{b}");
        assert_eq!(sys.post("/admin/audit/verify", &[]).await.status, StatusCode::FORBIDDEN, "{b}");

        let home = aud.get("/").await;
        assert_eq!(home.header(header::LOCATION), "/admin/audit", "{b}: the audit administrator's home");

        let page = aud.get("/admin/audit").await;
        assert_eq!(page.status, StatusCode::OK, "{b}: {}", page.text());
        let html = page.text();
        assert!(html.contains("<code>auth.login</code>"), "{b}: sign-ins are listed");
        assert!(
            html.contains(mishu_web::i18n::t(mishu_web::i18n::Locale::ZhCn, "audit_action.auth_login")),
            "{b}: with their label"
        );
        assert!(html.contains("<td>xitong</td>"), "{b}: the actor's name, not a number");

        // Filtered to the system administrator's sign-ins: the auditor's own sign-in is not a row.
        let mine = aud.get(&format!("/admin/audit?actor={}&action=auth.login", sysadmin.0)).await.text();
        assert!(mine.contains("<td>xitong</td>") && !mine.contains("<td>shenji</td>"), "{b}: {mine}");

        let bad = aud.get("/admin/audit?from=2026-13-01").await;
        assert!(bad.status.is_client_error(), "{b}: {}", bad.status);
        assert!(bad.text().contains(r#"<code class="field">from</code>"#), "{b}: names the field");

        // Looking was recorded, with the filter.
        let viewed =
            audit::list_named(&s, &AuditFilter { action_prefix: Some("audit.viewed".into()), ..Default::default() })
                .await
                .unwrap();
        assert_eq!(viewed.len(), 2, "{b}: two successful looks (the refused ones stored nothing)");
        assert!(viewed[0].detail.contains(&format!("\"actor_id\":{}", sysadmin.0)), "{b}: {}", viewed[0].detail);
    }
}

#[tokio::test]
async fn the_csv_export_has_a_header_and_the_rows_and_is_recorded() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let b = t.backend;
        let (_, aud, _, _) = setup(&s).await;
        let res = aud.get("/admin/audit/export.csv?action=auth.login").await;
        assert_eq!(res.status, StatusCode::OK, "{b}: {}", res.text());
        assert!(res.header(header::CONTENT_TYPE).starts_with("text/csv"), "{b}");
        let disposition = res.header(header::CONTENT_DISPOSITION);
        assert!(disposition.starts_with("attachment;") && disposition.contains(".csv"), "{b}: {disposition}");
        assert!(res.body.starts_with(b"\xEF\xBB\xBF"), "{b}: BOM for Excel");
        let text = res.text();
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').trim_end().split("\r\n").collect();
        assert!(lines[0].starts_with("序号,时间,"), "{b}: a translated header: {}", lines[0]);
        assert_eq!(lines.len(), 3, "{b}: header and the two sign-ins: {text}");
        assert!(lines[1..].iter().all(|l| l.contains(",auth.login,")), "{b}");
        assert!(lines[1].contains(",shenji,") && lines[2].contains(",xitong,"), "{b}: newest first, with names");

        let exported = audit::list_named(&s, &AuditFilter { limit: Some(1), ..Default::default() }).await.unwrap();
        assert_eq!(exported[0].action, "audit.exported", "{b}");
        assert!(
            exported[0].detail.contains("\"rows\":2")
                && exported[0].detail.contains("\"action_prefix\":\"auth.login\""),
            "{b}: {}",
            exported[0].detail
        );
    }
}

#[tokio::test]
async fn retention_under_190_days_is_refused_and_changes_nothing() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let b = t.backend;
        let (_, aud, _, _) = setup(&s).await;
        let before = audit::list_named(&s, &AuditFilter::default()).await.unwrap().len();

        for bad in ["30", "abc", ""] {
            let r = aud.post("/admin/audit/retention", &[("audit_retention_days", bad)]).await;
            assert!(r.status.is_client_error(), "{b}: {bad:?} gave {}", r.status);
            assert!(
                r.text().contains(r#"<code class="field">audit_retention_days</code>"#),
                "{b}: {bad:?} names the field"
            );
        }
        assert_eq!(settings::audit_retention_days(&s.db).await.unwrap(), 190, "{b}");
        assert_eq!(
            audit::list_named(&s, &AuditFilter::default()).await.unwrap().len(),
            before,
            "{b}: nothing recorded either"
        );

        let ok = aud.post("/admin/audit/retention", &[("audit_retention_days", "365")]).await;
        assert_eq!(
            (ok.status, ok.header(header::LOCATION).as_str()),
            (StatusCode::SEE_OTHER, "/admin/audit/retention?saved=1"),
            "{b}"
        );
        assert_eq!(settings::audit_retention_days(&s.db).await.unwrap(), 365, "{b}");
        let page = aud.get("/admin/audit/retention?saved=1").await.text();
        assert!(page.contains(r#"name="audit_retention_days" value="365""#), "{b}");

        let purged = aud.post("/admin/audit/purge", &[]).await;
        assert_eq!(purged.header(header::LOCATION), "/admin/audit/retention?removed=0", "{b}: nothing is old enough");
        let actions: Vec<String> = audit::list_named(&s, &AuditFilter { limit: Some(2), ..Default::default() })
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.action)
            .collect();
        assert_eq!(actions, ["audit.purged", "audit.retention_set"], "{b}: both acts recorded");
    }
}

#[tokio::test]
async fn verify_reports_a_record_edited_in_the_database() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let b = t.backend;
        let (_, aud, _, _) = setup(&s).await;
        let clean = aud.post("/admin/audit/verify", &[]).await;
        assert_eq!(clean.status, StatusCode::OK, "{b}: {}", clean.text());
        assert!(clean.text().contains(r#"id="verify-ok""#), "{b}");

        t.db.execute("UPDATE audit_log SET source_ip = $1 WHERE seq = 2", args!["203.0.113.9"]).await.unwrap();
        let broken = aud.post("/admin/audit/verify", &[]).await.text();
        assert!(broken.contains(r#"id="verify-broken""#), "{b}");
        let expected = mishu_web::i18n::tf(mishu_web::i18n::Locale::ZhCn, "audit.break_edited", &[("seq", "2")]);
        assert!(broken.contains(&expected), "{b}: names record 2: {broken}");
        let last = audit::list_named(&s, &AuditFilter { limit: Some(1), ..Default::default() }).await.unwrap();
        assert_eq!(last[0].action, "audit.verified", "{b}");
        assert!(last[0].detail.contains("\"ok\":false"), "{b}: {}", last[0].detail);
    }
}
