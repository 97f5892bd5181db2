-- 0002_roles: least privilege. nflc_worker writes tasks and results but cannot change the schema;
-- nflc_reader (dashboards) only reads. Roles are created without login and without a password:
-- `StorageRoles.SetLoginAsync` gives them one from configuration or a secret file, never from code.
DO $$
BEGIN
    CREATE ROLE nflc_worker NOLOGIN;
EXCEPTION WHEN duplicate_object THEN NULL;  -- roles are cluster-wide: another database made it
END $$;
DO $$
BEGIN
    CREATE ROLE nflc_reader NOLOGIN;
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;

REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO nflc_worker, nflc_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO nflc_reader, nflc_worker;
GRANT INSERT, UPDATE ON tasks, task_attempts, results, machines, datasets, model_metrics, regressions TO nflc_worker;
GRANT INSERT ON result_audit TO nflc_worker;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO nflc_worker;
