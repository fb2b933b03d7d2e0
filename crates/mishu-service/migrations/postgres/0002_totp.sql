-- The second factor (TOTP): a secret waiting for its first code during enrolment, and the
-- last accepted time step, so a code that has been used once is refused if replayed.
ALTER TABLE people ADD COLUMN totp_pending TEXT;
ALTER TABLE people ADD COLUMN totp_last_step BIGINT;
