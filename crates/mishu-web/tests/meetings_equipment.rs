//! Equipment as bookable items over HTTP (issue 5): the booking form offers the items, a
//! booking page and the week grid show what it holds; another room's fixed item or an
//! unknown one is a 422 naming `equipment`, a shared item taken at the time a 409 naming it,
//! and neither stores anything; the API lists the register, books items by id and changes
//! a booking's time (改期) with them.

mod support;

use axum::http::StatusCode;
use mishu_domain::meetings::EquipmentKind;
use mishu_domain::{EquipmentId, RoomId};
use mishu_service::audit::Origin;
use mishu_service::meetings::{NewEquipment, NewRoom, equipment, rooms};
use serde_json::json;
use support::TestApp;

async fn room(app: &TestApp, name: &str) -> RoomId {
    let n = NewRoom {
        name: name.into(),
        location: "行政楼".into(),
        capacity: 20,
        equipment: String::new(),
        equipment_needs_approval: true,
        managed_by: None,
    };
    rooms::create_room(&app.services, &Origin::system(), n).await.unwrap()
}

async fn item(app: &TestApp, name: &str, kind: EquipmentKind, room: Option<RoomId>) -> String {
    let n = NewEquipment { name: name.into(), kind, room };
    let id: EquipmentId = equipment::create(&app.services, &Origin::system(), n).await.unwrap();
    id.to_string()
}

fn form<'a>(room: &'a str, from: &'a str, to: &'a str, items: &[&'a str]) -> Vec<(&'static str, &'a str)> {
    let mut f = vec![
        ("room_id", room),
        ("title", "视频会议"),
        ("kind", "organ_wide"),
        ("chair", "分管副院长"),
        ("starts_at", from),
        ("ends_at", to),
        ("attendees", "8"),
    ];
    f.extend(items.iter().map(|i| ("equipment_id", *i)));
    f
}

#[tokio::test]
async fn the_form_books_items_and_refuses_a_taken_or_foreign_one() {
    for app in TestApp::all().await {
        let b = app.backend;
        app.org().await;
        let (r1, r2) = (room(&app, "第一会议室").await, room(&app, "第二会议室").await);
        let sound1 = item(&app, "第一会议室音响", EquipmentKind::Sound, Some(r1)).await;
        let terminal = item(&app, "视频会议终端", EquipmentKind::VideoLink, None).await;
        let (r1, r2) = (r1.to_string(), r2.to_string());
        let mut c = app.client();
        c.sign_in("handler").await;
        let week = c.get("/rooms?week=2026-11-30").await.text();
        assert!(week.contains("id=\"equipment-items\""), "{b}: the form offers the items");
        assert!(week.contains(&format!("value=\"{terminal}\"")) && week.contains("第一会议室音响"), "{b}");

        let r = c
            .post_form("/rooms/bookings", &form(&r1, "2026-11-30T09:00", "2026-11-30T10:00", &[&sound1, &terminal]))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.text());
        let page = c.get(r.location().unwrap()).await.text();
        assert!(
            page.contains("视频会议终端")
                && page.contains("data-equipment=\"")
                && page.contains("data-state=\"requested\""),
            "{b}: {page}"
        );
        let grid = c.get("/rooms?week=2026-11-30").await.text();
        assert!(grid.contains("class=\"muted items\""), "{b}: the grid shows the items");

        let mut other = app.client();
        other.sign_in("other.handler").await;
        let nothing = app.unchanged().await;
        let taken =
            other.post_form("/rooms/bookings", &form(&r2, "2026-11-30T09:30", "2026-11-30T10:30", &[&terminal])).await;
        nothing.refused(&taken, "409 conflict", "a shared item taken in another room").await;
        assert!(
            taken.text().contains("视频会议终端") && taken.text().contains("2026-11-30 09:00"),
            "{b}: {}",
            taken.text()
        );
        let foreign =
            other.post_form("/rooms/bookings", &form(&r2, "2026-11-30T11:00", "2026-11-30T12:00", &[&sound1])).await;
        nothing.refused(&foreign, "422 invalid equipment", "another room's fixed item").await;
        for bad in ["999", "x"] {
            let r =
                other.post_form("/rooms/bookings", &form(&r2, "2026-11-30T11:00", "2026-11-30T12:00", &[bad])).await;
            let want = if bad == "x" { "400 invalid equipment" } else { "422 invalid equipment" };
            nothing.refused(&r, want, bad).await;
        }
        let next =
            other.post_form("/rooms/bookings", &form(&r2, "2026-11-30T10:00", "2026-11-30T11:00", &[&terminal])).await;
        assert_eq!(next.status, StatusCode::SEE_OTHER, "{b}: back to back: {}", next.text());
    }
}

