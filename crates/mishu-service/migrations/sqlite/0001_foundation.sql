-- Foundation: organisation, people, sign-in, the task spine, calendar, delegation,
-- leader-assigned tasks, notifications, jobs, settings and the audit chain.
-- Times are Unix milliseconds UTC (BIGINT); dates are TEXT 'YYYY-MM-DD'.

CREATE TABLE organ (
    organ_id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    short_name TEXT NOT NULL,
    higher_authority TEXT NOT NULL DEFAULT ''
);

CREATE TABLE departments (
    department_id INTEGER PRIMARY KEY,
    parent_id BIGINT REFERENCES departments(department_id),
    name TEXT NOT NULL,
    sort_order BIGINT NOT NULL DEFAULT 0,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX departments_parent_name ON departments(COALESCE(parent_id, 0), name);

CREATE TABLE people (
    person_id INTEGER PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    department_id BIGINT REFERENCES departments(department_id),
    position TEXT,
    clearance TEXT NOT NULL DEFAULT 'none',
    admin_kind TEXT,
    phone TEXT NOT NULL DEFAULT '',
    sort_order BIGINT NOT NULL DEFAULT 0,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    password_hash TEXT,
    password_changed_at BIGINT,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    failed_logins BIGINT NOT NULL DEFAULT 0,
    first_failed_at BIGINT,
    locked_until BIGINT,
    totp_secret TEXT,
    locale TEXT NOT NULL DEFAULT 'zh-CN',
    created_at BIGINT NOT NULL
);
CREATE INDEX people_department ON people(department_id);

CREATE TABLE person_roles (
    person_id BIGINT NOT NULL REFERENCES people(person_id),
    role TEXT NOT NULL,
    department_id BIGINT REFERENCES departments(department_id),
    PRIMARY KEY (person_id, role)
);

-- 分管: which departments and areas of work a leader supervises.
CREATE TABLE supervisions (
    person_id BIGINT NOT NULL REFERENCES people(person_id),
    department_id BIGINT NOT NULL REFERENCES departments(department_id),
    PRIMARY KEY (person_id, department_id)
);
CREATE TABLE supervised_areas (
    person_id BIGINT NOT NULL REFERENCES people(person_id),
    area TEXT NOT NULL,
    PRIMARY KEY (person_id, area)
);

CREATE TABLE sessions (
    session_hash TEXT PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people(person_id),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    acting_for BIGINT REFERENCES people(person_id),
    pending_totp BOOLEAN NOT NULL DEFAULT FALSE,
    source_ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_person ON sessions(person_id);

CREATE TABLE api_tokens (
    token_id INTEGER PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people(person_id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT,
    last_used_at BIGINT,
    revoked_at BIGINT
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE calendar_days (
    day TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);

CREATE TABLE delegations (
    delegation_id INTEGER PRIMARY KEY,
    principal_id BIGINT NOT NULL REFERENCES people(person_id),
    delegate_id BIGINT NOT NULL REFERENCES people(person_id),
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX delegations_delegate ON delegations(delegate_id);

-- The spine: one row per thing a person must do, from any domain.
CREATE TABLE tasks (
    task_id INTEGER PRIMARY KEY,
    domain TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    assignee_id BIGINT NOT NULL REFERENCES people(person_id),
    created_by BIGINT REFERENCES people(person_id),
    classification TEXT NOT NULL DEFAULT 'none',
    urgency BIGINT NOT NULL DEFAULT 0,
    due_at BIGINT,
    state TEXT NOT NULL DEFAULT 'open',
    outcome TEXT,
    created_at BIGINT NOT NULL,
    done_at BIGINT,
    done_by BIGINT REFERENCES people(person_id),
    done_acting_for BIGINT REFERENCES people(person_id),
    before_sent BOOLEAN NOT NULL DEFAULT FALSE,
    due_sent BOOLEAN NOT NULL DEFAULT FALSE,
    escalated_at BIGINT,
    escalated_to BIGINT REFERENCES people(person_id),
    chase_count BIGINT NOT NULL DEFAULT 0,
    last_chased_at BIGINT,
    version BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX tasks_assignee_state ON tasks(assignee_id, state);
CREATE INDEX tasks_subject ON tasks(domain, subject_id);
CREATE INDEX tasks_open_due ON tasks(state, due_at);

CREATE TABLE notifications (
    notification_id INTEGER PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people(person_id),
    task_id BIGINT REFERENCES tasks(task_id),
    kind TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
CREATE INDEX notifications_person ON notifications(person_id, read_at);

CREATE TABLE leader_tasks (
    leader_task_id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    leader_id BIGINT NOT NULL REFERENCES people(person_id),
    recorded_by BIGINT NOT NULL REFERENCES people(person_id),
    owner_id BIGINT NOT NULL REFERENCES people(person_id),
    urgency BIGINT NOT NULL DEFAULT 0,
    due_at BIGINT NOT NULL,
    state TEXT NOT NULL,
    answer TEXT,
    answered_at BIGINT,
    answered_by BIGINT REFERENCES people(person_id),
    closed_at BIGINT,
    created_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 0
);

-- Job leases: on several nodes each periodic job runs on one node at a time.
CREATE TABLE job_leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    lease_until BIGINT NOT NULL,
    last_run_at BIGINT
);

CREATE TABLE rooms (
    room_id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    location TEXT NOT NULL DEFAULT '',
    capacity BIGINT NOT NULL,
    equipment TEXT NOT NULL DEFAULT '',
    equipment_needs_approval BOOLEAN NOT NULL DEFAULT FALSE,
    active BOOLEAN NOT NULL DEFAULT TRUE
);

-- Append-only. Each record's MAC covers its fields and the previous record's MAC.
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_id BIGINT,
    acting_for BIGINT,
    source_ip TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id TEXT,
    detail TEXT NOT NULL,
    prev_mac TEXT NOT NULL,
    mac TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_actor ON audit_log(actor_id);

-- The chain's head: appends lock this row (UPDATE … RETURNING), so appends from several
-- nodes are serialised, and a truncated tail shows as a head the log no longer reaches.
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL,
    mac TEXT NOT NULL,
    first_seq BIGINT NOT NULL DEFAULT 1,
    first_prev_mac TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, mac, first_seq, first_prev_mac)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 1,
        '0000000000000000000000000000000000000000000000000000000000000000');
