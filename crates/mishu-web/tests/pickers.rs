//! Pages that choose people never list the whole staff: before a search they show a short
//! list (leaders, department heads, colleagues), a search shows its matches, and a search
//! for one picker leaves the page's other pickers alone.

mod support;

use mishu_domain::org::Role;
use support::TestApp;

#[tokio::test]
async fn pickers_show_a_short_list_until_a_search() {
    for app in TestApp::all().await {
        let org = app.org().await;
        let b = app.backend;
        for i in 0..40 {
            app.person(&format!("bulk.{i}"), Some(org.other), &[Role::Handler]).await;
        }
        let mut sec = app.client();
        sec.sign_in("secretary").await;
        for (page, field) in
            [("/leader-tasks/new", "owner"), ("/outgoing/new", "countersigner"), ("/delegations", "delegate")]
        {
            let html = sec.get(page).await.text();
            assert!(!html.contains("data-login=\"bulk.1\""), "{b} {page}: the whole staff is listed");
            assert!(html.contains(&format!("id=\"{field}-who\"")), "{b} {page}: no picker for {field}");
            let html = sec.get(&format!("{page}?who=bulk.1&for={field}")).await.text();
            let found = html.matches(&format!("name=\"{field}\" value=")).count();
            assert_eq!(found, 11, "{b} {page}: bulk.1 and bulk.10–19");
            let html = sec.get(&format!("{page}?who=bulk.1&for=someone_else")).await.text();
            assert!(!html.contains("data-login=\"bulk.1\""), "{b} {page}: another picker's search");
        }
    }
}
