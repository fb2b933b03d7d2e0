-- A meeting's logistics checklist (会务保障清单, R3): meals, lodging, vehicles, name cards,
-- seating, materials, equipment. An item with an owner is a Handle task in the owner's 待办
-- (spine domain `meeting_logistics`) until it is done or found not needed.
CREATE TABLE meeting_logistics (
    item_id INTEGER PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES meetings(meeting_id),
    -- meals / lodging / vehicles / name_cards / seating / materials / equipment / other
    kind TEXT NOT NULL,
    note TEXT NOT NULL,
    owner_id BIGINT REFERENCES people(person_id),
    -- Not after the meeting's end (mishu_domain::meetings::logistics).
    due_at BIGINT NOT NULL,
    -- open / done / not_needed
    state TEXT NOT NULL DEFAULT 'open',
    closed_by BIGINT REFERENCES people(person_id),
    closed_at BIGINT,
    created_by BIGINT NOT NULL REFERENCES people(person_id),
    created_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX meeting_logistics_meeting ON meeting_logistics(meeting_id);
