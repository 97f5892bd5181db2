-- 0001_schema: the grid's durable record. Redis holds what is in flight; Postgres keeps what
-- happened and every result.

-- One row per task, updated as it moves; attempts below keep each run.
CREATE TABLE tasks (
    task_id         text PRIMARY KEY,
    kind            text NOT NULL,
    class           text NOT NULL,
    priority        integer NOT NULL DEFAULT 0,
    correlation_id  text,
    status          text NOT NULL,
    submitted_at    timestamptz NOT NULL,
    started_at      timestamptz,
    finished_at     timestamptz,
    attempts        integer NOT NULL DEFAULT 0,
    worker_id       text,
    device          text,
    cpu_seconds     double precision NOT NULL DEFAULT 0,
    gpu_seconds     double precision NOT NULL DEFAULT 0,
    error           text
);
CREATE INDEX tasks_status_finished ON tasks (status, finished_at DESC);

-- Each attempt of a task: who ran it, on what, how long, how it ended.
CREATE TABLE task_attempts (
    task_id         text NOT NULL,
    attempt         integer NOT NULL,
    worker_id       text NOT NULL,
    device          text,
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    status          text NOT NULL,
    error           text,
    cpu_seconds     double precision NOT NULL DEFAULT 0,
    gpu_seconds     double precision NOT NULL DEFAULT 0,
    PRIMARY KEY (task_id, attempt)
);

-- Results, one per task, written before the task completes in Redis. The fencing token of the
-- claim that wrote it guards against a stale worker overwriting a newer one.
CREATE TABLE results (
    task_id         text PRIMARY KEY,
    fencing_token   bigint NOT NULL,
    kind            text NOT NULL,
    result          jsonb NOT NULL,
    worker_id       text NOT NULL,
    device          text,
    written_at      timestamptz NOT NULL DEFAULT now()
);

-- Every write to results, kept by a trigger so no code path can skip it.
CREATE TABLE result_audit (
    id              bigserial PRIMARY KEY,
    task_id         text NOT NULL,
    fencing_token   bigint NOT NULL,
    action          text NOT NULL,
    worker_id       text NOT NULL,
    at              timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION audit_result_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO result_audit (task_id, fencing_token, action, worker_id)
    VALUES (NEW.task_id, NEW.fencing_token, lower(TG_OP), NEW.worker_id);
    RETURN NEW;
END;
$$;
CREATE TRIGGER results_audit AFTER INSERT OR UPDATE ON results
    FOR EACH ROW EXECUTE FUNCTION audit_result_write();

-- Worker machines and their hardware, as registered.
CREATE TABLE machines (
    worker_id       text PRIMARY KEY,
    hostname        text NOT NULL,
    profile         jsonb NOT NULL,
    first_seen      timestamptz NOT NULL DEFAULT now(),
    last_seen       timestamptz NOT NULL DEFAULT now()
);

-- Content-addressed datasets: id = 'sha256:' || hex of the bytes; typed arrays stored as bytes.
CREATE TABLE datasets (
    dataset_id      text PRIMARY KEY CHECK (dataset_id ~ '^sha256:[0-9a-f]{64}$'),
    kind            text NOT NULL,
    element_type    text NOT NULL,
    length          integer NOT NULL CHECK (length >= 0),
    data            bytea NOT NULL,
    description     jsonb,
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- Model metrics over versions (Brier, log loss, ...), by season or pooled.
CREATE TABLE model_metrics (
    id              bigserial PRIMARY KEY,
    model           text NOT NULL,
    version         text NOT NULL,
    metric          text NOT NULL,
    value           double precision NOT NULL,
    n               integer NOT NULL,
    season          integer,
    task_id         text,
    details         jsonb,
    recorded_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX model_metrics_model ON model_metrics (model, metric, recorded_at DESC);

-- Regressions found by regression-check, with their evidence.
CREATE TABLE regressions (
    id              bigserial PRIMARY KEY,
    model           text NOT NULL,
    version         text NOT NULL,
    compared_to     text NOT NULL,
    metric          text NOT NULL,
    difference      double precision NOT NULL,
    p_value         double precision NOT NULL,
    adjusted_p      double precision NOT NULL,
    margin          double precision NOT NULL,
    task_id         text,
    evidence        jsonb NOT NULL,
    detected_at     timestamptz NOT NULL DEFAULT now()
);
