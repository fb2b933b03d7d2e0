-- A department's own rules for using its seals (R7.5): set by its head and registered (备案)
-- with the general office. One row per filing; the latest 'registered' row per department is
-- in force. States: filed → registered | returned; filed or registered → superseded.
-- Times are Unix milliseconds UTC (BIGINT).
CREATE TABLE seal_rules (
    rules_id INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(department_id),
    text TEXT NOT NULL,
    state TEXT NOT NULL,
    filed_by BIGINT NOT NULL REFERENCES people(person_id),
    filed_at BIGINT NOT NULL,
    decided_by BIGINT REFERENCES people(person_id),
    decided_at BIGINT,
    return_reason TEXT
);
CREATE INDEX seal_rules_department ON seal_rules(department_id, state);
