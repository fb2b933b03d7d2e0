//! Retention review and destruction: refused without approval, and what stays afterwards.

use super::*;
use mishu_domain::archives::{ArchiveError, DestructionAction as D, DestructionState};
use mishu_service::ServiceError;
use mishu_service::archives::destruction;
use mishu_testkit::TestDb;

#[tokio::test]
async fn destruction_needs_the_office_heads_approval_and_keeps_the_record() {
    for t in TestDb::all().await {
        let (s, clock) = t.services();
        let o = office(&s).await;
        let b = t.backend;
        let task = closed_leader_task(&s, &o, "年度例行统计").await;
        let item =
            archives::file(&s, &o.archivist, req(FilingSource::LeaderTask(task), "D10", "BGS"), "ip").await.unwrap();
        let permanent = closed_leader_task(&s, &o, "党委换届").await;
        let perm =
            archives::file(&s, &o.archivist, req(FilingSource::LeaderTask(permanent), "Y", "BGS"), "ip").await.unwrap();

        // Not yet due.
        let e = destruction::propose(&s, &o.archivist, item, "保管期满", "ip").await.unwrap_err();
        assert!(e.to_string().starts_with("retention:"), "{b}: {e}");
        clock.advance_minutes(60 * 24 * 366 * 10);
        let e = destruction::propose(&s, &o.archivist, perm, "保管期满", "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Archive(ArchiveError::NotAllowed(_))), "{b}: permanent: {e:?}");

        let d = destruction::propose(&s, &o.archivist, item, "保管期满，经鉴定无保存价值", "ip").await.unwrap();
        // Destroying without approval is refused and changes nothing.
        let before = footprint(&s).await;
        let e = destruction::act(&s, &o.archivist, d, D::Destroy, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Archive(ArchiveError::WrongState("proposed"))), "{b}: {e:?}");
        assert_eq!(footprint(&s).await, before, "{b}");
        let v = archives::item(&s, &o.archivist, item).await.unwrap();
        assert!(v.files[0].storage_key.is_some() && v.item.destroyed_at.is_none(), "{b}");
        // The proposer cannot approve; the office head can.
        assert!(destruction::act(&s, &o.archivist, d, D::Approve, "ip").await.is_err());
        assert!(destruction::act(&s, &o.secretary, d, D::Approve, "ip").await.is_err());
        assert_eq!(
            destruction::act(&s, &o.office_head, d, D::Approve, "ip").await.unwrap(),
            DestructionState::Approved
        );
        assert!(destruction::act(&s, &o.office_head, d, D::Destroy, "ip").await.is_err(), "{b}: only an archivist");
        assert_eq!(destruction::act(&s, &o.archivist, d, D::Destroy, "ip").await.unwrap(), DestructionState::Destroyed);

        let v = archives::item(&s, &o.archivist, item).await.unwrap();
        assert!(v.item.destroyed_at.is_some(), "{b}: the metadata stays");
        assert_eq!(v.item.archive_code, "0194-WS·2026-D10-BGS-0001");
        assert!(v.files.iter().all(|f| f.storage_key.is_none()), "{b}: the files go");
        assert!(archives::item_file(&s, &o.archivist, item, v.files[0].file_id).await.is_err());
        let rec = destruction::list(&s, &o.archivist).await.unwrap();
        let r = rec.iter().find(|r| r.destruction_id == d.0).unwrap();
        assert_eq!(
            (
                r.proposed_by_name.as_str(),
                r.decided_by_name.as_deref(),
                r.destroyed_by_name.as_deref(),
                r.files_removed
            ),
            ("dangan", Some("ban.head"), Some("dangan"), 1),
            "{b}"
        );
        assert!(mishu_service::audit::verify(&s).await.unwrap().ok());
    }
}
