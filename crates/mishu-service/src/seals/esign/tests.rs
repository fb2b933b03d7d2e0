//! Sealing and verifying end to end without a database: a real SM2 seal on a small PDF, then
//! every kind of damage the verifier must catch.

use super::*;

fn sealed() -> (Vec<u8>, Vec<u8>) {
    let key = crypto::generate();
    let svg = impression::svg("江北职业技术学院党政办公室", 42);
    let facts = ses::SealFacts {
        es_id: "MISHU-1-test",
        name: "江北职业技术学院党政办公室",
        seal_type: 1,
        picture_svg: &svg,
        diameter_mm: 42,
        created_ms: 1_764_000_000_000,
        valid_from_ms: 1_764_000_000_000,
        valid_until_ms: 1_900_000_000_000,
    };
    let seal = ses::make_seal(&key, &facts).unwrap();
    let original = mishu_testkit::sample_pdf();
    let signed = pdf::sign(&original, facts.name, "D:20261127090000+08'00'", |d| {
        ses::sign_document(&key, seal, 1_764_200_000_000, d, PROTECTED)
    })
    .unwrap();
    (original, signed)
}

#[test]
fn a_sealed_pdf_verifies_and_names_its_seal() {
    let (original, signed) = sealed();
    assert!(signed.starts_with(&original));
    let v = verify_document(&signed).unwrap();
    assert!(v.intact, "{v:?}");
    assert_eq!(v.seal_name.as_deref(), Some("江北职业技术学院党政办公室"));
    assert_eq!(v.es_id.as_deref(), Some("MISHU-1-test"));
    assert_eq!(v.signed_at, Some(1_764_200_000_000));
}

#[test]
fn one_changed_byte_of_the_document_fails_the_digest() {
    let (_, mut signed) = sealed();
    // Inside the original page dictionary: 595 → 596.
    let at = signed.windows(3).position(|w| w == b"595").unwrap();
    signed[at + 2] = b'6';
    let v = verify_document(&signed).unwrap();
    assert_eq!((v.intact, v.failure), (false, Some("digest")));
}

#[test]
fn one_changed_byte_of_the_signature_fails() {
    let (_, signed) = sealed();
    let e = pdf::extract(&signed).unwrap();
    // The signature value is the last BIT STRING: change its last byte in the hex.
    let mut der = e.der.clone();
    let last = der.len() - 1;
    der[last] ^= 0x01;
    let old = hex::encode_upper(&e.der);
    let new = hex::encode_upper(&der);
    let at = signed.windows(old.len()).position(|w| w == old.as_bytes()).unwrap();
    let mut forged = signed.clone();
    forged[at..at + new.len()].copy_from_slice(new.as_bytes());
    let v = verify_document(&forged);
    assert!(matches!(v, Err(EsignError::Malformed(_))) || v.is_ok_and(|v| v.failure == Some("signature")));
}

#[test]
fn a_seal_from_another_key_or_an_appended_page_is_not_intact() {
    let (_, mut signed) = sealed();
    signed.extend_from_slice(b"9 0 obj\n<< /Forged true >>\nendobj\n");
    let v = verify_document(&signed).unwrap();
    assert_eq!((v.intact, v.failure), (false, Some("changed_after_sealing")));
    let (_, signed) = sealed();
    let truncated = verify_document(&signed[..signed.len() / 2]);
    assert!(!truncated.is_ok_and(|v| v.intact), "a truncated file never verifies");
    assert!(matches!(verify_document(&mishu_testkit::sample_pdf()), Err(EsignError::NotSigned)));
    assert!(matches!(verify_document(b"not a pdf"), Err(EsignError::NotPdf)));
}
