-- counts.lua: the grid's state in one round trip.
-- KEYS[1] = grid prefix, KEYS[2] = its slot guard (see common.lua)
-- ARGV: none
-- Returns {class count n, n class names (sorted), their n pending counts, delayed, running,
-- waiting, failed (in the DLQ), live workers, completed total, failed total, cancelled total,
-- paused class count k, then k (class, paused since ms) pairs, limit entry count m, then m
-- ("<class>:c" or "<class>:r", value) pairs, running-count entry count j, then j (class, running) pairs}.
local classes = redis.call('SMEMBERS', P .. ':classes')
table.sort(classes)
local out = { #classes }
for _, c in ipairs(classes) do out[#out + 1] = c end
local pending = #classes > 0 and redis.call('HMGET', P .. ':pending', unpack(classes)) or {}
for i = 1, #classes do out[#out + 1] = tonumber(pending[i]) or 0 end
out[#out + 1] = redis.call('ZCARD', P .. ':delayed')
out[#out + 1] = redis.call('ZCARD', P .. ':leases')
out[#out + 1] = redis.call('SCARD', P .. ':waiting')
out[#out + 1] = redis.call('ZCARD', P .. ':dlq')
out[#out + 1] = redis.call('ZCARD', P .. ':workers')
local totals = redis.call('HMGET', P .. ':stats', 'C', 'F', 'X')
for i = 1, 3 do out[#out + 1] = tonumber(totals[i]) or 0 end
local paused = redis.call('HGETALL', P .. ':paused')
out[#out + 1] = #paused / 2
for i = 1, #paused, 2 do out[#out + 1] = paused[i]; out[#out + 1] = tonumber(paused[i + 1]) end
for _, key in ipairs({ ':limits', ':running' }) do
  local flat = redis.call('HGETALL', P .. key)
  out[#out + 1] = #flat / 2
  for _, v in ipairs(flat) do out[#out + 1] = v end
end
return out
