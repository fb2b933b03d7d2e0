//! Saved phrases: the organ's defaults for everyone, each person's own only for them.

use mishu_domain::org::{Clearance, Role};
use mishu_service::{ServiceError, phrases};
use mishu_testkit::{TestDb, builders};

#[tokio::test]
async fn defaults_for_all_own_phrases_for_their_owner() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let a = builders::person(&s, "shuji", None, &[Role::Leader], Clearance::None).await;
        let b = builders::person(&s, "yuanzhang", None, &[Role::Leader], Clearance::None).await;
        let (a, b) = (builders::actor(&s, a).await, builders::actor(&s, b).await);
        let defaults = phrases::list(&s, a.person_id).await.unwrap();
        assert!(defaults.iter().any(|p| p.text == "同意。" && p.person_id.is_none()), "{}", t.backend);
        let id = phrases::add(&s, &a, "  请教务处牵头办理。 ", "ip").await.unwrap();
        let mine = phrases::list(&s, a.person_id).await.unwrap();
        assert_eq!(mine.last().unwrap().text, "请教务处牵头办理。");
        assert_eq!(phrases::list(&s, b.person_id).await.unwrap().len(), defaults.len(), "not shown to others");
        for bad in ["", "   ", &"长".repeat(201)] {
            let e = phrases::add(&s, &a, bad, "ip").await.unwrap_err();
            assert!(matches!(e, ServiceError::Invalid { field: "text", .. }));
        }
        assert!(matches!(phrases::delete(&s, &b, id, "ip").await, Err(ServiceError::NotFound)), "not b's");
        assert!(matches!(phrases::delete(&s, &a, defaults[0].phrase_id, "ip").await, Err(ServiceError::NotFound)));
        phrases::delete(&s, &a, id, "ip").await.unwrap();
        assert_eq!(phrases::list(&s, a.person_id).await.unwrap().len(), defaults.len());
    }
}
