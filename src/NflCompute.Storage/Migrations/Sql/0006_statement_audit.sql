-- 0006_statement_audit: results are written in batches now, so the audit trail is kept by one
-- trigger call per statement (the written rows as a transition table) instead of one per row:
-- the same rows land in result_audit, at a fraction of the cost. No code path can skip it.
DROP TRIGGER results_audit ON results;
DROP FUNCTION audit_result_write();

CREATE FUNCTION audit_result_writes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO result_audit (grid, task_id, fencing_token, action, worker_id)
    SELECT grid, task_id, fencing_token, lower(TG_OP), worker_id FROM written;
    RETURN NULL;
END;
$$;
CREATE TRIGGER results_audit_insert AFTER INSERT ON results
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION audit_result_writes();
CREATE TRIGGER results_audit_update AFTER UPDATE ON results
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION audit_result_writes();
