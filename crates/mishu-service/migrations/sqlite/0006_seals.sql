-- Seals (印章, R7): the registry with each seal's designated keeper, seal-use applications
-- (用印申请) with their two signatures, and the keeper's log (用印登记).
-- Times are Unix milliseconds UTC (BIGINT).

CREATE TABLE seals (
    seal_id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    diameter_mm BIGINT NOT NULL,
    issuer TEXT NOT NULL,
    -- The department that owns a department seal; NULL for the organ's own seals.
    department_id BIGINT REFERENCES departments(department_id),
    -- R7.2: every seal has one designated keeper; the seal never leaves their custody.
    keeper_id BIGINT NOT NULL REFERENCES people(person_id),
    state TEXT NOT NULL DEFAULT 'active',
    registered_at BIGINT NOT NULL,
    registered_by BIGINT NOT NULL REFERENCES people(person_id),
    -- 缴销 (R7.3): why, which authority took it back, sealed up or destroyed, who recorded it.
    decommissioned_at BIGINT,
    decommission_reason TEXT,
    decommission_authority TEXT,
    disposal TEXT,
    decommissioned_by BIGINT REFERENCES people(person_id),
    version BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX seals_keeper ON seals(keeper_id);

CREATE TABLE seal_applications (
    application_id INTEGER PRIMARY KEY,
    seal_id BIGINT NOT NULL REFERENCES seals(seal_id),
    applicant_id BIGINT NOT NULL REFERENCES people(person_id),
    department_id BIGINT NOT NULL REFERENCES departments(department_id),
    document_title TEXT NOT NULL,
    purpose TEXT NOT NULL,
    copies BIGINT NOT NULL,
    -- The required signers, fixed when the application is made (R7.4).
    head_id BIGINT NOT NULL REFERENCES people(person_id),
    leader_id BIGINT NOT NULL REFERENCES people(person_id),
    state TEXT NOT NULL,
    head_signed_by BIGINT REFERENCES people(person_id),
    head_signed_at BIGINT,
    leader_signed_by BIGINT REFERENCES people(person_id),
    leader_signed_at BIGINT,
    reject_reason TEXT,
    rejected_by BIGINT REFERENCES people(person_id),
    ended_at BIGINT,
    created_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX seal_applications_applicant ON seal_applications(applicant_id);
CREATE INDEX seal_applications_seal ON seal_applications(seal_id, state);

-- 用印登记: one row per use, written by the keeper when stamping. One use per application,
-- enforced here too so a double stamp cannot slip past a race.
CREATE TABLE seal_uses (
    use_id INTEGER PRIMARY KEY,
    application_id BIGINT NOT NULL UNIQUE REFERENCES seal_applications(application_id),
    seal_id BIGINT NOT NULL REFERENCES seals(seal_id),
    keeper_id BIGINT NOT NULL REFERENCES people(person_id),
    document_title TEXT NOT NULL,
    copies BIGINT NOT NULL,
    used_at BIGINT NOT NULL
);
CREATE INDEX seal_uses_seal_time ON seal_uses(seal_id, used_at);
