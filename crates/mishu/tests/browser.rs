//! Headless Chromium against the real binary: signing in, the inbox in two languages with
//! screenshots, and a leader-assigned task round the whole loop (given → reminded → answered
//! → closed). Talks WebDriver over HTTP to Debian's `/usr/bin/chromedriver`. Without it the
//! tests say "skipped" and pass, unless `MISHU_REQUIRE_BROWSER=1` (CI), where they fail.
//! With `MISHU_TEST_POSTGRES_URL` set the server runs on a fresh PostgreSQL database.

#[path = "support/demo_server.rs"]
mod demo_server;
#[path = "support/webdriver.rs"]
mod webdriver;

use demo_server::{Server, artefacts, chromedriver_or_skip, sign_in, sign_out};
use std::path::PathBuf;
use webdriver::Browser;

/// Saves a screenshot and checks it is a real PNG of a real page, not a blank sliver.
async fn screenshot(b: &Browser, name: &str) -> PathBuf {
    let png = b.screenshot().await;
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{name}: not a PNG");
    let (w, h) =
        (u32::from_be_bytes(png[16..20].try_into().unwrap()), u32::from_be_bytes(png[20..24].try_into().unwrap()));
    assert!(w >= 800 && h >= 600, "{name}: {w}×{h} is too small");
    assert!(png.len() > 20_000, "{name}: {} bytes looks like an empty page", png.len());
    let path = artefacts().join(name);
    std::fs::write(&path, &png).unwrap();
    path
}

#[tokio::test]
async fn secretary_signs_in_sees_the_inbox_and_switches_language() {
    let Some(driver) = chromedriver_or_skip("inbox").await else { return };
    let server = Server::start("inbox", "node-inbox").await;
    let b = driver.browser().await;

    sign_in(&b, &server, "mishu").await;
    let rows = b.find_all("#inbox-list tbody tr").await;
    assert!(!rows.is_empty(), "the demo secretary's inbox has items");
    let html = b.source().await;
    assert!(html.contains("我的待办") && html.contains("lang=\"zh-CN\""), "the inbox starts in Chinese");
    screenshot(&b, "inbox-zh.png").await;

    b.find("header form.lang button[name='lang'][value='en']").await.click().await;
    b.wait_source_contains("My inbox").await;
    assert!(b.url().await.contains("/inbox"), "the switch returns to the same page");
    assert!(b.source().await.contains("lang=\"en\""));
    assert!(!b.find_all("#inbox-list tbody tr").await.is_empty());
    screenshot(&b, "inbox-en.png").await;
}

#[tokio::test]
async fn a_leader_task_goes_round_the_full_loop() {
    let Some(driver) = chromedriver_or_skip("leader-task").await else { return };
    let server = Server::start("leader-task", "cli").await;
    let b = driver.browser().await;
    let title = format!("浏览器测试：整理秋季招生宣传材料 {}", std::process::id());

    // Given: the secretary records the 院长's instruction for 招生就业处's 韩雨桐, due end of today.
    sign_in(&b, &server, "mishu").await;
    b.goto(&format!("{}/leader-tasks/new", server.base)).await;
    b.find("#title").await.type_text(&title).await;
    b.find_with_text("#leader option", "秦立平").await.click().await;
    // The owner is found by name: the picker lists department heads until a search.
    b.find("#owner-who").await.type_text("韩雨桐").await;
    b.find("#owner-find").await.click().await;
    b.find("#owner-matches input[data-login='zsc.keyuan']").await.click().await;
    let today = mishu_domain::Timestamp(now_ms()).local_date().to_string();
    b.set_value("#due", &today).await;
    screenshot(&b, "leader-task-give.png").await;
    b.find("#give-submit").await.click().await;
    let task_url = b.wait_url("the new task's page", is_task_page).await;
    assert_eq!(b.find("#state").await.attribute("data-state").await, "given");

    // Reminded: an operator's sweep beside the running server sends the before-due reminder.
    let (code, out) = server.cli(&["reminders", "run"]);
    assert_eq!(code, 0, "{out}");
    let reminded: usize = out
        .split("reminded ")
        .nth(1)
        .and_then(|r| r.split(',').next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    assert!(reminded >= 1, "the new task is due within 24 hours: {out}");
    sign_out(&b).await;

    // Answered: the owner sees the reminder and answers from the inbox.
    sign_in(&b, &server, "zsc.keyuan").await;
    b.goto(&format!("{}/notifications", server.base)).await;
    let note = b.find_with_text("ul.notes li", &title).await;
    assert!(note.text().await.contains("即将到期"), "a before-due reminder for the task");
    screenshot(&b, "notifications.png").await;
    b.goto(&format!("{}/inbox", server.base)).await;
    b.find_with_text("#inbox-list a", &title).await.click().await;
    assert_eq!(b.wait_url("the task's page", is_task_page).await, task_url);
    b.find("#answer-text").await.type_text("宣传册已定稿，明天送印。").await;
    b.find("#answer-submit").await.click().await;
    b.wait_attribute("#state", "data-state", "answered").await;
    sign_out(&b).await;

    // Closed: the leader reviews the answer from his inbox and closes the task.
    sign_in(&b, &server, "yuanzhang").await;
    b.find_with_text("#inbox-list a", &title).await.click().await;
    assert_eq!(b.wait_url("the task's page", is_task_page).await, task_url);
    assert!(b.find("#answer").await.text().await.contains("明天送印"));
    b.find("#close-submit").await.click().await;
    b.wait_attribute("#state", "data-state", "closed").await;
    screenshot(&b, "leader-task-closed.png").await;

    let (code, out) = server.cli(&["audit", "verify"]);
    assert_eq!(code, 0, "the loop leaves an intact audit chain: {out}");
}

/// `…/leader-tasks/<number>`.
fn is_task_page(url: &str) -> bool {
    url.split("/leader-tasks/").nth(1).is_some_and(|id| !id.is_empty() && id.bytes().all(|c| c.is_ascii_digit()))
}

fn now_ms() -> i64 {
    let d = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap();
    i64::try_from(d.as_millis()).unwrap()
}
