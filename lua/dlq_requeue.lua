-- dlq_requeue.lua: gives failed tasks a fresh start: a full budget of attempts (the count of
-- claims goes on), no stalls, back to pending as if just submitted. Its last error stays
-- readable until it runs again.
-- KEYS[1] = grid prefix, KEYS[2] = its slot guard (see common.lua)
-- ARGV[1] = now (ms), then either the task ids, or '*' and a count to requeue the oldest entries
-- Returns one code per id (OK, NOT_FOUND, WRONG_STATE), or for '*' the number requeued.
local now = tonumber(ARGV[1])
local function requeue(id)
  if redis.call('ZREM', P .. ':dlq', id) == 0 then
    return redis.call('EXISTS', tkey(id)) == 1 and WRONG_STATE or NOT_FOUND
  end
  local key = tkey(id)
  redis.call('HSET', key, F.uncharged, redis.call('HGET', key, F.attempts) or 0)
  redis.call('HDEL', key, F.stalls, F.finished, F.cancel_requested)
  enqueue(id, now)
  return OK
end
if ARGV[2] == '*' then
  local ids = redis.call('ZRANGE', P .. ':dlq', 0, tonumber(ARGV[3]) - 1)
  for _, id in ipairs(ids) do requeue(id) end
  flush()
  return #ids
end
local out = {}
for i = 2, #ARGV do out[#out + 1] = requeue(ARGV[i]) end
flush()
return out
