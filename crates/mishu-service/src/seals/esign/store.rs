//! SQL for electronic seals and the files sealed with them.

use crate::args;
use crate::db::{Db, DbResult, Tx};
use mishu_domain::{OutgoingId, PersonId, SealApplicationId, SealId, Timestamp};
use serde::Serialize;

/// An electronic seal as stored; `wrapped_key` never leaves the service.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(super) struct EsealRow {
    pub eseal_id: i64,
    pub es_id: String,
    pub public_key: String,
    pub key_fingerprint: String,
    pub wrapped_key: String,
    pub master_check: String,
    pub seal_der: String,
    pub valid_from: i64,
    pub valid_until: i64,
    pub created_at: i64,
}

const SELECT: &str = "SELECT eseal_id, es_id, public_key, key_fingerprint, wrapped_key, master_check,
    seal_der, valid_from, valid_until, created_at FROM electronic_seals";

pub(super) struct NewEseal<'a> {
    pub seal: SealId,
    pub es_id: &'a str,
    pub public_key: &'a str,
    pub fingerprint: &'a str,
    pub wrapped_key: &'a str,
    pub master_check: &'a str,
    pub seal_der: &'a str,
    pub valid_from: Timestamp,
    pub valid_until: Timestamp,
}

pub(super) async fn insert(tx: &mut Tx, n: &NewEseal<'_>, by: PersonId, now: Timestamp) -> DbResult<i64> {
    tx.insert_returning_id(
        "INSERT INTO electronic_seals (seal_id, es_id, public_key, key_fingerprint, wrapped_key, master_check,
         seal_der, valid_from, valid_until, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING eseal_id",
        args![
            n.seal,
            n.es_id,
            n.public_key,
            n.fingerprint,
            n.wrapped_key,
            n.master_check,
            n.seal_der,
            n.valid_from,
            n.valid_until,
            now,
            by
        ],
    )
    .await
}

pub(super) async fn of_seal(db: &Db, seal: SealId) -> DbResult<Option<EsealRow>> {
    db.fetch_optional(&format!("{SELECT} WHERE seal_id = $1"), args![seal]).await
}

pub(super) async fn of_seal_tx(tx: &mut Tx, seal: i64) -> DbResult<Option<EsealRow>> {
    tx.fetch_optional(&format!("{SELECT} WHERE seal_id = $1"), args![seal]).await
}

/// The registered seal behind a public key, with its name and state now.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct RegistryMatch {
    pub seal_id: i64,
    pub name: String,
    pub state: String,
    pub decommissioned_at: Option<i64>,
}

pub(super) async fn by_fingerprint(db: &Db, fingerprint: &str) -> DbResult<Option<RegistryMatch>> {
    db.fetch_optional(
        "SELECT s.seal_id, s.name, s.state, s.decommissioned_at FROM electronic_seals e
         JOIN seals s ON s.seal_id = e.seal_id WHERE e.key_fingerprint = $1",
        args![fingerprint],
    )
    .await
}

pub(super) struct NewSignature<'a> {
    pub eseal_id: i64,
    pub application: SealApplicationId,
    pub file_name: &'a str,
    pub file_key: &'a str,
    pub digest: &'a str,
}

pub(super) async fn insert_signature(tx: &mut Tx, n: &NewSignature<'_>, by: PersonId, now: Timestamp) -> DbResult<i64> {
    tx.insert_returning_id(
        "INSERT INTO seal_signatures (eseal_id, application_id, file_name, file_key, document_digest, signed_at,
         signed_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING signature_id",
        args![n.eseal_id, n.application, n.file_name, n.file_key, n.digest, now, by],
    )
    .await
}

/// The file sealed for an application.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SignatureRow {
    pub signature_id: i64,
    pub application_id: i64,
    pub file_name: String,
    #[serde(skip)]
    pub file_key: String,
    pub document_digest: String,
    pub signed_at: i64,
    pub signed_by_name: String,
}

pub(super) async fn signature_of(db: &Db, application: SealApplicationId) -> DbResult<Option<SignatureRow>> {
    db.fetch_optional(
        "SELECT g.signature_id, g.application_id, g.file_name, g.file_key, g.document_digest, g.signed_at,
         p.name AS signed_by_name FROM seal_signatures g JOIN people p ON p.person_id = g.signed_by
         WHERE g.application_id = $1",
        args![application],
    )
    .await
}

/// The files sealed for applications naming an outgoing document, oldest first.
pub(super) async fn sealed_of_outgoing(db: &Db, doc: OutgoingId) -> DbResult<Vec<super::SealedCopy>> {
    db.fetch_all(
        "SELECT g.application_id, s.name AS seal_name, u.copies, g.file_name, g.document_digest, g.signed_at,
         p.name AS signed_by_name FROM seal_signatures g
         JOIN seal_applications a ON a.application_id = g.application_id JOIN seals s ON s.seal_id = a.seal_id
         JOIN seal_uses u ON u.application_id = g.application_id JOIN people p ON p.person_id = g.signed_by
         WHERE a.outgoing_id = $1 ORDER BY g.signed_at, g.signature_id",
        args![doc],
    )
    .await
}
