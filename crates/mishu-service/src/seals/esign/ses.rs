//! The electronic seal and the electronic signature as GB/T 38540-2020 (version 4) defines
//! them, in DER: `SESeal` (the seal, signed once by its maker) and `SES_Signature` (one
//! application of the seal to a document, signed by the stamping key).
//!
//! Where we depart from the standard, and why: an organ on a closed network has no 电子认证
//! (CA) certificate for its seals, so every `cert` field carries the DER
//! `SubjectPublicKeyInfo` of the seal's own SM2 key, and the maker's signature is made with
//! that same key (a self-issued seal). `certListType` is 1 and the list holds that key. The
//! structures, field order, algorithm identifiers and signed byte strings are the standard's,
//! so a CA-issued certificate can take the key's place without changing anything else.

use super::{EsignError, crypto};
use der::asn1::{BitString, GeneralizedTime, Ia5String, ObjectIdentifier, OctetString};
use der::{Decode, Encode, Sequence};
use std::time::Duration;

/// SM2 with SM3 (GB/T 33560).
pub const SM2_SM3: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.501");
/// id-ecPublicKey and the SM2 curve, for the SubjectPublicKeyInfo in `cert`.
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const SM2_CURVE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.301");
pub const VERSION: u32 = 4;
/// The vendor id written in every seal header.
pub const VENDOR: &str = "MISHU";

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct SesHeader {
    pub id: Ia5String,
    pub version: u32,
    pub vid: Ia5String,
}

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct SesPropertyInfo {
    pub seal_type: u32,
    pub name: String,
    pub cert_list_type: u32,
    pub cert_list: Vec<OctetString>,
    pub create_date: GeneralizedTime,
    pub valid_start: GeneralizedTime,
    pub valid_end: GeneralizedTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct SesPictureInfo {
    pub picture_type: Ia5String,
    pub data: OctetString,
    /// Millimetres.
    pub width: u32,
    pub height: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct SesSealInfo {
    pub header: SesHeader,
    pub es_id: Ia5String,
    pub property: SesPropertyInfo,
    pub picture: SesPictureInfo,
}

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct SeSeal {
    pub eseal_info: SesSealInfo,
    pub cert: OctetString,
    pub sign_alg_id: ObjectIdentifier,
    pub signed_value: BitString,
}

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct TbsSign {
    pub version: u32,
    pub eseal: SeSeal,
    pub time_info: GeneralizedTime,
    pub data_hash: BitString,
    pub property_info: Ia5String,
}

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct SesSignature {
    pub to_sign: TbsSign,
    pub cert: OctetString,
    pub signature_alg_id: ObjectIdentifier,
    pub signature: BitString,
}

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
struct AlgorithmIdentifier {
    algorithm: ObjectIdentifier,
    parameters: ObjectIdentifier,
}

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
struct SubjectPublicKeyInfo {
    algorithm: AlgorithmIdentifier,
    subject_public_key: BitString,
}

fn bad(what: &'static str) -> impl Fn(der::Error) -> EsignError {
    move |_| EsignError::Malformed(what)
}

/// DER SubjectPublicKeyInfo of an SM2 public key (SEC1 uncompressed).
pub fn spki(public_sec1: &[u8]) -> Result<Vec<u8>, EsignError> {
    let info = SubjectPublicKeyInfo {
        algorithm: AlgorithmIdentifier { algorithm: EC_PUBLIC_KEY, parameters: SM2_CURVE },
        subject_public_key: BitString::from_bytes(public_sec1).map_err(bad("public key"))?,
    };
    info.to_der().map_err(bad("public key"))
}

/// The SEC1 public key inside a `cert` field written by `spki`.
pub fn public_from_cert(cert: &[u8]) -> Result<Vec<u8>, EsignError> {
    let info = SubjectPublicKeyInfo::from_der(cert).map_err(bad("certificate"))?;
    if info.algorithm.parameters != SM2_CURVE {
        return Err(EsignError::Malformed("certificate"));
    }
    info.subject_public_key.as_bytes().map(<[u8]>::to_vec).ok_or(EsignError::Malformed("certificate"))
}

pub fn time(unix_ms: i64) -> Result<GeneralizedTime, EsignError> {
    // Whole seconds: DER GeneralizedTime carries no fraction here.
    let secs = u64::try_from(unix_ms.div_euclid(1000)).map_err(|_| EsignError::Malformed("time"))?;
    GeneralizedTime::from_unix_duration(Duration::from_secs(secs)).map_err(bad("time"))
}

pub fn unix_ms(t: &GeneralizedTime) -> i64 {
    i64::try_from(t.to_unix_duration().as_millis()).unwrap_or(i64::MAX)
}

/// What a new seal says about itself.
pub struct SealFacts<'a> {
    pub es_id: &'a str,
    pub name: &'a str,
    pub seal_type: u32,
    pub picture_svg: &'a str,
    pub diameter_mm: u32,
    pub created_ms: i64,
    pub valid_from_ms: i64,
    pub valid_until_ms: i64,
}

/// Makes the seal (`SESeal`), signed by its maker, which here is the seal's own key.
pub fn make_seal(key: &sm2::dsa::SigningKey, f: &SealFacts<'_>) -> Result<SeSeal, EsignError> {
    let cert = spki(&crypto::public_bytes(key))?;
    let info = SesSealInfo {
        header: SesHeader {
            id: Ia5String::new("ES").map_err(bad("header"))?,
            version: VERSION,
            vid: Ia5String::new(VENDOR).map_err(bad("header"))?,
        },
        es_id: Ia5String::new(f.es_id).map_err(bad("esID"))?,
        property: SesPropertyInfo {
            seal_type: f.seal_type,
            name: f.name.to_string(),
            cert_list_type: 1,
            cert_list: vec![OctetString::new(cert.clone()).map_err(bad("certificate"))?],
            create_date: time(f.created_ms)?,
            valid_start: time(f.valid_from_ms)?,
            valid_end: time(f.valid_until_ms)?,
        },
        picture: SesPictureInfo {
            picture_type: Ia5String::new("SVG").map_err(bad("picture"))?,
            data: OctetString::new(f.picture_svg.as_bytes().to_vec()).map_err(bad("picture"))?,
            width: f.diameter_mm,
            height: f.diameter_mm,
        },
    };
    let signed = crypto::sign(key, &info.to_der().map_err(bad("seal"))?);
    Ok(SeSeal {
        eseal_info: info,
        cert: OctetString::new(cert).map_err(bad("certificate"))?,
        sign_alg_id: SM2_SM3,
        signed_value: BitString::from_bytes(&signed).map_err(bad("seal signature"))?,
    })
}

/// Applies a seal to content whose SM3 digest is `data_hash`: the `SES_Signature`, in DER.
pub fn sign_document(
    key: &sm2::dsa::SigningKey,
    eseal: SeSeal,
    signed_ms: i64,
    data_hash: &[u8; 32],
    protected: &str,
) -> Result<Vec<u8>, EsignError> {
    let to_sign = TbsSign {
        version: VERSION,
        eseal,
        time_info: time(signed_ms)?,
        data_hash: BitString::from_bytes(data_hash).map_err(bad("digest"))?,
        property_info: Ia5String::new(protected).map_err(bad("propertyInfo"))?,
    };
    let value = crypto::sign(key, &to_sign.to_der().map_err(bad("signature"))?);
    let sig = SesSignature {
        to_sign,
        cert: OctetString::new(spki(&crypto::public_bytes(key))?).map_err(bad("certificate"))?,
        signature_alg_id: SM2_SM3,
        signature: BitString::from_bytes(&value).map_err(bad("signature"))?,
    };
    sig.to_der().map_err(bad("signature"))
}

/// What checking a `SES_Signature` found: each step of GB/T 38540's verification order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub seal_name: String,
    pub es_id: String,
    pub signed_ms: i64,
    pub valid_from_ms: i64,
    pub valid_until_ms: i64,
    pub public_key: Vec<u8>,
    pub data_hash: Vec<u8>,
    pub seal_signature_ok: bool,
    pub signer_in_cert_list: bool,
    pub within_validity: bool,
    pub signature_ok: bool,
}

