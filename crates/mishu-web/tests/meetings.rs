//! Rooms and meetings over HTTP: a clashing booking is a 409 naming the slot that is taken
//! and stores nothing, back-to-back bookings both stand, bad input names its field (a
//! change of time too), and approving what does not wait for you is forbidden.

mod support;

use axum::http::StatusCode;
use mishu_domain::org::Role;
use mishu_service::audit::Origin;
use mishu_service::meetings::{NewRoom, rooms};
use serde_json::json;
use support::TestApp;

async fn room(app: &TestApp, name: &str, capacity: i64) -> i64 {
    let n = NewRoom {
        name: name.into(),
        location: "行政楼".into(),
        capacity,
        equipment: "投影".into(),
        equipment_needs_approval: false,
        managed_by: None,
    };
    rooms::create_room(&app.services, &Origin::system(), n).await.unwrap().0
}

fn booking<'a>(room: &'a str, from: &'a str, to: &'a str, attendees: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("room_id", room),
        ("title", "教学工作例会"),
        ("kind", "organ_wide"),
        ("chair", "分管副院长"),
        ("content", "期末安排"),
        ("starts_at", from),
        ("ends_at", to),
        ("attendees", attendees),
    ]
}

#[tokio::test]
async fn a_clash_is_a_409_naming_the_slot_and_back_to_back_bookings_stand() {
    for app in TestApp::all().await {
        let b = app.backend;
        app.org().await;
        let r1 = room(&app, "第一会议室", 10).await.to_string();
        let mut c = app.client();
        c.sign_in("handler").await;
        let r = c.post_form("/rooms/bookings", &booking(&r1, "2026-11-30T09:00", "2026-11-30T10:00", "8")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.text());
        let page = c.get(r.location().unwrap()).await;
        assert!(page.text().contains("data-state=\"approved\""), "{b}: before Friday's deadline, no equipment");

        let mut other = app.client();
        other.sign_in("other.handler").await;
        let nothing = app.unchanged().await;
        let clash =
            other.post_form("/rooms/bookings", &booking(&r1, "2026-11-30T09:30", "2026-11-30T10:30", "8")).await;
        nothing.refused(&clash, "409 conflict", "an overlapping booking").await;
        assert!(clash.text().contains("2026-11-30 09:00"), "{b}: the page names the slot: {}", clash.text());
        let api = other
            .post_json(
                "/api/v1/bookings",
                &json!({"room_id": r1.parse::<i64>().unwrap(), "title": "座谈会", "kind": "organ_wide", "chair": "处长",
                        "starts_at": "2026-11-30T01:30:00Z", "ends_at": "2026-11-30T02:30:00Z", "attendees": 5}),
            )
            .await;
        nothing.refused(&api, "409 conflict", "API: an overlapping booking").await;
        let message = api.json()["message"].as_str().unwrap_or_default().to_string();
        assert!(
            message.contains("第一会议室") && message.contains("09:00") && message.contains("10:00"),
            "{b}: {message}"
        );

        let bad = [
            (booking(&r1, "2026-11-30T11:00", "2026-11-30T10:30", "5"), "422 invalid ends_at"),
            (booking(&r1, "2026-11-30T11:00", "2026-11-30T12:00", "0"), "422 invalid attendees"),
            (booking(&r1, "2026-11-30T11:00", "2026-11-30T12:00", "-3"), "422 invalid attendees"),
            (booking(&r1, "2026-11-30T11:00", "2026-11-30T12:00", "12"), "422 invalid attendees"),
            (booking(&r1, "2026-11-20T11:00", "2026-11-20T12:00", "5"), "422 invalid starts_at"),
            (booking("999", "2026-11-30T11:00", "2026-11-30T12:00", "5"), "422 invalid room_id"),
            (booking(&r1, "tomorrow", "2026-11-30T12:00", "5"), "400 invalid starts_at"),
        ];
        for (form, want) in bad {
            let r = other.post_form("/rooms/bookings", &form).await;
            nothing.refused(&r, want, want).await;
        }

        let next = other.post_form("/rooms/bookings", &booking(&r1, "2026-11-30T10:00", "2026-11-30T11:00", "8")).await;
        assert_eq!(next.status, StatusCode::SEE_OTHER, "{b}: back to back: {}", next.text());
        let mine = r.location().unwrap().to_string();

        // Changing the time (改期): into the taken slot is a 409 naming it; bad times name their
        // field; someone else's booking is not theirs to move. Nothing changes.
        let nothing = app.unchanged().await;
        let moves = [
            (false, ("2026-11-30T10:30", "2026-11-30T11:30"), "409 conflict"),
            (false, ("2026-11-30T12:00", "2026-11-30T11:00"), "422 invalid ends_at"),
            (false, ("2026-11-20T12:00", "2026-11-20T13:00"), "422 invalid starts_at"),
            (false, ("noon", "2026-11-30T13:00"), "400 invalid starts_at"),
            (true, ("2026-11-30T12:00", "2026-11-30T13:00"), "403 forbidden"),
        ];
        for (stranger, (from, to), want) in moves {
            let who = if stranger { &mut other } else { &mut c };
            let r = who.post_form(&format!("{mine}/move"), &[("starts_at", from), ("ends_at", to)]).await;
            nothing.refused(&r, want, want).await;
        }
        assert!(c.get(&mine).await.text().contains("2026-11-30 09:00"), "{b}: the booking kept its time");
        let moved = c
            .post_form(&format!("{mine}/move"), &[("starts_at", "2026-11-30T14:00"), ("ends_at", "2026-11-30T15:30")])
            .await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER, "{b}: {}", moved.text());
        let page = c.get(&mine).await.text();
        assert!(page.contains("2026-11-30 14:00") && page.contains("data-state=\"approved\""), "{b}: {page}");
        let free = other.post_form("/rooms/bookings", &booking(&r1, "2026-11-30T09:00", "2026-11-30T10:00", "8")).await;
        assert_eq!(free.status, StatusCode::SEE_OTHER, "{b}: the old slot is free again: {}", free.text());
        let grid = other.get("/rooms?week=2026-12-02").await;
        assert_eq!(grid.status, StatusCode::OK, "{b}");
        assert_eq!(grid.text().matches("data-booking=").count(), 3, "{b}: all three in the week grid");
        let sheet = other.get("/rooms/arrangement?week=2026-11-30").await;
        assert_eq!(sheet.text().matches("教学工作例会").count(), 3, "{b}: all three on the weekly arrangement");
        let listed = other.get("/api/v1/bookings?from=2026-11-29T16:00:00Z&to=2026-12-06T16:00:00Z").await;
        assert_eq!(listed.json().as_array().map(Vec::len), Some(3), "{b}");
    }
}

