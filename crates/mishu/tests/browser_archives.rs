//! Headless Chromium against `mishu serve --demo` for the archives (R1.7): the archivist follows
//! her inbox's filing task to the filing page, files the demo's issued minutes (发文) under the
//! office's class, lands on the item with its 档号 and its rendered 正本, finds the line in the
//! catalogue (and its PDF), and the task has left her 待办; the header search then finds the
//! item by its 档号; the chronicle's PDF is linked from its page. Skipped (and passing) without chromedriver
//! unless `MISHU_REQUIRE_BROWSER=1`; on a fresh PostgreSQL database when
//! `MISHU_TEST_POSTGRES_URL` is set.

#[path = "support/demo_server.rs"]
#[allow(dead_code)]
mod demo_server;
#[path = "support/webdriver.rs"]
#[allow(dead_code)]
mod webdriver;

use demo_server::{Server, artefacts, chromedriver_or_skip, sign_in};

/// The demo's issued minutes, waiting for the archivist (see the demo's archives).
const MINUTES: &str = "院长办公会议纪要";

fn is_item_page(url: &str) -> bool {
    let id = url.split("/archives/items/").nth(1).map(|rest| rest.split(['?', '#', '/']).next().unwrap_or(""));
    id.is_some_and(|id| !id.is_empty() && id.bytes().all(|c| c.is_ascii_digit()))
}

#[tokio::test]
async fn the_archivist_files_the_issued_minutes_and_sees_the_archive_code() {
    let Some(driver) = chromedriver_or_skip("archives").await else { return };
    let server = Server::start("archives", "archives").await;
    let b = driver.browser().await;

    sign_in(&b, &server, "dangan").await;
    // The inbox's 归档 task opens the filing page at the minutes' row.
    b.goto(&format!("{}/inbox", server.base)).await;
    b.find_with_text("#inbox-list a", MINUTES).await.click().await;
    let at = b.wait_url("the filing page", |u| u.contains("/archives/file#filable-outgoing-")).await;
    let anchor = at.split('#').nth(1).unwrap().to_string();
    let row = format!("#filable form[data-title='{MINUTES}']");
    assert_eq!(b.find_all(&format!("#{anchor} form[data-title='{MINUTES}']")).await.len(), 1, "the task's row");
    b.find_with_text(&format!("{row} select[name=class_code] option"), "BGS").await.click().await;
    b.find(&format!("{row} button")).await.click().await;
    let item = b.wait_url("the filed item's page", is_item_page).await;
    let item = item.split(['?', '#']).next().unwrap().to_string();

    // A 纪要 is kept permanently (永久) by default, in the office's class.
    let code = b.find("#archive-code").await.text().await;
    assert!(code.starts_with("0194-WS·") && code.contains("-Y-BGS-"), "档号 {code}");
    let html = b.source().await;
    assert!(html.contains(MINUTES) && html.contains("江职院纪要〔"), "title and 文号 on the item page");
    let pdf_link = b.find_with_text("#item-files a", ".pdf").await.attribute("href").await;
    let pdf = b.fetch_bytes(&format!("{}{pdf_link}", server.base)).await;
    assert!(pdf.starts_with(b"%PDF"), "the 正本 is the rendered PDF");
    let png = b.screenshot().await;
    std::fs::write(artefacts().join("archives-item.png"), &png).unwrap();

    // Filed once: no longer offered; the catalogue of the year has its line.
    b.goto(&format!("{}/archives/file", server.base)).await;
    assert!(b.find_all(&row).await.is_empty(), "the minutes are no longer offered");
    b.goto(&format!("{}/archives", server.base)).await;
    b.find_with_text("#catalogue td", &code).await;
    let href = b.find("#catalogue-pdf").await.attribute("href").await;
    let pdf = b.fetch_bytes(&format!("{}{href}", server.base)).await;
    assert!(pdf.starts_with(b"%PDF"), "the catalogue as PDF");
    // Filing closed the task: gone from 待办, in 已办.
    b.goto(&format!("{}/inbox", server.base)).await;
    assert!(!b.source().await.contains(MINUTES), "the filing task left the inbox");
    b.goto(&format!("{}/inbox?box=done", server.base)).await;
    b.find_with_text("#inbox-list a", MINUTES).await;
    b.goto(&format!("{}/chronicle", server.base)).await;
    let href = b.find("#chronicle-pdf").await.attribute("href").await;
    assert!(b.fetch_bytes(&format!("{}{href}", server.base)).await.starts_with(b"%PDF"), "the chronicle as PDF");

    // The header search finds the item by its 档号's parts, linking to the item page (the
    // node applies the change record every few seconds: reload until it has).
    b.find("#search-q").await.type_text("Y BGS 院长办公会议纪要").await;
    b.find("#search-go").await.click().await;
    b.wait_url_contains("/search?q=").await;
    let path = item.strip_prefix(server.base.as_str()).unwrap_or(&item).to_string();
    let results = b.url().await;
    let mut found = false;
    for _ in 0..30 {
        if b.source().await.contains(&format!("href=\"{path}\"")) {
            found = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        b.goto(&results).await;
    }
    assert!(found, "a hit opens {path}");
}
