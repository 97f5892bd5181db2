-- settings.lua: the grid's settings and classes as configure.lua wrote them (read-only), for a
-- process that checks its own configuration against the grid's instead of rewriting it.
-- KEYS[1] = grid prefix, KEYS[2] = its slot guard (see common.lua)
-- ARGV: none
-- Returns {setting pair count n, n (name, value) pairs, then the class names}; n = 0 when the
-- grid was never configured.
local out = { 0 }
local cfg = redis.call('HGETALL', P .. ':cfg')
out[1] = #cfg / 2
for _, v in ipairs(cfg) do out[#out + 1] = v end
for _, c in ipairs(redis.call('SMEMBERS', P .. ':classes')) do out[#out + 1] = c end
return out
