-- Visiting leaders or guests of a booking (R5.6): their presence raises a reception notice
-- to the general office's reception staff.
ALTER TABLE room_bookings ADD COLUMN guests TEXT NOT NULL DEFAULT '';
