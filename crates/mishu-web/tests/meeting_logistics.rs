//! The logistics checklist (会务保障) and attendee changes over HTTP: the meeting page's forms
//! and the API. Items reach their owner's inbox and show their state on the page; bad input
//! names its field and stores nothing; strangers are refused; an attendee is added once and
//! removed with a notice.

mod support;

use axum::http::StatusCode;
use mishu_service::audit::Origin;
use mishu_service::meetings::{NewRoom, rooms};
use serde_json::json;
use support::{Client, TestApp};

/// The handler books Monday 2026-11-30 09:00–10:00 and announces a meeting with the other
/// department's handler attending; returns the meeting's path.
async fn meeting(app: &TestApp, h: &mut Client<'_>, leader: &str, attendee: &str) -> String {
    let n = NewRoom {
        name: "第一会议室".into(),
        location: "行政楼".into(),
        capacity: 10,
        equipment: String::new(),
        equipment_needs_approval: false,
        managed_by: None,
    };
    let room = rooms::create_room(&app.services, &Origin::system(), n).await.unwrap().0.to_string();
    let form = [
        ("room_id", room.as_str()),
        ("title", "教学工作例会"),
        ("kind", "organ_wide"),
        ("chair", "分管副院长"),
        ("starts_at", "2026-11-30T09:00"),
        ("ends_at", "2026-11-30T10:00"),
        ("attendees", "8"),
    ];
    let r = h.post_form("/rooms/bookings", &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}: {}", app.backend, r.text());
    let booking = r.location().unwrap().to_string();
    let r = h.post_form(&format!("{booking}/meeting"), &[("chair_id", leader), ("attendee", attendee)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}: {}", app.backend, r.text());
    r.location().unwrap().to_string()
}

#[tokio::test]
async fn the_checklist_on_the_page_and_over_the_api() {
    for app in TestApp::all().await {
        let b = app.backend;
        let org = app.org().await;
        let (leader, secretary) = (org.leader.0.to_string(), org.secretary.0.to_string());
        let mut h = app.client();
        h.sign_in("handler").await;
        let m = meeting(&app, &mut h, &leader, &org.other_handler.0.to_string()).await;
        let api = format!("/api/v1{m}/logistics");
        let page = h.get(&m).await.text();
        assert!(
            page.contains("id=\"logistics-form\"") && page.contains("id=\"add-attendee\""),
            "{b}: the organiser's forms"
        );
        let mut other = app.client();
        other.sign_in("other.handler").await;
        assert!(!other.get(&m).await.text().contains("id=\"logistics-form\""), "{b}: an attendee has no forms");

        let add = |kind: &'static str, note: &'static str, owner: String, due: &'static str| {
            vec![
                ("kind", kind.to_string()),
                ("note", note.to_string()),
                ("owner_id", owner),
                ("due_at", due.to_string()),
            ]
        };
        let nothing = app.unchanged().await;
        let bad = [
            (add("catering", "午餐", secretary.clone(), ""), "422 invalid kind"),
            (add("meals", " ", secretary.clone(), ""), "422 invalid note"),
            (add("meals", "晚餐", secretary.clone(), "2026-11-30T10:30"), "422 invalid due_at"),
            (add("meals", "午餐", secretary.clone(), "soon"), "400 invalid due_at"),
            (add("meals", "午餐", "99999".into(), ""), "422 invalid owner_id"),
            (add("meals", "午餐", "abc".into(), ""), "400 invalid owner_id"),
        ];
        for (form, want) in bad {
            let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let r = h.post_form(&format!("{m}/logistics"), &fields).await;
            nothing.refused(&r, want, want).await;
        }
        let lunch = add("meals", "午餐 30 人，二食堂", secretary.clone(), "2026-11-30T08:30");
        let fields: Vec<(&str, &str)> = lunch.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = other.post_form(&format!("{m}/logistics"), &fields).await;
        nothing.refused(&r, "403 forbidden", "an attendee adds an item").await;
        let r = h.post_form(&format!("{m}/logistics"), &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.text());
        assert!(h.get(&m).await.text().contains("data-item-state=\"open\""), "{b}");

        // The API lists it; the owner finds it in her inbox, and its link opens the meeting.
        let list = other.get(&api).await.json();
        let item = list[0]["id"].as_i64().unwrap();
        assert_eq!((list[0]["kind"].as_str(), list[0]["owner_id"].as_i64()), (Some("meals"), Some(org.secretary.0)));
        let mut sec = app.client();
        sec.sign_in("secretary").await;
        assert!(sec.get("/inbox").await.text().contains(&format!("/meetings/logistics/{item}")), "{b}");
        let open = sec.get(&format!("/meetings/logistics/{item}")).await;
        assert_eq!(open.location(), Some(format!("{m}#logistics-{item}").as_str()), "{b}");

        // Over the API: bad bodies name their field and store nothing.
        let nothing = app.unchanged().await;
        let bad = [
            (json!({"kind": "x", "note": "y"}), "422 invalid kind"),
            (json!({"kind": "meals", "note": ""}), "422 invalid note"),
            (json!({"kind": "meals", "note": "晚餐", "due_at": "2026-11-30T03:00:00Z"}), "422 invalid due_at"),
            (json!({"kind": "meals", "note": "晚餐", "due_at": "later"}), "400 invalid due_at"),
            (json!({"kind": "meals", "note": "晚餐", "owner_id": 99999}), "422 invalid owner_id"),
        ];
        for (body, want) in bad {
            let r = h.post_json(&api, &body).await;
            nothing.refused(&r, want, want).await;
        }
        let r = h.post_json(&format!("{api}/{item}/state"), &json!({"state": "closed"})).await;
        nothing.refused(&r, "422 invalid state", "an unknown state").await;
        let r = other.post_json(&format!("{api}/{item}/state"), &json!({"state": "done"})).await;
        nothing.refused(&r, "403 forbidden", "a stranger closes it").await;
        let r = h.post_json(&api, &json!({"kind": "seating", "note": "主席台 5 人"})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{b}: {}", r.text());
        assert_eq!(r.json().as_array().map(Vec::len), Some(2), "{b}");

        // The owner marks hers done on the page.
        let r = sec.post_form(&format!("{m}/logistics/{item}/state"), &[("state", "done")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.text());
        let page = h.get(&m).await.text();
        assert!(
            page.contains(&format!("id=\"logistics-{item}\" data-item=\"{item}\" data-item-state=\"done\"")),
            "{b}"
        );
        assert!(!sec.get("/inbox").await.text().contains(&format!("/meetings/logistics/{item}")), "{b}: done");
    }
}

#[tokio::test]
async fn adding_and_removing_an_attendee() {
    for app in TestApp::all().await {
        let b = app.backend;
        let org = app.org().await;
        let mut h = app.client();
        h.sign_in("handler").await;
        let m = meeting(&app, &mut h, &org.leader.0.to_string(), &org.other_handler.0.to_string()).await;
        let api = format!("/api/v1{m}/attendees");
        let mut other = app.client();
        other.sign_in("other.handler").await;

        let nothing = app.unchanged().await;
        let r = other.post_json(&api, &json!({"person_id": org.secretary.0})).await;
        nothing.refused(&r, "403 forbidden", "an attendee adds someone").await;
        let r = h.post_json(&api, &json!({"person_id": org.other_handler.0})).await;
        nothing.refused(&r, "409 conflict person_id", "already on the list").await;
        let r = h.post_form(&format!("{m}/attendees"), &[("person_id", "99999")]).await;
        nothing.refused(&r, "422 invalid person_id", "an unknown person").await;

        let r = h.post_json(&api, &json!({"person_id": org.secretary.0})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{b}: {}", r.text());
        assert_eq!(r.json().as_array().map(Vec::len), Some(2), "{b}");
        let mut sec = app.client();
        sec.sign_in("secretary").await;
        assert!(sec.get("/inbox").await.text().contains(&m), "{b}: the notice reached her");

        let r = h.post_form(&format!("{m}/attendees/{}/remove", org.secretary.0), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{b}: {}", r.text());
        assert!(!sec.get("/inbox").await.text().contains(&m), "{b}: withdrawn");
        assert!(sec.get("/notifications").await.text().contains("教学工作例会"), "{b}: she is told");
        let nothing = app.unchanged().await;
        let r = h.post_json(&format!("{api}/{}/remove", org.secretary.0), &json!({})).await;
        nothing.refused(&r, "422 invalid person_id", "no longer on the list").await;
    }
}
