//! Electronic seals (电子印章, issue 6, GB/T 38540): making one for a registered seal, applying
//! it to a PDF for an approved application (the keeper's stamping, R7.4, recorded in the
//! keeper's log like a paper use), and verifying a sealed file. The private key is used only
//! inside `stamp`, unwrapped for that one signature.

mod crypto;
mod outgoing;
mod pdf;
mod ses;
mod store;

pub use outgoing::{SealedCopy, sealed_copies, sealed_outgoing_file, stamp_outgoing};
pub use store::{RegistryMatch, SignatureRow};

use super::applications::{self, append_audit, apply_decided, audit_detail, decide_in};
use super::{DOMAIN, store as seal_store};
use crate::audit::{self, Origin};
use crate::files::{self, FileKind, Upload};
use crate::{ServiceError, ServiceResult, Services, keys};
use der::{Decode, Encode};
use mishu_domain::access::{Actor, Capability, allows};
use mishu_domain::audit::AuditEvent;
use mishu_domain::seals::{ApplicationAction, SealError, SealState, impression};
use mishu_domain::{SealApplicationId, SealId, Timestamp};
use serde::Serialize;
use serde_json::json;
use thiserror::Error;

/// An electronic seal is valid for this long from its making; the office makes a new one after.
const VALID_YEARS: i64 = 5;
/// What the signature protects, written into every signature (GB/T 38540 propertyInfo).
const PROTECTED: &str = "PDF ByteRange: every byte of the file except the /Contents value";

#[derive(Debug, Error)]
pub enum EsignError {
    #[error("file: not a PDF")]
    NotPdf,
    #[error("file: the PDF carries no electronic seal")]
    NotSigned,
    #[error("file: encrypted PDFs cannot be sealed")]
    Encrypted,
    #[error("file: the PDF was changed after it was sealed")]
    ChangedAfterSealing,
    #[error("file: malformed {0}")]
    Malformed(&'static str),
    #[error("seal: the key is damaged, or this node's seal master key is not the one the seal was made with")]
    KeyDamaged,
    #[error("seal: this seal has no electronic seal")]
    NoElectronicSeal,
    #[error("seal: it already has an electronic seal")]
    AlreadyMade,
    #[error("seal master key: {0}")]
    MasterKey(String),
}

/// What the registry page shows about a seal's electronic seal (no key material).
#[derive(Debug, Clone, Serialize)]
pub struct ElectronicSeal {
    pub es_id: String,
    pub fingerprint: String,
    pub valid_from: i64,
    pub valid_until: i64,
    pub created_at: i64,
}

/// The verdict on a sealed file.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    /// True only when every check passed.
    pub intact: bool,
    /// The first check that failed, as a stable code: `changed_after_sealing`, `digest`,
    /// `signature`, `seal_signature`, `signer_not_in_seal`, `outside_validity`.
    pub failure: Option<&'static str>,
    pub seal_name: Option<String>,
    pub es_id: Option<String>,
    pub signed_at: Option<i64>,
    pub fingerprint: Option<String>,
    /// The seal in this organ's registry whose key signed, if any, with its state now.
    pub registry: Option<RegistryMatch>,
}

fn master_key(s: &Services) -> ServiceResult<[u8; 16]> {
    let env = std::env::var("MISHU_SEAL_KEY").ok();
    keys::load_or_create_seal_key(&s.data_dir, env.as_deref()).map_err(|e| EsignError::MasterKey(e.to_string()).into())
}

/// The seal's impression as SVG, drawn from its registered name and diameter.
pub async fn impression_svg(s: &Services, actor: &Actor, id: SealId) -> ServiceResult<String> {
    let seal = super::seal(s, actor, id).await?;
    Ok(impression::svg(&seal.name, seal.diameter_mm))
}

pub async fn of_seal(s: &Services, actor: &Actor, id: SealId) -> ServiceResult<Option<ElectronicSeal>> {
    super::seal(s, actor, id).await?;
    Ok(store::of_seal(&s.db, id).await?.map(ElectronicSeal::from))
}

impl From<store::EsealRow> for ElectronicSeal {
    fn from(e: store::EsealRow) -> Self {
        ElectronicSeal {
            es_id: e.es_id,
            fingerprint: e.key_fingerprint,
            valid_from: e.valid_from,
            valid_until: e.valid_until,
            created_at: e.created_at,
        }
    }
}

/// A seal with its electronic seal, for the seal's page.
pub async fn seal_with_eseal(
    s: &Services,
    actor: &Actor,
    id: SealId,
) -> ServiceResult<(super::SealRow, Option<ElectronicSeal>)> {
    let seal = super::seal(s, actor, id).await?;
    Ok((seal, store::of_seal(&s.db, id).await?.map(ElectronicSeal::from)))
}

