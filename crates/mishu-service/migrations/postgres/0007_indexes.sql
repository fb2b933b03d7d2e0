-- Indexes found by mishu-bench (issue 7) at 100,000 tasks.
--
-- Closing a subject's tasks (`domain = ? AND subject_id = ? AND state = 'open'`) was planned on
-- tasks_open_due (state) and walked every open task in the organ: 46 ms of CPU per
-- leader-task answer. The subject index now carries the state, so it is the obvious choice.
DROP INDEX IF EXISTS tasks_subject;
CREATE INDEX tasks_subject_state ON tasks(domain, subject_id, state);

-- The inbox reads one person's open tasks in the inbox's order, and the done boxes newest
-- first; in index order the LIMIT stops the read instead of sorting every open task of a
-- busy person. The (assignee_id, state) prefix serves the counts, so the old index goes.
DROP INDEX IF EXISTS tasks_assignee_state;
CREATE INDEX tasks_inbox_open ON tasks(assignee_id, state, urgency DESC, (CASE WHEN due_at IS NULL THEN 1 ELSE 0 END), due_at, task_id);
CREATE INDEX tasks_inbox_done ON tasks(assignee_id, state, done_at DESC, task_id DESC);
