-- schedule_advance.lua: moves a schedule past the ticks a scheduler has just submitted, only if
-- no other scheduler did first (its next tick is still the one this one read): however many
-- schedulers run, each tick is advanced past once. Its tasks were submitted before, each under
-- an idempotency key made of the schedule and the tick, so a scheduler that dies between the two
-- leaves a tick the next one submits again as the same task.
-- KEYS[1] = grid prefix, KEYS[2] = its slot guard (see common.lua)
-- ARGV[1] = name, ARGV[2] = the next tick read (ms), ARGV[3] = the new next tick (ms),
-- ARGV[4] = the last tick submitted (ms; '' when the ticks were skipped)
-- Returns {1} when advanced, {0} when another scheduler had (or the schedule is paused or gone).
local key = P .. ':sched:' .. ARGV[1]
local f = redis.call('HMGET', key, 'nt', 'pa')
if f[1] ~= ARGV[2] or f[2] then return { 0 } end
redis.call('HSET', key, 'nt', ARGV[3])
if ARGV[4] ~= '' then redis.call('HSET', key, 'lt', ARGV[4]) end
redis.call('ZADD', P .. ':schedules', ARGV[3], ARGV[1])
return { 1 }