#[tokio::test]
async fn approving_what_does_not_wait_for_you_is_forbidden() {
    for app in TestApp::all().await {
        let b = app.backend;
        let org = app.org().await;
        app.person("zhuren", Some(org.office), &[Role::OfficeHead]).await;
        let r1 = room(&app, "第一会议室", 10).await.to_string();
        // Friday 18:00: past the 17:30 cut-off, so a request for next week is ad hoc (R5.5).
        app.clock.set(app.now().plus_hours(9));
        let mut c = app.client();
        c.sign_in("handler").await;
        let r = c.post_form("/rooms/bookings", &booking(&r1, "2026-12-01T09:00", "2026-12-01T10:00", "6")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.text());
        let path = r.location().unwrap().to_string();
        assert!(c.get(&path).await.text().contains("data-state=\"requested\""), "{b}: waits for the office head");

        for login in ["handler", "other.handler", "secretary"] {
            let mut x = app.client();
            x.sign_in(login).await;
            let nothing = app.unchanged().await;
            let r = x.post_form(&format!("{path}/approve"), &[]).await;
            nothing.refused(&r, "403 forbidden", login).await;
        }
        let mut head = app.client();
        head.sign_in("zhuren").await;
        let r = head.post_form(&format!("{path}/approve"), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.text());
        assert!(head.get(&path).await.text().contains("data-state=\"approved\""), "{b}");
        let again = head.post_form(&format!("{path}/approve"), &[]).await;
        again.assert_error(409, "wrong_state", "approving twice");
    }
}

