-- A seal-use application may name the outgoing document (发文) it is for (issue 6: "an outgoing
-- document from the system or an uploaded file"); NULL means a paper or uploaded document.
-- Stamping such an application electronically renders that document with the seal's
-- impression and signs it.
ALTER TABLE seal_applications ADD COLUMN outgoing_id BIGINT REFERENCES outgoing_documents(outgoing_id);
CREATE INDEX seal_applications_outgoing ON seal_applications(outgoing_id);
