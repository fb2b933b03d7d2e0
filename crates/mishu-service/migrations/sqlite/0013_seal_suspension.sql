-- A seal may be suspended (停用) for a reason and resumed later; while suspended nobody may
-- apply for it or stamp with it.
ALTER TABLE seals ADD COLUMN suspended_at BIGINT;
ALTER TABLE seals ADD COLUMN suspended_reason TEXT;
