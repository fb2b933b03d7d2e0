-- No booking lasts longer than a day (MAX_BOOKING_MINUTES, domain meetings::rules); the
-- database now refuses a longer one by any path, as SQLite's triggers of the same migration
-- do. The service's clash queries use it as the lower end of their index scans (issue 7).
-- The GiST exclusion constraints (0021, 0026) need no bound.
ALTER TABLE room_bookings ADD CONSTRAINT room_bookings_at_most_one_day CHECK (ends_at - starts_at <= 86400000);
ALTER TABLE booking_equipment ADD CONSTRAINT booking_equipment_at_most_one_day CHECK (ends_at - starts_at <= 86400000);
