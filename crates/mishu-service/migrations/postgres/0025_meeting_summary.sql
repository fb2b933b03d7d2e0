-- A meeting's minutes circulated as a 纪要 (R3.3): the outgoing draft made from them. One per
-- meeting; the draft then goes the outgoing route like any other.
CREATE TABLE meeting_summaries (
    meeting_id BIGINT PRIMARY KEY REFERENCES meetings(meeting_id),
    outgoing_id BIGINT NOT NULL REFERENCES outgoing_documents(outgoing_id),
    drafted_by BIGINT NOT NULL REFERENCES people(person_id),
    drafted_at BIGINT NOT NULL
);
