//! A seal-use application that names an outgoing document (发文) from the system, on each
//! database: only a final, unclassified document the applicant may read is accepted (anything
//! else is a 4xx on `outgoing_id` and stores nothing); stamped with the electronic seal, the
//! document is rendered with the impression and signed, and the sealed file verifies.

use super::seals::{Organ, application, count, organ};
use mishu_domain::outgoing::{DraftInput, OutgoingAction as OA, RecipientInput};
use mishu_domain::seals::{ApplicationAction as A, SealError};
use mishu_domain::{OutgoingId, SealApplicationId};
use mishu_service::files::Upload;
use mishu_service::seals::{self, NewApplication, esign};
use mishu_service::{ServiceError, Services, outgoing};
use mishu_testkit::TestDb;

const BODY: &str =
    "各部门：\n一、总体要求\n各部门要高度重视节日期间的安全工作。\n二、值班安排\n请于12月25日前将值班表报党政办公室。";

/// A draft by the applicant (教务处), signed by the supervising leader; still drafting.
pub(crate) async fn drafting(s: &Services, o: &Organ) -> OutgoingId {
    let input = DraftInput {
        title: "关于做好2027年元旦春节期间有关工作的通知".into(),
        doc_type: "通知".into(),
        prefix: "江职院发".into(),
        intent: "节前完成安全检查。".into(),
        signer: Some(o.fyz.person_id),
        recipients: vec![RecipientInput::new("main", "external", "各二级学院")],
        ..DraftInput::default()
    };
    let id = outgoing::create(s, &o.applicant, input, "ip").await.unwrap();
    outgoing::add_version(s, &o.applicant, id, BODY, "初稿", "ip").await.unwrap();
    id
}

/// The same document checked and signed off (签发), not yet numbered.
pub(crate) async fn signed_off(s: &Services, o: &Organ) -> OutgoingId {
    let id = drafting(s, o).await;
    outgoing::act(s, &o.applicant, id, OA::Submit, "ip").await.unwrap();
    outgoing::act(s, &o.secretary, id, OA::Check { pass: true, opinion: "格式规范".into() }, "ip").await.unwrap();
    outgoing::act(s, &o.fyz, id, OA::Sign { approve: true, opinion: "同意印发".into() }, "ip").await.unwrap();
    id
}

/// Signed off and registered (numbered).
pub(crate) async fn registered(s: &Services, o: &Organ) -> OutgoingId {
    let id = signed_off(s, o).await;
    outgoing::act(s, &o.secretary, id, OA::Register, "ip").await.unwrap();
    id
}

/// An application naming `doc`, signed by the head and approved by the leader.
async fn approved_for(s: &Services, o: &Organ, doc: OutgoingId) -> SealApplicationId {
    let id = seals::apply(s, &o.applicant, linked(o, doc, "2"), "ip").await.unwrap();
    seals::act(s, &o.jwc_head, id, A::HeadSign, "ip").await.unwrap();
    seals::act(s, &o.fyz, id, A::LeaderApprove, "ip").await.unwrap();
    id
}

async fn stored(s: &Services) -> [i64; 3] {
    [
        count(s, "SELECT COUNT(*) FROM audit_log").await,
        count(s, "SELECT COUNT(*) FROM seal_uses").await,
        count(s, "SELECT COUNT(*) FROM seal_signatures").await,
    ]
}

pub(crate) fn linked(o: &Organ, doc: OutgoingId, copies: &str) -> NewApplication {
    NewApplication { document_title: String::new(), outgoing_id: Some(doc), ..application(o.xingzheng_seal, copies) }
}

