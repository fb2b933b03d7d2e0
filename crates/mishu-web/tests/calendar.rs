//! 我的日程 over HTTP: the week and day pages show a person's own meetings and nobody
//! else's; one meeting downloads as an `.ics` attachment; the private feed answers its
//! token without a session, refuses a wrong or rotated one with 404, follows a move and a
//! cancellation; the QR code leads to a check-in page that changes nothing until its
//! button is pressed.

mod support;

use axum::http::StatusCode;
use mishu_domain::Timestamp;
use mishu_service::audit::Origin;
use mishu_service::meetings::{NewRoom, rooms};
use mishu_web::WebConfig;
use support::{Client, TestApp};

async fn room(app: &TestApp) -> String {
    let n = NewRoom {
        name: "第一会议室".into(),
        location: "行政楼三楼".into(),
        capacity: 10,
        equipment: String::new(),
        equipment_needs_approval: false,
        managed_by: None,
    };
    rooms::create_room(&app.services, &Origin::system(), n).await.unwrap().0.to_string()
}

/// The handler books Monday 09:00–10:00 and announces a meeting chaired by the leader with
/// the other department's handler attending; returns (booking, meeting).
async fn meeting(app: &TestApp, h: &mut Client<'_>, room: &str, leader: &str, attendee: &str) -> (String, String) {
    let r = h
        .post_form(
            "/rooms/bookings",
            &[
                ("room_id", room),
                ("title", "教学工作例会"),
                ("kind", "organ_wide"),
                ("chair", "分管副院长"),
                ("content", "期末安排"),
                ("starts_at", "2026-11-30T09:00"),
                ("ends_at", "2026-11-30T10:00"),
                ("attendees", "8"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}: {}", app.backend, r.text());
    let booking = r.location().unwrap().rsplit('/').next().unwrap().to_string();
    let r = h
        .post_form(
            &format!("/rooms/bookings/{booking}/meeting"),
            &[("chair_id", leader), ("attendee", attendee), ("content", "议程：一、期末, 二; 安排")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}: {}", app.backend, r.text());
    (booking, r.location().unwrap().rsplit('/').next().unwrap().to_string())
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("{start} in {text}")) + start.len();
    &text[from..from + text[from..].find(end).unwrap()]
}

/// Makes or rotates the signed-in person's feed; returns its path (`/calendar/….ics`).
async fn rotate(app: &TestApp, c: &mut Client<'_>) -> String {
    let r = c.post_form("/my-calendar/feed", &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.text());
    let url = between(&r.text(), "id=\"feed-url\">", "</p>").to_string();
    assert!(url.starts_with("http://"), "{url}");
    url[url.find("/calendar/").unwrap()..].to_string()
}

#[tokio::test]
async fn my_calendar_the_ics_download_and_the_private_feed() {
    for app in TestApp::all().await {
        let b = app.backend;
        let org = app.org().await;
        let r1 = room(&app).await;
        let mut h = app.client();
        h.sign_in("handler").await;
        let (leader, other) = (org.leader.0.to_string(), org.other_handler.0.to_string());
        let (booking, m) = meeting(&app, &mut h, &r1, &leader, &other).await;

        let mut o = app.client();
        o.sign_in("other.handler").await;
        let mut sec = app.client();
        sec.sign_in("secretary").await;
        let before = app.state_digest().await;
        let week = o.get("/my-calendar?week=2026-11-30").await;
        assert_eq!(week.status, StatusCode::OK, "{b}: {}", week.text());
        assert!(week.text().contains(&format!("data-entry=\"meeting-{m}\"")), "{b}: {}", week.text());
        assert!(week.text().contains("<td class=\"when\">09:00–10:00</td>"), "{b}: hours on the day");
        assert!(o.get("/my-calendar?day=2026-11-30").await.text().contains("教学工作例会"), "{b}: the day view");
        assert!(!o.get("/my-calendar?day=2026-12-01").await.text().contains("教学工作例会"), "{b}: another day");
        for bad in ["30.11.", "262143-12-31", "0001-01-01"] {
            o.get(&format!("/my-calendar?day={bad}")).await.assert_error(400, "invalid", bad);
        }
        // The requester sees it once, as the meeting held in the booking, not twice.
        let mine = h.get("/my-calendar?week=2026-11-30").await.text();
        assert_eq!(mine.matches("data-entry=").count(), 1, "{b}: {mine}");
        assert!(mine.contains(&format!("data-entry=\"meeting-{m}\"")), "{b}");
        // Nobody else's meetings: the secretary is not invited.
        let theirs = sec.get("/my-calendar?week=2026-11-30").await.text();
        assert!(!theirs.contains("教学工作例会") && !theirs.contains("data-entry="), "{b}: {theirs}");

        let ics = o.get(&format!("/meetings/{m}/ics")).await;
        assert_eq!(ics.status, StatusCode::OK, "{b}");
        assert_eq!(ics.header("content-type"), Some("text/calendar; charset=utf-8"));
        assert_eq!(
            ics.header("content-disposition"),
            Some(format!("attachment; filename=\"meeting-{m}.ics\"").as_str())
        );
        let text = ics.text();
        for want in [
            format!("UID:meeting-{m}@mishu"),
            "DTSTART:20261130T010000Z".into(),
            "DTEND:20261130T020000Z".into(),
            "SUMMARY:教学工作例会".into(),
            "LOCATION:第一会议室".into(),
            "DESCRIPTION:议程：一、期末\\, 二\\; 安排".into(),
            "STATUS:CONFIRMED".into(),
        ] {
            assert!(text.contains(&format!("\r\n{want}\r\n")), "{b}: {want} in {text}");
        }
        assert_eq!(app.state_digest().await, before, "{b}: the pages and the download change nothing");

        // The feed: made on one's own page, audited, answered without a session.
        let audit = app.audit_count().await;
        let feed = rotate(&app, &mut o).await;
        assert_eq!(app.audit_count().await, audit + 1, "{b}: making the feed is audited");
        let mut anon = app.client();
        let r = anon.get(&feed).await;
        assert_eq!(r.status, StatusCode::OK, "{b}: {}", r.text());
        assert_eq!(r.header("content-type"), Some("text/calendar; charset=utf-8"));
        assert!(r.header("content-disposition").is_some_and(|d| d.starts_with("attachment")));
        let text = r.text();
        assert!(text.contains(&format!("\r\nUID:meeting-{m}@mishu\r\n")), "{b}: {text}");
        let stored: Vec<(String,)> =
            app.services.db.fetch_all("SELECT token_hash FROM calendar_feeds", vec![]).await.unwrap();
        let token = feed.trim_start_matches("/calendar/").trim_end_matches(".ics");
        assert!(stored.iter().all(|(h,)| h != token), "{b}: only a digest of the token is stored");

        for wrong in [format!("/calendar/{}.ics", "0".repeat(64)), "/calendar/abc.ics".into(), feed.replace(".ics", "")]
        {
            assert_eq!(anon.get(&wrong).await.status, StatusCode::NOT_FOUND, "{b}: {wrong}");
        }
        let rotated = rotate(&app, &mut o).await;
        assert_ne!(rotated, feed);
        assert_eq!(anon.get(&feed).await.status, StatusCode::NOT_FOUND, "{b}: a rotated token");
        assert_eq!(anon.get(&rotated).await.status, StatusCode::OK, "{b}: the new token");
        let actions: Vec<(String,)> = app
            .services
            .db
            .fetch_all("SELECT action FROM audit_log WHERE action LIKE 'calendar_feed.%' ORDER BY seq", vec![])
            .await
            .unwrap();
        let actions: Vec<&str> = actions.iter().map(|(a,)| a.as_str()).collect();
        assert_eq!(actions, ["calendar_feed.created", "calendar_feed.rotated"], "{b}");
        // The secretary's own feed carries nothing of a meeting she is not at.
        let hers = rotate(&app, &mut sec).await;
        let text = anon.get(&hers).await.text();
        assert!(text.contains("BEGIN:VCALENDAR") && !text.contains("VEVENT") && !text.contains("教学工作例会"), "{b}");

        // A move raises the SEQUENCE and a cancellation says CANCELLED, so calendars follow.
        let seq = |t: &str| between(t, "\r\nSEQUENCE:", "\r\n").parse::<i64>().unwrap();
        let first = seq(&anon.get(&rotated).await.text());
        let r = h
            .post_form(
                &format!("/rooms/bookings/{booking}/move"),
                &[("starts_at", "2026-11-30T14:00"), ("ends_at", "2026-11-30T15:00")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.text());
        let moved = anon.get(&rotated).await.text();
        assert!(moved.contains("\r\nDTSTART:20261130T060000Z\r\n"), "{b}: {moved}");
        assert!(seq(&moved) > first, "{b}: {moved}");
        let r = h.post_form(&format!("/rooms/bookings/{booking}/cancel"), &[("reason", "改期另定")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.text());
        let cancelled = anon.get(&rotated).await.text();
        assert!(cancelled.contains("\r\nSTATUS:CANCELLED\r\n") && seq(&cancelled) > seq(&moved), "{b}: {cancelled}");
    }
}

#[tokio::test]
async fn the_qr_code_leads_to_a_check_in_page_that_changes_nothing_until_pressed() {
    for app in TestApp::all().await {
        let b = app.backend;
        let org = app.org().await;
        let r1 = room(&app).await;
        let mut h = app.client();
        h.sign_in("handler").await;
        let (leader, other) = (org.leader.0.to_string(), org.other_handler.0.to_string());
        let (_, m) = meeting(&app, &mut h, &r1, &leader, &other).await;

        let page = h.get(&format!("/meetings/{m}")).await.text();
        assert!(page.contains("src=\"data:image/svg+xml;base64,"), "{b}: the organiser sees the QR code");
        assert!(page.contains(&format!("/meetings/{m}/check-in</p>")), "{b}: {page}");
        let mut o = app.client();
        o.sign_in("other.handler").await;
        assert!(!o.get(&format!("/meetings/{m}")).await.text().contains("data:image/svg"), "{b}: not for attendees");

        let checked = |app: &TestApp| {
            let db = app.services.db.clone();
            async move {
                let (n,): (i64,) = db
                    .fetch_one("SELECT COUNT(*) FROM meeting_attendees WHERE checked_in_at IS NOT NULL", vec![])
                    .await
                    .unwrap();
                n
            }
        };
        let early = o.get(&format!("/meetings/{m}/check-in")).await;
        assert_eq!(early.status, StatusCode::OK, "{b}");
        assert!(early.text().contains("id=\"check-in-closed\""), "{b}: before the hour ahead");
        // Monday 08:50, ten minutes before the start (signed in afresh: three idle days end a
        // session): the button shows, and showing it changes nothing.
        app.clock.set(Timestamp(app.now().0 + 3 * 24 * 3_600_000 - 10 * 60_000));
        let mut o = app.client();
        o.sign_in("other.handler").await;
        let mut sec = app.client();
        sec.sign_in("secretary").await;
        let before = app.state_digest().await;
        let open = o.get(&format!("/meetings/{m}/check-in")).await.text();
        assert!(open.contains("id=\"check-in-button\""), "{b}: {open}");
        assert!(sec.get(&format!("/meetings/{m}/check-in")).await.text().contains("id=\"not-attendee\""), "{b}");
        assert_eq!(app.state_digest().await, before, "{b}: GET changed something");
        assert_eq!(checked(&app).await, 0, "{b}");

        let me = org.other_handler.0.to_string();
        let r = o.post_form(&format!("/meetings/{m}/check-in"), &[("person_id", &me), ("from", "page")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.text());
        assert_eq!(r.location(), Some(format!("/meetings/{m}/check-in").as_str()));
        assert_eq!(checked(&app).await, 1, "{b}");
        assert!(o.get(&format!("/meetings/{m}/check-in")).await.text().contains("id=\"checked-in\""), "{b}");
    }
}

#[tokio::test]
async fn a_configured_public_address_is_what_the_qr_code_and_the_feed_carry() {
    let public = mishu_web::PublicUrl::parse("https://oa.jbvtc.edu.cn/").unwrap();
    let config = WebConfig { public_url: Some(public), ..TestApp::test_config() };
    for app in TestApp::all_with(config).await {
        let b = app.backend;
        let org = app.org().await;
        let r1 = room(&app).await;
        let mut h = app.client();
        h.sign_in("handler").await;
        let (leader, other) = (org.leader.0.to_string(), org.other_handler.0.to_string());
        let (_, m) = meeting(&app, &mut h, &r1, &leader, &other).await;
        // The request comes to whatever host the proxy forwards; the page names the public one.
        let page = h.get(&format!("/meetings/{m}")).await.text();
        assert!(page.contains(&format!("https://oa.jbvtc.edu.cn/meetings/{m}/check-in</p>")), "{b}: {page}");
        let r = h.post_form("/my-calendar/feed", &[]).await;
        let url = between(&r.text(), "id=\"feed-url\">", "</p>").to_string();
        assert!(url.starts_with("https://oa.jbvtc.edu.cn/calendar/"), "{b}: {url}");
    }
}
