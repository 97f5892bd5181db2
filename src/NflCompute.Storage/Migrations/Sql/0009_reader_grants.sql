-- 0009_reader_grants: nflc_reader (the dashboard) reads only what the dashboard shows: tasks,
-- durations, model metrics, regressions, and the migrations it checks at start. Not results,
-- datasets, attempts, machines or the audit trail. RoleTests holds every relation's intended
-- grants, so a new table gets its grants decided, not inherited.
REVOKE SELECT ON ALL TABLES IN SCHEMA public FROM nflc_reader;
GRANT SELECT ON tasks, task_durations, model_metrics, regressions, nflc_schema_migrations TO nflc_reader;
