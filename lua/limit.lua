-- limit.lua: sets or clears a hardware class's limits (see limit_of in common.lua): the most of
-- its tasks running at once grid-wide, and the most started per window. Setting a concurrency
-- limit counts the class's running tasks now, so tasks already running count against it;
-- setting a rate starts its bucket full.
-- KEYS[1] = grid prefix, KEYS[2] = its slot guard (see common.lua)
-- ARGV[1] = class, ARGV[2] = most running ('' for no limit), ARGV[3] = rate "n:ms" ('' for none)
-- Returns {OK}, or {UNKNOWN_CLASS, class} having changed nothing.
local class, most, rate = ARGV[1], ARGV[2], ARGV[3]
if redis.call('SISMEMBER', P .. ':classes', class) == 0 then return { UNKNOWN_CLASS, class } end
if most == '' then
  redis.call('HDEL', P .. ':limits', class .. ':c')
  redis.call('HDEL', P .. ':running', class)
else
  local running = 0
  for _, lease in ipairs(redis.call('ZRANGE', P .. ':leases', 0, -1)) do
    if redis.call('HGET', tkey(string.sub(lease, 1, ID_LENGTH)), F.class) == class then running = running + 1 end
  end
  redis.call('HSET', P .. ':limits', class .. ':c', most)
  redis.call('HSET', P .. ':running', class, running)
end
redis.call('DEL', P .. ':bucket:' .. class)
if rate == '' then
  redis.call('HDEL', P .. ':limits', class .. ':r')
else
  redis.call('HSET', P .. ':limits', class .. ':r', rate)
end
-- A looser limit may let waiting tasks start: wake idle workers.
redis.call('PUBLISH', P .. ':wake', '1')
return { OK }
