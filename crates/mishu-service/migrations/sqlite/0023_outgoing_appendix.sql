-- What follows an outgoing document's body (GB/T 9704 7.3.5, 7.3.7, 8): its attachments
-- (附件, named in the 附件说明 and each printed from a new page; an empty body means it
-- travels separately) and its 附注. And the copy register (份号登记) of classified documents:
-- one row per numbered copy once printed, with where it is now.

ALTER TABLE outgoing_documents ADD COLUMN annotation TEXT NOT NULL DEFAULT '';

CREATE TABLE outgoing_attachments (
    attachment_id INTEGER PRIMARY KEY,
    outgoing_id BIGINT NOT NULL REFERENCES outgoing_documents(outgoing_id),
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    added_by BIGINT NOT NULL REFERENCES people(person_id),
    added_at BIGINT NOT NULL
);
CREATE INDEX outgoing_attachments_doc ON outgoing_attachments(outgoing_id, position);

CREATE TABLE outgoing_copies (
    outgoing_id BIGINT NOT NULL REFERENCES outgoing_documents(outgoing_id),
    copy_no BIGINT NOT NULL,
    state TEXT NOT NULL,
    holder TEXT NOT NULL DEFAULT '',
    prints BIGINT NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    updated_by BIGINT NOT NULL REFERENCES people(person_id),
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (outgoing_id, copy_no)
);
