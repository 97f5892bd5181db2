-- dlq_list.lua: a page of the dead-letter queue, newest first, with what an operator needs.
-- KEYS[1] = grid prefix, KEYS[2] = its slot guard (see common.lua)
-- ARGV[1] = offset, ARGV[2] = count
-- Returns {total, then 6 entries per task: id, kind, class, attempts, failed at (ms), error}.
local ids = redis.call('ZREVRANGE', P .. ':dlq', tonumber(ARGV[1]), tonumber(ARGV[1]) + tonumber(ARGV[2]) - 1)
local out = { redis.call('ZCARD', P .. ':dlq') }
for _, id in ipairs(ids) do
  local f = redis.call('HMGET', tkey(id), F.body, F.class, F.attempts, F.finished, F.error)
  local body = f[1] or ''
  out[#out + 1] = id; out[#out + 1] = string.match(body, '^[^\n]*'); out[#out + 1] = f[2] or ''
  out[#out + 1] = tonumber(f[3]) or 0; out[#out + 1] = tonumber(f[4]) or 0; out[#out + 1] = f[5] or ''
end
return out
