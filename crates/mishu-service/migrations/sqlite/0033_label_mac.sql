-- T18, label integrity (GB/T 39786 §8.4 c): each object carrying a 密级 keeps an HMAC-SM3 of
-- its label (mishu_domain::labels), written in the transaction that writes the label and
-- checked on every read. SQL cannot compute it (the key is not in the database), so rows
-- from before this migration start NULL and the service's one sealing pass
-- (mishu_service::labels::seal_unsealed) seals them; the marker row below lets that pass run
-- once only: after it, a NULL MAC is a failure like a wrong one, never sealed again.
ALTER TABLE incoming_documents ADD COLUMN label_mac TEXT;
ALTER TABLE outgoing_documents ADD COLUMN label_mac TEXT;
ALTER TABLE archive_items ADD COLUMN label_mac TEXT;
INSERT INTO settings (key, value, updated_at) VALUES ('labels.unsealed', 'true', 0);
