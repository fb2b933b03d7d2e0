//! Headless Chromium against the real binary for 收文: the secretary registers a 请示, proposes
//! it to the leader in charge, the leader instructs, and the 处理笺 shows the instruction signed
//! with the leader's name, on the page and in its PDF. Skipped (and passing) without chromedriver unless
//! `MISHU_REQUIRE_BROWSER=1`; on a fresh PostgreSQL database when `MISHU_TEST_POSTGRES_URL` is set.

#[path = "support/demo_server.rs"]
#[allow(dead_code)] // the loop test's CLI helper is used by browser.rs only
mod demo_server;
#[path = "support/webdriver.rs"]
#[allow(dead_code)] // shared with browser.rs, which uses the rest
mod webdriver;

use demo_server::{Server, chromedriver_or_skip, sign_in, sign_out};

fn is_document_page(url: &str) -> bool {
    let id = url.split("/incoming/").nth(1).map(|rest| rest.split(['?', '#']).next().unwrap_or(""));
    id.is_some_and(|id| !id.is_empty() && id.bytes().all(|c| c.is_ascii_digit()))
}

#[tokio::test]
async fn a_request_is_registered_proposed_instructed_and_shown_on_the_slip() {
    let Some(driver) = chromedriver_or_skip("incoming").await else { return };
    let server = Server::start("incoming", "incoming").await;
    let b = driver.browser().await;
    let title = format!("浏览器测试：关于购置实训设备的请示 {}", std::process::id());
    let instruction = format!("同意，请教务处会同财务处按程序办理。{}", std::process::id());

    // The secretary registers the 请示 and proposes it to the 院长 (秦立平).
    sign_in(&b, &server, "mishu").await;
    b.goto(&format!("{}/incoming/new", server.base)).await;
    b.find("#sender_organ").await.type_text("机电工程学院").await;
    b.find("#title").await.type_text(&title).await;
    b.find("#doc_type option[value='request']").await.click().await;
    b.find("#register-submit").await.click().await;
    let doc = b.wait_url("the registered document's page", is_document_page).await;
    let doc = doc.split('?').next().unwrap().to_string();
    assert_eq!(b.find("#state").await.attribute("data-state").await, "registered");
    b.find("#opinion").await.type_text("拟请秦院长阅示。").await;
    b.find_with_text("#lead option", "秦立平").await.click().await;
    b.find("#propose-submit").await.click().await;
    b.wait_attribute("#state", "data-state", "with_leaders").await;
    sign_out(&b).await;

    // The 院长 instructs on the document's own page.
    sign_in(&b, &server, "yuanzhang").await;
    b.goto(&doc).await;
    b.find("#instruction").await.type_text(&instruction).await;
    b.find("#instruct-submit").await.click().await;
    b.wait_source_contains(&instruction).await;

    // The 处理笺 carries the instruction signed with the leader's name.
    b.goto(&format!("{doc}/slip")).await;
    let slip = b.find("#slip").await.text().await;
    assert!(slip.contains(&instruction), "the slip shows the instruction: {slip}");
    assert!(slip.contains("秦立平"), "the slip names the leader: {slip}");
    assert!(slip.contains(&title), "the slip names the document: {slip}");

    // The same slip as a PDF, from the link on the slip page, with the leader's session.
    let href = b.find("#slip-pdf-link").await.attribute("href").await;
    assert!(href.ends_with("/slip.pdf"), "the slip links its PDF: {href}");
    let pdf = b.fetch_bytes(&format!("{doc}/slip.pdf")).await;
    assert!(pdf.starts_with(b"%PDF"), "the slip PDF is a PDF: {:?}", &pdf[..pdf.len().min(16)]);
}
