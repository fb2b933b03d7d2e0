-- A photo of each room for the room register (issue 5): the stored file's key (see
-- files::store) and its kind (png / jpeg). NULL: no photo yet.
ALTER TABLE rooms ADD COLUMN photo_key TEXT;
ALTER TABLE rooms ADD COLUMN photo_kind TEXT;
