//! Headless Chromium against the real binary for 收文, the whole flow: the secretary
//! registers a 请示 from a sub-unit and proposes it; the leader in charge instructs; a second
//! leader marks it read; 教务处 handles it and replies; the secretary closes it with the reply;
//! the 收文处理单 shows all of it, on the page and in its PDF (read back with `pdftotext`).
//! Skipped (and passing) without chromedriver unless `MISHU_REQUIRE_BROWSER=1`; on a fresh
//! PostgreSQL database when `MISHU_TEST_POSTGRES_URL` is set.

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

/// The PDF's text with all white space removed: `pdftotext` breaks lines where the form's
/// cells wrap, and Chinese has no spaces to lose.
fn pdf_text(pdf: &[u8]) -> String {
    let path = demo_server::artefacts().join(format!("incoming-slip-{}.pdf", std::process::id()));
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext (poppler-utils)");
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).chars().filter(|c| !c.is_whitespace()).collect()
}

#[tokio::test]
async fn a_request_runs_from_registration_to_closing_and_the_slip_shows_it_all() {
    let Some(driver) = chromedriver_or_skip("incoming").await else { return };
    let server = Server::start("incoming", "incoming").await;
    let b = driver.browser().await;
    let pid = std::process::id();
    let title = format!("浏览器测试：关于购置实训设备的请示{pid}");
    let instruction = format!("同意，请教务处会同财务处按程序办理。{pid}");
    let result = format!("已会同财务处完成询价，拟于下月采购。{pid}");
    let outcome = format!("按院长批示办结。{pid}");
    let reply = format!("复机电工程学院：同意购置，按程序采购。{pid}");

    // The secretary registers the 请示 and proposes it to the 院长 (秦立平), then 孙启明, in order.
    sign_in(&b, &server, "mishu").await;
    b.goto(&format!("{}/incoming/new", server.base)).await;
    b.find("#sender_organ").await.type_text("机电工程学院").await;
    b.find("#title").await.type_text(&title).await;
    b.find("#doc_type option[value='request']").await.click().await;
    b.find("#register-submit").await.click().await;
    let doc = b.wait_url("the registered document's page", is_document_page).await;
    let doc = doc.split(['?', '#']).next().unwrap().to_string();
    assert_eq!(b.find("#state").await.attribute("data-state").await, "registered");
    b.find("#opinion").await.type_text("拟请秦院长阅示，孙副院长阅。").await;
    b.find_with_text("#lead option", "秦立平").await.click().await;
    b.find_with_text("#propose-form label.check", "孙启明").await.click().await;
    b.find("#propose-submit").await.click().await;
    b.wait_attribute("#state", "data-state", "with_leaders").await;
    sign_out(&b).await;

    // The 院长 instructs on the document's own page.
    sign_in(&b, &server, "yuanzhang").await;
    b.goto(&doc).await;
    b.find("#instruction").await.type_text(&instruction).await;
    b.find("#instruct-submit").await.click().await;
    b.wait_source_contains(&instruction).await;
    sign_out(&b).await;

    // The second leader's step opened only now (in order); he marks it read.
    sign_in(&b, &server, "fyz.jiaoxue").await;
    b.goto(&doc).await;
    b.find("#read-submit").await.click().await;
    b.wait_attribute("#state", "data-state", "instructed").await;
    sign_out(&b).await;

    // The secretary assigns it to 教务处 with a deadline.
    sign_in(&b, &server, "mishu").await;
    b.goto(&doc).await;
    b.find_with_text("#assign-form label.check", "教务处").await.click().await;
    let due = (chrono::Local::now() + chrono::Duration::days(14)).format("%Y-%m-%d").to_string();
    b.set_value("#assign-due", &due).await;
    b.find("#assign-submit").await.click().await;
    b.wait_attribute("#state", "data-state", "assigned").await;
    sign_out(&b).await;

    // 教务处's head reports the result.
    sign_in(&b, &server, "jwc.chuzhang").await;
    b.goto(&doc).await;
    b.find("#result").await.type_text(&result).await;
    b.find("#reply-submit").await.click().await;
    b.wait_attribute("#state", "data-state", "handled").await;
    sign_out(&b).await;

    // The secretary closes it: a 请示 needs its reply (R1.1).
    sign_in(&b, &server, "mishu").await;
    b.goto(&doc).await;
    b.find("#outcome-text").await.type_text(&outcome).await;
    b.find("#reply-text").await.type_text(&reply).await;
    b.find("#close-submit").await.click().await;
    b.wait_attribute("#state", "data-state", "closed").await;

    // The 处理单 page carries every step, signed with names.
    b.goto(&format!("{doc}/slip")).await;
    let slip = b.find("#slip").await.text().await;
    for (what, text) in [
        ("title", title.as_str()),
        ("instruction", &instruction),
        ("the leader in charge", "秦立平"),
        ("the second leader", "孙启明"),
        ("the department", "教务处"),
        ("the department's result", &result),
        ("the outcome", &outcome),
        ("the reply", &reply),
    ] {
        assert!(slip.contains(text), "the slip shows {what} ({text}): {slip}");
    }

    // The same slip as a PDF, from the link on the slip page.
    let href = b.find("#slip-pdf-link").await.attribute("href").await;
    assert!(href.ends_with("/slip.pdf"), "the slip links its PDF: {href}");
    let pdf = b.fetch_bytes(&format!("{doc}/slip.pdf")).await;
    assert!(pdf.starts_with(b"%PDF"), "the slip PDF is a PDF: {:?}", &pdf[..pdf.len().min(16)]);
    let text = pdf_text(&pdf);
    for (what, t) in [
        ("title", title.as_str()),
        ("instruction", &instruction),
        ("the leader in charge", "秦立平"),
        ("the second leader", "孙启明"),
        ("the department's result", &result),
        ("the handler", "曹丽娟"),
        ("the outcome", &outcome),
        ("the reply", &reply),
    ] {
        let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(text.contains(&t), "the slip PDF shows {what} ({t}): {text}");
    }
}

