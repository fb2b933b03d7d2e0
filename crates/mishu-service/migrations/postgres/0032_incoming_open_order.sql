-- The 收文 register's open documents in the page's order (incoming::store::list, ORDER_OPEN):
-- by deadline, none last, newest number first among equals. Partial, on the open states
-- only (the same list, in the same order, as the page's `state IN (…)`), so the first page
-- reads fifty entries instead of sorting every open document (issue 7).
CREATE INDEX incoming_open_order ON incoming_documents
    (COALESCE(due_at, 9223372036854775807), reg_year DESC, reg_seq DESC, incoming_id DESC)
    WHERE state IN ('registered', 'proposed', 'with_leaders', 'instructed', 'assigned', 'handled');
