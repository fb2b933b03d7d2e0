-- T17: the second factor's secrets are stored sealed (SM4-CBC with an HMAC-SM3 tag bound to
-- the person, mishu_service::auth::secret_box), no longer in plain base32. SQL cannot seal
-- (the key is not in the database), so the service's one-time pass
-- (auth::totp::seal_plain_secrets) seals the secrets stored before this migration; the marker
-- below lets that pass run once only: after it, a plain secret is refused like a wrong one.
INSERT INTO settings (key, value, updated_at) VALUES ('totp.unsealed', 'true', 0);
