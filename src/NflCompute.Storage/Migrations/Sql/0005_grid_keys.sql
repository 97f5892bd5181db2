-- 0005_grid_keys: the durable record of tasks is keyed by grid (the queue's namespace) and task id,
-- so grids that share a database never meet, and task_attempts by fencing token, so an attempt
-- number that a rolled-back Redis issued again is a row of its own. Rows written before this
-- migration belong to the default grid, 'nflc'.

ALTER TABLE tasks ADD COLUMN grid text NOT NULL DEFAULT 'nflc';
ALTER TABLE tasks ALTER COLUMN grid DROP DEFAULT;
ALTER TABLE tasks DROP CONSTRAINT tasks_pkey, ADD PRIMARY KEY (grid, task_id);

-- Tokens before this migration were attempt numbers; attempt * 2^32 keeps their order beside the
-- new ones (attempt * 2^32 + the claim time's low 32 bits).
ALTER TABLE task_attempts ADD COLUMN grid text NOT NULL DEFAULT 'nflc', ADD COLUMN fencing_token bigint;
UPDATE task_attempts SET fencing_token = attempt::bigint << 32;
ALTER TABLE task_attempts ALTER COLUMN grid DROP DEFAULT, ALTER COLUMN fencing_token SET NOT NULL;
ALTER TABLE task_attempts DROP CONSTRAINT task_attempts_pkey, ADD PRIMARY KEY (grid, task_id, fencing_token);
CREATE INDEX task_attempts_attempt ON task_attempts (grid, task_id, attempt);

ALTER TABLE results ADD COLUMN grid text NOT NULL DEFAULT 'nflc';
ALTER TABLE results ALTER COLUMN grid DROP DEFAULT;
UPDATE results SET fencing_token = fencing_token << 32;
ALTER TABLE results DROP CONSTRAINT results_pkey, ADD PRIMARY KEY (grid, task_id);

ALTER TABLE result_audit ADD COLUMN grid text NOT NULL DEFAULT 'nflc';
ALTER TABLE result_audit ALTER COLUMN grid DROP DEFAULT;
UPDATE result_audit SET fencing_token = fencing_token << 32;
CREATE INDEX result_audit_task ON result_audit (grid, task_id);

CREATE OR REPLACE FUNCTION audit_result_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO result_audit (grid, task_id, fencing_token, action, worker_id)
    VALUES (NEW.grid, NEW.task_id, NEW.fencing_token, lower(TG_OP), NEW.worker_id);
    RETURN NEW;
END;
$$;

CREATE OR REPLACE VIEW task_durations AS
SELECT t.kind,
       coalesce(a.device, '') AS device,
       count(*) AS runs,
       avg(a.cpu_seconds + a.gpu_seconds) AS mean_seconds,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY a.cpu_seconds + a.gpu_seconds) AS p50_seconds,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY a.cpu_seconds + a.gpu_seconds) AS p90_seconds,
       percentile_cont(0.99) WITHIN GROUP (ORDER BY a.cpu_seconds + a.gpu_seconds) AS p99_seconds,
       max(a.finished_at) AS last_finished
FROM task_attempts a
JOIN tasks t USING (grid, task_id)
WHERE a.status = 'completed' AND a.finished_at > now() - interval '30 days'
GROUP BY t.kind, coalesce(a.device, '');
