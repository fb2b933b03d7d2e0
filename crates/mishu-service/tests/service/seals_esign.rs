//! Electronic seals end to end on each database: made once per seal, applied by the keeper
//! to a PDF only for an approved application, the sealed file verifies and names the seal,
//! and any change to it is caught; a decommissioned seal can never sign again.

use super::seals::{application, count, organ};
use mishu_domain::seals::{ApplicationAction as A, SealError};
use mishu_service::files::Upload;
use mishu_service::seals::{self, esign};
use mishu_service::{ServiceError, Services};
use mishu_testkit::TestDb;

fn upload(bytes: Vec<u8>) -> Upload {
    Upload { field: "file", filename: "顶岗实习协议.pdf".into(), bytes }
}

async fn approved(s: &Services, o: &super::seals::Organ) -> mishu_domain::SealApplicationId {
    let id = seals::apply(s, &o.applicant, application(o.xingzheng_seal, "2"), "ip").await.unwrap();
    seals::act(s, &o.jwc_head, id, A::HeadSign, "ip").await.unwrap();
    id
}

#[tokio::test]
async fn made_applied_to_an_approved_application_and_verified() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = organ(&s).await;
        let b = t.backend;
        esign::create(&s, &o.office_head, o.xingzheng_seal, "ip").await.unwrap();
        let e = esign::create(&s, &o.office_head, o.xingzheng_seal, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Esign(esign::EsignError::AlreadyMade)), "{b}: {e:?}");
        let e = esign::create(&s, &o.keeper, o.organ_seal, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Forbidden), "{b}: only the office head makes seals");
        let (_, made) = seals::seal_with_eseal(&s, &o.applicant, o.xingzheng_seal).await.unwrap();
        assert!(made.is_some_and(|m| m.es_id.starts_with("MISHU-")), "{b}");

        let id = approved(&s, &o).await;
        // Missing the supervising leader's signature: the keeper cannot even see it.
        let e = esign::stamp(&s, &o.keeper, id, upload(mishu_testkit::sample_pdf()), "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::NotFound), "{b}: {e:?}");
        seals::act(&s, &o.fyz, id, A::LeaderApprove, "ip").await.unwrap();
        let before = count(&s, "SELECT COUNT(*) FROM audit_log").await;
        let bad = Upload { filename: "x.pdf".into(), bytes: b"GIF89a....".to_vec(), field: "file" };
        let e = esign::stamp(&s, &o.keeper, id, bad, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Invalid { field: "file", .. }), "{b}: {e:?}");
        let e = esign::stamp(&s, &o.office_head, id, upload(mishu_testkit::sample_pdf()), "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Seal(SealError::NotKeeper)), "{b}: {e:?}");
        assert_eq!(count(&s, "SELECT COUNT(*) FROM audit_log").await, before, "{b}: nothing stored");

        esign::stamp(&s, &o.keeper, id, upload(mishu_testkit::sample_pdf()), "ip").await.unwrap();
        let a = seals::application(&s, &o.applicant, id).await.unwrap();
        assert_eq!(a.state, "stamped", "{b}");
        assert_eq!(count(&s, "SELECT COUNT(*) FROM seal_uses").await, 1, "{b}: the use is in the keeper's log");
        let (row, signed) = esign::sealed_file(&s, &o.applicant, id).await.unwrap();
        assert!(signed.starts_with(&mishu_testkit::sample_pdf()), "{b}: the original bytes are kept");
        let v = esign::verify(&s, &signed).await.unwrap();
        assert!(v.intact, "{b}: {v:?}");
        assert_eq!(v.seal_name.as_deref(), Some("江北职业技术学院"), "{b}");
        assert_eq!(v.registry.as_ref().map(|r| r.seal_id), Some(o.xingzheng_seal.0), "{b}");
        assert_eq!(v.signed_at, Some(s.clock.now().0 / 1000 * 1000), "{b}");
        assert_eq!(row.document_digest.len(), 64, "{b}");
        let e = esign::stamp(&s, &o.keeper, id, upload(mishu_testkit::sample_pdf()), "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Seal(SealError::WrongState("stamped"))), "{b}: {e:?}");

        // One byte of the document, or of the signature, changed: not intact.
        let mut forged = signed.clone();
        let at = forged.windows(3).position(|w| w == b"842").unwrap();
        forged[at] = b'9';
        let v = esign::verify(&s, &forged).await.unwrap();
        assert_eq!((v.intact, v.failure), (false, Some("digest")), "{b}");
        let mut forged = signed.clone();
        let at = forged.windows(10).rposition(|w| w.iter().all(u8::is_ascii_hexdigit)).unwrap();
        let sig_end = forged[..at].windows(2).rposition(|w| w != b"00").unwrap();
        forged[sig_end] = if forged[sig_end] == b'A' { b'B' } else { b'A' };
        let v = esign::verify(&s, &forged).await;
        assert!(!v.is_ok_and(|v| v.intact), "{b}: a changed signature never verifies");
        let e = esign::verify(&s, &signed[..signed.len() - 200]).await;
        assert!(!e.is_ok_and(|v| v.intact), "{b}: a truncated file never verifies");
        let e = esign::verify(&s, &mishu_testkit::sample_pdf()).await.unwrap_err();
        assert!(matches!(e, ServiceError::Esign(esign::EsignError::NotSigned)), "{b}: {e:?}");
    }
}

