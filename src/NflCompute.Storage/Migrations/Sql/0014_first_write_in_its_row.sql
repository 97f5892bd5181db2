-- 0014_first_write_in_its_row: a result's first write is recorded in its own row, not copied into
-- result_audit. The row already held the token, the worker and the time of the write; it now holds
-- the login that wrote it too (session_user, which a SECURITY DEFINER function does not change),
-- so the audit row every insert added (a heap row and two index entries per task, beside the
-- task's result, task and attempt rows) said nothing the row does not. result_audit keeps what
-- changes or refuses a result: an update (still by trigger, so no code path can skip it), an
-- already-durable write and a stale claim refused. result_writes shows both as one trail, in the
-- shape result_audit had.

ALTER TABLE results ADD COLUMN db_user name;
DROP TRIGGER results_audit_insert ON results;

-- Rows written before this migration: their insert's audit row names the login; where the result
-- was never changed since, that audit row is the row's own record now and goes. (Filling the new
-- column is not a change of any result: the update trigger is off while it runs.)
ALTER TABLE results DISABLE TRIGGER results_audit_update;
UPDATE results r SET db_user = a.db_user
FROM result_audit a
WHERE a.grid = r.grid AND a.task_id = r.task_id AND a.action = 'insert' AND a.fencing_token = r.fencing_token;
DELETE FROM result_audit a USING results r
WHERE a.grid = r.grid AND a.task_id = r.task_id AND a.action = 'insert' AND r.db_user IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM result_audit u WHERE u.grid = a.grid AND u.task_id = a.task_id AND u.action = 'update');
UPDATE results SET db_user = 'unknown' WHERE db_user IS NULL;
ALTER TABLE results ALTER COLUMN db_user SET DEFAULT session_user, ALTER COLUMN db_user SET NOT NULL;
ALTER TABLE results ENABLE TRIGGER results_audit_update;

-- Every write to results and every refused one: a result's first write from its row (unless an
-- older audit row kept it, for a result changed since), the rest from result_audit. id is the
-- audit row's, null for a first write taken from its row, which comes before its task's audit rows
-- (ORDER BY task_id, id NULLS FIRST lists a task's trail in order).
CREATE VIEW result_writes AS
    SELECT NULL::bigint AS id, r.grid, r.task_id, r.fencing_token, 'insert'::text AS action, r.worker_id, r.db_user, r.written_at AS at
    FROM results r
    WHERE NOT EXISTS (SELECT 1 FROM result_audit a WHERE a.grid = r.grid AND a.task_id = r.task_id AND a.action = 'insert')
    UNION ALL
    SELECT id, grid, task_id, fencing_token, action, worker_id, db_user, at FROM result_audit;

-- Read as result_audit was: by the worker's role, not the dashboard's.
GRANT SELECT ON result_writes TO nflc_worker;
