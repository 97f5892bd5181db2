-- schedules.lua: the grid's recurring schedules (read-only).
-- KEYS[1] = grid prefix, KEYS[2] = its slot guard (see common.lua)
-- ARGV[1] = a name, or '' for all
-- Returns 5 entries per schedule, by name: name, definition (JSON), next tick (ms), last tick
-- submitted (ms, -1 when none), paused (1 or 0).
local names = ARGV[1] ~= '' and { ARGV[1] } or redis.call('ZRANGE', P .. ':schedules', 0, -1)
table.sort(names)
local out = {}
for _, name in ipairs(names) do
  local f = redis.call('HMGET', P .. ':sched:' .. name, 'def', 'nt', 'lt', 'pa')
  if f[1] then
    out[#out + 1] = name; out[#out + 1] = f[1]; out[#out + 1] = tonumber(f[2]) or -1
    out[#out + 1] = tonumber(f[3]) or -1; out[#out + 1] = f[4] and 1 or 0
  end
end
return out