/// Parses and checks a DER `SES_Signature`: the maker's signature over the seal, the signer's
/// key being one the seal lists, the signing time within the seal's validity, and the
/// signature over `TBS_Sign`. The document digest is compared by the caller.
pub fn check(der_bytes: &[u8]) -> Result<Checked, EsignError> {
    let sig = SesSignature::from_der(der_bytes).map_err(bad("signature"))?;
    if sig.signature_alg_id != SM2_SM3 || sig.to_sign.eseal.sign_alg_id != SM2_SM3 {
        return Err(EsignError::Malformed("algorithm"));
    }
    let seal = &sig.to_sign.eseal;
    let maker = crypto::verifying_key(&public_from_cert(seal.cert.as_bytes())?)?;
    let info_der = seal.eseal_info.to_der().map_err(bad("seal"))?;
    let seal_signature_ok = seal.signed_value.as_bytes().is_some_and(|v| crypto::verify(&maker, &info_der, v));
    let public_key = public_from_cert(sig.cert.as_bytes())?;
    let signer = crypto::verifying_key(&public_key)?;
    let signer_in_cert_list = seal.eseal_info.property.cert_list.iter().any(|c| c.as_bytes() == sig.cert.as_bytes());
    let tbs_der = sig.to_sign.to_der().map_err(bad("signature"))?;
    let signature_ok = sig.signature.as_bytes().is_some_and(|v| crypto::verify(&signer, &tbs_der, v));
    let p = &seal.eseal_info.property;
    let signed_ms = unix_ms(&sig.to_sign.time_info);
    let (valid_from_ms, valid_until_ms) = (unix_ms(&p.valid_start), unix_ms(&p.valid_end));
    Ok(Checked {
        seal_name: p.name.clone(),
        es_id: seal.eseal_info.es_id.to_string(),
        signed_ms,
        valid_from_ms,
        valid_until_ms,
        public_key,
        data_hash: sig.to_sign.data_hash.raw_bytes().to_vec(),
        seal_signature_ok,
        signer_in_cert_list,
        within_validity: (valid_from_ms..=valid_until_ms).contains(&signed_ms),
        signature_ok,
    })
}
