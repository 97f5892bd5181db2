-- heartbeat.lua: a worker's periodic sign of life. Extends the leases it still holds, renews its
-- registration, and tells it which of its tasks were cancelled or are no longer its own.
-- KEYS[1] = grid prefix, KEYS[2] = its slot guard (see common.lua)
-- ARGV[1] = now (ms), ARGV[2] = worker id, ARGV[3] = lease (ms), ARGV[4] = registration ttl (ms),
-- then (task id, fencing token, progress) triples; progress is "fraction|message" as the task's
-- handler last reported it, or '' when unchanged since the last heartbeat (kept in the hash's pg)
-- Returns a flat list of (task id, code) for tasks that need attention: CANCEL_REQUESTED, or
-- STALE_LEASE when the worker no longer holds the task (do not complete it; drop it).
local now, worker = tonumber(ARGV[1]), ARGV[2]
local deadline = now + tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
redis.call('ZADD', P .. ':workers', now + ttl, worker)
redis.call('PEXPIRE', P .. ':w:' .. worker, ttl)

local out = {}
for i = 5, #ARGV, 3 do
  local id, token, progress = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  if not holds(id, token) then
    out[#out + 1] = id; out[#out + 1] = STALE_LEASE
  else
    redis.call('ZADD', P .. ':leases', 'XX', deadline, lease_of(id, token_hash(token)))
    if progress ~= '' then redis.call('HSET', tkey(id), F.progress, progress) end
    if redis.call('HEXISTS', tkey(id), F.cancel_requested) == 1 then out[#out + 1] = id; out[#out + 1] = CANCEL_REQUESTED end
  end
end
return out
