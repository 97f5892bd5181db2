-- claim.lua: hands up to `count` of the best pending tasks to one worker, from its classes in
-- the order given (most demanding first), promoting due delayed tasks first.
-- KEYS[1] = grid prefix, KEYS[2..] = the pending queues (P:q:<class>) in preference order
-- ARGV[1] = now (ms), ARGV[2] = worker id, ARGV[3] = lease (ms), ARGV[4] = count,
-- ARGV[5] = most delayed tasks to promote in this call
-- Returns a flat list, 6 entries per claimed task: id, fencing token, attempt, kind, payload,
-- correlation id ('' when none).
local now, worker = tonumber(ARGV[1]), ARGV[2]
local deadline = now + tonumber(ARGV[3])
local wanted = tonumber(ARGV[4])
promote_due(now, tonumber(ARGV[5]))

local out = {}
local claimed = {}
for q = 2, #KEYS do
  if #claimed >= wanted then break end
  local popped = redis.call('ZPOPMIN', KEYS[q], wanted - #claimed)
  for i = 1, #popped, 2 do claimed[#claimed + 1] = popped[i] end
end
if #claimed == 0 then return out end

-- One INCRBY hands out a consecutive block of fencing tokens for the whole batch.
local token = redis.call('INCRBY', P .. ':fence', #claimed) - #claimed
local lease_args, proc_args = {}, {}
for _, id in ipairs(claimed) do
  token = token + 1
  local key = tkey(id)
  local f = redis.call('HMGET', key, 'k', 'p', 'cid', 'a')
  local attempt = (tonumber(f[4]) or 0) + 1
  redis.call('HSET', key, 'st', 'R', 'a', attempt, 'tok', token, 'wk', worker)
  lease_args[#lease_args + 1] = deadline; lease_args[#lease_args + 1] = id
  proc_args[#proc_args + 1] = id
  out[#out + 1] = id; out[#out + 1] = token; out[#out + 1] = attempt
  out[#out + 1] = f[1]; out[#out + 1] = f[2]; out[#out + 1] = f[3] or ''
end
redis.call('ZADD', P .. ':leases', unpack(lease_args))
redis.call('LPUSH', P .. ':proc:' .. worker, unpack(proc_args))
return out