#[tokio::test]
async fn an_application_names_a_final_document_the_applicant_may_read() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = organ(&s).await;
        let b = t.backend;
        let draft = drafting(&s, &o).await;
        let doc = registered(&s, &o).await;

        let listed: Vec<i64> =
            seals::sealable_documents(&s, &o.applicant).await.unwrap().iter().map(|d| d.outgoing_id).collect();
        assert_eq!(listed, vec![doc.0], "{b}: only the registered document is offered");

        let before = (
            count(&s, "SELECT COUNT(*) FROM audit_log").await,
            count(&s, "SELECT COUNT(*) FROM seal_applications").await,
        );
        for (who, id, what) in [
            (&o.applicant, OutgoingId(99_999), "unknown"),
            (&o.applicant, draft, "still drafting"),
            (&o.stranger, doc, "not readable by a stranger"),
        ] {
            let e = seals::apply(&s, who, linked(&o, id, "2"), "ip").await.unwrap_err();
            let named = matches!(
                e,
                ServiceError::Invalid { field: "outgoing_id", .. }
                    | ServiceError::Seal(SealError::Invalid { field: "outgoing_id", .. })
            );
            assert!(named, "{b}: {what}: {e:?}");
        }
        let after = (
            count(&s, "SELECT COUNT(*) FROM audit_log").await,
            count(&s, "SELECT COUNT(*) FROM seal_applications").await,
        );
        assert_eq!(after, before, "{b}: refusals store nothing, not even an access refusal");

        let id = seals::apply(&s, &o.applicant, linked(&o, doc, "2"), "ip").await.unwrap();
        let a = seals::application(&s, &o.applicant, id).await.unwrap();
        assert_eq!(a.outgoing_id, Some(doc.0), "{b}");
        assert_eq!(a.outgoing_number.as_deref(), Some("江职院发〔2026〕1号"), "{b}");
        assert_eq!(
            a.document_title, "江职院发〔2026〕1号 关于做好2027年元旦春节期间有关工作的通知",
            "{b}: the title defaults"
        );
        // A typed title wins; an application without a document still works as before.
        let mut typed = linked(&o, doc, "1");
        typed.document_title = "元旦春节通知（盖章件）".into();
        let id = seals::apply(&s, &o.applicant, typed, "ip").await.unwrap();
        assert_eq!(seals::application(&s, &o.applicant, id).await.unwrap().document_title, "元旦春节通知（盖章件）");
        let id = seals::apply(&s, &o.applicant, application(o.xingzheng_seal, "1"), "ip").await.unwrap();
        assert_eq!(seals::application(&s, &o.applicant, id).await.unwrap().outgoing_id, None, "{b}");
    }
}

