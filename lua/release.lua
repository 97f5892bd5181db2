-- release.lua: a worker hands tasks back unrun (graceful shutdown): they return to the head of
-- their level, and the attempt is not charged to the task's budget.
-- KEYS[1] = grid prefix, KEYS[2] = its slot guard (see common.lua)
-- ARGV[1] = now (ms), then (task id, fencing token) pairs
-- Returns one code per task: OK, NOT_FOUND, STALE_LEASE, or CANCELLED (cancel had been requested).
local now = tonumber(ARGV[1])
local out = {}
for i = 2, #ARGV, 2 do
  local id, token = ARGV[i], ARGV[i + 1]
  local key = tkey(id)
  if not holds(id, token) then
    out[#out + 1] = redis.call('EXISTS', key) == 1 and STALE_LEASE or NOT_FOUND
  else
    local f = redis.call('HMGET', key, F.worker, F.cancel_requested)
    drop_lease(id, f[1], token_hash(token))
    if f[2] then
      finish(id, 'X', 'cancelled', now)
      out[#out + 1] = CANCELLED
    else
      redis.call('HINCRBY', key, F.uncharged, 1)
      requeue_front(id)
      out[#out + 1] = OK
    end
  end
end
flush()
return out
