-- The inbox's counts (待办, 待阅, overdue) read kind and due_at of each open task; with
-- them in the index the counts never touch the table (a person with thousands of open
-- items paid one table read each, on every inbox page).
CREATE INDEX tasks_open_counts ON tasks(assignee_id, state, kind, due_at);
