-- Attachments of received documents and their circulation (传阅).
-- Attachments: the scan registered with the document and the files a department sends with
-- its reply. The bytes live under <data_dir>/files/ by `storage_key` (ASCII, random); the
-- original (often Chinese) filename is kept here only.
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

-- Circulation (传阅): each reader the office sends a document to. Whether and when they read
-- it is their Read task on the spine (domain 'incoming_circulation'): open = not yet,
-- done = read at done_at, cancelled = recalled. One source of truth, so reading from the
-- inbox and from the document page agree.
CREATE TABLE incoming_circulation (
    circulation_id INTEGER PRIMARY KEY,
    incoming_id BIGINT NOT NULL REFERENCES incoming_documents(incoming_id),
    person_id BIGINT NOT NULL REFERENCES people(person_id),
    task_id BIGINT NOT NULL REFERENCES tasks(task_id),
    must_read BOOLEAN NOT NULL DEFAULT TRUE,
    note TEXT NOT NULL DEFAULT '',
    sent_by BIGINT NOT NULL REFERENCES people(person_id),
    sent_at BIGINT NOT NULL
);
CREATE INDEX incoming_circulation_document ON incoming_circulation(incoming_id, circulation_id);
CREATE INDEX incoming_circulation_person ON incoming_circulation(person_id);

-- Saved phrases (常用意见) one click away when writing an instruction or a proposal: the
-- organ's defaults (person_id NULL) and each person's own.
CREATE TABLE saved_phrases (
    phrase_id INTEGER PRIMARY KEY,
    person_id BIGINT REFERENCES people(person_id),
    text TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX saved_phrases_person ON saved_phrases(person_id);
INSERT INTO saved_phrases (person_id, text, created_at) VALUES
    (NULL, '同意。', 0), (NULL, '已阅。', 0), (NULL, '请XX处阅办。', 0), (NULL, '请研究提出意见。', 0);
