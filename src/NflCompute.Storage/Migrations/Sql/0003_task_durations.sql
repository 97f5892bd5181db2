-- 0003_task_durations: how long each kind of task takes on each device, from the completed
-- attempts of the last 30 days: the history that run-time predictions and dashboards read.
CREATE INDEX task_attempts_finished ON task_attempts (finished_at) WHERE status = 'completed';

CREATE VIEW task_durations AS
SELECT t.kind,
       coalesce(a.device, '') AS device,
       count(*) AS runs,
       avg(a.cpu_seconds + a.gpu_seconds) AS mean_seconds,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY a.cpu_seconds + a.gpu_seconds) AS p50_seconds,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY a.cpu_seconds + a.gpu_seconds) AS p90_seconds,
       percentile_cont(0.99) WITHIN GROUP (ORDER BY a.cpu_seconds + a.gpu_seconds) AS p99_seconds,
       max(a.finished_at) AS last_finished
FROM task_attempts a
JOIN tasks t USING (task_id)
WHERE a.status = 'completed' AND a.finished_at > now() - interval '30 days'
GROUP BY t.kind, coalesce(a.device, '');

GRANT SELECT ON task_durations TO nflc_worker, nflc_reader;