#[tokio::test]
async fn a_decommissioned_seal_never_signs_again() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = organ(&s).await;
        let b = t.backend;
        esign::create(&s, &o.office_head, o.xingzheng_seal, "ip").await.unwrap();
        let id = approved(&s, &o).await;
        seals::act(&s, &o.fyz, id, A::LeaderApprove, "ip").await.unwrap();
        seals::decommission(&s, &o.office_head, o.xingzheng_seal, "更换新印章", "上级主管部门", "destroyed", "ip")
            .await
            .unwrap();
        let e = esign::stamp(&s, &o.keeper, id, upload(mishu_testkit::sample_pdf()), "ip").await.unwrap_err();
        assert!(
            matches!(
                e,
                ServiceError::Seal(SealError::Decommissioned | SealError::WrongState(_)) | ServiceError::NotFound
            ),
            "{b}: {e:?}"
        );
        let e = esign::create(&s, &o.office_head, o.xingzheng_seal, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Seal(SealError::Decommissioned)), "{b}: {e:?}");
        assert_eq!(count(&s, "SELECT COUNT(*) FROM seal_signatures").await, 0, "{b}");
        assert_eq!(count(&s, "SELECT COUNT(*) FROM seal_uses").await, 0, "{b}");
    }
}

#[tokio::test]
async fn a_suspended_seal_is_neither_applied_for_nor_used_until_resumed() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = organ(&s).await;
        let b = t.backend;
        let id = approved(&s, &o).await;
        seals::act(&s, &o.fyz, id, A::LeaderApprove, "ip").await.unwrap();
        let seal = o.xingzheng_seal;
        let e = seals::set_suspended(&s, &o.keeper, seal, true, "保管人休假", "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Forbidden), "{b}: only the office head: {e:?}");
        let e = seals::set_suspended(&s, &o.office_head, seal, true, " ", "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Seal(SealError::Invalid { field: "reason", .. })), "{b}: {e:?}");
        seals::set_suspended(&s, &o.office_head, seal, true, "印章遗失，正在查找", "ip").await.unwrap();
        let before = count(&s, "SELECT COUNT(*) FROM audit_log").await;
        let e = seals::set_suspended(&s, &o.office_head, seal, true, "again", "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Seal(SealError::WrongState("suspended"))), "{b}: {e:?}");
        let e = seals::apply(&s, &o.applicant, application(seal, "1"), "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Seal(SealError::Suspended)), "{b}: {e:?}");
        let e = seals::act(&s, &o.keeper, id, A::Stamp { copies: 1 }, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Seal(SealError::Suspended)), "{b}: {e:?}");
        let e = esign::create(&s, &o.office_head, seal, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Seal(SealError::Suspended)), "{b}: {e:?}");
        assert_eq!(count(&s, "SELECT COUNT(*) FROM audit_log").await, before, "{b}: refusals store nothing");
        assert_eq!(seals::seal(&s, &o.applicant, seal).await.unwrap().state, "suspended", "{b}");

        seals::set_suspended(&s, &o.office_head, seal, false, "", "ip").await.unwrap();
        seals::act(&s, &o.keeper, id, A::Stamp { copies: 1 }, "ip").await.unwrap();
        assert_eq!(count(&s, "SELECT COUNT(*) FROM seal_uses").await, 1, "{b}: usable again once resumed");
        let actions: Vec<(String,)> =
            s.db.fetch_all(
                "SELECT action FROM audit_log WHERE action IN ('seal.suspended', 'seal.resumed') ORDER BY seq",
                mishu_service::args![],
            )
            .await
            .unwrap();
        assert_eq!(actions.len(), 2, "{b}: both changes audited (R7.6)");
    }
}
