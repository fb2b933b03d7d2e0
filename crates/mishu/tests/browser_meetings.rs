//! Headless Chromium against the real binary for 办会, the whole flow, on the demo's
//! shifted clock (`serve --demo-clock`): on Thursday 教务处 requests 第一会议室 for next
//! Thursday with its projector; 行政科 allocates it; the meeting is announced; on Friday the
//! office publishes the 每周工作安排 and the meeting is on it; on Saturday 教务处 moves it an
//! hour earlier (late, so the office head agrees again) and the office re-publishes, so the
//! attendees find the change, before → after, in their inbox; on the day an attendee checks
//! in by the QR code's page, having found the meeting in 我的日程, the minutes are recorded and drafted as a 纪要, and the decision (议定事项) waits in its owner's inbox.
//! Screenshots of each page go to `<target>/browser/meetings-*.png`.
//! Skipped (and passing) without chromedriver unless `MISHU_REQUIRE_BROWSER=1`; on a fresh
//! PostgreSQL database when `MISHU_TEST_POSTGRES_URL` is set.

#[path = "support/demo_server.rs"]
#[allow(dead_code)] // the loop test's CLI helper is used by browser.rs only
mod demo_server;
#[path = "support/webdriver.rs"]
#[allow(dead_code)] // shared with browser.rs, which uses the rest
mod webdriver;

use chrono::{DateTime, FixedOffset};
use demo_server::{Server, chromedriver_or_skip, sign_in, sign_out};
use webdriver::Browser;

/// An instant in office time (UTC+8).
fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(&format!("{s}:00+08:00")).unwrap()
}

async fn shot(b: &Browser, name: &str) {
    let png = b.screenshot().await;
    std::fs::write(demo_server::artefacts().join(format!("meetings-{name}.png")), png).unwrap();
}

/// Signs out, moves the server's clock, signs in as `login` (a jump of days ends sessions anyway).
async fn later(b: &Browser, server: &Server, when: &str, login: &str) {
    sign_out(b).await;
    server.set_clock(at(when));
    sign_in(b, server, login).await;
}

fn is_booking_page(url: &str) -> bool {
    let id = url.split("/rooms/bookings/").nth(1).map(|rest| rest.split(['?', '#']).next().unwrap_or(""));
    id.is_some_and(|id| !id.is_empty() && id.bytes().all(|c| c.is_ascii_digit()))
}

