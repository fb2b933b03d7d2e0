//! The node's kept organisation lists (departments, people by role): every change, through
//! the services or by SQL from elsewhere, shows at the next use; sign-in bookkeeping does not
//! throw the lists away; and a kept list really is served without reading the tables.

use mishu_domain::org::{Clearance, Role};
use mishu_service::{args, org};
use mishu_testkit::{TestDb, builders};

async fn org_version(s: &mishu_service::Services) -> i64 {
    let (v,): (i64,) = s.db.fetch_one("SELECT version FROM org_version WHERE id = 1", args![]).await.unwrap();
    v
}

async fn department_names(s: &mishu_service::Services) -> Vec<String> {
    org::departments(s).await.unwrap().into_iter().map(|d| d.name).collect()
}

async fn leader_ids(s: &mishu_service::Services) -> Vec<i64> {
    org::active_with_role(s, Role::Leader).await.unwrap().into_iter().map(|p| p.person_id).collect()
}

#[tokio::test]
async fn kept_lists_follow_every_change_to_the_organisation() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let b = &t.backend;
        let d = builders::department(&s, "甲处", None).await;
        assert!(department_names(&s).await.contains(&"甲处".to_string()), "{b}");

        // Another node, an import or an operator's SQL: shown at the next use.
        s.db.execute("UPDATE departments SET name = '乙处' WHERE department_id = $1", args![d]).await.unwrap();
        assert_eq!(department_names(&s).await, ["乙处"], "{b}");

        let p = builders::person(&s, "vp", Some(d), &[Role::Handler], Clearance::None).await;
        assert!(!leader_ids(&s).await.contains(&p.0), "{b}");
        s.db.execute("INSERT INTO person_roles (person_id, role) VALUES ($1, 'leader')", args![p]).await.unwrap();
        assert_eq!(leader_ids(&s).await, [p.0], "{b}");
        s.db.execute("UPDATE people SET sort_order = 5 WHERE person_id = $1", args![p]).await.unwrap();
        assert_eq!(org::active_with_role(&s, Role::Leader).await.unwrap()[0].sort_order, 5, "{b}");
        s.db.execute("UPDATE people SET active = FALSE WHERE person_id = $1", args![p]).await.unwrap();
        assert!(leader_ids(&s).await.is_empty(), "{b}");

        // A failed sign-in changes nothing a list shows and keeps the lists.
        let before = org_version(&s).await;
        assert_eq!(department_names(&s).await, ["乙处"], "{b}");
        s.db.execute(
            "UPDATE people SET failed_logins = failed_logins + 1, locked_until = NULL WHERE person_id = $1",
            args![p],
        )
        .await
        .unwrap();
        assert_eq!(org_version(&s).await, before, "{b}");

        // Kept, not re-read: a change with the version put back is not seen (only this
        // test does that; it proves the list came from the node's copy).
        s.db.execute("UPDATE departments SET name = '丙处' WHERE department_id = $1", args![d]).await.unwrap();
        s.db.execute("UPDATE org_version SET version = $1 WHERE id = 1", args![before]).await.unwrap();
        assert_eq!(department_names(&s).await, ["乙处"], "{b}");
        s.db.execute("UPDATE org_version SET version = version + 1 WHERE id = 1", args![]).await.unwrap();
        assert_eq!(department_names(&s).await, ["丙处"], "{b}");
    }
}

/// The request's actor comes from the node's copy while the organisation is unchanged, and
/// a new role or clearance shows on the next request, whichever way it was stored.
#[tokio::test]
async fn a_kept_actor_follows_roles_and_clearance() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let b = &t.backend;
        let p = builders::person(&s, "clerk", None, &[Role::Handler], Clearance::None).await;
        let v = org_version(&s).await;
        let a = org::load_actor_at(&s, p, None, v).await.unwrap();
        assert!(!a.has_role(Role::Secretary), "{b}");

        s.db.execute("INSERT INTO person_roles (person_id, role) VALUES ($1, 'secretary')", args![p]).await.unwrap();
        s.db.execute("UPDATE people SET clearance = 'secret' WHERE person_id = $1", args![p]).await.unwrap();
        let a = org::load_actor(&s, p, None).await.unwrap();
        assert!(a.has_role(Role::Secretary), "{b}");
        assert_eq!(a.clearance, Clearance::Secret, "{b}");

        // Kept under its version: with the version put back, the stored change is not read.
        let now = org_version(&s).await;
        s.db.execute("DELETE FROM person_roles WHERE person_id = $1 AND role = 'secretary'", args![p]).await.unwrap();
        assert!(org::load_actor_at(&s, p, None, now).await.unwrap().has_role(Role::Secretary), "{b}");
        assert!(!org::load_actor(&s, p, None).await.unwrap().has_role(Role::Secretary), "{b}");
    }
}
