-- Outgoing documents (发文): drafts with intent, materials, outline and versions; the route
-- (review comments, countersignatures, the sign-off); the 发文字号 ledger per 机关代字 and
-- year; recipients, distributions and receipts (R1.8 发出文电询收到).
-- Times are Unix milliseconds UTC (BIGINT); dates TEXT YYYY-MM-DD.

CREATE TABLE outgoing_documents (
    outgoing_id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    doc_type TEXT NOT NULL,
    direction TEXT NOT NULL,
    classification TEXT NOT NULL,
    secrecy_period TEXT NOT NULL DEFAULT '',
    urgency BIGINT NOT NULL DEFAULT 0,
    prefix TEXT NOT NULL,
    intent TEXT NOT NULL DEFAULT '',
    outline TEXT NOT NULL DEFAULT '',
    drafter_id BIGINT NOT NULL REFERENCES people(person_id),
    department_id BIGINT REFERENCES departments(department_id),
    signer_id BIGINT NOT NULL REFERENCES people(person_id),
    countersign_parallel BOOLEAN NOT NULL DEFAULT FALSE,
    copies BIGINT NOT NULL DEFAULT 1,
    state TEXT NOT NULL,
    round BIGINT NOT NULL DEFAULT 0,
    checked_by BIGINT REFERENCES people(person_id),
    check_opinion TEXT,
    -- 成文日期: fixed by the sign-off, never typed.
    signed_on TEXT,
    sign_opinion TEXT,
    -- The number held now (NULL before registration or after a void).
    number_year BIGINT,
    number_seq BIGINT,
    doc_number TEXT,
    return_reason TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX outgoing_documents_state ON outgoing_documents(state);
CREATE INDEX outgoing_documents_drafter ON outgoing_documents(drafter_id);

CREATE TABLE outgoing_countersigners (
    outgoing_id BIGINT NOT NULL REFERENCES outgoing_documents(outgoing_id),
    person_id BIGINT NOT NULL REFERENCES people(person_id),
    position BIGINT NOT NULL,
    PRIMARY KEY (outgoing_id, person_id)
);

CREATE TABLE outgoing_materials (
    material_id INTEGER PRIMARY KEY,
    outgoing_id BIGINT NOT NULL REFERENCES outgoing_documents(outgoing_id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    reference TEXT NOT NULL DEFAULT '',
    rank BIGINT NOT NULL,
    kept BOOLEAN NOT NULL DEFAULT TRUE,
    note TEXT NOT NULL DEFAULT '',
    added_by BIGINT NOT NULL REFERENCES people(person_id),
    added_at BIGINT NOT NULL
);
CREATE INDEX outgoing_materials_doc ON outgoing_materials(outgoing_id);

CREATE TABLE outgoing_versions (
    version_id INTEGER PRIMARY KEY,
    outgoing_id BIGINT NOT NULL REFERENCES outgoing_documents(outgoing_id),
    seq BIGINT NOT NULL,
    body TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    author_id BIGINT NOT NULL REFERENCES people(person_id),
    created_at BIGINT NOT NULL,
    UNIQUE (outgoing_id, seq)
);

CREATE TABLE outgoing_steps (
    step_id INTEGER PRIMARY KEY,
    outgoing_id BIGINT NOT NULL REFERENCES outgoing_documents(outgoing_id),
    kind TEXT NOT NULL,
    person_id BIGINT NOT NULL REFERENCES people(person_id),
    round BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    state TEXT NOT NULL,
    opinion TEXT,
    acted_by BIGINT REFERENCES people(person_id),
    acted_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX outgoing_steps_doc ON outgoing_steps(outgoing_id);
CREATE INDEX outgoing_steps_person ON outgoing_steps(person_id);

CREATE TABLE outgoing_recipients (
    recipient_id INTEGER PRIMARY KEY,
    outgoing_id BIGINT NOT NULL REFERENCES outgoing_documents(outgoing_id),
    role TEXT NOT NULL,
    kind TEXT NOT NULL,
    department_id BIGINT REFERENCES departments(department_id),
    person_id BIGINT REFERENCES people(person_id),
    organ TEXT NOT NULL DEFAULT '',
    position BIGINT NOT NULL
);
CREATE INDEX outgoing_recipients_doc ON outgoing_recipients(outgoing_id);

-- One row per 机关代字 and year: `UPDATE … SET next_seq = next_seq + 1 RETURNING` locks it
-- until the registering transaction ends, so numbers queue, never repeat and never skip.
CREATE TABLE outgoing_number_heads (
    prefix TEXT NOT NULL,
    year BIGINT NOT NULL,
    last_seq BIGINT NOT NULL,
    PRIMARY KEY (prefix, year)
);

-- Every number ever assigned, voided ones included (with their reason).
CREATE TABLE outgoing_numbers (
    prefix TEXT NOT NULL,
    year BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    outgoing_id BIGINT NOT NULL REFERENCES outgoing_documents(outgoing_id),
    assigned_by BIGINT NOT NULL REFERENCES people(person_id),
    assigned_at BIGINT NOT NULL,
    voided_by BIGINT REFERENCES people(person_id),
    voided_at BIGINT,
    void_reason TEXT,
    PRIMARY KEY (prefix, year, seq)
);
CREATE INDEX outgoing_numbers_doc ON outgoing_numbers(outgoing_id);

CREATE TABLE outgoing_distributions (
    distribution_id INTEGER PRIMARY KEY,
    outgoing_id BIGINT NOT NULL REFERENCES outgoing_documents(outgoing_id),
    distributed_by BIGINT NOT NULL REFERENCES people(person_id),
    distributed_at BIGINT NOT NULL,
    cancelled_by BIGINT REFERENCES people(person_id),
    cancelled_at BIGINT,
    cancel_reason TEXT
);
CREATE INDEX outgoing_distributions_doc ON outgoing_distributions(outgoing_id);

-- One receipt (签收) per recipient per distribution. Internal ones name the person who
-- signs for it (a spine task); external ones are recorded by the secretary.
CREATE TABLE outgoing_receipts (
    receipt_id INTEGER PRIMARY KEY,
    distribution_id BIGINT NOT NULL REFERENCES outgoing_distributions(distribution_id),
    outgoing_id BIGINT NOT NULL REFERENCES outgoing_documents(outgoing_id),
    recipient_id BIGINT NOT NULL REFERENCES outgoing_recipients(recipient_id),
    person_id BIGINT REFERENCES people(person_id),
    state TEXT NOT NULL,
    confirmed_at BIGINT,
    confirmed_by BIGINT REFERENCES people(person_id),
    confirmer_name TEXT,
    channel TEXT,
    note TEXT
);
CREATE INDEX outgoing_receipts_doc ON outgoing_receipts(outgoing_id);
CREATE INDEX outgoing_receipts_person ON outgoing_receipts(person_id);
