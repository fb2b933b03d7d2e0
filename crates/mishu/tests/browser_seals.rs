//! Headless Chromium against the real binary for seals (R7.4): a department applies for the
//! 党政办公室 seal, its head signs, the keeper cannot use it before the supervising leader signs,
//! the leader approves, the keeper applies the electronic seal to a PDF, the application shows
//! it used, and the sealed file verifies on the verify page while a changed copy does not.

#[path = "support/demo_server.rs"]
#[allow(dead_code)]
mod demo_server;
#[path = "support/webdriver.rs"]
#[allow(dead_code)]
mod webdriver;

use demo_server::{Server, artefacts, chromedriver_or_skip, sign_in, sign_out};

fn is_application_page(url: &str) -> bool {
    let id = url.split("/seals/applications/").nth(1).map(|rest| rest.split(['?', '#']).next().unwrap_or(""));
    id.is_some_and(|id| !id.is_empty() && id.bytes().all(|c| c.is_ascii_digit()))
}

#[tokio::test]
async fn applied_signed_twice_sealed_electronically_and_verified() {
    let Some(driver) = chromedriver_or_skip("seals").await else { return };
    let server = Server::start("seals", "seals").await;
    let b = driver.browser().await;
    let title = format!("浏览器测试：食堂食材供应合同 {}", std::process::id());
    let files = tempfile::tempdir().unwrap();
    let original = files.path().join("合同.pdf");
    std::fs::write(&original, mishu_testkit::sample_pdf()).unwrap();

    // 后勤管理处's clerk applies for the 党政办公室 seal.
    sign_in(&b, &server, "hqc.keyuan").await;
    b.goto(&format!("{}/seals/applications", server.base)).await;
    b.find_with_text("select[name=seal] option", "江北职业技术学院党政办公室").await.click().await;
    b.find("input[name=document_title]").await.type_text(&title).await;
    b.find("textarea[name=purpose]").await.type_text("与供应商签订").await;
    b.set_value("input[name=copies]", "2").await;
    b.find("#apply-submit").await.click().await;
    let app = b.wait_url("the application's page", is_application_page).await;
    let app = app.split('?').next().unwrap().to_string();
    assert_eq!(b.find("#state").await.attribute("data-state").await, "drafted");
    sign_out(&b).await;

    sign_in(&b, &server, "hqc.chuzhang").await;
    b.goto(&app).await;
    b.find("#sign-submit").await.click().await;
    b.wait_attribute("#state", "data-state", "head_signed").await;
    sign_out(&b).await;

    // Without the supervising leader's signature the keeper cannot even open it.
    sign_in(&b, &server, "yinzhang").await;
    b.goto(&app).await;
    assert!(b.find_all("#esign").await.is_empty() && b.find_all("#stamp").await.is_empty());
    assert!(!b.source().await.contains(&title), "the keeper sees nothing before approval");
    sign_out(&b).await;

    sign_in(&b, &server, "fyz.houqin").await;
    b.goto(&app).await;
    b.find("#sign-submit").await.click().await;
    b.wait_attribute("#state", "data-state", "approved").await;
    sign_out(&b).await;

    // The keeper seals the PDF electronically; the use is recorded.
    sign_in(&b, &server, "yinzhang").await;
    b.goto(&app).await;
    b.find("#esign input[type=file]").await.type_text(original.to_str().unwrap()).await;
    b.find("#esign-submit").await.click().await;
    b.wait_attribute("#state", "data-state", "stamped").await;
    assert!(b.find("#sealed").await.text().await.contains("合同.pdf"));
    assert!(b.find("#slip").await.text().await.contains(&title));
    std::fs::write(artefacts().join("seals-stamped.png"), b.screenshot().await).unwrap();
    let sealed = b.fetch_bytes(&format!("{app}/sealed.pdf")).await;
    assert!(sealed.starts_with(&mishu_testkit::sample_pdf()), "the sealed file keeps the original bytes");
    sign_out(&b).await;

    // The applicant sees it used and verifies the sealed file; a changed copy fails.
    sign_in(&b, &server, "hqc.keyuan").await;
    b.goto(&app).await;
    assert_eq!(b.find("#state").await.attribute("data-state").await, "stamped");
    let sealed_path = files.path().join("已盖章.pdf");
    std::fs::write(&sealed_path, &sealed).unwrap();
    b.goto(&format!("{}/seals/verify", server.base)).await;
    b.find("#verify input[type=file]").await.type_text(sealed_path.to_str().unwrap()).await;
    b.find("#verify-submit").await.click().await;
    b.wait_attribute("#verdict", "data-intact", "true").await;
    assert_eq!(b.find("#verdict-seal").await.text().await, "江北职业技术学院党政办公室");
    std::fs::write(artefacts().join("seals-verified.png"), b.screenshot().await).unwrap();

    let mut changed = sealed.clone();
    let at = changed.windows(3).position(|w| w == b"842").unwrap();
    changed[at] = b'9';
    let changed_path = files.path().join("改动过.pdf");
    std::fs::write(&changed_path, &changed).unwrap();
    b.goto(&format!("{}/seals/verify", server.base)).await;
    b.find("#verify input[type=file]").await.type_text(changed_path.to_str().unwrap()).await;
    b.find("#verify-submit").await.click().await;
    b.wait_attribute("#verdict", "data-intact", "false").await;
}
