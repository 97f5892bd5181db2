-- complete.lua: records the results of a batch of tasks; each one only if the caller still holds
-- its lease (fencing token), so a worker that lost a task can never overwrite its new owner.
-- KEYS[1] = grid prefix
-- ARGV[1] = now (ms), then (task id, fencing token, result) triples
-- Returns one code per task: OK, NOT_FOUND or STALE_LEASE.
local now = tonumber(ARGV[1])
local out = {}
for i = 2, #ARGV, 3 do
  local id, token = ARGV[i], ARGV[i + 1]
  local key = tkey(id)
  local f = redis.call('HMGET', key, 'st', 'tok', 'wk', 'hc')
  if not f[1] then
    out[#out + 1] = NOT_FOUND
  elseif f[1] ~= 'R' or f[2] ~= token then
    out[#out + 1] = STALE_LEASE
  else
    drop_lease(id, f[3])
    finish(id, 'C', nil, now, f[4], ARGV[i + 2] ~= '' and { 'r', ARGV[i + 2] } or nil)
    out[#out + 1] = OK
  end
end
flush()
return out
