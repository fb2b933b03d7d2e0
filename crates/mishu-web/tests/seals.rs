//! Seals through the pages on each database: the office head registers a seal, a department
//! applies, its head signs, the supervising leader approves, the keeper stamps and the log
//! shows it; bad input and the wrong people are refused and store nothing.

mod support;

use mishu_domain::org::Role;
use mishu_service::audit::Origin;
use mishu_service::org;
use support::TestApp;

#[tokio::test]
async fn apply_sign_approve_stamp_through_the_pages() {
    for app in TestApp::all().await {
        let b = app.backend;
        let o = app.org().await;
        app.person("zhuren", Some(o.office), &[Role::OfficeHead]).await;
        let keeper = app.person("keeper", Some(o.office), &[Role::SealKeeper]).await;
        app.person("jwc.head", Some(o.other), &[Role::DepartmentHead]).await;
        org::set_supervision(&app.services, &Origin::system(), o.leader, &[o.other], &[]).await.unwrap();

        let mut head = app.client();
        head.sign_in("zhuren").await;
        let keeper_id = keeper.0.to_string();
        let seal = [
            ("name", "江北职业技术学院"),
            ("kind", "administration"),
            ("issuer", "某省教育厅"),
            ("keeper", keeper_id.as_str()),
        ];
        let mut sec = app.client();
        sec.sign_in("secretary").await;
        let nothing = app.unchanged().await;
        nothing.refused(&sec.post_form("/seals", &seal).await, "403 forbidden", "a secretary registers").await;
        let mut bad = seal.to_vec();
        bad[1] = ("kind", "round");
        nothing.refused(&head.post_form("/seals", &bad).await, "422 invalid kind", "unknown kind").await;
        let r = head.post_form("/seals", &seal).await;
        assert_eq!(r.status, 303, "{b}: {}", r.text());
        let seal_id = r.location().unwrap().trim_start_matches("/seals/").to_string();
        assert!(head.get("/seals").await.text().contains("江北职业技术学院"), "{b}");

        let mut applicant = app.client();
        applicant.sign_in("other.handler").await;
        let form = |copies: &'static str| {
            vec![
                ("seal", seal_id.clone()),
                ("document_title", "顶岗实习协议".to_string()),
                ("purpose", "与企业签订".to_string()),
                ("copies", copies.to_string()),
            ]
        };
        let nothing = app.unchanged().await;
        for (copies, want) in [("0", "422 invalid copies"), ("abc", "422 invalid copies")] {
            let f = form(copies);
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            nothing.refused(&applicant.post_form("/seals/applications", &f).await, want, copies).await;
        }
        let f = form("2");
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = applicant.post_form("/seals/applications", &f).await;
        assert_eq!(r.status, 303, "{b}: {}", r.text());
        let page = r.location().unwrap().to_string();
        assert!(applicant.get(&page).await.text().contains("顶岗实习协议"), "{b}");

        // Missing both signatures: the keeper cannot even see it, let alone stamp.
        let mut k = app.client();
        k.sign_in("keeper").await;
        let nothing = app.unchanged().await;
        nothing
            .refused(&k.post_form(&format!("{page}/stamp"), &[("copies", "2")]).await, "404 not_found", "early")
            .await;
        let mut jwc = app.client();
        jwc.sign_in("jwc.head").await;
        assert_eq!(jwc.post_form(&format!("{page}/sign"), &[]).await.status, 303, "{b}");
        // Missing the second signature: still nothing to stamp.
        let nothing = app.unchanged().await;
        nothing.refused(&k.post_form(&format!("{page}/stamp"), &[("copies", "2")]).await, "404 not_found", "one").await;
        let mut leader = app.client();
        leader.sign_in("leader").await;
        assert_eq!(leader.post_form(&format!("{page}/approve"), &[]).await.status, 303, "{b}");
        assert_eq!(k.post_form(&format!("{page}/stamp"), &[("copies", "2")]).await.status, 303, "{b}");
        let nothing = app.unchanged().await;
        let twice = k.post_form(&format!("{page}/stamp"), &[("copies", "2")]).await;
        nothing.refused(&twice, "409 wrong_state", "stamped twice").await;

        let log = k.get("/seals/log").await;
        assert_eq!(log.status, 200, "{b}");
        assert!(log.text().contains("顶岗实习协议"), "{b}: the keeper's log");
        assert_eq!(applicant.get("/seals/log").await.status, 403, "{b}");
        let token = app.token(o.other_handler).await;
        let mine = app.api(&token).get("/api/v1/seal-applications").await.json();
        assert_eq!(mine[0]["state"], "stamped", "{b}");

        let r = head
            .post_form(
                &format!("/seals/{seal_id}/decommission"),
                &[("reason", "学院更名"), ("authority", "某省教育厅"), ("disposal", "sealed_up")],
            )
            .await;
        assert_eq!(r.status, 303, "{b}");
        let f = form("1");
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let nothing = app.unchanged().await;
        let r = applicant.post_form("/seals/applications", &f).await;
        nothing.refused(&r, "409 decommissioned", "a decommissioned seal").await;
    }
}
