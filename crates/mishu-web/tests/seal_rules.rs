//! Department seal rules (R7.5) over HTTP: the head files them from the rules page, the office
//! head registers them, the department seal's page shows them in force, and nobody else may
//! register.

mod support;

use mishu_domain::org::Role;
use mishu_domain::seals::SealInput;
use mishu_service::seals::{self, NewSeal};
use mishu_testkit::builders;
use support::TestApp;

#[tokio::test]
async fn the_head_files_the_office_registers_and_the_seal_page_shows_them() {
    for app in TestApp::all().await {
        let o = app.org().await;
        let b = app.backend;
        let zhuren = app.person("zhuren", Some(o.office), &[Role::OfficeHead]).await;
        app.person("jwc.head", Some(o.other), &[Role::DepartmentHead]).await;
        let keeper = app.person("jwc.keeper", Some(o.other), &[Role::SealKeeper]).await;
        let input = SealInput {
            name: "江北职业技术学院教务处".into(),
            kind: "division".into(),
            diameter_mm: String::new(),
            issuer: "江北职业技术学院党政办公室".into(),
        };
        let n = NewSeal { input, department_id: Some(o.other), keeper_id: keeper };
        let office_head = builders::actor(&app.services, zhuren).await;
        let seal = seals::register(&app.services, &office_head, n, "ip").await.unwrap();

        let mut head = app.client();
        head.sign_in("jwc.head").await;
        let text = "一、本处行政章由处办公室主任保管。二、用印须经处长签字同意并登记。";
        let dept = o.other.0.to_string();
        let r = head.post_form("/seals/rules", &[("department", &dept), ("text", "短")]).await;
        assert_eq!((r.status.as_u16(), r.error_field().as_deref()), (422, Some("text")), "{b}");
        let r = head.post_form("/seals/rules", &[("department", &dept), ("text", text)]).await;
        assert_eq!(r.status.as_u16(), 303, "{b}: {}", r.text());
        let page = head.get("/seals/rules").await.text();
        assert!(page.contains("data-state=\"filed\""), "{b}: {page}");
        let id: String = page
            .split("<section class=\"card\" id=\"rules-")
            .nth(1)
            .unwrap()
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        let r = head.post_form(&format!("/seals/rules/{id}/register"), &[]).await;
        assert_eq!(r.status.as_u16(), 403, "{b}: the head cannot register his own rules");

        let mut office = app.client();
        office.sign_in("zhuren").await;
        let r = office.post_form(&format!("/seals/rules/{id}/register"), &[]).await;
        assert_eq!(r.status.as_u16(), 303, "{b}: {}", r.text());
        let r = office.post_form(&format!("/seals/rules/{id}/register"), &[]).await;
        assert_eq!(r.status.as_u16(), 409, "{b}: already registered");
        let seal_page = office.get(&format!("/seals/{seal}")).await.text();
        let rules = seal_page.split("id=\"seal-rules\"").nth(1).unwrap_or("");
        assert!(rules.contains(text), "{b}: the seal page shows the rules in force");
    }
}
