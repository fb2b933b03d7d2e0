-- The overlap guards of migrations 0021 and 0026 looked at every earlier booking of the room
-- (or hold of the item): the (room_id, starts_at) index gives no lower end, so a booking cost
-- more the longer the room had been in use (issue 7: ×2.7 from 10k to 100k documents). No
-- booking lasts longer than a day (MAX_BOOKING_MINUTES, domain meetings::rules); the database
-- now refuses a longer one by any path, which makes "starts after the new start less a day" a
-- sound lower end for the guards.
CREATE TRIGGER room_bookings_at_most_one_day_insert
BEFORE INSERT ON room_bookings
WHEN NEW.ends_at - NEW.starts_at > 86400000
BEGIN
    SELECT RAISE(ABORT, 'room_bookings_at_most_one_day');
END;
CREATE TRIGGER room_bookings_at_most_one_day_update
BEFORE UPDATE OF starts_at, ends_at ON room_bookings
WHEN NEW.ends_at - NEW.starts_at > 86400000
BEGIN
    SELECT RAISE(ABORT, 'room_bookings_at_most_one_day');
END;
CREATE TRIGGER booking_equipment_at_most_one_day_insert
BEFORE INSERT ON booking_equipment
WHEN NEW.ends_at - NEW.starts_at > 86400000
BEGIN
    SELECT RAISE(ABORT, 'booking_equipment_at_most_one_day');
END;
CREATE TRIGGER booking_equipment_at_most_one_day_update
BEFORE UPDATE OF starts_at, ends_at ON booking_equipment
WHEN NEW.ends_at - NEW.starts_at > 86400000
BEGIN
    SELECT RAISE(ABORT, 'booking_equipment_at_most_one_day');
END;

DROP TRIGGER room_bookings_no_overlap_insert;
DROP TRIGGER room_bookings_no_overlap_update;
DROP TRIGGER booking_equipment_no_overlap_insert;
DROP TRIGGER booking_equipment_no_overlap_update;

CREATE TRIGGER room_bookings_no_overlap_insert
BEFORE INSERT ON room_bookings
WHEN NEW.state IN ('requested', 'approved') AND EXISTS (
    SELECT 1 FROM room_bookings b
    WHERE b.room_id = NEW.room_id AND b.state IN ('requested', 'approved')
      AND b.starts_at < NEW.ends_at AND b.starts_at > NEW.starts_at - 86400000
      AND b.ends_at > NEW.starts_at
)
BEGIN
    SELECT RAISE(ABORT, 'room_bookings_no_overlap');
END;

CREATE TRIGGER room_bookings_no_overlap_update
BEFORE UPDATE OF room_id, starts_at, ends_at, state ON room_bookings
WHEN NEW.state IN ('requested', 'approved') AND EXISTS (
    SELECT 1 FROM room_bookings b
    WHERE b.booking_id <> NEW.booking_id AND b.room_id = NEW.room_id AND b.state IN ('requested', 'approved')
      AND b.starts_at < NEW.ends_at AND b.starts_at > NEW.starts_at - 86400000
      AND b.ends_at > NEW.starts_at
)
BEGIN
    SELECT RAISE(ABORT, 'room_bookings_no_overlap');
END;

CREATE TRIGGER booking_equipment_no_overlap_insert
BEFORE INSERT ON booking_equipment
WHEN NEW.state IN ('requested', 'approved') AND EXISTS (
    SELECT 1 FROM booking_equipment x
    WHERE x.equipment_id = NEW.equipment_id AND x.state IN ('requested', 'approved')
      AND x.starts_at < NEW.ends_at AND x.starts_at > NEW.starts_at - 86400000
      AND x.ends_at > NEW.starts_at
)
BEGIN
    SELECT RAISE(ABORT, 'booking_equipment_no_overlap');
END;

CREATE TRIGGER booking_equipment_no_overlap_update
BEFORE UPDATE OF equipment_id, starts_at, ends_at, state ON booking_equipment
WHEN NEW.state IN ('requested', 'approved') AND EXISTS (
    SELECT 1 FROM booking_equipment x
    WHERE NOT (x.booking_id = NEW.booking_id AND x.equipment_id = NEW.equipment_id)
      AND x.equipment_id = NEW.equipment_id AND x.state IN ('requested', 'approved')
      AND x.starts_at < NEW.ends_at AND x.starts_at > NEW.starts_at - 86400000
      AND x.ends_at > NEW.starts_at
)
BEGIN
    SELECT RAISE(ABORT, 'booking_equipment_no_overlap');
END;
