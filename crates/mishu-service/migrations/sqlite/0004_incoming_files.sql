-- Attachments of received documents: the scan registered with the document and the files a
-- department sends with its reply. The bytes live under <data_dir>/files/ by `storage_key`
-- (ASCII, random); the original (often Chinese) filename is kept here only.
CREATE TABLE incoming_files (
    file_id INTEGER PRIMARY KEY,
    incoming_id BIGINT NOT NULL REFERENCES incoming_documents(incoming_id),
    -- The department's step whose reply brought the file; NULL for a registration file.
    step_id BIGINT REFERENCES incoming_steps(step_id),
    storage_key TEXT NOT NULL UNIQUE,
    filename TEXT NOT NULL,
    kind TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    uploaded_by BIGINT NOT NULL REFERENCES people(person_id),
    uploaded_at BIGINT NOT NULL
);
CREATE INDEX incoming_files_document ON incoming_files(incoming_id, file_id);