/// R5.6 over HTTP: a visit's booking without guests is refused naming the field; with them,
/// the booking page shows the open notice, and reception records the arrangement there.
#[tokio::test]
async fn guests_at_a_meeting_reach_reception_on_the_booking_page() {
    for app in TestApp::all().await {
        let b = app.backend;
        let org = app.org().await;
        app.person("jiedai", Some(org.office), &[Role::Reception]).await;
        let r2 = room(&app, "第二会议室", 40).await.to_string();
        let mut c = app.client();
        c.sign_in("handler").await;
        let mut visit = booking(&r2, "2026-11-30T15:00", "2026-11-30T16:30", "12");
        visit[2] = ("kind", "higher_authority_report");
        let nothing = app.unchanged().await;
        let r = c.post_form("/rooms/bookings", &visit).await;
        nothing.refused(&r, "422 invalid", "a visit without its guests").await;
        assert_eq!(r.error_field().as_deref(), Some("guests"), "{b}");
        visit.push(("guests", "省教育厅副厅长一行3人"));
        let r = c.post_form("/rooms/bookings", &visit).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.text());
        let page_url = r.location().unwrap().to_string();
        let page = c.get(&page_url).await.text();
        assert!(page.contains("data-reception=\"open\"") && page.contains("省教育厅副厅长一行3人"), "{b}: {page}");
        assert!(!page.contains("id=\"reception-submit\""), "{b}: the requester cannot record the arrangement");

        let mut rc = app.client();
        rc.sign_in("jiedai").await;
        let inbox = rc.get("/inbox").await.text();
        assert!(inbox.contains("#reception"), "{b}: the notice is in reception's inbox, linking to the booking");
        let r =
            rc.post_form(&format!("{page_url}/reception"), &[("arrangement", "办公室主任迎送，第二食堂工作餐")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.text());
        let page = rc.get(&page_url).await.text();
        assert!(page.contains("data-reception=\"arranged\"") && page.contains("第二食堂工作餐"), "{b}");
        let r = c.post_form(&format!("{page_url}/reception"), &[("arrangement", "x")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{b}: only reception or the office head");
    }
}

/// R5.4 over HTTP: the sheet by day and by leader with the office's activity, published by
/// the office only (a handler is refused and nothing is stored), downloadable as PDF and
/// XLSX, a cancellation after publication listed as pending until re-published, then in the
/// change list and in the inboxes it touches; the API reads and publishes the same.
#[tokio::test]
async fn the_weekly_arrangement_is_published_by_the_office_and_its_changes_reach_the_people_on_it() {
    for app in TestApp::all().await {
        let b = app.backend;
        let org = app.org().await;
        let r1 = room(&app, "第一会议室", 10).await.to_string();
        let mut h = app.client();
        h.sign_in("handler").await;
        let r = h.post_form("/rooms/bookings", &booking(&r1, "2026-11-30T09:00", "2026-11-30T10:00", "8")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.text());
        let booking_url = r.location().unwrap().to_string();

        let mut sec = app.client();
        sec.sign_in("secretary").await;
        let leader = org.leader.0.to_string();
        let activity = [
            ("leader_id", leader.as_str()),
            ("starts_at", "2026-12-01T14:00"),
            ("ends_at", "2026-12-01T17:00"),
            ("place", "智能制造产业园"),
            ("what", "走访合作企业"),
        ];
        let nothing = app.unchanged().await;
        let r = h.post_form("/rooms/arrangement/activities", &activity).await;
        nothing.refused(&r, "403 forbidden", "a handler entering a leader's activity").await;
        let mut bad = activity;
        bad[2] = ("ends_at", "2026-12-01T13:00");
        let r = sec.post_form("/rooms/arrangement/activities", &bad).await;
        nothing.refused(&r, "422 invalid ends_at", "an activity ending before it starts").await;
        let r = sec.post_form("/rooms/arrangement/activities", &activity).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.text());

        let page = sec.get("/rooms/arrangement?week=2026-12-02").await.text();
        assert!(page.contains("data-version=\"live\"") && page.contains("id=\"publish-form\""), "{b}: {page}");
        assert!(page.contains("教学工作例会") && page.contains("走访合作企业"), "{b}: by day");
        assert_eq!(page.matches(&format!("data-leader=\"{leader}\"")).count(), 1, "{b}: the leader's column");
        assert!(!h.get("/rooms/arrangement?week=2026-11-30").await.text().contains("publish-form"), "{b}");

        let nothing = app.unchanged().await;
        let r = h.post_form("/rooms/arrangement/publish", &[("week", "2026-11-30")]).await;
        nothing.refused(&r, "403 forbidden", "a handler publishing").await;
        let r = sec.post_form("/rooms/arrangement/publish", &[("week", "2026-11-30")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.text());
        let v1 = r.location().unwrap().to_string();
        let page = h.get(&v1).await.text();
        assert!(page.contains("data-version=\"1\"") && page.contains("id=\"pdf-link\""), "{b}: {page}");
        let version_id = v1.rsplit('=').next().unwrap().to_string();
        let pdf = h.get(&format!("/rooms/arrangement/versions/{version_id}/pdf")).await;
        assert_eq!(pdf.header("content-type"), Some("application/pdf"), "{b}");
        let xlsx = h.get(&format!("/rooms/arrangement/versions/{version_id}/xlsx")).await;
        assert_eq!(xlsx.status, StatusCode::OK, "{b}");
        assert!(xlsx.header("content-disposition").unwrap_or_default().contains(".xlsx"), "{b}");
        let (told,): (i64,) = app
            .services
            .db
            .fetch_one(
                "SELECT COUNT(*) FROM tasks WHERE domain = 'week_arrangement' AND kind = 'read' AND assignee_id = $1",
                mishu_service::args![org.handler],
            )
            .await
            .unwrap();
        assert_eq!(told, 1, "{b}: the organiser is told");

        // Saturday: the handler cancels; the page lists it as pending, re-publishing sends it.
        app.clock.set(app.now().plus_hours(24));
        // A day later the sessions have lapsed: sign in afresh.
        let (mut h, mut sec) = (app.client(), app.client());
        h.sign_in("handler").await;
        sec.sign_in("secretary").await;
        let r = h.post_form(&format!("{booking_url}/cancel"), &[("reason", "改期")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.text());
        // The office moves the leader's visit a day.
        let (activity_id,): (i64,) =
            app.services.db.fetch_one("SELECT activity_id FROM leader_activities", vec![]).await.unwrap();
        let mut moved = activity;
        moved[1] = ("starts_at", "2026-12-02T14:00");
        moved[2] = ("ends_at", "2026-12-02T17:00");
        let r = sec.post_form(&format!("/rooms/arrangement/activities/{activity_id}"), &moved).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.text());
        let page = sec.get("/rooms/arrangement?week=2026-11-30").await.text();
        assert!(page.contains("id=\"pending\"") && page.contains("data-change=\"cancelled\""), "{b}: {page}");
        assert!(page.contains("data-change=\"changed\""), "{b}: the moved visit is pending too");
        let r = sec.post_form("/rooms/arrangement/publish", &[("week", "2026-11-30")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.text());
        let page = sec.get(r.location().unwrap()).await.text();
        assert!(page.contains("data-version=\"2\"") && page.contains("id=\"late\""), "{b}: after Friday's cut-off");
        let changes = page.split("id=\"changes\"").nth(1).unwrap_or_default();
        assert!(
            changes.contains("data-change=\"cancelled\"") && changes.contains("11-30 09:00–10:00 教学工作例会"),
            "{b}"
        );
        let inbox = h.get("/inbox?box=toread").await.text();
        assert!(inbox.contains("11-30 09:00–10:00 教学工作例会"), "{b}: the change, before → after, in the inbox");
        let (leader_told,): (i64,) = app
            .services
            .db
            .fetch_one(
                "SELECT COUNT(*) FROM tasks WHERE domain = 'week_arrangement_change' AND assignee_id = $1",
                mishu_service::args![org.leader],
            )
            .await
            .unwrap();
        assert_eq!(leader_told, 1, "{b}: the leader is told of the move, not of a meeting they were not on");

        // The API twin.
        let token = app.token(org.secretary).await;
        let mut api = app.api(&token);
        let w = api.get("/api/v1/arrangement?week=2026-12-03").await.json();
        assert_eq!(w["versions"].as_array().map(Vec::len), Some(2), "{b}: {w}");
        assert_eq!(w["entries"].as_array().map(Vec::len), Some(1), "{b}: the activity remains");
        assert_eq!(w["changes"][0]["kind"], "cancelled", "{b}");
        let r = api.post_json("/api/v1/arrangement/publish", &json!({"week": "2026-11-30"})).await;
        r.assert_error(409, "conflict", "nothing changed since version 2");
        let token = app.token(org.handler).await;
        let r = app.api(&token).post_json("/api/v1/arrangement/publish", &json!({"week": "2026-11-30"})).await;
        r.assert_error(403, "forbidden", "a handler publishing over the API");
    }
}
