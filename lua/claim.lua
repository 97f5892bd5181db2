-- claim.lua: hands up to `count` of the best pending tasks to one worker, from its classes in
-- the order given (most demanding first), promoting due delayed tasks first.
-- KEYS[1] = grid prefix
-- ARGV[1] = now (ms), ARGV[2] = worker id, ARGV[3] = lease (ms), ARGV[4] = count,
-- ARGV[5] = most delayed tasks to promote in this call, ARGV[6..] = the worker's classes in order
-- Returns a flat list, 6 entries per claimed task: id, fencing token, attempt, kind, payload,
-- correlation id ('' when none).
local now, worker = tonumber(ARGV[1]), ARGV[2]
local deadline = now + tonumber(ARGV[3])
local wanted = tonumber(ARGV[4])
promote_due(now, tonumber(ARGV[5]))

-- Per task: one HMGET and one HSET; everything else is written once for the batch.
local out, claimed, run_args, lease_args = {}, {}, {}, {}
local n, o = 0, 0
local token = tonumber(redis.call('GET', P .. ':fence') or 0)
for c = 6, #ARGV do
  local class = ARGV[c]
  local from_class = 0
  while n < wanted do
    local popped = pop_best(class, wanted - n)
    if #popped == 0 then break end
    for _, id in ipairs(popped) do
      local key = tkey(id)
      local f = redis.call('HMGET', key, 'st', 'k', 'p', 'cid', 'a')
      if f[1] == 'P' then
        token = token + 1
        n = n + 1
        from_class = from_class + 1
        local attempt = (tonumber(f[5]) or 0) + 1
        redis.call('HSET', key, 'st', 'R', 'a', attempt, 'wk', worker)
        claimed[n] = id
        run_args[2 * n - 1] = id; run_args[2 * n] = token
        lease_args[2 * n - 1] = deadline; lease_args[2 * n] = id
        out[o + 1] = id; out[o + 2] = token; out[o + 3] = attempt
        out[o + 4] = f[2]; out[o + 5] = f[3]; out[o + 6] = f[4] or ''
        o = o + 6
      end
    end
  end
  if from_class > 0 then count_pending(class, -from_class) end
end
if n > 0 then
  redis.call('SET', P .. ':fence', token)
  redis.call('HSET', P .. ':run', unpack(run_args))
  redis.call('ZADD', P .. ':leases', unpack(lease_args))
  redis.call('SADD', P .. ':proc:' .. worker, unpack(claimed))
end
flush()
return out
