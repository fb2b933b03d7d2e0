-- Two live bookings (requested or approved) of one room can never overlap. SQLite has no
-- exclusion constraint: meetings::bookings checks and inserts in one BEGIN IMMEDIATE
-- transaction, and these triggers refuse an overlapping row written by any other path
-- (the same guarantee as PostgreSQL's room_bookings_no_overlap). The message names the
-- constraint so the service maps it to the usual 409. Slots are half-open [starts_at, ends_at).
CREATE TRIGGER room_bookings_no_overlap_insert
BEFORE INSERT ON room_bookings
WHEN NEW.state IN ('requested', 'approved') AND EXISTS (
    SELECT 1 FROM room_bookings b
    WHERE b.room_id = NEW.room_id AND b.state IN ('requested', 'approved')
      AND b.starts_at < NEW.ends_at AND b.ends_at > NEW.starts_at
)
BEGIN
    SELECT RAISE(ABORT, 'room_bookings_no_overlap');
END;

CREATE TRIGGER room_bookings_no_overlap_update
BEFORE UPDATE OF room_id, starts_at, ends_at, state ON room_bookings
WHEN NEW.state IN ('requested', 'approved') AND EXISTS (
    SELECT 1 FROM room_bookings b
    WHERE b.booking_id <> NEW.booking_id AND b.room_id = NEW.room_id AND b.state IN ('requested', 'approved')
      AND b.starts_at < NEW.ends_at AND b.ends_at > NEW.starts_at
)
BEGIN
    SELECT RAISE(ABORT, 'room_bookings_no_overlap');
END;