#[tokio::test]
async fn a_room_request_runs_to_a_followed_up_decision() {
    let Some(driver) = chromedriver_or_skip("meetings").await else { return };
    // Thursday 2026-12-03, 10:00: requests for next week (12-07…12-13) are due by Friday 17:30.
    let server = Server::start_at("meetings", at("2026-12-03T10:00")).await;
    let b = driver.browser().await;
    let pid = std::process::id();
    let title = format!("2027年春季学期教学工作部署会{pid}");
    let decision = format!("机电工程学院于两周内报送实训室排课方案{pid}");

    // 教务处's clerk asks for 第一会议室 next Thursday 16:00–17:30, with the projector.
    sign_in(&b, &server, "jwc.keyuan").await;
    b.goto(&format!("{}/rooms?week=2026-12-07", server.base)).await;
    b.find_with_text("#room_id option", "第一会议室").await.click().await;
    b.find("#title").await.type_text(&title).await;
    b.find("#kind option[value='organ_wide']").await.click().await;
    b.find("#chair").await.type_text("分管教学副院长").await;
    b.find("#content").await.type_text("部署春季学期教学运行、实训安排和期初教学检查。").await;
    b.set_value("#starts_at", "2026-12-10T16:00").await;
    b.set_value("#ends_at", "2026-12-10T17:30").await;
    b.find("#attendees").await.type_text("6").await;
    b.find("#equipment").await.click().await;
    b.find("#request-submit").await.click().await;
    let booking = b.wait_url("the booking's page", is_booking_page).await;
    let booking = booking.split(['?', '#']).next().unwrap().to_string();
    // In good time, so only the projector waits: for 行政科 (R5.8).
    assert_eq!(b.find("#state").await.attribute("data-state").await, "requested");
    b.wait_source_contains("行政科科长").await;
    shot(&b, "1-requested").await;

    // 行政科's head finds it in the inbox and allocates the room.
    later(&b, &server, "2026-12-03T14:00", "xingzheng").await;
    b.find_with_text("#inbox-list a", &title).await.click().await;
    b.wait_url_contains(&booking).await;
    b.find("#approve").await.click().await;
    b.wait_attribute("#state", "data-state", "approved").await;
    shot(&b, "2-allocated").await;

    // 教务处 announces the meeting: 孙启明 chairs; he and 袁志强 (机电工程学院) attend.
    later(&b, &server, "2026-12-03T15:00", "jwc.keyuan").await;
    b.goto(&booking).await;
    b.find_with_text("#chair_id-matches label.check", "孙启明").await.click().await;
    b.find("#announce textarea[name='materials']").await.type_text("春季学期教学进程表").await;
    b.find_with_text("#attendee-matches label.check", "孙启明").await.click().await;
    b.find("#attendee-who").await.type_text("袁志强").await;
    b.find("#attendee-find").await.click().await;
    b.find_with_text("#attendee-matches label.check", "袁志强").await.click().await;
    b.find("#announce-submit").await.click().await;
    b.wait_url_contains("/meetings/").await;
    let meeting = b.url().await.split(['?', '#']).next().unwrap().to_string();
    b.wait_count("#attendee-list tbody tr", 2).await;
    shot(&b, "3-announced").await;
    // The organiser's page carries the check-in QR code: it encodes the check-in page.
    let check_in = b.find("#check-in-url").await.text().await;
    assert_eq!(check_in, format!("{meeting}/check-in"));
    b.script("document.querySelector('#check-in-qr').scrollIntoView();", serde_json::json!([])).await;
    shot(&b, "3-check-in-qr").await;

    // Friday 16:00: the office publishes next week's sheet; the meeting is on it.
    later(&b, &server, "2026-12-04T16:00", "mishu").await;
    b.goto(&format!("{}/rooms/arrangement?week=2026-12-07", server.base)).await;
    b.find("#publish-form button").await.click().await;
    b.wait_attribute("#arrangement", "data-version", "1").await;
    let sheet = b.find("#by-day").await.text().await;
    assert!(sheet.contains(&title) && sheet.contains("16:00") && sheet.contains("第一会议室"), "{sheet}");
    assert!(sheet.contains("袁志强"), "the attendees are printed: {sheet}");
    shot(&b, "4-published").await;

    // Saturday: 教务处 moves it an hour earlier. Past Friday's cut-off, so the new time waits
    // for the office head (R5.5); the sheet shows the change as pending until re-published.
    later(&b, &server, "2026-12-05T10:00", "jwc.keyuan").await;
    b.goto(&booking).await;
    b.find("#move summary").await.click().await;
    b.set_value("#move-starts", "2026-12-10T15:00").await;
    b.set_value("#move-ends", "2026-12-10T16:30").await;
    b.script("document.querySelector('#move').scrollIntoView();", serde_json::json!([])).await;
    shot(&b, "5-move-form").await;
    b.find("#move-submit").await.click().await;
    b.wait_attribute("#state", "data-state", "requested").await;
    b.wait_source_contains("2026-12-10 15:00").await;
    shot(&b, "5-moved-waits").await;

    later(&b, &server, "2026-12-05T11:00", "zhuren").await;
    b.goto(&booking).await;
    b.find("#approve").await.click().await;
    b.wait_attribute("#state", "data-state", "approved").await;

    later(&b, &server, "2026-12-05T11:30", "mishu").await;
    b.goto(&format!("{}/rooms/arrangement?week=2026-12-07", server.base)).await;
    let pending = b.find("#pending").await.text().await;
    assert!(pending.contains("16:00") && pending.contains("15:00"), "before → after: {pending}");
    b.find("#publish-form button").await.click().await;
    b.wait_attribute("#arrangement", "data-version", "2").await;
    shot(&b, "6-republished").await;

    // An attendee finds the change in the inbox: what it was and what it is now.
    later(&b, &server, "2026-12-05T12:00", "jdxy.yuanzhang").await;
    b.find("a[href='/inbox?box=toread']").await.click().await;
    b.wait_url_contains("box=toread").await;
    let notice = b.find_with_text("#inbox-list a", "15:00").await.text().await;
    assert!(notice.contains("16:00") && notice.contains(&title), "the change notice: {notice}");
    shot(&b, "7-change-notice").await;
    // His own calendar (我的日程, from the navigation) has it at the new time.
    b.find("#nav-my-calendar").await.click().await;
    b.wait_url_contains("/my-calendar").await;
    b.goto(&format!("{}/my-calendar?week=2026-12-07", server.base)).await;
    let row = b.find("#my-calendar tr[data-entry^='meeting-']").await.text().await;
    assert!(row.contains(&title) && row.contains("15:00") && row.contains("第一会议室"), "{row}");
    shot(&b, "7-my-calendar").await;

    // The day: 袁志强 checks in at 14:30 (check-in opens an hour before the start).
    later(&b, &server, "2026-12-10T14:30", "jdxy.yuanzhang").await;
    // He scans the QR code at the door: its page shows the button, which checks him in.
    b.goto(&check_in).await;
    shot(&b, "7-check-in-page").await;
    b.find("#check-in-button").await.click().await;
    b.wait_source_contains("2026-12-10 14:30").await;
    assert!(b.find("#checked-in").await.text().await.contains("14:30"));
    shot(&b, "7-checked-in").await;

    // After the meeting the organiser records the minutes and one decision for 袁志强.
    later(&b, &server, "2026-12-10T16:40", "jwc.keyuan").await;
    b.goto(&meeting).await;
    b.find("#minutes-input")
        .await
        .type_text("会议部署了春季学期教学工作。孙启明副院长要求各学院做好期初教学检查。")
        .await;
    b.find("input[name='decision_1']").await.type_text(&decision).await;
    b.find_with_text("select[name='owner_1'] option", "袁志强").await.click().await;
    b.set_value("input[name='due_1']", "2026-12-24").await;
    b.find("#minutes-submit").await.click().await;
    b.wait_count("#decisions tbody tr", 1).await;
    assert_eq!(b.find("#decisions tbody tr").await.attribute("data-decision-state").await, "open");
    shot(&b, "8-minutes").await;
    // The organiser drafts the 纪要 from the minutes (R3.3): it opens as an outgoing draft
    // whose text carries the decision, its owner and its deadline; the meeting links it.
    b.find("#summary-submit").await.click().await;
    b.wait_url_contains("/outgoing/").await;
    let body = b.find("#latest-body").await.text().await;
    assert!(body.contains("会议议定") && body.contains(&decision) && body.contains("由袁志强负责"), "{body}");
    shot(&b, "8-summary-draft").await;
    b.goto(&meeting).await;
    b.find("#summary-link").await;

    // The decision is a tracked item in its owner's inbox (the notice left it at check-in);
    // it opens the minutes, where he reports progress, and the minutes show it.
    later(&b, &server, "2026-12-10T17:00", "jdxy.yuanzhang").await;
    let todo = b.find("#inbox-list").await.text().await;
    assert!(!todo.contains(&title), "checked in, the meeting notice is no longer to do: {todo}");
    shot(&b, "9-owner-inbox").await;
    b.find_with_text("#inbox-list a", &decision).await.click().await;
    b.wait_url_contains(&meeting).await;
    let row = "#decisions tbody tr[data-decision-state='open']";
    b.find(&format!("{row} input[name='answer']")).await.type_text("方案初稿已完成，下周报送。").await;
    b.find(&format!("{row} button")).await.click().await;
    b.wait_attribute("#decisions tbody tr", "data-decision-state", "done").await;
    b.wait_source_contains("方案初稿已完成").await;
    shot(&b, "10-progress").await;
    sign_out(&b).await;
}
