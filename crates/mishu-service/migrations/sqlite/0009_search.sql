-- The search index's change record (architecture §6): every write transaction of a searchable
-- domain appends (domain, subject) here, in the same transaction as the change. Each node
-- reads it from its own cursor (kept in its index's metadata) and re-reads the changed rows,
-- so every node's index converges on what the database says. AUTOINCREMENT: a sequence
-- number is never reused, so a cursor never skips a later change.
CREATE TABLE search_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    domain TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    at BIGINT NOT NULL
);
