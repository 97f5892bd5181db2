-- schedule_put.lua: adds or replaces a recurring schedule, or resumes a paused one, due next at
-- the tick given (the caller computes ticks: cron expressions are parsed in C#, with Cronos).
-- KEYS[1] = grid prefix, KEYS[2] = its slot guard (see common.lua)
-- ARGV[1] = name, ARGV[2] = definition (JSON, kept as given; '' keeps the one stored), ARGV[3] = next tick (ms)
-- Returns {OK}, or {NOT_FOUND} when ARGV[2] is '' and no such schedule exists.
local key = P .. ':sched:' .. ARGV[1]
if ARGV[2] == '' then
  if redis.call('EXISTS', key) == 0 then return { NOT_FOUND } end
else
  redis.call('HSET', key, 'def', ARGV[2])
end
redis.call('HSET', key, 'nt', ARGV[3])
redis.call('HDEL', key, 'pa')
redis.call('ZADD', P .. ':schedules', ARGV[3], ARGV[1])
return { OK }
