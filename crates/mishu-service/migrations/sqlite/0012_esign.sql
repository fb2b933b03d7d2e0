-- Electronic seals (电子印章, GB/T 38540): one SM2 key pair per registered seal. The private key
-- is kept only wrapped with SM4 under the seal master key, which lives outside the database
-- (MISHU_SEAL_KEY or seal.key in the data folder); `master_check` tells which master key.
CREATE TABLE electronic_seals (
    eseal_id INTEGER PRIMARY KEY,
    seal_id BIGINT NOT NULL UNIQUE REFERENCES seals(seal_id),
    es_id TEXT NOT NULL UNIQUE,
    public_key TEXT NOT NULL,
    key_fingerprint TEXT NOT NULL UNIQUE,
    wrapped_key TEXT NOT NULL,
    master_check TEXT NOT NULL,
    -- The DER SESeal as made (hex): its maker's signature is fixed at creation.
    seal_der TEXT NOT NULL,
    valid_from BIGINT NOT NULL,
    valid_until BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES people(person_id)
);

-- One sealed file per application stamped electronically (the use itself is in seal_uses).
CREATE TABLE seal_signatures (
    signature_id INTEGER PRIMARY KEY,
    eseal_id BIGINT NOT NULL REFERENCES electronic_seals(eseal_id),
    application_id BIGINT NOT NULL UNIQUE REFERENCES seal_applications(application_id),
    file_name TEXT NOT NULL,
    file_key TEXT NOT NULL,
    document_digest TEXT NOT NULL,
    signed_at BIGINT NOT NULL,
    signed_by BIGINT NOT NULL REFERENCES people(person_id)
);
CREATE INDEX seal_signatures_eseal ON seal_signatures(eseal_id, signed_at);