/// The circulation picker with its script: two searches in a row, the first pick stays ticked
/// while the second search replaces the list, and both readers get their copy.
#[tokio::test]
async fn the_office_picks_readers_by_searching_and_circulates() {
    let Some(driver) = chromedriver_or_skip("incoming-picker").await else { return };
    let server = Server::start("incoming-picker", "incoming-picker").await;
    let b = driver.browser().await;
    sign_in(&b, &server, "mishu").await;
    b.goto(&format!("{}/incoming/new", server.base)).await;
    b.find("#sender_organ").await.type_text("省教育厅").await;
    b.find("#title").await.type_text(&format!("关于做好冬季安全工作的通知{}", std::process::id())).await;
    b.find("#doc_type option[value='notice']").await.click().await;
    b.find("#register-submit").await.click().await;
    let doc = b.wait_url("the registered document's page", is_document_page).await;
    let doc = doc.split(['?', '#']).next().unwrap().to_string();

    b.find("#circulate summary").await.click().await;
    b.find("#reader-who").await.type_text("曹丽娟").await;
    b.find("#reader-find").await.click().await;
    let first = b.find_with_text("#reader-matches label.check", "曹丽娟").await;
    first.click().await;
    b.find("#reader-who").await.clear().await;
    b.find("#reader-who").await.type_text("袁志强").await;
    b.find("#reader-find").await.click().await;
    b.find_with_text("#reader-matches label.check", "袁志强").await.click().await;
    assert_eq!(b.url().await.split(['?', '#']).next().unwrap(), doc, "the search did not reload the page");
    let shot = demo_server::artefacts().join("incoming-picker.png");
    std::fs::write(&shot, b.screenshot().await).unwrap();
    let ticked = b.find_all("#reader-matches input:checked").await.len();
    assert_eq!(ticked, 2, "the first pick stayed ticked through the second search");
    b.find("#circulate-submit").await.click().await;
    b.wait_count("#circulation-table tr[data-read-state='open']", 2).await;
    assert!(b.find("#circulated").await.text().await.contains('2'), "the page says two copies went out");
}
