-- Archives (归档, R1.7; DA/T 22-2015): filed items (件) with their 档号, copied files and the
-- route snapshot; 机构(问题) classes; loans (借阅); destruction reviews (销毁); the chronicle
-- (大事记, R8.2) and the materials library (R8.3). Times are Unix milliseconds UTC (BIGINT);
-- dates are TEXT YYYY-MM-DD. 件号 come from `counters` (archive:<year>:<retention>:<class>),
-- taken inside the filing transaction, so they never repeat and never skip.

CREATE TABLE archive_classes (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    department_id BIGINT REFERENCES departments(department_id),
    created_at BIGINT NOT NULL
);

CREATE TABLE archive_items (
    item_id INTEGER PRIMARY KEY,
    archive_code TEXT NOT NULL UNIQUE,
    fonds TEXT NOT NULL DEFAULT '',
    year BIGINT NOT NULL,
    retention TEXT NOT NULL,
    class_code TEXT NOT NULL DEFAULT '',
    item_no BIGINT NOT NULL,
    -- What was filed: one finished item of a domain is filed once.
    source_kind TEXT NOT NULL,
    source_id BIGINT NOT NULL,
    -- GB/T 33480 / 归档文件目录 fields as they were at filing.
    title TEXT NOT NULL,
    doc_number TEXT NOT NULL DEFAULT '',
    responsible TEXT NOT NULL DEFAULT '',
    doc_date TEXT NOT NULL,
    doc_type TEXT NOT NULL,
    classification TEXT NOT NULL DEFAULT 'none',
    pages BIGINT NOT NULL DEFAULT 0,
    department_id BIGINT REFERENCES departments(department_id),
    note TEXT NOT NULL DEFAULT '',
    -- The item's whole route (its steps and audit records) frozen as JSON at filing.
    route_json TEXT NOT NULL,
    filed_by BIGINT NOT NULL REFERENCES people(person_id),
    filed_at BIGINT NOT NULL,
    -- Set when the files were destroyed after an approved review; the metadata stays.
    destroyed_at BIGINT,
    UNIQUE (source_kind, source_id),
    UNIQUE (year, retention, class_code, item_no)
);
CREATE INDEX archive_items_year ON archive_items(year, retention, class_code, item_no);

-- The item's own copies of its files (正文 and 附件), so the archive does not depend on the
-- source's files; removed (storage_key NULL) when the item is destroyed.
CREATE TABLE archive_files (
    file_id INTEGER PRIMARY KEY,
    item_id BIGINT NOT NULL REFERENCES archive_items(item_id),
    storage_key TEXT UNIQUE,
    filename TEXT NOT NULL,
    kind TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sort_order BIGINT NOT NULL
);
CREATE INDEX archive_files_item ON archive_files(item_id, sort_order);

CREATE TABLE archive_borrowings (
    borrowing_id INTEGER PRIMARY KEY,
    item_id BIGINT NOT NULL REFERENCES archive_items(item_id),
    borrower_id BIGINT NOT NULL REFERENCES people(person_id),
    purpose TEXT NOT NULL,
    state TEXT NOT NULL,
    return_by TEXT,
    decided_by BIGINT REFERENCES people(person_id),
    decided_at BIGINT,
    reject_reason TEXT,
    returned_at BIGINT,
    created_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX archive_borrowings_item ON archive_borrowings(item_id);
CREATE INDEX archive_borrowings_borrower ON archive_borrowings(borrower_id);

-- The destruction record: what, when, who proposed, who approved, who destroyed.
CREATE TABLE archive_destructions (
    destruction_id INTEGER PRIMARY KEY,
    item_id BIGINT NOT NULL REFERENCES archive_items(item_id),
    state TEXT NOT NULL,
    reason TEXT NOT NULL,
    proposed_by BIGINT NOT NULL REFERENCES people(person_id),
    proposed_at BIGINT NOT NULL,
    decided_by BIGINT REFERENCES people(person_id),
    decided_at BIGINT,
    reject_reason TEXT,
    destroyed_by BIGINT REFERENCES people(person_id),
    destroyed_at BIGINT,
    files_removed BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX archive_destructions_item ON archive_destructions(item_id);

CREATE TABLE chronicle_entries (
    entry_id INTEGER PRIMARY KEY,
    entry_date TEXT NOT NULL,
    event TEXT NOT NULL,
    people TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    source_kind TEXT NOT NULL,
    -- NULL for entries typed in; a source is proposed at most once.
    source_id BIGINT,
    created_at BIGINT NOT NULL,
    decided_by BIGINT REFERENCES people(person_id),
    decided_at BIGINT,
    version BIGINT NOT NULL DEFAULT 0,
    UNIQUE (source_kind, source_id)
);
CREATE INDEX chronicle_entries_date ON chronicle_entries(entry_date);

CREATE TABLE materials (
    material_id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    -- Tags joined as ",tag1,tag2," so one LIKE '%,tag,%' finds a whole tag.
    tags TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    link TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    storage_key TEXT UNIQUE,
    filename TEXT,
    added_by BIGINT NOT NULL REFERENCES people(person_id),
    added_at BIGINT NOT NULL
);
