-- Received documents (收文): the register with its yearly 收文编号, each document's route
-- of leader and department steps, and the counters that hand out numbers.
-- Times are Unix milliseconds UTC (BIGINT).

-- Named sequences that never repeat and never skip: a number is taken inside the
-- transaction that uses it (UPDATE … RETURNING), so a rolled-back registration gives it back.
CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);

CREATE TABLE incoming_documents (
    incoming_id INTEGER PRIMARY KEY,
    -- 收文编号: the registration year and its sequence, e.g. 2026 / 12.
    reg_year BIGINT NOT NULL,
    reg_seq BIGINT NOT NULL,
    sender_organ TEXT NOT NULL,
    -- 来文字号 in its normal form (代字〔YYYY〕N号); '' when the document has none.
    sender_number TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    doc_type TEXT NOT NULL,
    classification TEXT NOT NULL DEFAULT 'none',
    secrecy_period TEXT NOT NULL DEFAULT '',
    copy_no TEXT NOT NULL DEFAULT '',
    urgency BIGINT NOT NULL DEFAULT 0,
    copies BIGINT NOT NULL DEFAULT 1,
    pages BIGINT,
    received_at BIGINT NOT NULL,
    due_at BIGINT,
    handling_kind TEXT NOT NULL,
    submission_kind TEXT,
    proposal TEXT,
    proposed_by BIGINT REFERENCES people(person_id),
    proposed_at BIGINT,
    state TEXT NOT NULL,
    -- Each proposal to leaders is a round; a route sent back and proposed again starts a new one.
    round BIGINT NOT NULL DEFAULT 0,
    outcome TEXT,
    reply TEXT,
    promoted BOOLEAN NOT NULL DEFAULT FALSE,
    return_reason TEXT,
    closed_at BIGINT,
    closed_by BIGINT REFERENCES people(person_id),
    registered_by BIGINT NOT NULL REFERENCES people(person_id),
    created_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 0,
    UNIQUE (reg_year, reg_seq)
);
CREATE INDEX incoming_sender ON incoming_documents(sender_organ, sender_number);
CREATE INDEX incoming_state_due ON incoming_documents(state, due_at);

-- One row per leader or department step. Steps sharing `seq` within a round run in parallel.
CREATE TABLE incoming_steps (
    step_id INTEGER PRIMARY KEY,
    incoming_id BIGINT NOT NULL REFERENCES incoming_documents(incoming_id),
    stage TEXT NOT NULL,
    mode TEXT NOT NULL,
    round BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    parallel BOOLEAN NOT NULL DEFAULT FALSE,
    lead BOOLEAN NOT NULL DEFAULT FALSE,
    person_id BIGINT NOT NULL REFERENCES people(person_id),
    department_id BIGINT REFERENCES departments(department_id),
    state TEXT NOT NULL,
    due_at BIGINT,
    opened_at BIGINT,
    -- The instruction, the result, what was said back in an oral report, or the reason it ended.
    text TEXT,
    acted_by BIGINT REFERENCES people(person_id),
    acting_for BIGINT REFERENCES people(person_id),
    acted_at BIGINT,
    created_by BIGINT NOT NULL REFERENCES people(person_id),
    created_at BIGINT NOT NULL
);
CREATE INDEX incoming_steps_document ON incoming_steps(incoming_id, step_id);
CREATE INDEX incoming_steps_person ON incoming_steps(person_id);
