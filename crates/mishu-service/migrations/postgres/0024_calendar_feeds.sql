-- A private calendar feed per person (`GET /calendar/{token}.ics`): one live token each,
-- stored only as its SM3 digest like API tokens and sessions. Rotating replaces the row,
-- so the old address stops answering at once. Reading the feed writes nothing.
CREATE TABLE calendar_feeds (
    person_id BIGINT PRIMARY KEY REFERENCES people(person_id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);
