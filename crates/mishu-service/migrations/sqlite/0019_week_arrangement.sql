-- The weekly work arrangement (每周工作安排, R5.4): leaders' activities the office enters,
-- the numbered versions the office publishes (each a frozen copy of the week's entries),
-- and the changes found between one published version and the next. Times are Unix
-- milliseconds UTC (BIGINT); a week is named by its Monday 00:00 office time.

-- A leader's activity outside the booked rooms (调研, 出差, 接待…), entered by the office.
CREATE TABLE leader_activities (
    activity_id INTEGER PRIMARY KEY,
    leader_id BIGINT NOT NULL REFERENCES people(person_id),
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    what TEXT NOT NULL,
    -- active / cancelled
    state TEXT NOT NULL DEFAULT 'active',
    created_by BIGINT NOT NULL REFERENCES people(person_id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 0,
    CHECK (ends_at > starts_at)
);
CREATE INDEX leader_activities_time ON leader_activities(starts_at);

-- One published version of a week; numbers run 1, 2, … per week.
CREATE TABLE arrangement_versions (
    version_id INTEGER PRIMARY KEY,
    week_start BIGINT NOT NULL,
    number BIGINT NOT NULL,
    published_by BIGINT NOT NULL REFERENCES people(person_id),
    published_at BIGINT NOT NULL,
    -- The Friday cut-off of the room rules (R5.3) for this week: when it was due.
    due_at BIGINT NOT NULL,
    UNIQUE (week_start, number)
);

-- The frozen entries of a version, as they were printed. `people` and `leaders` are
-- comma-separated person ids (who the entry concerns; the leaders among them).
CREATE TABLE arrangement_entries (
    version_id BIGINT NOT NULL REFERENCES arrangement_versions(version_id),
    seq BIGINT NOT NULL,
    entry_key TEXT NOT NULL,
    source TEXT NOT NULL,
    source_id BIGINT NOT NULL,
    meeting_id BIGINT,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    title TEXT NOT NULL,
    place TEXT NOT NULL,
    chair TEXT NOT NULL,
    attendee_names TEXT NOT NULL,
    people TEXT NOT NULL,
    leaders TEXT NOT NULL,
    leader_names TEXT NOT NULL,
    PRIMARY KEY (version_id, seq)
);

-- What a re-published version changed against the one before: added / changed / cancelled,
-- the entry before and after as printed, and who was told.
CREATE TABLE arrangement_changes (
    change_id INTEGER PRIMARY KEY,
    version_id BIGINT NOT NULL REFERENCES arrangement_versions(version_id),
    week_start BIGINT NOT NULL,
    entry_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    before_text TEXT NOT NULL DEFAULT '',
    after_text TEXT NOT NULL DEFAULT '',
    people TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX arrangement_changes_week ON arrangement_changes(week_start, change_id);
