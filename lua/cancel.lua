-- cancel.lua: cancels a task in any state. Waiting, delayed and pending tasks end at once (their
-- children follow their own policy); a running task is flagged and its worker learns it at its
-- next heartbeat. A pending task's entry stays in its level list until a claim skips it: O(1).
-- KEYS[1] = grid prefix, KEYS[2] = its slot guard (see common.lua)
-- ARGV[1] = now (ms), ARGV[2] = task id, ARGV[3] = reason
-- Returns {code, state}: CANCELLED, CANCEL_REQUESTED (running), WRONG_STATE (already ended; state
-- says how) or NOT_FOUND.
local now, id, reason = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local key = tkey(id)
local f = redis.call('HMGET', key, F.state, F.class)
local st = f[1]
if not st then return { NOT_FOUND, '' } end
if st == 'C' or st == 'F' or st == 'X' then return { WRONG_STATE, st } end
if st == 'R' then
  redis.call('HSET', key, F.cancel_requested, 1)
  return { CANCEL_REQUESTED, st }
end
if st == 'P' then
  redis.call('SADD', P .. ':cancelled', id)
  count_pending(f[2], -1)
elseif st == 'D' then
  redis.call('ZREM', P .. ':delayed', id)
elseif st == 'W' then
  redis.call('SREM', P .. ':waiting', id)
end
finish(id, 'X', reason, now)
flush()
return { CANCELLED, st }