#[tokio::test]
async fn the_api_lists_books_and_moves_items() {
    for app in TestApp::all().await {
        let b = app.backend;
        let org = app.org().await;
        let (r1, r2) = (room(&app, "第一会议室").await, room(&app, "第二会议室").await);
        let projector = item(&app, "第二会议室投影仪", EquipmentKind::Projector, Some(r2)).await;
        let portable: i64 = item(&app, "便携式投影仪", EquipmentKind::Projector, None).await.parse().unwrap();
        let mut api = app.api(&app.token(org.handler).await);
        let listed = api.get("/api/v1/equipment").await.json();
        let listed = listed.as_array().cloned().unwrap_or_default();
        assert_eq!(listed.len(), 2, "{b}");
        assert_eq!((listed[0]["shared"].as_bool(), listed[0]["room_id"].as_i64()), (Some(false), Some(r2.0)), "{b}");
        assert_eq!(listed[1]["shared"].as_bool(), Some(true), "{b}");

        let body = |room: RoomId, from: &str, to: &str, ids: serde_json::Value| {
            json!({"room_id": room.0, "title": "投影演示", "kind": "organ_wide", "chair": "处长",
                   "starts_at": from, "ends_at": to, "attendees": 5, "equipment_ids": ids})
        };
        let r = api
            .post_json("/api/v1/bookings", &body(r1, "2026-11-30T01:00:00Z", "2026-11-30T02:00:00Z", json!([portable])))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{b}: {}", r.text());
        let booked = r.json();
        assert_eq!(booked["equipment"].as_bool(), Some(true), "{b}: derived from the list");
        assert_eq!(booked["equipment_items"][0]["name"].as_str(), Some("便携式投影仪"), "{b}");
        let first = booked["id"].as_i64().unwrap();

        let nothing = app.unchanged().await;
        let foreign = api
            .post_json(
                "/api/v1/bookings",
                &body(r1, "2026-11-30T03:00:00Z", "2026-11-30T04:00:00Z", json!([projector.parse::<i64>().unwrap()])),
            )
            .await;
        nothing.refused(&foreign, "422 invalid equipment", "API: another room's fixed item").await;
        let unknown = api
            .post_json("/api/v1/bookings", &body(r1, "2026-11-30T03:00:00Z", "2026-11-30T04:00:00Z", json!([424242])))
            .await;
        nothing.refused(&unknown, "422 invalid equipment", "API: an unknown item").await;
        let taken = api
            .post_json("/api/v1/bookings", &body(r2, "2026-11-30T01:30:00Z", "2026-11-30T02:30:00Z", json!([portable])))
            .await;
        nothing.refused(&taken, "409 conflict", "API: a shared item taken").await;
        let message = taken.json()["message"].as_str().unwrap_or_default().to_string();
        assert!(message.contains("便携式投影仪") && message.contains("09:00"), "{b}: {message}");

        // 改期 over the API: into the item's other booking is a 409; a free time moves it.
        let r = api
            .post_json("/api/v1/bookings", &body(r2, "2026-11-30T05:00:00Z", "2026-11-30T06:00:00Z", json!([portable])))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{b}: {}", r.text());
        let path = format!("/api/v1/bookings/{first}/reschedule");
        let nothing = app.unchanged().await;
        let clash = api
            .post_json(&path, &json!({"starts_at": "2026-11-30T05:30:00Z", "ends_at": "2026-11-30T06:30:00Z"}))
            .await;
        nothing.refused(&clash, "409 conflict", "API: moving into a taken item").await;
        let bad = api.post_json(&path, &json!({"starts_at": "noon", "ends_at": "2026-11-30T06:30:00Z"})).await;
        nothing.refused(&bad, "400 invalid starts_at", "API: a bad time").await;
        let moved = api
            .post_json(&path, &json!({"starts_at": "2026-11-30T07:00:00Z", "ends_at": "2026-11-30T08:00:00Z"}))
            .await;
        assert_eq!(moved.status, StatusCode::OK, "{b}: {}", moved.text());
        assert_eq!(moved.json()["starts_at"].as_str(), Some("2026-11-30T07:00:00.000Z"), "{b}");
        let freed = api
            .post_json("/api/v1/bookings", &body(r2, "2026-11-30T01:00:00Z", "2026-11-30T02:00:00Z", json!([portable])))
            .await;
        assert_eq!(freed.status, StatusCode::CREATED, "{b}: the old time is free: {}", freed.text());
    }
}
