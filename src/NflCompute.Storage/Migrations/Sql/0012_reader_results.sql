-- 0012_reader_results: the dashboard (nflc_reader) shows each task's result as charts
-- (/results/{task}), so it reads results; still not datasets, attempts' audit trail or machines.
GRANT SELECT ON results TO nflc_reader;
