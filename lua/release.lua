-- release.lua: a worker hands tasks back unrun (graceful shutdown): they return to pending in
-- their old place, and the attempt is not charged to the task's budget.
-- KEYS[1] = grid prefix
-- ARGV[1] = now (ms), then (task id, fencing token) pairs
-- Returns one code per task: OK, NOT_FOUND, STALE_LEASE, or CANCELLED (cancel had been requested).
local now = tonumber(ARGV[1])
local out = {}
for i = 2, #ARGV, 2 do
  local id, token = ARGV[i], ARGV[i + 1]
  local key = tkey(id)
  local f = redis.call('HMGET', key, 'st', 'tok', 'wk', 'cx', 'e', 'hc')
  if not f[1] then
    out[#out + 1] = NOT_FOUND
  elseif f[1] ~= 'R' or f[2] ~= token then
    out[#out + 1] = STALE_LEASE
  else
    drop_lease(id, f[3])
    redis.call('HDEL', key, 'tok')
    if f[4] then
      finish(id, 'X', 'cancelled', now, f[6])
      out[#out + 1] = CANCELLED
    else
      redis.call('HINCRBY', key, 'ab', 1)
      enqueue_task(id, tonumber(f[5]))
      out[#out + 1] = OK
    end
  end
end
flush()
return out
