-- 0015_durations_per_grid: task_durations is per grid as well as per kind and device. Since 0005
-- it joined each attempt to its own grid's task but summed every grid's runs together, so grids
-- sharing a database predicted each other's run times. The grid is the view's last column (a
-- replaced view keeps its columns in order); readers filter by it.
CREATE OR REPLACE VIEW task_durations AS
SELECT t.kind,
       coalesce(a.device, '') AS device,
       count(*) AS runs,
       avg(a.cpu_seconds + a.gpu_seconds) AS mean_seconds,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY a.cpu_seconds + a.gpu_seconds) AS p50_seconds,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY a.cpu_seconds + a.gpu_seconds) AS p90_seconds,
       percentile_cont(0.99) WITHIN GROUP (ORDER BY a.cpu_seconds + a.gpu_seconds) AS p99_seconds,
       max(a.finished_at) AS last_finished,
       a.grid
FROM task_attempts a
JOIN tasks t USING (grid, task_id)
WHERE a.status = 'completed' AND a.finished_at > now() - interval '30 days'
GROUP BY a.grid, t.kind, coalesce(a.device, '');