#[tokio::test]
async fn stamping_renders_the_named_document_with_the_seal_and_signs_it() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = organ(&s).await;
        let b = t.backend;
        esign::create(&s, &o.office_head, o.xingzheng_seal, "ip").await.unwrap();
        let doc = registered(&s, &o).await;
        let id = seals::apply(&s, &o.applicant, linked(&o, doc, "2"), "ip").await.unwrap();
        seals::act(&s, &o.jwc_head, id, A::HeadSign, "ip").await.unwrap();
        let e = esign::stamp_outgoing(&s, &o.keeper, id, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::NotFound), "{b}: missing the leader's signature: {e:?}");
        seals::act(&s, &o.fyz, id, A::LeaderApprove, "ip").await.unwrap();

        let before = stored(&s).await;
        let upload = Upload { field: "file", filename: "other.pdf".into(), bytes: mishu_testkit::sample_pdf() };
        let e = esign::stamp(&s, &o.keeper, id, upload, "ip").await.unwrap_err();
        assert!(
            matches!(e, ServiceError::Invalid { field: "file", .. }),
            "{b}: no other PDF under this approval: {e:?}"
        );
        let e = esign::stamp_outgoing(&s, &o.office_head, id, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Seal(SealError::NotKeeper)), "{b}: {e:?}");
        let plain = seals::apply(&s, &o.applicant, application(o.xingzheng_seal, "1"), "ip").await.unwrap();
        seals::act(&s, &o.jwc_head, plain, A::HeadSign, "ip").await.unwrap();
        seals::act(&s, &o.fyz, plain, A::LeaderApprove, "ip").await.unwrap();
        let before_plain = stored(&s).await;
        let e = esign::stamp_outgoing(&s, &o.keeper, plain, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Invalid { field: "outgoing_id", .. }), "{b}: {e:?}");
        assert_eq!(stored(&s).await, before_plain, "{b}: refusals store nothing");
        assert_eq!(before[1..], before_plain[1..], "{b}");

        esign::stamp_outgoing(&s, &o.keeper, id, "ip").await.unwrap();
        let a = seals::application(&s, &o.applicant, id).await.unwrap();
        assert_eq!(a.state, "stamped", "{b}");
        let log = seals::keeper_log(&s, &o.keeper, None).await.unwrap();
        assert_eq!((log.len(), log[0].copies), (1, 2), "{b}: the use is in the keeper's log");
        let (action, detail): (String, String) =
            s.db.fetch_one("SELECT action, detail FROM audit_log ORDER BY seq DESC LIMIT 1", mishu_service::args![])
                .await
                .unwrap();
        assert_eq!(action, "seal_application.stamped", "{b}");
        let detail: serde_json::Value = serde_json::from_str(&detail).unwrap();
        assert_eq!(detail["electronic"]["outgoing_id"], doc.0, "{b}: audited with the document: {detail}");

        let (row, signed) = esign::sealed_file(&s, &o.applicant, id).await.unwrap();
        // For looking at it: `MISHU_RENDER_OUT=/tmp/out cargo test … seals_outgoing`.
        if let Ok(dir) = std::env::var("MISHU_RENDER_OUT") {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(std::path::Path::new(&dir).join(format!("sealed-{b}.pdf")), &signed).unwrap();
        }
        assert_eq!(row.file_name, "江职院发〔2026〕1号.pdf", "{b}");
        assert!(signed.starts_with(b"%PDF"), "{b}");
        let (_, unsealed) = outgoing::pdf(&s, &o.secretary, doc, "ip").await.unwrap();
        assert!(!signed.starts_with(&unsealed), "{b}: the sealed print carries the impression");
        let v = esign::verify(&s, &signed).await.unwrap();
        assert!(v.intact, "{b}: {v:?}");
        assert_eq!(v.registry.as_ref().map(|r| r.seal_id), Some(o.xingzheng_seal.0), "{b}");
        let mut forged = signed.clone();
        forged[20] ^= 1;
        let v = esign::verify(&s, &forged).await.unwrap();
        assert_eq!((v.intact, v.failure), (false, Some("digest")), "{b}: one byte changed");

        // The document's page lists the copy; whoever reads the document may download it.
        let view = outgoing::get(&s, &o.applicant, doc, "ip").await.unwrap();
        let copies = esign::sealed_copies(&s, &view).await.unwrap();
        assert_eq!(copies.iter().map(|c| (c.application_id, c.copies)).collect::<Vec<_>>(), vec![(id.0, 2)], "{b}");
        let (_, bytes) = esign::sealed_outgoing_file(&s, &o.secretary, doc, id, "ip").await.unwrap();
        assert_eq!(bytes, signed, "{b}");
        let e = esign::sealed_outgoing_file(&s, &o.stranger, doc, id, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::NotFound), "{b}: {e:?}");
        let other = drafting(&s, &o).await;
        let e = esign::sealed_outgoing_file(&s, &o.secretary, other, id, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::NotFound), "{b}: not this document's copy: {e:?}");
    }
}

#[tokio::test]
async fn a_document_without_a_number_is_not_sealed_and_nothing_is_stored() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = organ(&s).await;
        let b = t.backend;
        esign::create(&s, &o.office_head, o.xingzheng_seal, "ip").await.unwrap();
        let doc = signed_off(&s, &o).await;
        let id = approved_for(&s, &o, doc).await;
        let before = stored(&s).await;
        let e = esign::stamp_outgoing(&s, &o.keeper, id, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Render(outgoing::RenderFailure::NotNumbered)), "{b}: {e:?}");
        assert_eq!(stored(&s).await, before, "{b}");
        assert_eq!(seals::application(&s, &o.keeper, id).await.unwrap().state, "approved", "{b}");
    }
}