/// An application with whether its seal can be applied electronically and the sealed file.
pub async fn application_with_eseal(
    s: &Services,
    actor: &Actor,
    id: SealApplicationId,
) -> ServiceResult<(super::ApplicationRow, bool, Option<SignatureRow>)> {
    let a = applications::application(s, actor, id).await?;
    let has = store::of_seal(&s.db, SealId(a.seal_id)).await?.is_some();
    let sig = store::signature_of(&s.db, id).await?;
    Ok((a, has, sig))
}

/// Makes the electronic seal of an active registered seal: a new SM2 key pair, the `SESeal`
/// carrying its impression, signed by its maker; the private key kept wrapped.
pub async fn create(s: &Services, actor: &Actor, id: SealId, source_ip: &str) -> ServiceResult<()> {
    if !allows(Some(actor), Capability::ManageSeals) {
        return Err(ServiceError::Forbidden);
    }
    let seal = seal_store::get(&s.db, id).await?.ok_or(ServiceError::NotFound)?;
    match SealState::parse(&seal.state) {
        SealState::Decommissioned => return Err(SealError::Decommissioned.into()),
        SealState::Suspended => return Err(SealError::Suspended.into()),
        SealState::Active => {}
    }
    if store::of_seal(&s.db, id).await?.is_some() {
        return Err(EsignError::AlreadyMade.into());
    }
    let master = master_key(s)?;
    let now = s.clock.now();
    let until = Timestamp(now.0 + VALID_YEARS * 365 * 24 * 3600 * 1000);
    let key = crypto::generate();
    let public = crypto::public_bytes(&key);
    let fingerprint = crypto::fingerprint(&public);
    let es_id = format!("MISHU-{}-{}", id.0, &fingerprint[..16]);
    let picture = impression::svg(&seal.name, seal.diameter_mm);
    let facts = ses::SealFacts {
        es_id: &es_id,
        name: &seal.name,
        seal_type: 1,
        picture_svg: &picture,
        diameter_mm: u32::try_from(seal.diameter_mm).unwrap_or(40),
        created_ms: now.0,
        valid_from_ms: now.0,
        valid_until_ms: until.0,
    };
    let seal_der = ses::make_seal(&key, &facts)?.to_der().map_err(|_| EsignError::Malformed("seal"))?;
    let row = store::NewEseal {
        seal: id,
        es_id: &es_id,
        public_key: &hex::encode(&public),
        fingerprint: &fingerprint,
        wrapped_key: &hex::encode(crypto::wrap(&master, &key)),
        master_check: &crypto::master_check(&master),
        seal_der: &hex::encode(&seal_der),
        valid_from: now,
        valid_until: until,
    };
    let mut tx = s.db.begin().await?;
    store::insert(&mut tx, &row, actor.person_id, now).await?;
    audit::append(
        &mut tx,
        &s.audit_key,
        &Origin::of(actor, source_ip),
        now,
        &AuditEvent::new(
            "seal.electronic_seal_made",
            DOMAIN,
            Some(id.to_string()),
            json!({"es_id": es_id, "fingerprint": fingerprint, "valid_until": until.0}),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The keeper applies the electronic seal of an approved application's seal to a PDF: the
/// signed file is kept, the use goes into the keeper's log, all in one transaction.
pub async fn stamp(
    s: &Services,
    actor: &Actor,
    id: SealApplicationId,
    upload: Upload,
    source_ip: &str,
) -> ServiceResult<()> {
    let file = files::check(upload)?;
    if file.kind != FileKind::Pdf {
        return Err(ServiceError::invalid("file", "a PDF is required"));
    }
    stamp_pdf(s, actor, id, (&file.filename, &file.bytes), false, source_ip).await
}

/// Signs a PDF `(file name, bytes)` with the application's electronic seal and records the
/// stamping: the decision, the keeper's log, the sealed file and the audit entry in one
/// transaction. `rendered` says the PDF is the outgoing document the application names; an
/// application naming one is sealed only that way, so nothing else goes out under its approval.
pub(super) async fn stamp_pdf(
    s: &Services,
    actor: &Actor,
    id: SealApplicationId,
    (file_name, pdf_bytes): (&str, &[u8]),
    rendered: bool,
    source_ip: &str,
) -> ServiceResult<()> {
    let master = master_key(s)?;
    let now = s.clock.now();
    let mut tx = s.db.begin().await?;
    let copies = seal_store::get_application_tx(&mut tx, id).await?.ok_or(ServiceError::NotFound)?.copies;
    let decided = decide_in(&mut tx, actor, id, ApplicationAction::Stamp { copies }, now).await?;
    if decided.a.outgoing_id.is_some() != rendered {
        let message = if rendered { "names no outgoing document" } else { "names an outgoing document: seal that" };
        return Err(ServiceError::invalid(if rendered { "outgoing_id" } else { "file" }, message));
    }
    let eseal = store::of_seal_tx(&mut tx, decided.a.seal_id).await?.ok_or(EsignError::NoElectronicSeal)?;
    if eseal.master_check != crypto::master_check(&master) || !(eseal.valid_from..=eseal.valid_until).contains(&now.0) {
        return Err(EsignError::KeyDamaged.into());
    }
    let public = hex::decode(&eseal.public_key).map_err(|_| EsignError::KeyDamaged)?;
    let wrapped = hex::decode(&eseal.wrapped_key).map_err(|_| EsignError::KeyDamaged)?;
    let key = crypto::unwrap(&master, &wrapped, &public)?;
    let seal = ses_seal(&eseal)?;
    let mut digest_hex = String::new();
    let signed = pdf::sign(pdf_bytes, &decided.a.seal_name, &pdf_date(now), |digest| {
        digest_hex = hex::encode(digest);
        ses::sign_document(&key, seal, now.0, digest, PROTECTED)
    })?;
    let file_key = s.blobs.store(signed).await?;
    apply_decided(&mut tx, actor, &decided, now).await?;
    let sig = store::NewSignature {
        eseal_id: eseal.eseal_id,
        application: id,
        file_name,
        file_key: &file_key,
        digest: &digest_hex,
    };
    store::insert_signature(&mut tx, &sig, actor.person_id, now).await?;
    let mut detail = audit_detail(&decided);
    detail["electronic"] = json!({"es_id": eseal.es_id, "file_name": file_name, "digest_sm3": digest_hex,
                                  "outgoing_id": decided.a.outgoing_id});
    append_audit(&mut tx, s, actor, source_ip, &decided, detail, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The stored `SESeal` of an electronic seal.
fn ses_seal(eseal: &store::EsealRow) -> Result<ses::SeSeal, EsignError> {
    let der = hex::decode(&eseal.seal_der).map_err(|_| EsignError::KeyDamaged)?;
    ses::SeSeal::from_der(&der).map_err(|_| EsignError::KeyDamaged)
}

/// The sealed file of an application, for those who may read the application.
pub async fn sealed_file(s: &Services, actor: &Actor, id: SealApplicationId) -> ServiceResult<(SignatureRow, Vec<u8>)> {
    applications::application(s, actor, id).await?;
    let row = store::signature_of(&s.db, id).await?.ok_or(ServiceError::NotFound)?;
    let bytes = s.blobs.read(&row.file_key).await?;
    Ok((row, bytes))
}

pub async fn signature_of(s: &Services, actor: &Actor, id: SealApplicationId) -> ServiceResult<Option<SignatureRow>> {
    applications::application(s, actor, id).await?;
    Ok(store::signature_of(&s.db, id).await?)
}

/// Checks a sealed PDF and names the seal from this organ's registry. Nothing is stored.
pub async fn verify(s: &Services, bytes: &[u8]) -> ServiceResult<Verdict> {
    let mut v = verify_document(bytes)?;
    if let Some(fp) = &v.fingerprint {
        v.registry = store::by_fingerprint(&s.db, fp).await?;
    }
    Ok(v)
}

/// Checks a sealed PDF on its own (no registry): the byte ranges cover the whole file, the
/// SM3 digest matches, and the `SES_Signature` verifies step by step.
pub fn verify_document(bytes: &[u8]) -> Result<Verdict, EsignError> {
    let failed = |code| Verdict {
        intact: false,
        failure: Some(code),
        seal_name: None,
        es_id: None,
        signed_at: None,
        fingerprint: None,
        registry: None,
    };
    let extracted = match pdf::extract(bytes) {
        Ok(e) => e,
        Err(EsignError::ChangedAfterSealing) => return Ok(failed("changed_after_sealing")),
        Err(e) => return Err(e),
    };
    let c = ses::check(&extracted.der)?;
    let failure = if c.data_hash != crypto::sm3(&extracted.covered) {
        Some("digest")
    } else if !c.signature_ok {
        Some("signature")
    } else if !c.seal_signature_ok {
        Some("seal_signature")
    } else if !c.signer_in_cert_list {
        Some("signer_not_in_seal")
    } else if !c.within_validity {
        Some("outside_validity")
    } else {
        None
    };
    Ok(Verdict {
        intact: failure.is_none(),
        failure,
        seal_name: Some(c.seal_name),
        es_id: Some(c.es_id),
        signed_at: Some(c.signed_ms),
        fingerprint: Some(crypto::fingerprint(&c.public_key)),
        registry: None,
    })
}

/// A PDF date in the office's zone: `D:20261127090000+08'00'`.
fn pdf_date(t: Timestamp) -> String {
    let local = t.to_datetime().with_timezone(&mishu_domain::time::office_offset());
    format!("D:{}+08'00'", local.format("%Y%m%d%H%M%S"))
}

#[cfg(test)]
mod tests;
