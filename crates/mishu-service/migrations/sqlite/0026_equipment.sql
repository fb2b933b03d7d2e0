-- Equipment as bookable items (issue 5, R5.8): the register of sound systems, projectors and
-- video-conference terminals, each fixed in one room or shared (moved between rooms, room_id
-- NULL), and the items each booking holds. rooms.equipment stays as the room's description.

CREATE TABLE equipment (
    equipment_id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    -- sound / projector / video_link / other
    kind TEXT NOT NULL,
    -- The room it is fixed in; NULL: shared, movable between rooms.
    room_id BIGINT REFERENCES rooms(room_id),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    -- Bumped by every booking that asks for the item: on PostgreSQL the UPDATE takes the
    -- item's row lock, so requests for one shared item from different rooms queue up.
    booking_seq BIGINT NOT NULL DEFAULT 0,
    CHECK (kind IN ('sound', 'projector', 'video_link', 'other'))
);
CREATE INDEX equipment_room ON equipment(room_id);

-- The items a booking holds, with the booking's slot and state copied so the database can
-- refuse two live holds of one item at overlapping times (across rooms, for shared items).
CREATE TABLE booking_equipment (
    booking_id BIGINT NOT NULL REFERENCES room_bookings(booking_id),
    equipment_id BIGINT NOT NULL REFERENCES equipment(equipment_id),
    -- Half-open [starts_at, ends_at), as the booking's.
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    state TEXT NOT NULL,
    PRIMARY KEY (booking_id, equipment_id),
    CHECK (ends_at > starts_at)
);
CREATE INDEX booking_equipment_item_time ON booking_equipment(equipment_id, starts_at);

-- As room_bookings_no_overlap (0021): the service checks under the item lock, and these
-- triggers refuse an overlapping live hold written by any other path.
CREATE TRIGGER booking_equipment_no_overlap_insert
BEFORE INSERT ON booking_equipment
WHEN NEW.state IN ('requested', 'approved') AND EXISTS (
    SELECT 1 FROM booking_equipment x
    WHERE x.equipment_id = NEW.equipment_id AND x.state IN ('requested', 'approved')
      AND x.starts_at < NEW.ends_at AND x.ends_at > NEW.starts_at
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
      AND x.starts_at < NEW.ends_at AND x.ends_at > NEW.starts_at
)
BEGIN
    SELECT RAISE(ABORT, 'booking_equipment_no_overlap');
END;
