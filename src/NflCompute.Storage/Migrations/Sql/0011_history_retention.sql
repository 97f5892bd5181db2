-- 0011_history_retention: the scheduled prune. The owner sets how long each grid keeps its
-- history (nflc db prune --keep); a worker running the built-in db-prune schedule may then delete
-- what ended before that, and nothing newer: nflc_prune_history reads the retention itself, so the
-- worker names no cutoff and holds no DELETE on the history tables. One copy of the delete, used
-- by the owner's one-off prune too.
CREATE TABLE history_retention (
    grid text PRIMARY KEY,
    keep interval NOT NULL CHECK (keep >= interval '1 hour'),
    with_results boolean NOT NULL DEFAULT false,
    updated_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT ON history_retention TO nflc_worker;

-- One chunk: the rows of up to p_chunk tasks of the grid that ended before p_cutoff, their
-- attempts, and with p_results their results and audit rows. Owner only.
CREATE FUNCTION nflc_prune_history_before(p_grid text, p_cutoff timestamptz, p_results boolean, p_chunk int)
RETURNS TABLE (tasks bigint, attempts bigint, results bigint, audit_rows bigint)
LANGUAGE sql SET search_path = public, pg_temp AS $$
    WITH doomed AS (
        SELECT grid, task_id FROM tasks
        WHERE grid = p_grid AND finished_at < p_cutoff AND status IN ('completed', 'failed', 'cancelled')
        LIMIT p_chunk
    ), attempts AS (
        DELETE FROM task_attempts a USING doomed d WHERE a.grid = d.grid AND a.task_id = d.task_id RETURNING 1
    ), audit AS (
        DELETE FROM result_audit r USING doomed d WHERE p_results AND r.grid = d.grid AND r.task_id = d.task_id RETURNING 1
    ), kept AS (
        DELETE FROM results r USING doomed d WHERE p_results AND r.grid = d.grid AND r.task_id = d.task_id RETURNING 1
    ), gone AS (
        DELETE FROM tasks t USING doomed d WHERE t.grid = d.grid AND t.task_id = d.task_id RETURNING 1
    )
    SELECT (SELECT count(*) FROM gone), (SELECT count(*) FROM attempts), (SELECT count(*) FROM kept), (SELECT count(*) FROM audit)
$$;
REVOKE ALL ON FUNCTION nflc_prune_history_before FROM PUBLIC;

-- One chunk of the scheduled prune, as the owner, by the retention the owner set for the grid;
-- no retention set, nothing deleted.
CREATE FUNCTION nflc_prune_history(p_grid text, p_chunk int)
RETURNS TABLE (tasks bigint, attempts bigint, results bigint, audit_rows bigint)
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT p.* FROM history_retention r
    CROSS JOIN LATERAL nflc_prune_history_before(r.grid, now() - r.keep, r.with_results, least(greatest(p_chunk, 1), 10000)) p
    WHERE r.grid = p_grid
$$;
REVOKE ALL ON FUNCTION nflc_prune_history FROM PUBLIC;
GRANT EXECUTE ON FUNCTION nflc_prune_history TO nflc_worker;
