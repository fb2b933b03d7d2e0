-- Two live bookings (requested or approved) of one room can never overlap, even if a code
-- path skips the room lock of meetings::bookings or two nodes race: the database itself
-- refuses the second row (SQLSTATE 23P01, which the service maps to the usual 409).
-- A single-point int8range on room_id stands in for `room_id WITH =`, so no btree_gist
-- extension is needed; the slot is half-open [starts_at, ends_at), as everywhere else, so
-- back-to-back bookings do not collide. Rejected and cancelled bookings free their slot.
ALTER TABLE room_bookings ADD CONSTRAINT room_bookings_no_overlap
    EXCLUDE USING gist (
        int8range(room_id, room_id, '[]') WITH =,
        int8range(starts_at, ends_at) WITH &&
    ) WHERE (state IN ('requested', 'approved'));
