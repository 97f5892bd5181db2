-- 0010_trace_ids: each task row keeps the trace its submission started (its W3C trace id, null
-- when the submission was not traced), so the dashboard links a task to its trace, and the
-- dashboard reads task_attempts for a task's timeline (who ran each attempt, when, how it ended:
-- no results or payloads). The commit function takes the trace ids with the rest of the batch;
-- otherwise it is 0008's.

ALTER TABLE tasks ADD COLUMN trace_id text;

DROP FUNCTION nflc_commit_results(text, text[], bigint[], integer[], text[], text[], integer[], text[], timestamptz[], timestamptz[],
    timestamptz[], text[], double precision[], double precision[], text[], text[]);

-- A batch of completed attempts: their results (fenced), their attempts and their tasks, in one
-- statement; returns the tasks whose claim was stale (a newer claim wrote the result first).
CREATE FUNCTION nflc_commit_results(
    p_grid text, p_ids text[], p_tokens bigint[], p_attempts integer[], p_kinds text[], p_classes text[],
    p_priorities integer[], p_correlations text[], p_submitted timestamptz[], p_started timestamptz[],
    p_finished timestamptz[], p_results text[], p_cpu double precision[], p_gpu double precision[],
    p_workers text[], p_devices text[], p_traces text[])
RETURNS SETOF text LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    RETURN QUERY
    WITH input AS (
        SELECT * FROM unnest(p_ids, p_tokens, p_attempts, p_kinds, p_classes, p_priorities, p_correlations, p_submitted, p_started, p_finished, p_results::jsonb[], p_cpu, p_gpu, p_workers, p_devices, p_traces)
            AS i(task_id, token, attempt, kind, class, priority, correlation_id, submitted_at, started_at, finished_at, result, cpu, gpu, worker_id, device, trace_id)
    ),
    inserted AS (
        INSERT INTO results (grid, task_id, fencing_token, kind, result, worker_id, device)
        SELECT p_grid, task_id, token, kind, result, worker_id, device FROM input
        ON CONFLICT (grid, task_id) DO NOTHING
        RETURNING task_id
    ), audited AS (
        INSERT INTO result_audit (grid, task_id, fencing_token, action, worker_id)
        SELECT p_grid, i.task_id, i.token, CASE WHEN r.fencing_token > i.token THEN 'rejected-stale' ELSE 'already-durable' END, i.worker_id
        FROM input i CROSS JOIN LATERAL (SELECT fencing_token FROM results r WHERE r.grid = p_grid AND r.task_id = i.task_id LIMIT 1) r
        WHERE NOT EXISTS (SELECT 1 FROM inserted n WHERE n.task_id = i.task_id)
        RETURNING task_id, action
    ), done AS (
        SELECT i.*, coalesce(a.action = 'rejected-stale', false) AS stale, a.action = 'already-durable' AS found_durable FROM input i LEFT JOIN audited a USING (task_id)
    ), rolled_up AS (
        INSERT INTO tasks (grid, task_id, kind, class, priority, correlation_id, status, submitted_at, started_at, finished_at, attempts, worker_id, device, cpu_seconds, gpu_seconds, trace_id)
        SELECT p_grid, task_id, kind, class, priority, correlation_id, 'completed', submitted_at, started_at, finished_at, attempt, worker_id, device, cpu, gpu, trace_id FROM done WHERE NOT stale
        ON CONFLICT (grid, task_id) DO UPDATE SET status = 'completed', error = NULL, started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at,
            trace_id = coalesce(tasks.trace_id, EXCLUDED.trace_id),
            attempts = GREATEST(tasks.attempts, EXCLUDED.attempts), worker_id = EXCLUDED.worker_id, device = EXCLUDED.device,
            cpu_seconds = tasks.cpu_seconds + EXCLUDED.cpu_seconds, gpu_seconds = tasks.gpu_seconds + EXCLUDED.gpu_seconds
    ), recorded AS (
        INSERT INTO task_attempts (grid, task_id, attempt, fencing_token, worker_id, device, started_at, finished_at, status, error, cpu_seconds, gpu_seconds)
        SELECT p_grid, task_id, attempt, token, worker_id, device, started_at, finished_at,
            CASE WHEN stale THEN 'lease-lost' WHEN found_durable THEN 'already-durable' ELSE 'completed' END,
            CASE WHEN stale THEN 'a newer claim of the task wrote its result first' END, cpu, gpu
        FROM done
        ON CONFLICT (grid, task_id, fencing_token) DO UPDATE SET status = EXCLUDED.status, error = EXCLUDED.error, finished_at = EXCLUDED.finished_at,
            cpu_seconds = EXCLUDED.cpu_seconds, gpu_seconds = EXCLUDED.gpu_seconds
    ), unrecorded AS (
        -- Earlier attempts nobody recorded (their workers died): kept as lost, with minus their number as token.
        INSERT INTO task_attempts (grid, task_id, attempt, fencing_token, worker_id, started_at, status, error)
        SELECT p_grid, d.task_id, earlier, -earlier, 'unknown', d.started_at, 'lost', 'its worker stopped before recording it'
        FROM (SELECT * FROM done WHERE attempt > 1) d CROSS JOIN generate_series(1, d.attempt - 1) AS earlier
        LEFT JOIN LATERAL (SELECT 1 AS found FROM task_attempts a WHERE a.grid = p_grid AND a.task_id = d.task_id AND a.attempt = earlier LIMIT 1) seen ON true
        WHERE seen.found IS NULL
        ON CONFLICT (grid, task_id, fencing_token) DO NOTHING
    ), still_open AS (
        -- Only a later attempt can find an earlier one open: attempts are recorded when
        -- they end, so a first attempt (most of a batch) needs no look. Found by a probe
        -- per task and updated by row address, so no plan scans the grid's attempts.
        SELECT open.row_id, d.finished_at FROM done d CROSS JOIN LATERAL (
            SELECT a.ctid AS row_id FROM task_attempts a
            WHERE a.grid = p_grid AND a.task_id = d.task_id AND a.status = 'running'
              AND (a.attempt < d.attempt OR (a.attempt = d.attempt AND a.fencing_token <> d.token))
            LIMIT 1000) open
        WHERE d.attempt > 1
    ), closed AS (
        UPDATE task_attempts a SET status = 'lost', finished_at = o.finished_at, error = 'its worker stopped or lost its lease before finishing it'
        FROM still_open o
        WHERE a.ctid = ANY (ARRAY(SELECT row_id FROM still_open)) AND a.ctid = o.row_id
    )
    SELECT task_id FROM done WHERE stale;
END;
$$;

REVOKE ALL ON FUNCTION nflc_commit_results FROM PUBLIC;
GRANT EXECUTE ON FUNCTION nflc_commit_results TO nflc_worker;

GRANT SELECT ON task_attempts TO nflc_reader;
