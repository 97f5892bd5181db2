-- schedule_drop.lua: pauses a schedule (it keeps its definition and last tick, and fires nothing
-- until schedule_put resumes it) or removes it.
-- KEYS[1] = grid prefix, KEYS[2] = its slot guard (see common.lua)
-- ARGV[1] = name, ARGV[2] = 'pause' or 'remove'
-- Returns {OK}, or {NOT_FOUND}.
local key = P .. ':sched:' .. ARGV[1]
if redis.call('EXISTS', key) == 0 then return { NOT_FOUND } end
if ARGV[2] == 'remove' then
  redis.call('DEL', key)
  redis.call('ZREM', P .. ':schedules', ARGV[1])
else
  -- Kept in the index, never due.
  redis.call('HSET', key, 'pa', '1')
  redis.call('ZADD', P .. ':schedules', '+inf', ARGV[1])
end
return { OK }
