-- 0007_drop_attempt_index: task_attempts_attempt (grid, task_id, attempt) duplicates what the
-- primary key (grid, task_id, fencing_token) already finds, every lookup of an attempt starting
-- from its grid and task; one index fewer to maintain per recorded attempt.
DROP INDEX task_attempts_attempt;
