//! Headless Chromium against `mishu serve --demo`: the secretary types into the search box in
//! the header and gets the demo's 通知 and 会议 with the words marked; a screenshot is kept.
//! Skipped (and passing) without chromedriver unless `MISHU_REQUIRE_BROWSER=1`; on a fresh
//! PostgreSQL database when `MISHU_TEST_POSTGRES_URL` is set.

#[path = "support/demo_server.rs"]
#[allow(dead_code)] // the loop test's CLI helper is used by browser.rs only
mod demo_server;
#[path = "support/webdriver.rs"]
#[allow(dead_code)] // shared with browser.rs, which uses the rest
mod webdriver;

use demo_server::{Server, artefacts, chromedriver_or_skip, sign_in};

#[tokio::test]
async fn the_header_box_finds_demo_items_with_the_words_marked() {
    let Some(driver) = chromedriver_or_skip("search").await else { return };
    let server = Server::start("search", "node-search").await;
    let b = driver.browser().await;

    sign_in(&b, &server, "mishu").await;
    b.find("#search-q").await.type_text("通知").await;
    b.find("#search-go").await.click().await;
    b.wait_url_contains("/search?q=").await;
    let hits = b.find_all(".search-hits .hit").await;
    assert!(!hits.is_empty(), "the demo's 通知 are found");
    let marked = b.find_all(".search-hits mark").await;
    assert!(!marked.is_empty(), "the word is marked");
    assert_eq!(marked[0].text().await, "通知");
    let count = b.find("#search-count").await.text().await;
    assert!(count.contains(&hits.len().to_string()) || hits.len() == 20, "count {count} for {} hits", hits.len());
    let png = b.screenshot().await;
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    std::fs::write(artefacts().join("search-zh.png"), &png).unwrap();

    // From the results page's own box: 会议 finds the demo's meetings and leader tasks.
    b.goto(&format!("{}/inbox", server.base)).await;
    b.find("#search-q").await.type_text("会议").await;
    b.find("#search-go").await.click().await;
    b.wait_url_contains("/search?q=").await;
    let html = b.source().await;
    assert!(html.contains("<mark>会议</mark>"), "会议 is marked");
    let first = b.find(".search-hits .hit-title").await;
    first.click().await;
    b.wait_url("an object's own page", |u| !u.contains("/search")).await;
}
