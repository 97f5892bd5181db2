-- complete.lua: records the results of a batch of one worker's tasks; each one only if the
-- worker still holds its lease (fencing token), so a worker that lost a task can never overwrite
-- its new owner.
-- KEYS[1] = grid prefix, KEYS[2] = its slot guard (see common.lua)
-- ARGV[1] = now (ms), ARGV[2] = worker id, then (task id, fencing token, result) triples
-- Returns one code per task: OK, NOT_FOUND or STALE_LEASE.
local now, worker = tonumber(ARGV[1]), ARGV[2]
local ids, leases = {}, {}
for i = 3, #ARGV, 3 do
  ids[#ids + 1] = ARGV[i]
  leases[#leases + 1] = lease_of(ARGV[i], token_hash(ARGV[i + 1]))
end
-- Per task: one HSET; ownership, children and bookkeeping are read and written once per batch.
local held = redis.call('ZMSCORE', P .. ':leases', unpack(leases))
local parents = redis.call('SMISMEMBER', P .. ':parents', unpack(ids))

local out, done, done_leases, n = {}, {}, {}, 0
for k, id in ipairs(ids) do
  local i = 3 * k
  if not held[k] then
    out[k] = redis.call('EXISTS', tkey(id)) == 1 and STALE_LEASE or NOT_FOUND
  else
    n = n + 1
    done[n] = id
    done_leases[n] = leases[k]
    local result = ARGV[i + 2]
    finish(id, 'C', nil, now, parents[k] == 1, result ~= '' and result or nil)
    left_running(id)
    out[k] = OK
  end
end
if n > 0 then
  redis.call('ZREM', P .. ':leases', unpack(done_leases))
  redis.call('SREM', P .. ':proc:' .. worker, unpack(done))
end
flush()
return out
