-- Meetings and rooms (办会): bookings of the rooms, the meetings held in them, each
-- attendee's notice and answer (回执) and check-in, and the decisions (议定事项) that are
-- followed up on the task spine. Times are Unix milliseconds UTC (BIGINT).

-- The section that manages the rooms (R5.2, 行政科): its head consents to equipment (R5.8).
ALTER TABLE rooms ADD COLUMN managed_by BIGINT REFERENCES departments(department_id);
-- Bumped by every booking request: the UPDATE takes the room's row lock, so on PostgreSQL
-- requests for one room queue up behind each other (see meetings::bookings).
ALTER TABLE rooms ADD COLUMN booking_seq BIGINT NOT NULL DEFAULT 0;

CREATE TABLE room_bookings (
    booking_id INTEGER PRIMARY KEY,
    room_id BIGINT NOT NULL REFERENCES rooms(room_id),
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    chair TEXT NOT NULL,
    content TEXT NOT NULL DEFAULT '',
    -- The slot is half-open: [starts_at, ends_at).
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    attendees BIGINT NOT NULL,
    equipment BOOLEAN NOT NULL DEFAULT FALSE,
    ad_hoc BOOLEAN NOT NULL DEFAULT FALSE,
    state TEXT NOT NULL,
    pending_office_head BOOLEAN NOT NULL DEFAULT FALSE,
    pending_section BOOLEAN NOT NULL DEFAULT FALSE,
    requested_by BIGINT NOT NULL REFERENCES people(person_id),
    department_id BIGINT REFERENCES departments(department_id),
    decision_reason TEXT,
    decided_at BIGINT,
    created_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 0,
    CHECK (ends_at > starts_at),
    CHECK (attendees > 0)
);
CREATE INDEX room_bookings_room_time ON room_bookings(room_id, starts_at);
CREATE INDEX room_bookings_time ON room_bookings(starts_at);

CREATE TABLE meetings (
    meeting_id INTEGER PRIMARY KEY,
    booking_id BIGINT UNIQUE REFERENCES room_bookings(booking_id),
    title TEXT NOT NULL,
    chair_id BIGINT NOT NULL REFERENCES people(person_id),
    content TEXT NOT NULL DEFAULT '',
    materials TEXT NOT NULL DEFAULT '',
    location TEXT NOT NULL DEFAULT '',
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    organiser_id BIGINT NOT NULL REFERENCES people(person_id),
    minutes TEXT,
    minutes_by BIGINT REFERENCES people(person_id),
    minutes_at BIGINT,
    created_at BIGINT NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX meetings_time ON meetings(starts_at);

-- One row per named attendee: the notice reaches each one personally (R3.1, R6.1).
CREATE TABLE meeting_attendees (
    meeting_id BIGINT NOT NULL REFERENCES meetings(meeting_id),
    person_id BIGINT NOT NULL REFERENCES people(person_id),
    -- pending / attend / absent / deputy
    rsvp TEXT NOT NULL DEFAULT 'pending',
    reason TEXT,
    deputy_name TEXT,
    answered_at BIGINT,
    checked_in_at BIGINT,
    PRIMARY KEY (meeting_id, person_id)
);

-- 议定事项: each is followed up as a task on the spine until its owner answers (R3.3).
CREATE TABLE meeting_decisions (
    decision_id INTEGER PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES meetings(meeting_id),
    text TEXT NOT NULL,
    owner_id BIGINT NOT NULL REFERENCES people(person_id),
    due_at BIGINT NOT NULL,
    state TEXT NOT NULL DEFAULT 'open',
    answer TEXT,
    answered_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX meeting_decisions_meeting ON meeting_decisions(meeting_id);
