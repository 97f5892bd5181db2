-- configure.lua: writes the grid's settings and its hardware classes; run by the admin step
-- (`nflc grid configure`, the demo); workers only read them (settings.lua). Idempotent.
-- KEYS[1] = grid prefix, e.g. "{nflc}"
-- ARGV[1] = number of setting pairs S, then S (name, value) pairs, then the class names
-- Returns OK.
local s = tonumber(ARGV[1])
local pairs_flat = {}
for i = 2, 1 + 2 * s do pairs_flat[#pairs_flat + 1] = ARGV[i] end
redis.call('DEL', P .. ':cfg')
redis.call('HSET', P .. ':cfg', unpack(pairs_flat))
for i = 2 + 2 * s, #ARGV do redis.call('SADD', P .. ':classes', ARGV[i]) end
return OK
